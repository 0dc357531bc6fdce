# SPDX-License-Identifier: GPL-3.0-or-later
"""APPE and REST+STOR with a real ferryd: an append costs what it adds (the file grows in
place: same inode, no copy of what was there), concurrent appends to one file all land
(they queue on the file's lock), and an append that does not complete — a killed client,
ABOR, fewer bytes than ALLO announced — leaves the file as it was."""
import concurrent.futures
import ftplib
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
import unittest

import ferrytest
from ferrytest import Ferryd, served_tree, wait_until
import sessiontest
from sessiontest import ftp, retr_bytes

OLD = b"old contents\n"

KILLED_APPENDER = textwrap.dedent("""
    import ftplib, sys, time
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", int(sys.argv[1]))
    ftp.login()
    ftp.voidcmd("TYPE I")
    if len(sys.argv) > 3:
        ftp.voidcmd("ALLO " + sys.argv[3])
    conn = ftp.transfercmd("APPE " + sys.argv[2])
    conn.sendall(b"x" * 262144)
    print("sending", flush=True)
    while True:
        conn.sendall(b"y" * 65536)
        time.sleep(0.05)
""")


def upload(client, command, data):
    client.voidcmd("TYPE I")
    return client.storbinary(command, io.BytesIO(data))


class AppendTest(unittest.TestCase):
    def path(self, root, name="f.bin"):
        return os.path.join(root, name)

    def read(self, root, name="f.bin"):
        with open(self.path(root, name), "rb") as f:
            return f.read()

    def test_append_grows_the_file_in_place(self):
        with served_tree({"f.bin": OLD}) as root, Ferryd(root, "--write") as server, \
                ftp(server) as client:
            # a second name for the file: its inode cannot be freed and reused meanwhile
            os.link(self.path(root), self.path(root, "link.bin"))
            inode = os.stat(self.path(root)).st_ino
            self.assertRegex(upload(client, "APPE f.bin", b"more\n"), "^226")
            # REST at the end of the file is an append too
            client.sendcmd(f"REST {len(OLD) + 5}")
            self.assertRegex(upload(client, "STOR f.bin", b"rest\n"), "^226")
            self.assertEqual(self.read(root), OLD + b"more\nrest\n")
            # the same file, not a copy renamed over it
            self.assertEqual(os.stat(self.path(root)).st_ino, inode)
            self.assertEqual(self.read(root, "link.bin"), OLD + b"more\nrest\n")
            self.assertEqual(sessiontest.temp_files(root), [])

    def test_concurrent_appends_all_land(self):
        chunks = [bytes([65 + i]) * 200_000 for i in range(8)]
        with served_tree({"f.bin": OLD}) as root, Ferryd(root, "--write") as server:
            def append(chunk):
                with ftp(server, timeout=60) as client:
                    return upload(client, "APPE f.bin", chunk)

            with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
                replies = list(pool.map(append, chunks))
            self.assertTrue(all(r.startswith("226") for r in replies), replies)
            data = self.read(root)
        self.assertEqual(len(data), len(OLD) + 8 * 200_000)
        self.assertTrue(data.startswith(OLD))
        landed = sorted(data[len(OLD) + i * 200_000:len(OLD) + (i + 1) * 200_000]
                        for i in range(8))
        self.assertEqual(landed, chunks)   # each whole, none lost, none interleaved

    def kill_mid_append(self, server, root, *announced):
        proc = subprocess.Popen([sys.executable, "-c", KILLED_APPENDER, str(server.port),
                                 "f.bin", *announced], stdout=subprocess.PIPE)
        try:
            self.assertEqual(proc.stdout.readline(), b"sending\n")
            self.assertTrue(wait_until(lambda: os.path.getsize(self.path(root)) > len(OLD), 10),
                            "the append did not start")
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
        self.assertTrue(wait_until(lambda: os.path.getsize(self.path(root)) == len(OLD), 10),
                        os.path.getsize(self.path(root)))
        self.assertEqual(self.read(root), OLD)

    def test_killed_client_leaves_the_file_as_it_was(self):
        with served_tree({"f.bin": OLD}) as root, Ferryd(root, "--write") as server:
            self.kill_mid_append(server, root)
            self.kill_mid_append(server, root, "1000000000")
            # and the lock went with the session: the next append works at once
            with ftp(server) as client:
                self.assertRegex(upload(client, "APPE f.bin", b"next\n"), "^226")
            self.assertEqual(self.read(root), OLD + b"next\n")
            self.assertEqual(sessiontest.temp_files(root), [])

    def test_sigterm_mid_append_leaves_the_file_as_it_was(self):
        # ferryd stopped while an append hangs: after the grace period the listener ends
        # the session with SIGTERM, whose handler truncates the file back.
        with served_tree({"f.bin": OLD}) as root:
            server = Ferryd(root, "--write").start()
            try:
                with ftp(server) as client:
                    client.voidcmd("TYPE I")
                    conn = client.transfercmd("APPE f.bin")
                    conn.sendall(b"n" * (1 << 20))
                    self.assertTrue(wait_until(
                        lambda: os.path.getsize(self.path(root)) == len(OLD) + (1 << 20), 10))
                    server.proc.send_signal(signal.SIGTERM)
                    self.assertEqual(server.proc.wait(30), 0)
                    conn.close()
            finally:
                server.stop()
            self.assertTrue(wait_until(lambda: self.read(root) == OLD, 5),
                            os.path.getsize(self.path(root)))

    def test_abor_and_short_uploads_leave_the_file_as_it_was(self):
        with served_tree({"f.bin": OLD}) as root, Ferryd(root, "--write") as server, \
                ftp(server) as client:
            client.voidcmd("TYPE I")
            conn = client.transfercmd("APPE f.bin")
            conn.sendall(b"n" * (1 << 20))
            wait_until(lambda: os.path.getsize(self.path(root)) > len(OLD), 5)
            self.assertRegex(client.abort(), "^426")
            self.assertTrue(client.voidresp().startswith("226"))
            conn.close()
            self.assertEqual(self.read(root), OLD)
            client.sendcmd("ALLO 100000")
            conn = client.transfercmd("APPE f.bin")
            conn.sendall(b"s" * 5000)
            conn.close()
            with self.assertRaisesRegex(ftplib.error_temp, "^426"):
                client.voidresp()
            self.assertEqual(self.read(root), OLD)
            self.assertEqual(retr_bytes(client, "f.bin"), OLD)

    def test_rest_stor_semantics_are_kept(self):
        with served_tree({"f.bin": b"abcdef", "ro.bin": b"ro"}) as root, \
                Ferryd(root, "--write") as server, ftp(server) as client:
            client.sendcmd("REST 3")   # inside the file: the rest is replaced
            self.assertRegex(upload(client, "STOR f.bin", b"XY"), "^226")
            self.assertEqual(self.read(root), b"abcXY")
            client.sendcmd("REST 9")   # past the end
            with self.assertRaisesRegex(ftplib.error_perm, "^554"):
                upload(client, "STOR f.bin", b"Z")
            self.assertEqual(self.read(root), b"abcXY")
            self.assertRegex(upload(client, "STOR f.bin", b"new"), "^226")   # REST was reset
            self.assertEqual(self.read(root), b"new")
            self.assertRegex(upload(client, "APPE fresh.bin", b"first"), "^226")
            self.assertEqual(self.read(root, "fresh.bin"), b"first")
            # a file the server may not write but may replace: appended through a copy
            os.chmod(self.path(root, "ro.bin"), 0o444)
            self.assertRegex(upload(client, "APPE ro.bin", b"+"), "^226")
            self.assertEqual(self.read(root, "ro.bin"), b"ro+")
            self.assertEqual(sessiontest.temp_files(root), [])


if __name__ == "__main__":
    ferrytest.main()
