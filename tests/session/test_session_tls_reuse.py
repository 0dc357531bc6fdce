# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd's TLS floor and session resumption on data connections, with real clients:
TLS 1.0 and 1.1 refused by default (RFC 8996) and accepted with --tls-min-version; a
protected data connection must resume a TLS session that ferryd issued to a control
connection from the same address (what vsftpd's require_ssl_reuse and FileZilla's check
defend: data connection theft), which curl, lftp, ferry-cli's parallel downloads and an
ftplib client that passes the control session do, in TLS 1.3 and 1.2; a data connection
with a new session is refused unless --tls-allow-no-reuse."""
import ftplib
import io
import os
import re
import socket
import ssl
import subprocess
import tempfile
import unittest
import warnings

import ferrytest
from ferrytest import Ferryd, served_tree
import sessiontest
from sessiontest import curl

PAYLOAD = ferrytest.all_bytes_payload(64)
VERSIONS = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1,
            "1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}


def client_context(version=None):
    """A client context that speaks exactly `version` (all of them when None); the old ones
    need OpenSSL's security level 0, so that only the server can refuse them."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if version is not None:
        with warnings.catch_warnings():   # TLSv1 and TLSv1_1 are deprecated: that is the point
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = context.maximum_version = VERSIONS[version]
    if version in ("1.0", "1.1"):
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    return context


def handshake_version(server, context):
    """AUTH TLS on a raw control connection: the negotiated version, or the SSLError."""
    with socket.create_connection((server.host, server.port), timeout=20) as sock:
        f = sock.makefile("rb")
        f.readline()
        sock.sendall(b"AUTH TLS\r\n")
        assert f.readline().startswith(b"234")
        try:
            with context.wrap_socket(sock) as tls:
                return tls.version()
        except (ssl.SSLError, ConnectionResetError) as e:
            return e


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.TemporaryDirectory()
        cls.cert, cls.key = ferrytest.make_certificate(cls.keys.name)

    @classmethod
    def tearDownClass(cls):
        cls.keys.cleanup()

    def ferryd(self, root, *more):
        return Ferryd(root, "--tls-cert", self.cert, "--tls-key", self.key, *more)

    def login(self, server, client_class, version=None):
        client = client_class(context=client_context(version), timeout=20)
        client.connect(server.host, server.port)
        client.auth()
        client.login()
        client.prot_p()
        return client


class FloorTest(TlsTest):
    def test_tls_1_0_and_1_1_refused_by_default(self):
        with served_tree({}) as root, self.ferryd(root) as server:
            for old in ("1.0", "1.1"):
                self.assertIsInstance(handshake_version(server, client_context(old)),
                                      Exception, old)
            self.assertEqual(handshake_version(server, client_context("1.2")), "TLSv1.2")
            self.assertEqual(handshake_version(server, client_context("1.3")), "TLSv1.3")

    def test_tls_min_version_moves_the_floor(self):
        with served_tree({}) as root:
            with self.ferryd(root, "--tls-min-version", "1.1") as server:
                self.assertEqual(handshake_version(server, client_context("1.1")), "TLSv1.1")
                self.assertIsInstance(handshake_version(server, client_context("1.0")),
                                      Exception)
            with self.ferryd(root, "--tls-min-version", "1.3") as server:
                self.assertIsInstance(handshake_version(server, client_context("1.2")),
                                      Exception)
                self.assertEqual(handshake_version(server, client_context("1.3")), "TLSv1.3")

    def test_tls_min_version_in_the_config_file_and_checked(self):
        with served_tree({}) as root, tempfile.TemporaryDirectory() as scratch:
            conf = os.path.join(scratch, "ferryd.conf")
            with open(conf, "w") as f:
                f.write("[ferryd]\ntls-min-version=1.0\n")
            with self.ferryd(root, "--config", conf) as server:
                self.assertEqual(handshake_version(server, client_context("1.0")), "TLSv1")
            bad = subprocess.run([ferrytest.FERRYD, "--root", root, "--tls-min-version", "1.4"],
                                 capture_output=True, text=True, timeout=10,
                                 env=dict(os.environ, LANG="C", LC_ALL="C"))
            self.assertNotEqual(bad.returncode, 0)
            self.assertIn("must be 1.0, 1.1, 1.2 or 1.3", bad.stderr)


