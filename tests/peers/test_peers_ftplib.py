# SPDX-License-Identifier: GPL-3.0-or-later
"""Python's ftplib.FTP_TLS against ferryd with the data channel protected (PROT P): MLSD
facts as ftplib parses them, uploads resumed with REST (storbinary rest=), downloads
resumed with REST (retrbinary rest=), and PROT C refused under --require-tls."""
import ftplib
import io
import os
import ssl
import tempfile
import unittest

import ferrytest
import peerstest
import sessiontest
from peerstest import read, write

PAYLOAD = ferrytest.all_bytes_payload(2048)


class FtplibTlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.TemporaryDirectory(prefix="ferry-keys-")
        cls.cert, cls.key = ferrytest.make_certificate(cls.keys.name)

    @classmethod
    def tearDownClass(cls):
        cls.keys.cleanup()

    def setUp(self):
        peerstest.need_ferryd()
        holder = tempfile.TemporaryDirectory(prefix="ferry-peers-")
        self.addCleanup(holder.cleanup)
        self.root = os.path.join(holder.name, "root")
        write(os.path.join(self.root, "all.bin"), PAYLOAD)
        write(os.path.join(self.root, "sub/n.txt"), b"nested\n")
        write(os.path.join(self.root, ".dot"), b"hidden\n")
        self.mtime = 1600000000
        os.utime(os.path.join(self.root, "all.bin"), (self.mtime, self.mtime))
        self.server = peerstest.start_ferryd(self, self.root, "--write", "--tls-cert",
                                             self.cert, "--tls-key", self.key, "--require-tls")
        context = ssl.create_default_context(cafile=self.cert)
        context.check_hostname = False      # the certificate names localhost, we dial an IP
        # resuming the control session on data connections, as ferryd requires by default
        self.client = sessiontest.ResumingFTP_TLS(context=context, timeout=20)
        self.client.encoding = "utf-8"
        self.client.connect(self.server.host, self.server.port)
        self.client.login()                 # FTP_TLS sends AUTH TLS first
        self.client.prot_p()
        self.addCleanup(self.client.close)

    def test_data_channel_is_tls(self):
        sockets = []
        original = self.client.ntransfercmd

        def spy(cmd, rest=None):
            conn, size = original(cmd, rest)
            sockets.append((type(conn), conn.version()))
            return conn, size
        self.client.ntransfercmd = spy
        chunks = []
        self.client.retrbinary("RETR all.bin", chunks.append)
        self.assertEqual(b"".join(chunks), PAYLOAD)
        kind, version = sockets[0]
        self.assertTrue(issubclass(kind, ssl.SSLSocket))
        self.assertIn(version, ("TLSv1.2", "TLSv1.3"))

    def test_mlsd_facts(self):
        entries = dict(self.client.mlsd("/", facts=["type", "size", "modify", "perm"]))
        self.assertEqual(sorted(entries), ["all.bin", "sub"])
        self.assertEqual(entries["all.bin"]["type"], "file")
        self.assertEqual(int(entries["all.bin"]["size"]), len(PAYLOAD))
        self.assertEqual(entries["all.bin"]["modify"][:14], "20200913122640")
        self.assertEqual(entries["sub"]["type"], "dir")
        self.assertIn("r", entries["all.bin"]["perm"])
        self.assertEqual([name for name, _ in self.client.mlsd("sub")], ["n.txt"])

    def test_resumed_upload_with_rest(self):
        half = len(PAYLOAD) // 2
        self.client.storbinary("STOR up.bin", io.BytesIO(PAYLOAD[:half]))
        self.assertEqual(self.client.size("up.bin"), half)
        self.client.storbinary("STOR up.bin", io.BytesIO(PAYLOAD[half:]), rest=half)
        self.assertEqual(read(os.path.join(self.root, "up.bin")), PAYLOAD)
        self.assertEqual(peerstest.ferryd_temp_files(self.root), [".dot"])

    def test_resumed_download_with_rest(self):
        chunks = []
        self.client.retrbinary("RETR all.bin", chunks.append, rest=1000)
        self.assertEqual(b"".join(chunks), PAYLOAD[1000:])

    def test_require_tls_refuses_clear_data(self):
        with self.assertRaisesRegex(ftplib.error_perm, "^534"):
            self.client.prot_c()
        self.assertEqual(sorted(self.client.nlst()), ["all.bin", "sub"])

if __name__ == "__main__":
    ferrytest.main()
