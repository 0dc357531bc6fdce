# SPDX-License-Identifier: GPL-3.0-or-later
"""ferry-cli --tls against a server with a self-signed certificate: refused without a
terminal to ask on, accepted once or always after asking (as ssh does for host keys), and
remembered in the trust store only for "always". A remembered certificate that changes is
refused with a loud warning naming both fingerprints and the command that forgets the old
one, never asked about as if it were new."""
import hashlib
import os
import re
import shutil
import ssl
import subprocess
import unittest

import ferrytest
from clitest import Terminal, TlsPyftpdlib, cli_env, error_lines, have_ferryd, run_cli

# In the ASan build, LeakSanitizer's own tracer (GCC 12's libsanitizer) crashes with SIGSEGV
# ("Tracer caught signal 11") at the exit of about one ferry-cli run in five that used TLS,
# before it reports anything: a crash of the checker, not of ferry-cli (it happens with the
# checksum step turned off too). Leaks in these runs are left to the valgrind run of the
# engine (hardening-valgrind-engine); AddressSanitizer and UBSan stay on.
LEAK_CHECK_OFF = ({"ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0"}
                  if "address" in os.environ.get("FERRY_SANITIZE", "") else {})


class TlsTests:
    def setUp(self):
        if shutil.which("openssl") is None:
            self.skipTest("openssl (Debian: openssl) is needed to make a test certificate")
        self.folders = []
        for _ in range(3):
            tree = ferrytest.temp_tree()
            self.folders.append(tree.__enter__())
            self.addCleanup(tree.__exit__, None, None, None)
        self.root, self.config, self.local = self.folders
        with open(os.path.join(self.root, "secret.txt"), "wb") as f:
            f.write(b"over TLS\n")
        self.cert, self.key = ferrytest.make_certificate(self.local)
        self.start_server()

    def env(self):
        return dict(XDG_CONFIG_HOME=self.config, XDG_STATE_HOME=self.config, HOME=self.local,
                    **self.login_env, **LEAK_CHECK_OFF)

    def ask_on_terminal(self, answer):
        env = cli_env(TERM="dumb", **self.env())
        term = Terminal([*self.login, "--tls", "get", self.url + "secret.txt", "copy.txt"],
                        self.local, env)
        self.addCleanup(term.close)
        term.read_until(rb"SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}")
        term.read_until(rb"\[N\] no: ")
        term.type(answer + "\r")
        return term

    def test_untrusted_without_terminal_fails_with_one_line(self):
        result = run_cli(*self.login, "--tls", "ls", self.url, **self.env())
        self.assertEqual(result.returncode, 1)
        lines = error_lines(result)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("ferry-cli: "), lines[0])
        self.assertIn("127.0.0.1", lines[0])
        self.assertIn("certificate", lines[0].lower())
        self.assertIn("on a terminal", lines[0])

    def test_trust_once(self):
        term = self.ask_on_terminal("y")
        self.assertEqual(term.wait(), 0, term.output)
        with open(os.path.join(self.local, "copy.txt"), "rb") as f:
            self.assertEqual(f.read(), b"over TLS\n")
        # Not remembered: a script still refuses the certificate.
        result = run_cli(*self.login, "--tls", "ls", self.url, **self.env())
        self.assertEqual(result.returncode, 1)

    def test_trust_always(self):
        term = self.ask_on_terminal("a")
        self.assertEqual(term.wait(), 0, term.output)
        result = run_cli(*self.login, "--tls", "ls", self.url, **self.env())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("secret.txt", result.stdout)

    def test_answer_no(self):
        term = self.ask_on_terminal("n")
        self.assertEqual(term.wait(), 1)
        self.assertFalse(os.path.exists(os.path.join(self.local, "copy.txt")))


def pyftpdlib_has_tls():
    check = subprocess.run(["/usr/bin/python3", "-c", "import OpenSSL"], capture_output=True)
    return check.returncode == 0


class TlsPyftpdlibTests(TlsTests, unittest.TestCase):
    def start_server(self):
        if not pyftpdlib_has_tls():
            self.skipTest("pyftpdlib needs PyOpenSSL for TLS (Debian: python3-openssl)")
        server = TlsPyftpdlib(self.root, self.cert, self.key).start()
        self.addCleanup(server.stop)
        self.url = f"ftp://127.0.0.1:{server.port}/"
        self.login = ["--user", server.user]
        self.login_env = {"FERRY_PASSWORD": server.password}


