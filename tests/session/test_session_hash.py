# SPDX-License-Identifier: GPL-3.0-or-later
"""HASH (draft-bryan-ftpext-hash), OPTS HASH, RANG and XMD5/XSHA* against a real ferryd,
checked against Python's hashlib: every algorithm, ranges, the jail and hidden files, the
size cap, and ABOR stopping a long hash."""
import ftplib
import hashlib
import os
import socket
import time
import unittest

import ferrytest
from ferrytest import Ferryd, served_tree
from sessiontest import ftp

PAYLOAD = ferrytest.all_bytes_payload(64)


def tree():
    return {"data.bin": PAYLOAD, "empty.txt": b"", ".secret": b"hidden\n", "sub/": b""}


def hash_reply(reply):
    """'213 SHA-256 0-10 HEX name' -> (algorithm, range, hex, name)."""
    code, algorithm, byte_range, digest, name = reply.split(" ", 4)
    assert code == "213", reply
    return algorithm, byte_range, digest, name


class HashTest(unittest.TestCase):
    def test_feat_lists_hash_with_the_default_marked(self):
        with served_tree(tree()) as root, Ferryd(root) as server, ftp(server) as client:
            feat = client.sendcmd("FEAT").splitlines()
        self.assertIn(" HASH SHA-256*;SHA-512;SHA-1;MD5", feat)
        for verb in ("XMD5", "XSHA1", "XSHA256", "XSHA512"):
            self.assertIn(" " + verb, feat)

    def test_every_algorithm_matches_hashlib(self):
        with served_tree(tree()) as root, Ferryd(root) as server, ftp(server) as client:
            for name, lib in (("SHA-256", "sha256"), ("SHA-512", "sha512"), ("SHA-1", "sha1"),
                              ("MD5", "md5")):
                with self.subTest(algorithm=name):
                    self.assertEqual(client.sendcmd(f"OPTS HASH {name}"), f"200 {name}")
                    self.assertEqual(client.sendcmd("OPTS HASH"), f"200 {name}")
                    algorithm, byte_range, digest, path = hash_reply(client.sendcmd("HASH data.bin"))
                    self.assertEqual(algorithm, name)
                    self.assertEqual(byte_range, f"0-{len(PAYLOAD)}")
                    self.assertEqual(digest, hashlib.new(lib, PAYLOAD).hexdigest())
                    self.assertEqual(path, "data.bin")
            _, _, digest, _ = hash_reply(client.sendcmd("HASH empty.txt"))
            self.assertEqual(digest, hashlib.md5(b"").hexdigest())

    def test_unknown_algorithm_keeps_the_selection(self):
        with served_tree(tree()) as root, Ferryd(root) as server, ftp(server) as client:
            with self.assertRaisesRegex(ftplib.error_perm, "^504 .*CRC-32.*SHA-256"):
                client.sendcmd("OPTS HASH CRC-32")
            self.assertEqual(hash_reply(client.sendcmd("HASH data.bin"))[0], "SHA-256")

    def test_rang_hashes_the_inclusive_range_once(self):
        with served_tree(tree()) as root, Ferryd(root) as server, ftp(server) as client:
            self.assertTrue(client.sendcmd("RANG 10 4095").startswith("350 "))
            _, byte_range, digest, _ = hash_reply(client.sendcmd("HASH data.bin"))
            self.assertEqual(byte_range, "10-4095")
            self.assertEqual(digest, hashlib.sha256(PAYLOAD[10:4096]).hexdigest())
            # The range was for that HASH only.
            _, byte_range, digest, _ = hash_reply(client.sendcmd("HASH data.bin"))
            self.assertEqual(digest, hashlib.sha256(PAYLOAD).hexdigest())
            # "RANG 1 0" takes a range back.
            client.sendcmd("RANG 0 1")
            client.sendcmd("RANG 1 0")
            self.assertEqual(hash_reply(client.sendcmd("HASH data.bin"))[1], f"0-{len(PAYLOAD)}")

    def test_rang_errors_and_transfers_after_it(self):
        with served_tree(tree()) as root, Ferryd(root) as server, ftp(server) as client:
            for bad in ("RANG 5", "RANG 9 3", "RANG a b", "RANG -1 4"):
                with self.subTest(command=bad), self.assertRaisesRegex(ftplib.error_perm, "^501"):
                    client.sendcmd(bad)
            client.sendcmd(f"RANG 0 {len(PAYLOAD)}")
            with self.assertRaisesRegex(ftplib.error_perm, "^554"):
                client.sendcmd("HASH data.bin")
            # A range never silently turns into a whole-file download.
            client.sendcmd("RANG 0 9")
            with self.assertRaisesRegex(ftplib.error_perm, "^504 RANG applies to HASH only"):
                client.retrbinary("RETR data.bin", lambda b: None)
            chunks = []
            client.retrbinary("RETR data.bin", chunks.append)
            self.assertEqual(b"".join(chunks), PAYLOAD)

    def test_old_spellings(self):
        with served_tree(tree()) as root, Ferryd(root) as server, ftp(server) as client:
            for verb, lib in (("XMD5", "md5"), ("XSHA1", "sha1"), ("XSHA256", "sha256"),
                              ("XSHA512", "sha512")):
                with self.subTest(verb=verb):
                    self.assertEqual(client.sendcmd(f"{verb} data.bin"),
                                     "250 " + hashlib.new(lib, PAYLOAD).hexdigest())

    def test_jail_hidden_files_folders_and_login(self):
        with served_tree(tree(), links={"out": "/etc/passwd"}) as root, Ferryd(root) as server:
            with ftp(server, login=False) as client:
                with self.assertRaisesRegex(ftplib.error_perm, "^530"):
                    client.sendcmd("HASH data.bin")
            with ftp(server) as client:
                for path in (".secret", "out", "../../etc/passwd", "sub", "missing"):
                    with self.subTest(path=path), self.assertRaisesRegex(ftplib.error_perm, "^550"):
                        client.sendcmd(f"HASH {path}")

    def test_size_cap_refuses_with_a_permanent_reply(self):
        with served_tree(tree()) as root, Ferryd(root, "--hash-max-size", "1000") as server, \
                ftp(server) as client:
            with self.assertRaisesRegex(ftplib.error_perm, "^552 .*too large to hash"):
                client.sendcmd("HASH data.bin")
            with self.assertRaisesRegex(ftplib.error_perm, "^552"):
                client.sendcmd("XSHA256 data.bin")
            client.sendcmd("RANG 0 999")
            self.assertEqual(hash_reply(client.sendcmd("HASH data.bin"))[2],
                             hashlib.sha256(PAYLOAD[:1000]).hexdigest())

    def test_abor_stops_a_long_hash(self):
        size = 8 << 30   # sparse: 8 GiB of zeros takes SHA-512 tens of seconds here
        with served_tree({"small.txt": b"x"}) as root:
            with open(os.path.join(root, "huge.bin"), "wb") as f:
                f.truncate(size)
            with Ferryd(root, "--hash-max-size", "0") as server, ftp(server, timeout=30) as client:
                client.sendcmd("OPTS HASH SHA-512")
                client.putcmd("HASH huge.bin")
                time.sleep(0.3)
                started = time.monotonic()
                client.sock.sendall(b"ABOR\r\n")
                first = client.getline()
                second = client.getline()
                stopped = time.monotonic() - started
                self.assertTrue(first.startswith("451 "), first)
                self.assertIn("ABOR", first)
                self.assertTrue(second.startswith("226 "), second)
                self.assertLess(stopped, 10.0)
                # The session goes on.
                self.assertEqual(client.sendcmd("XMD5 small.txt"),
                                 "250 " + hashlib.md5(b"x").hexdigest())

    def test_client_leaving_ends_a_long_hash(self):
        with served_tree({}) as root:
            with open(os.path.join(root, "huge.bin"), "wb") as f:
                f.truncate(8 << 30)
            with Ferryd(root, "--hash-max-size", "0") as server:
                client = ftp(server)
                client.putcmd("HASH huge.bin")
                time.sleep(0.3)
                client.sock.shutdown(socket.SHUT_RDWR)
                client.close()
                deadline = time.monotonic() + 10
                while server.sessions() and time.monotonic() < deadline:
                    time.sleep(0.05)
                self.assertEqual(server.sessions(), [])


if __name__ == "__main__":
    ferrytest.main()
