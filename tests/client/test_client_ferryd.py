# SPDX-License-Identifier: GPL-3.0-or-later
"""The client engine against ferryd: a users-file login, writes, and explicit TLS (AUTH TLS)
with certificate acceptance, the trust store and TLS data channels."""
import contextlib
import os
import shutil
import subprocess
import tempfile
import unittest

import clientdriver
import ferrytest
import servercases

USER = "engine"
PASSWORD = "pa ss:wörd"
HAVE_FERRYD = shutil.which(ferrytest.FERRYD) is not None or os.path.exists(ferrytest.FERRYD)


def quote(text):
    from urllib.parse import quote as q
    return q(text, safe="")


def make_users_file(folder):
    users = os.path.join(folder, "users")
    done = subprocess.run([ferrytest.FERRYD, "--add-user", USER, "--users", users],
                          input=f"{PASSWORD}\n{PASSWORD}\n".encode(), capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"ferryd --add-user failed: {done.stderr!r}")
    return users


# Leak checking is off for the driver in the TLS tests (only there): GCC 12's
# LeakSanitizer crashes ("Tracer caught signal 11") walking the dynamic TLS of GLib worker
# threads that ran a GnuTLS handshake (libgnutls is dlopened by GIO) — a libsanitizer DTLS
# bug, not a leak. AddressSanitizer still checks every memory access there, and every other
# test (the queue and transfers without TLS included) keeps leak checking on.
TLS_ENV = dict(os.environ)
TLS_ENV["ASAN_OPTIONS"] = TLS_ENV.get("ASAN_OPTIONS", "").replace("detect_leaks=1",
                                                                  "detect_leaks=0")


class Url:
    def __init__(self, server, user=USER, password=PASSWORD, scheme="ftp"):
        self.url = (f"{scheme}://{quote(user)}:{quote(password)}@127.0.0.1:{server.port}/")


@unittest.skipUnless(HAVE_FERRYD, "ferryd is not built")
class FerrydTest(servercases.ServerCases, unittest.TestCase):
    def setUp(self):
        super().setUp()
        self._etc = tempfile.TemporaryDirectory(prefix="ferry-etc-")
        self.users = make_users_file(self._etc.name)

    def tearDown(self):
        self._etc.cleanup()
        super().tearDown()

    @contextlib.contextmanager
    def server(self, root, write=False):
        args = ["--users", self.users] + (["--write"] if write else [])
        with ferrytest.Ferryd(root, *args) as server:
            yield Url(server)

    def bad_password_url(self, server):
        return server.url.replace(quote(PASSWORD), "wrong")


@unittest.skipUnless(HAVE_FERRYD, "ferryd is not built")
class FerrydOnePassivePortTest(unittest.TestCase):
    """The transfer queue against a server with one passive port: its two connections
    compete for it, and the one that finds it taken gets 425. Such transient failures are
    retried (with back-off, on fewer connections), so every file arrives, and no empty
    .part stays behind."""

    def test_queue_retries_data_connection_failures(self):
        n_files = 40
        tree = {f"f{i:02d}.txt": f"file {i}\n".encode() * (i + 1) for i in range(n_files)}
        port = ferrytest.free_port()
        with ferrytest.temp_tree(tree) as root, \
                tempfile.TemporaryDirectory(prefix="ferry-local-") as local:
            with ferrytest.Ferryd(root, "--anonymous", "--passive-ports",
                                  f"{port}-{port}") as server:
                commands = [("queue-get", f"/f{i:02d}.txt", local) for i in range(n_files)]
                r = clientdriver.run(server.url, *commands, ("queue-wait",), timeout=120)
            failed = [l for l in r.results if l[0] == "error"]
            self.assertEqual(failed, [], r)
            for i in range(n_files):
                with open(os.path.join(local, f"f{i:02d}.txt"), "rb") as f:
                    self.assertEqual(f.read(), tree[f"f{i:02d}.txt"])
            self.assertEqual([n for n in os.listdir(local) if n.endswith(".part")], [])


@unittest.skipUnless(HAVE_FERRYD, "ferryd is not built")
class FerrydIpv6Test(unittest.TestCase):
    def test_list_and_get_over_ipv6(self):
        try:
            probe = __import__("socket").socket(__import__("socket").AF_INET6)
            probe.bind(("::1", 0))
            probe.close()
        except OSError:
            self.skipTest("no IPv6 loopback here")
        with ferrytest.temp_tree({"six.txt": b"v6"}) as root, \
                tempfile.TemporaryDirectory() as local:
            with ferrytest.Ferryd(root, "--anonymous", host="::1") as server:
                r = clientdriver.run(f"ftp://[::1]:{server.port}/", ("ls",),
                                     ("get", "/six.txt", local))
            self.assertEqual(r.returncode, 0, r)
            self.assertEqual([e[2] for e in r.entries[0]], ["six.txt"])
            with open(os.path.join(local, "six.txt"), "rb") as f:
                self.assertEqual(f.read(), b"v6")