class TlsFerrydTests(TlsTests, unittest.TestCase):
    def start_server(self):
        if not have_ferryd():
            self.skipTest(f"ferryd is not built ({ferrytest.FERRYD})")
        server = ferrytest.Ferryd(self.root, "--tls-cert", self.cert, "--tls-key", self.key)
        server.start()
        self.addCleanup(server.stop)
        self.url = server.url
        self.login = []
        self.login_env = {}


def fingerprint(cert_path):
    with open(cert_path) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


class ChangedCertificateTests(unittest.TestCase):
    """ferryd restarted on the same port with another certificate, after "always"."""

    def setUp(self):
        if shutil.which("openssl") is None:
            self.skipTest("openssl (Debian: openssl) is needed to make a test certificate")
        if not have_ferryd():
            self.skipTest(f"ferryd is not built ({ferrytest.FERRYD})")
        self.folders = []
        for _ in range(5):
            tree = ferrytest.temp_tree()
            self.folders.append(tree.__enter__())
            self.addCleanup(tree.__exit__, None, None, None)
        self.root, self.config, self.local, first, second = self.folders
        with open(os.path.join(self.root, "secret.txt"), "wb") as f:
            f.write(b"over TLS\n")
        self.first = ferrytest.make_certificate(first)
        self.second = ferrytest.make_certificate(second)
        self.server = None
        self.start(self.first, "0")

    def start(self, certificate, port):
        if self.server is not None:
            self.server.stop()
        cert, key = certificate
        self.server = ferrytest.Ferryd(self.root, "--tls-cert", cert, "--tls-key", key,
                                       "--port", port)
        self.server.start()
        self.addCleanup(self.server.stop)
        self.url = self.server.url

    def env(self):
        return dict(XDG_CONFIG_HOME=self.config, XDG_STATE_HOME=self.config, HOME=self.local,
                    **LEAK_CHECK_OFF)

    def terminal(self, *args):
        term = Terminal(["--tls", *args, self.url], self.local, cli_env(TERM="dumb", **self.env()))
        self.addCleanup(term.close)
        return term

    def trust_always(self):
        term = self.terminal("ls")
        term.read_until(rb"\[N\] no: ")
        term.type("a\r")
        self.assertEqual(term.wait(), 0, term.output)

    def pinned(self):
        with open(os.path.join(self.config, "ferry", "trusted-certificates")) as f:
            return f.read()

    def test_changed_certificate_is_refused_with_a_warning(self):
        self.trust_always()
        old, new = fingerprint(self.first[0]), fingerprint(self.second[0])
        self.assertIn(old, self.pinned())
        self.start(self.second, str(self.server.port))
        forget = f"ferry-cli forget-certificate 127.0.0.1:{self.server.port}"

        # On a terminal: the warning, no question, exit 1, the pin unchanged.
        term = self.terminal("ls")
        self.assertEqual(term.wait(), 1, term.output)
        text = term.output.decode()
        self.assertIn("WARNING: THE SERVER’S CERTIFICATE HAS CHANGED!", text)
        self.assertIn(f"Trusted certificate:  SHA-256 {old}", text)
        self.assertIn(f"Presented now:        SHA-256 {new}", text)
        self.assertIn(f"  {forget}\r\n", text)
        self.assertNotIn("Trust it?", text)
        self.assertNotIn("secret.txt", text)
        self.assertIn(old, self.pinned())
        self.assertNotIn(new, self.pinned())

        # A script gets the same refusal; its last line names the command.
        result = run_cli("--tls", "ls", self.url, **self.env())
        self.assertEqual(result.returncode, 1, result.stderr)
        last = error_lines(result)[-1]
        self.assertTrue(last.startswith("ferry-cli: cannot connect to 127.0.0.1"), last)
        self.assertTrue(last.endswith(forget), last)

        # The command as printed forgets the pin; the next visit is a first visit again.
        result = run_cli(*forget.split()[1:], **self.env())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn(old, self.pinned())
        result = run_cli(*forget.split()[1:], **self.env())
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("No certificate is remembered for 127.0.0.1:", result.stderr)
        self.trust_always()
        self.assertIn(new, self.pinned())

    def test_forget_certificate_needs_a_server(self):
        result = run_cli("forget-certificate", **self.env())
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("forget-certificate HOST[:PORT]", result.stderr)


if __name__ == "__main__":
    ferrytest.main()
