# SPDX-License-Identifier: GPL-3.0-or-later
"""lftp against ferryd: whole trees both ways (mirror, mirror -R), a segmented download
(pget -n 4: several sessions with REST, joined into one file) and FTPS forced on both
channels against ferryd --require-tls."""
import os
import re
import tempfile
import time
import unittest

import ferrytest
import peerstest
from ferrytest import tree_files
from peerstest import read, run, write

BIG = os.urandom(3 * 1024 * 1024 + 12345)       # not a multiple of any chunk size
TREE = {
    "a.bin": ferrytest.all_bytes_payload(256),
    "inner/b.txt": b"b\r\n",
    "inner/deeper/c.bin": os.urandom(70000),
    "inner/empty.txt": b"",
    "spaced name/d é.txt": "d é\n".encode(),
}


class LftpTest(unittest.TestCase):
    def setUp(self):
        peerstest.need_ferryd()
        ferrytest.need_program("lftp")
        holder = tempfile.TemporaryDirectory(prefix="ferry-peers-")
        self.addCleanup(holder.cleanup)
        self.root = os.path.join(holder.name, "root")
        self.local = os.path.join(holder.name, "local")
        os.makedirs(self.root)
        os.makedirs(self.local)

    def serve(self, *args):
        server = peerstest.start_ferryd(self, self.root, *args)
        return server

    def lftp(self, server, script, settings=""):
        commands = (f"set net:max-retries 1; set net:timeout 20; set xfer:clobber yes; "
                    f"{settings} open {server.url}; {script}")
        return run(["lftp", "-c", commands], cwd=self.local)

    def test_mirror_both_ways(self):
        for rel, data in TREE.items():
            write(os.path.join(self.root, "album", rel), data)
        write(os.path.join(self.root, "album", ".hidden"), b"never listed")
        server = self.serve("--write")
        self.lftp(server, "mirror album down")
        self.assertEqual(tree_files(os.path.join(self.local, "down")), TREE)

        self.lftp(server, "mirror -R down up")
        self.assertEqual(tree_files(os.path.join(self.root, "up")), TREE)
        self.assertEqual(peerstest.ferryd_temp_files(os.path.join(self.root, "up")), [])

        # A second mirror finds nothing to do and changes nothing.
        self.lftp(server, "mirror album down")
        self.assertEqual(tree_files(os.path.join(self.local, "down")), TREE)

    def test_pget_segmented_download(self):
        write(os.path.join(self.root, "big.bin"), BIG)
        server = self.serve()
        # On loopback one connection would fetch it all before the others start: a rate
        # limit per connection (about 1 s in all) makes lftp really split the file.
        self.lftp(server, "pget -n 4 big.bin -o joined.bin",
                  settings="set pget:min-chunk-size 256k; set net:limit-rate 1000000;")
        self.assertEqual(read(os.path.join(self.local, "joined.bin")), BIG)
        # Several sessions sent the file, some from an offset (REST then RETR). The log
        # counts what ferryd sent from the offset to the end, not what lftp kept.
        deadline = time.monotonic() + 10      # sessions log when they finish, a bit later
        while True:
            log = server.log_text().decode(errors="replace")
            retrs = [int(n) for n in re.findall(r"RETR /big\.bin (\d+) bytes", log)]
            if len(retrs) >= 3 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertGreaterEqual(len(retrs), 3, log)
        self.assertIn(len(BIG), retrs, log)
        self.assertLess(min(retrs), len(BIG), log)

    def test_ssl_force_with_require_tls(self):
        keys = tempfile.TemporaryDirectory(prefix="ferry-keys-")
        self.addCleanup(keys.cleanup)
        cert, key = ferrytest.make_certificate(keys.name)
        write(os.path.join(self.root, "secret.bin"), BIG[:500000])
        server = self.serve("--write", "--tls-cert", cert, "--tls-key", key, "--require-tls")
        # lftp keeps anonymous logins in clear unless told otherwise.
        tls = ("set ftp:ssl-allow-anonymous true; set ftp:ssl-force true; "
               "set ftp:ssl-protect-data true; "
               "set ftp:ssl-protect-list true; set ssl:verify-certificate no;")
        write(os.path.join(self.local, "up.bin"), BIG[::-1][:400000])
        result = self.lftp(server, "cls -1; get secret.bin -o got.bin; put up.bin; "
                                   "mkdir made; mv up.bin made/up.bin", settings=tls)
        self.assertIn(b"secret.bin", result.stdout)
        self.assertEqual(read(os.path.join(self.local, "got.bin")), BIG[:500000])
        self.assertEqual(read(os.path.join(self.root, "made", "up.bin")), BIG[::-1][:400000])

        # Without TLS the same server lets nobody in.
        clear = run(["lftp", "-c", f"set net:max-retries 1; set net:timeout 10; "
                                   f"set ftp:ssl-allow false; open {server.url}; cls -1"],
                    check=False, timeout=60)
        self.assertNotEqual(clear.returncode, 0)
        self.assertNotIn(b"secret.bin", clear.stdout)


if __name__ == "__main__":
    ferrytest.main()
