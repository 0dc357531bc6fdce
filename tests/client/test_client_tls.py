# SPDX-License-Identifier: GPL-3.0-or-later
"""The client engine's TLS against servers that check it: vsftpd with require_ssl_reuse=YES
(its default: a data connection must resume the control connection's TLS session, as
ferryd's is by default too), and a server that offers only TLS 1.1, which the engine refuses
(RFC 8996) before it sends a password."""
import os
import socket
import ssl
import tempfile
import threading
import unittest
import warnings

import clientdriver
import ferrytest
import vsftpd

AVAILABLE, WHY = vsftpd.available()
USER = "ferryengine"
PASSWORD = "engine-secret"
TLS_ENV = dict(os.environ)
TLS_ENV["ASAN_OPTIONS"] = TLS_ENV.get("ASAN_OPTIONS", "").replace("detect_leaks=1",
                                                                  "detect_leaks=0")


class OldTlsServer:
    """Greets, answers AUTH TLS with 234, then speaks TLS 1.1 only; records what came after."""

    def __init__(self, cert, key):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self.context.minimum_version = self.context.maximum_version = ssl.TLSVersion.TLSv1_1
        self.context.set_ciphers("DEFAULT:@SECLEVEL=0")
        self.context.load_cert_chain(cert, key)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.after_handshake = b""
        self.version = None
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        conn, _ = self.listener.accept()
        with conn:
            conn.settimeout(10)
            conn.sendall(b"220 old server\r\n")
            f = conn.makefile("rb")
            while not f.readline().upper().startswith(b"AUTH"):
                conn.sendall(b"500 ?\r\n")
            conn.sendall(b"234 go\r\n")
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls:
                    self.version = tls.version()
                    tls.sendall(b"331 password please\r\n")
                    self.after_handshake = tls.recv(4096)
            except (ssl.SSLError, OSError):
                pass

    def close(self):
        self.listener.close()
        self.thread.join(10)


class TlsFloorTest(unittest.TestCase):
    def test_tls_1_1_server_is_refused(self):
        with tempfile.TemporaryDirectory() as keys:
            cert, key = ferrytest.make_certificate(keys)
            server = OldTlsServer(cert, key)
            try:
                r = clientdriver.run(f"ftps://user:secret@127.0.0.1:{server.port}/", ("ls",),
                                     extra_args=["--accept-certificates", "--trust-store",
                                                 os.path.join(keys, "store")], env=TLS_ENV)
            finally:
                server.close()
        self.assertEqual(r.results[0][:2], ("error", "connect"), r)
        self.assertIn("TLS 1.2 or 1.3", r.results[0][2], r)
        self.assertNotIn(b"secret", server.after_handshake)


@unittest.skipUnless(AVAILABLE, WHY)
class VsftpdReuseTest(unittest.TestCase):
    def test_data_connections_resume_the_control_session(self):
        payload = os.urandom(300000)
        with tempfile.TemporaryDirectory() as keys, \
                ferrytest.temp_tree({"a.bin": payload, "d/x.txt": b"x"}) as root, \
                tempfile.TemporaryDirectory() as local:
            cert, key = ferrytest.make_certificate(keys)
            os.chmod(keys, 0o755)
            os.chmod(root, 0o755)
            config = {"ssl_enable": "YES", "rsa_cert_file": cert, "rsa_private_key_file": key,
                      "force_local_logins_ssl": "YES", "force_local_data_ssl": "YES",
                      "require_ssl_reuse": "YES", "ssl_ciphers": "HIGH"}
            with vsftpd.Vsftpd(root, user=USER, password=PASSWORD,
                               extra_config=config) as server:
                url = f"ftps://{USER}:{PASSWORD}@127.0.0.1:{server.port}/"
                r = clientdriver.run(url, ("ls",), ("get", "/a.bin", local), ("ls", "/d"),
                                     extra_args=["--accept-certificates", "--trust-store",
                                                 os.path.join(local, "store")], env=TLS_ENV)
            self.assertEqual(r.returncode, 0, r)
            with open(os.path.join(local, "a.bin"), "rb") as f:
                self.assertEqual(f.read(), payload)
            self.assertEqual([e[2] for e in r.entries[1]], ["x.txt"], r)


if __name__ == "__main__":
    ferrytest.main()
