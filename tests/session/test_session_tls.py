# SPDX-License-Identifier: GPL-3.0-or-later
"""FTPS (RFC 4217) on ferryd's session: AUTH TLS, PBSZ, PROT P, with curl --ssl-reqd and
ftplib.FTP_TLS, and --require-tls refusing logins in clear. The certificate is made during
the test with openssl."""
import ftplib
import json
import os
import re
import shutil
import ssl
import tempfile
import unittest
from unittest import mock

import ferrytest
from ferrytest import Ferryd, served_tree
import sessiontest
from sessiontest import curl

PAYLOAD = ferrytest.all_bytes_payload(2048)
IS_ROOT = os.geteuid() == 0


def installed_path(dir_option, *names):
    """Where `meson install` of this build puts a file: dir_option under the prefix."""
    with open(os.path.join(os.environ["FERRY_BUILD_ROOT"], "meson-info",
                           "intro-buildoptions.json")) as f:
        options = {o["name"]: o["value"] for o in json.load(f)}
    return os.path.join(options["prefix"], options[dir_option], *names)


def mapped_libraries(pid):
    with open(f"/proc/{pid}/maps") as f:
        return {os.path.basename(line.split()[-1]) for line in f if "/" in line}


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.TemporaryDirectory()
        cls.cert, cls.key = ferrytest.make_certificate(cls.keys.name)

    @classmethod
    def tearDownClass(cls):
        cls.keys.cleanup()

    def tls_args(self, *more):
        return ("--tls-cert", self.cert, "--tls-key", self.key) + more

    def ftp_tls(self, server):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        client = sessiontest.ResumingFTP_TLS(context=context, timeout=20)
        client.connect(server.host, server.port)
        client.auth()
        client.login()
        client.prot_p()
        return client

    def test_curl_ssl_reqd(self):
        with served_tree({"f.bin": PAYLOAD}) as root, \
                Ferryd(root, "--write", *self.tls_args()) as server, \
                tempfile.NamedTemporaryFile() as local:
            self.assertEqual(curl("--ssl-reqd", "-k", server.url + "f.bin").stdout, PAYLOAD)
            listing = curl("--ssl-reqd", "-k", "--list-only", server.url).stdout
            self.assertIn(b"f.bin", listing)
            local.write(PAYLOAD[::-1])
            local.flush()
            curl("--ssl-reqd", "-k", "-T", local.name, server.url + "up.bin")
            with open(os.path.join(root, "up.bin"), "rb") as f:
                self.assertEqual(f.read(), PAYLOAD[::-1])
            self.assertEqual(sessiontest.temp_files(root), [])

    def test_ftplib_tls(self):
        with served_tree({"f.bin": PAYLOAD}) as root, \
                Ferryd(root, *self.tls_args()) as server:
            with self.ftp_tls(server) as client:
                self.assertIn("AUTH TLS", client.sendcmd("FEAT"))
                self.assertEqual(sessiontest.retr_bytes(client, "f.bin"), PAYLOAD)
                self.assertEqual(client.nlst(), ["f.bin"])

    def test_require_tls_refuses_clear_logins(self):
        with served_tree({"f.bin": PAYLOAD}) as root, \
                Ferryd(root, *self.tls_args("--require-tls")) as server:
            client = ftplib.FTP(timeout=20)
            client.connect(server.host, server.port)
            with self.assertRaisesRegex(ftplib.error_perm, "^53[04]"):
                client.login()
            client.close()
            result = curl(server.url + "f.bin", check=False)
            self.assertNotEqual(result.returncode, 0)
            self.assertEqual(result.stdout, b"")
            # Over TLS all is well, but data in clear is refused.
            with self.ftp_tls(server) as secure:
                with self.assertRaisesRegex(ftplib.error_perm, "^534"):
                    secure.sendcmd("PROT C")
                self.assertEqual(sessiontest.retr_bytes(secure, "f.bin"), PAYLOAD)
            self.assertEqual(curl("--ssl-reqd", "-k", server.url + "f.bin").stdout, PAYLOAD)

    @unittest.skipUnless(IS_ROOT, "needs root: the maps of non-dumpable session processes are root's to read")
    def test_tls_module_is_loaded_at_the_first_auth_tls(self):
        with served_tree({}) as root, Ferryd(root, *self.tls_args()) as server:
            client = ftplib.FTP_TLS(context=ssl._create_unverified_context(), timeout=20)
            client.connect(server.host, server.port)
            session = ferrytest.wait_until(server.sessions)[0]
            self.assertNotIn("ferryd-tls.so", mapped_libraries(session))
            client.auth()
            names = mapped_libraries(session)
            self.assertIn("ferryd-tls.so", names)
            self.assertTrue([n for n in names if n.startswith("libgnutls")], names)
            client.login()
            client.quit()

    def test_missing_tls_module_refuses_auth_tls(self):
        if os.path.exists(installed_path("libdir", "ferry", "ferryd-tls.so")):
            self.skipTest("an installed ferryd-tls.so would be found")
        with tempfile.TemporaryDirectory() as programs, served_tree({}) as root:
            os.chmod(programs, 0o755)   # the listener starts the zygote after dropping root
            for name in ("ferryd", "ferryd-zygote"):
                shutil.copy2(os.path.join(os.path.dirname(ferrytest.FERRYD), name), programs)
            with mock.patch.object(ferrytest, "FERRYD", os.path.join(programs, "ferryd")), \
                    Ferryd(root, *self.tls_args()) as server:
                client = ftplib.FTP(timeout=20)
                client.connect(server.host, server.port)
                with self.assertRaisesRegex(ftplib.error_temp, "^431"):
                    client.sendcmd("AUTH TLS")
                client.login()
                client.quit()
                self.assertTrue(ferrytest.wait_until(
                    lambda: re.search(rb"cannot find .*ferryd-tls\.so", server.log_text())),
                    server.log_text())

    def test_no_certificate_no_auth(self):
        with served_tree({}) as root, Ferryd(root) as server:
            client = ftplib.FTP(timeout=20)
            client.connect(server.host, server.port)
            self.assertNotIn("AUTH", client.sendcmd("FEAT"))
            with self.assertRaisesRegex(ftplib.error_perm, "^50[24]"):
                client.sendcmd("AUTH TLS")
            client.close()


if __name__ == "__main__":
    ferrytest.main()
