# SPDX-License-Identifier: GPL-3.0-or-later
"""Path escapes beyond tests/session/test_session_attacks.py: NUL bytes sent raw, names
longer than the kernel allows, a symlink in the middle of a path, and a folder swapped for a
symlink to / (or to a folder outside) while other clients list and download through it."""
import ftplib
import os
import tempfile
import threading
import time
import unittest

import ferrytest
from ferrydproc import Client
from ferrytest import Ferryd, give_to_nobody, served_tree
from sessiontest import ftp, retr_bytes

INSIDE = b"inside the served folder\n" * 4096
SECRET = b"SECRET outside the served folder\n"


class RawBytesTest(unittest.TestCase):
    def test_nul_in_paths(self):
        with served_tree({"ok.txt": b"ok", "sub/in.txt": b"in"}) as root, \
                Ferryd(root) as server, Client(server.port) as client:
            self.assertTrue(client.command("USER anonymous").startswith(b"331"))
            self.assertTrue(client.command("PASS x").startswith(b"230"))
            for line in (b"CWD sub\0/../../..", b"RETR ok.txt\0/../../etc/passwd",
                         b"SIZE ../\0../etc/passwd", b"MLST \0", b"CWD \0/etc",
                         b"MKD \0x", b"\0RETR ok.txt", b"RE\0TR ok.txt"):
                with self.subTest(line=line):
                    client.sock.sendall(line + b"\r\n")
                    reply = client.reply()
                    self.assertRegex(reply, rb"^5\d\d ", reply)
                    self.assertNotIn(b"root:", reply)
            # Still in /, still serving.
            self.assertTrue(client.command("PWD").startswith(b'257 "/"'))
            self.assertTrue(client.command("SIZE ok.txt").startswith(b"213 2"))

    def test_names_longer_than_the_kernel_allows(self):
        with served_tree({"ok.txt": b"ok"}) as root, Ferryd(root, "--write") as server, \
                ftp(server) as client:
            # One component far over NAME_MAX (255), the whole line just under 4096.
            for command in ("RETR " + "a" * 4000, "CWD " + "b" * 4000, "MKD " + "c" * 300,
                            "SIZE " + "d/" * 1000 + "e" * 1000, "DELE " + "f" * 4000,
                            "RNFR " + "g" * 4000):
                with self.subTest(command=command[:12]):
                    with self.assertRaisesRegex(ftplib.error_perm, "^55"):
                        client.sendcmd(command)
            # Refused before any byte is sent (553), not after the upload.
            with self.assertRaisesRegex(ftplib.error_perm, "^553"), \
                    open(os.devnull, "rb") as empty:
                client.storbinary("STOR " + "h" * 300, empty)
            self.assertEqual(sorted(os.listdir(root)), ["ok.txt"])
            self.assertEqual(retr_bytes(client, "ok.txt"), b"ok")


class SymlinkTest(unittest.TestCase):
    def test_symlink_in_the_middle_of_a_path(self):
        with tempfile.TemporaryDirectory() as base:
            os.chmod(base, 0o755)
            outside = os.path.join(base, "outside")
            os.makedirs(os.path.join(outside, "deeper"))
            with open(os.path.join(outside, "deeper", "secret.txt"), "wb") as f:
                f.write(SECRET)
            give_to_nobody(outside)      # readable by ferryd: only the jail stops it
            with served_tree({"a/b/in.txt": b"in", "a/real/c.txt": b"c"}) as root:
                os.symlink(outside, os.path.join(root, "a", "b", "out"))
                os.symlink("/", os.path.join(root, "a", "slash"))
                os.symlink("real", os.path.join(root, "a", "alias"))   # stays inside
                with Ferryd(root, "--write") as server, ftp(server) as client:
                    for path in ("a/b/out/deeper/secret.txt", "/a/b/out/../out/deeper/secret.txt",
                                 "a/slash/etc/passwd", "a/slash/proc/self/root/etc/passwd",
                                 "a/b/out/deeper/../deeper/secret.txt"):
                        with self.subTest(path=path):
                            with self.assertRaisesRegex(ftplib.error_perm, "^55"):
                                retr_bytes(client, path)
                    for folder in ("a/b/out/deeper", "a/slash/etc"):
                        with self.assertRaisesRegex(ftplib.error_perm, "^55"):
                            client.cwd(folder)
                        self.assertEqual(client.pwd(), "/")
                    with self.assertRaisesRegex(ftplib.error_perm, "^55"), \
                            open(os.devnull, "rb") as empty:
                        client.storbinary("STOR a/b/out/deeper/planted.txt", empty)
                    # A symlink that stays inside the root is followed.
                    self.assertEqual(retr_bytes(client, "a/alias/c.txt"), b"c")
            self.assertEqual(sorted(os.listdir(os.path.join(outside, "deeper"))),
                             ["secret.txt"])


class SwapRaceTest(unittest.TestCase):
    """A folder swapped for a symlink (to / or to a folder outside) in a tight loop while
    four clients list and download through it: nothing outside the root is ever served."""

    DURATION = 4.0

    def test_folder_swapped_for_a_symlink_during_transfers(self):
        with tempfile.TemporaryDirectory() as base:
            os.chmod(base, 0o755)
            outside = os.path.join(base, "outside")
            os.mkdir(outside)
            for name in ("file.bin", "secret-only.txt"):
                with open(os.path.join(outside, name), "wb") as f:
                    f.write(SECRET)
            give_to_nobody(outside)
            with served_tree({"dir/file.bin": INSIDE}) as root, Ferryd(root) as server:
                folder = os.path.join(root, "dir")
                parked = os.path.join(root, "dir-parked")
                stop = threading.Event()
                swaps = [0]

                def swapper():
                    targets = [outside, "/"]
                    while not stop.is_set():
                        os.rename(folder, parked)
                        os.symlink(targets[swaps[0] % 2], folder)
                        os.unlink(folder)
                        os.rename(parked, folder)
                        swaps[0] += 1

                seen = {"downloads": 0, "listings": 0, "refused": 0}
                bad = []
                lock = threading.Lock()

                def client_loop():
                    with ftp(server) as client:
                        while not stop.is_set():
                            try:
                                data = retr_bytes(client, "dir/file.bin")
                                key = "downloads"
                                if data != INSIDE and not INSIDE.startswith(data):
                                    bad.append(("RETR", data[:64]))
                                names = set(client.nlst("dir"))
                                if not names <= {"file.bin", "dir/file.bin"}:
                                    bad.append(("NLST", sorted(names)[:8]))
                                for path in ("dir/etc/passwd", "dir/secret-only.txt"):
                                    try:
                                        leaked = retr_bytes(client, path)
                                        bad.append(("RETR " + path, leaked[:64]))
                                    except ftplib.error_perm:
                                        pass
                                with lock:
                                    seen[key] += 1
                                    seen["listings"] += 1
                            except ftplib.error_perm:
                                with lock:
                                    seen["refused"] += 1

                thread = threading.Thread(target=swapper)
                clients = [threading.Thread(target=client_loop) for _ in range(4)]
                thread.start()
                for c in clients:
                    c.start()
                time.sleep(self.DURATION)
                stop.set()
                for c in clients:
                    c.join(30)
                thread.join(10)
                self.assertEqual(bad, [])
                self.assertGreater(swaps[0], 100, "the swap loop barely ran")
                self.assertGreater(seen["downloads"] + seen["refused"], 20, seen)
                print(f"swaps {swaps[0]}, {seen}", flush=True)


if __name__ == "__main__":
    ferrytest.main()
