# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/lib/vsftpd.py: the vsftpd peer starts, serves, and keeps vsftpd's own rules."""
import ftplib
import io
import os
import unittest

import ferrytest
import vsftpd

OK, WHY = vsftpd.available()
USER = "ferrytest"
PASSWORD = "ferrytest-secret"


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@unittest.skipUnless(OK, WHY)
class VsftpdHelper(unittest.TestCase):
    def test_anonymous_read_only(self):
        payload = ferrytest.all_bytes_payload()
        with ferrytest.temp_tree({"a.bin": payload, "sub/": b""}) as root:
            with vsftpd.Vsftpd(root) as server:
                self.assertTrue(server.url.startswith(f"ftp://127.0.0.1:{server.port}/"))
                ftp = ftplib.FTP()
                ftp.connect("127.0.0.1", server.port)
                ftp.login()
                got = io.BytesIO()
                ftp.retrbinary("RETR a.bin", got.write)
                self.assertEqual(got.getvalue(), payload)
                self.assertEqual(sorted(ftp.nlst()), ["a.bin", "sub"])
                with self.assertRaises(ftplib.error_perm):
                    ftp.storbinary("STOR b.bin", io.BytesIO(b"x"))
                ftp.quit()

    def test_local_user_writes_at_the_top(self):
        with ferrytest.temp_tree({"a.txt": b"hello"}) as root:
            with vsftpd.Vsftpd(root, write=True, user=USER, password=PASSWORD) as server:
                ftp = ftplib.FTP()
                ftp.connect("127.0.0.1", server.port)
                with self.assertRaises(ftplib.error_perm):
                    ftp.login(USER, "not-the-password")
                ftp.close()
                ftp = ftplib.FTP()
                ftp.connect("127.0.0.1", server.port)
                ftp.login(USER, PASSWORD)
                ftp.storbinary("STOR up.bin", io.BytesIO(b"uploaded"))
                ftp.quit()
            with open(os.path.join(root, "up.bin"), "rb") as f:
                self.assertEqual(f.read(), b"uploaded")

    def test_stop_ends_every_session_process(self):
        with ferrytest.temp_tree({"a.txt": b"hello"}) as root:
            server = vsftpd.Vsftpd(root).start()
            ftp = ftplib.FTP()
            ftp.connect("127.0.0.1", server.port)
            ftp.login()
            pids = server.pids()
            self.assertGreater(len(pids), 1)
            server.stop()
            ftp.close()
            for pid in pids:
                self.assertFalse(_alive(pid), f"process {pid} outlived stop()")


if __name__ == "__main__":
    ferrytest.main()
