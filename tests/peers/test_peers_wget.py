# SPDX-License-Identifier: GPL-3.0-or-later
"""wget's recursive FTP mirror against ferryd. wget knows no MLSD: it walks the tree by
parsing ferryd's Unix-style LIST lines (type, size, name, and the date it stamps on every
file), in passive and in active mode."""
import os
import tempfile
import time
import unittest

import ferrytest
import peerstest
from ferrytest import tree_files
from peerstest import run, write

TREE = {
    "a.bin": ferrytest.all_bytes_payload(512),
    "with space.txt": b"space\n",
    "caf\u00e9.txt": b"utf-8\n",
    "inner/b.txt": b"b\r\n",
    "inner/deeper/c.bin": os.urandom(100000),
    "inner/empty.txt": b"",
}


class WgetMirrorTest(unittest.TestCase):
    def setUp(self):
        peerstest.need_ferryd()
        ferrytest.need_program("wget")
        holder = tempfile.TemporaryDirectory(prefix="ferry-peers-")
        self.addCleanup(holder.cleanup)
        self.root = os.path.join(holder.name, "root")
        self.local = os.path.join(holder.name, "local")
        os.makedirs(self.local)
        for rel, data in TREE.items():
            write(os.path.join(self.root, rel), data)
        write(os.path.join(self.root, ".secret"), b"never listed\n")
        write(os.path.join(self.root, ".hidden-dir/x.txt"), b"never listed\n")
        # A date within the last six months: LIST shows it to the minute ("Mon DD HH:MM").
        self.stamp = (int(time.time()) // 60 - 3 * 24 * 60) * 60
        os.utime(os.path.join(self.root, "inner", "b.txt"), (self.stamp, self.stamp))
        self.server = peerstest.start_ferryd(self, self.root)

    def mirror(self, *extra):
        env = dict(os.environ, TZ="UTC")
        run(["wget", "--quiet", "--recursive", "--no-host-directories", "--tries=1",
             "--timeout=20", "--restrict-file-names=nocontrol", *extra, self.server.url],
            cwd=self.local, env=env)
        return tree_files(self.local)

    def test_recursive_mirror_passive(self):
        self.assertEqual(self.mirror(), TREE)
        mtime = os.stat(os.path.join(self.local, "inner", "b.txt")).st_mtime
        self.assertEqual(int(mtime), self.stamp)

    def test_recursive_mirror_active(self):
        self.assertEqual(self.mirror("--no-passive-ftp"), TREE)


if __name__ == "__main__":
    ferrytest.main()