@unittest.skipUnless(HAVE_FERRYD, "ferryd is not built")
@unittest.skipUnless(shutil.which("openssl"), "openssl is needed to make a test certificate")
class FerrydTlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.TemporaryDirectory(prefix="ferry-keys-")
        cls.cert, cls.key = ferrytest.make_certificate(cls.keys.name)
        cls.users = make_users_file(cls.keys.name)

    @classmethod
    def tearDownClass(cls):
        cls.keys.cleanup()

    @contextlib.contextmanager
    def tls_server(self, root, *more):
        with ferrytest.Ferryd(root, "--users", self.users, "--write", "--tls-cert", self.cert,
                              "--tls-key", self.key, *more) as server:
            yield Url(server, scheme="ftps")

    def test_untrusted_certificate_is_refused(self):
        with ferrytest.temp_tree({"a.txt": b"a"}) as root, self.tls_server(root) as server:
            store = os.path.join(root, "..", "no-store")
            r = clientdriver.run(server.url, ("ls",), extra_args=["--trust-store", store],
                                 env=TLS_ENV)
        self.assertEqual(r.results[0][:2], ("error", "connect"), r)
        self.assertTrue(r.results[0][2].startswith("TLS_UNTRUSTED"), r)

    def test_accepted_certificate_encrypts_data_too(self):
        payload = os.urandom(2 * 1024 * 1024 + 5)
        with ferrytest.temp_tree({"a.bin": payload, "d/x.txt": b"x"}) as root, \
                tempfile.TemporaryDirectory() as local, self.tls_server(root) as server:
            src = os.path.join(local, "up.bin")
            with open(src, "wb") as f:
                f.write(payload[:100000])
            r = clientdriver.run(server.url, ("ls",), ("get", "/a.bin", local),
                                 ("put", src, "/up.bin"), ("ls", "/d"),
                                 extra_args=["--accept-certificates", "--trust-store",
                                             os.path.join(local, "store")], env=TLS_ENV)
            self.assertEqual(r.returncode, 0, r)
            with open(os.path.join(local, "a.bin"), "rb") as f:
                self.assertEqual(f.read(), payload)
            with open(os.path.join(root, "up.bin"), "rb") as f:
                self.assertEqual(f.read(), payload[:100000])

    def test_trust_after_refusal_then_connect_again(self):
        with ferrytest.temp_tree({"a.txt": b"a"}) as root, \
                tempfile.TemporaryDirectory() as local, self.tls_server(root) as server:
            store = os.path.join(local, "config", "ferry", "trusted-certificates")
            r = clientdriver.run(server.url, ("ls",),
                                 extra_args=["--trust-store", store, "--trust-after-refusal"],
                                 env=TLS_ENV)
            again = clientdriver.run(server.url, ("ls",), extra_args=["--trust-store", store],
                                     env=TLS_ENV)
            with open(store) as f:
                stored = f.read()
        self.assertTrue(r.results[0][2].startswith("TLS_UNTRUSTED"), r)
        self.assertEqual(r.results[1][:2], ("ok", "trust"), r)
        self.assertEqual(r.results[2][:2], ("ok", "connect"), r)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("sha256=", stored)
        self.assertEqual(again.returncode, 0, again)
        self.assertEqual([e[2] for e in again.entries[0]], ["a.txt"], again)

    def test_accept_once_covers_queue_connections_but_is_not_stored(self):
        with ferrytest.temp_tree({"a.txt": b"a", "b.txt": b"bb"}) as root, \
                tempfile.TemporaryDirectory() as local, self.tls_server(root) as server:
            store = os.path.join(local, "trusted")
            r = clientdriver.run(server.url, ("queue-get", "/a.txt", local),
                                 ("queue-get", "/b.txt", local), ("queue-wait",),
                                 extra_args=["--trust-store", store,
                                             "--accept-once-after-refusal"], env=TLS_ENV)
            self.assertTrue(r.results[0][2].startswith("TLS_UNTRUSTED"), r)
            self.assertEqual(r.returncode, 0, r)
            self.assertFalse(os.path.exists(store))
            with open(os.path.join(local, "b.txt"), "rb") as f:
                self.assertEqual(f.read(), b"bb")

    def test_trust_store_remembers_fingerprint(self):
        fingerprint = subprocess.run(["openssl", "x509", "-in", self.cert, "-noout",
                                      "-fingerprint", "-sha256"], capture_output=True,
                                     check=True, text=True).stdout.strip().split("=", 1)[1]
        with ferrytest.temp_tree({"a.txt": b"a"}) as root, \
                tempfile.TemporaryDirectory() as local, self.tls_server(root) as server:
            port = server.url.rsplit(":", 1)[1].strip("/")
            store = os.path.join(local, "trusted")
            with open(store, "w") as f:
                f.write(f"[127.0.0.1:{port}]\nsha256={fingerprint}\n")
            r = clientdriver.run(server.url, ("ls",), extra_args=["--trust-store", store],
                                 env=TLS_ENV)
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual([e[2] for e in r.entries[0]], ["a.txt"], r)


if __name__ == "__main__":
    ferrytest.main()