class ReuseTest(TlsTest):
    def test_ftplib_resuming_the_control_session_works(self):
        for version in ("1.2", "1.3"):
            with self.subTest(version=version), served_tree({"f.bin": PAYLOAD}) as root, \
                    self.ferryd(root, "--write") as server:
                with self.login(server, sessiontest.ResumingFTP_TLS, version) as client:
                    self.assertEqual(sessiontest.retr_bytes(client, "f.bin"), PAYLOAD)
                    client.storbinary("STOR up.bin", io.BytesIO(PAYLOAD))
                    self.assertEqual(sorted(client.nlst()), ["f.bin", "up.bin"])
                self.assertNotIn(b"refused a protected data connection", server.log_text())

    def test_data_connection_with_a_new_session_is_refused(self):
        for version in ("1.2", "1.3"):
            with self.subTest(version=version), served_tree({"f.bin": PAYLOAD}) as root, \
                    self.ferryd(root) as server:
                with self.login(server, ftplib.FTP_TLS, version) as client:
                    # ftplib's own data connections start a session of their own
                    with self.assertRaises((ftplib.error_temp, ssl.SSLError, OSError)):
                        sessiontest.retr_bytes(client, "f.bin")
                ferrytest.wait_until(lambda: b"refused a protected" in server.log_text())
                self.assertIn(b"did not resume the control connection's TLS session",
                              server.log_text())

    def test_tls_allow_no_reuse_accepts_a_new_session(self):
        with served_tree({"f.bin": PAYLOAD}) as root, \
                self.ferryd(root, "--tls-allow-no-reuse") as server:
            with self.login(server, ftplib.FTP_TLS) as client:
                self.assertEqual(sessiontest.retr_bytes(client, "f.bin"), PAYLOAD)

    def test_curl_resumes_the_session_on_data_connections(self):
        for more in ((), ("--tls-max", "1.2")):
            with self.subTest(curl=more), served_tree({"f.bin": PAYLOAD}) as root, \
                    self.ferryd(root) as server:
                result = curl("-v", "--ssl-reqd", "-k", *more, server.url + "f.bin")
                self.assertEqual(result.stdout, PAYLOAD)
                self.assertIn(b"SSL re-using session ID", result.stderr)

    def test_sessions_resume_across_connections_of_one_address_only(self):
        # The ticket key is per client address: a second connection from the same address
        # resumes the first one's session (as a client's parallel connections do), one
        # from another address cannot.
        with served_tree({}) as root, self.ferryd(root) as server:
            context = client_context("1.3")
            with sessiontest.ResumingFTP_TLS(context=context, timeout=20) as first:
                first.connect(server.host, server.port)
                first.auth()
                first.login()
                first.voidcmd("NOOP")   # the ticket has arrived
                session = first.sock.session
                resumed = {}
                for source in ("127.0.0.1", "127.0.0.2"):
                    with socket.create_connection((server.host, server.port), timeout=20,
                                                  source_address=(source, 0)) as sock:
                        f = sock.makefile("rb")
                        f.readline()
                        sock.sendall(b"AUTH TLS\r\n")
                        self.assertTrue(f.readline().startswith(b"234"))
                        with context.wrap_socket(sock, server_hostname=server.host,
                                                 session=session) as tls:
                            resumed[source] = tls.session_reused
        self.assertEqual(resumed, {"127.0.0.1": True, "127.0.0.2": False})

    def test_ferry_cli_parallel_downloads_resume(self):
        # get -r opens 4 connections, whose TLS client (glib-networking) keeps one ticket
        # cache per server: a data connection may offer a sibling connection's ticket. With
        # a ticket key per session, 7 of 20 files failed; the key per client address
        # (ferryd-tls.c) accepts a sibling's session.
        files = {f"d/f{i:02}.txt": bytes([65 + i]) * (i + 1) for i in range(20)}
        with served_tree(files) as root, self.ferryd(root) as server, \
                tempfile.TemporaryDirectory() as home:
            fingerprint = subprocess.run(
                ["openssl", "x509", "-in", self.cert, "-noout", "-fingerprint", "-sha256"],
                capture_output=True, text=True, check=True).stdout.strip().split("=", 1)[1]
            os.makedirs(os.path.join(home, "ferry"))
            with open(os.path.join(home, "ferry", "trusted-certificates"), "w") as f:
                f.write(f"[127.0.0.1:{server.port}]\nsha256={fingerprint}\n")
            dest = os.path.join(home, "out")
            result = subprocess.run(
                [ferrytest.FERRY_CLI, "--tls", "get", "-r", server.url + "d", dest],
                capture_output=True, text=True, timeout=60,
                env=dict(os.environ, XDG_CONFIG_HOME=home, XDG_STATE_HOME=home, HOME=home,
                         # as the engine's other TLS tests: LeakSanitizer's tracer faults
                         # on GIO's TLS threads at exit
                         ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "").replace(
                             "detect_leaks=1", "detect_leaks=0")))
            self.assertEqual(result.returncode, 0, result.stderr)
            for name, data in files.items():
                with open(os.path.join(dest, os.path.basename(name)), "rb") as f:
                    self.assertEqual(f.read(), data, name)
            self.assertNotIn(b"refused a protected", server.log_text())

    def test_lftp_with_its_default_settings(self):
        ferrytest.need_program("lftp")
        with served_tree({"f.bin": PAYLOAD, "sub/g.txt": b"g"}) as root, \
                self.ferryd(root) as server, tempfile.TemporaryDirectory() as local:
            # lftp's defaults, but for trusting the test's self-signed certificate
            result = subprocess.run(
                ["lftp", "-c", "set ssl:verify-certificate no; set ftp:ssl-force yes; "
                 "set net:max-retries 1; set cmd:fail-exit yes; "
                 f"open -p {server.port} {server.host}; cls sub; get f.bin -o {local}/f.bin"],
                capture_output=True, timeout=60)
            self.assertEqual(result.returncode, 0, result)
            self.assertIn(b"g.txt", result.stdout)
            with open(os.path.join(local, "f.bin"), "rb") as f:
                self.assertEqual(f.read(), PAYLOAD)
            self.assertNotIn(b"refused a protected", server.log_text())


if __name__ == "__main__":
    ferrytest.main()
