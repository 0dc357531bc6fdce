# SPDX-License-Identifier: GPL-3.0-or-later
"""ferry-cli (and so the client engine) against pure-ftpd, a server nobody here wrote: its
MLSD facts and its LIST lines differ from vsftpd's and pyftpdlib's. Listing, byte-exact
downloads and uploads, whole folders both ways, and resuming a .part with REST."""
import os
import tempfile
import unittest

import ferrytest
import peerstest
from ferrytest import tree_files
import pureftpd
from peerstest import ferry_cli, read, write

PAYLOAD = ferrytest.all_bytes_payload(2048)          # 532 KiB, every byte value, CR/LF pairs
USABLE, WHY_NOT = pureftpd.available()


@unittest.skipUnless(USABLE, WHY_NOT)
class PureFtpdTest(unittest.TestCase):
    def setUp(self):
        peerstest.need_ferry_cli()
        self.root = self.folder()
        self.local = self.folder()

    def folder(self):
        holder = tempfile.TemporaryDirectory(prefix="ferry-peers-")
        self.addCleanup(holder.cleanup)
        return holder.name

    def serve(self, files, write_allowed=True, host="127.0.0.1"):
        for rel, data in files.items():
            write(os.path.join(self.root, rel), data)
        server = pureftpd.PureFtpd(self.root, host=host, write=write_allowed).start()
        self.addCleanup(server.stop)
        return server

    def cli(self, *args):
        result = ferry_cli(*args, cwd=self.local)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def test_ls_shows_files_and_folders_but_no_dot_files(self):
        server = self.serve({"a.txt": b"a", "sub/n.txt": b"n", ".hidden": b"h",
                             "with space.bin": b"s"})
        names = self.cli("ls", server.url).stdout
        for name in ("a.txt", "sub", "with space.bin"):
            self.assertIn(name, names)
        self.assertNotIn(".hidden", names)
        self.assertIn("n.txt", self.cli("ls", server.url + "sub/").stdout)

    def test_get_is_byte_exact(self):
        server = self.serve({"all.bin": PAYLOAD, "deep/er/x.bin": PAYLOAD[::-1]})
        self.cli("get", server.url + "all.bin")
        self.assertEqual(read(os.path.join(self.local, "all.bin")), PAYLOAD)
        self.cli("get", server.url + "deep/er/x.bin", self.local)
        self.assertEqual(read(os.path.join(self.local, "x.bin")), PAYLOAD[::-1])
        self.assertEqual(sorted(os.listdir(self.local)), ["all.bin", "x.bin"])

    def test_put_is_byte_exact(self):
        server = self.serve({"up/keep": b"k"})
        write(os.path.join(self.local, "one.bin"), PAYLOAD)
        write(os.path.join(self.local, "two words.txt"), b"second\r\n")
        self.cli("put", "one.bin", "two words.txt", server.url + "up/")
        self.assertEqual(read(os.path.join(self.root, "up", "one.bin")), PAYLOAD)
        self.assertEqual(read(os.path.join(self.root, "up", "two words.txt")), b"second\r\n")

    def test_recursive_put_then_get(self):
        tree = {"album/a.bin": PAYLOAD, "album/inner/b.txt": b"b",
                "album/inner/deeper/c": b"", "album/spaced name/d.txt": b"d"}
        server = self.serve({"keep.txt": b"k"})
        for rel, data in tree.items():
            write(os.path.join(self.local, rel), data)
        self.cli("-r", "put", "album", server.url)
        self.assertEqual(tree_files(os.path.join(self.root, "album")),
                         tree_files(os.path.join(self.local, "album")))
        back = self.folder()
        self.cli("-r", "get", server.url + "album", back)
        self.assertEqual(tree_files(back), tree)

    def test_get_resumes_a_part_file(self):
        server = self.serve({"big.bin": PAYLOAD})
        # A marker instead of the real first bytes: kept only if the download resumed (REST).
        offset = len(PAYLOAD) // 3
        write(os.path.join(self.local, "big.bin.part"), b"R" * offset)
        self.cli("get", server.url + "big.bin")
        self.assertEqual(read(os.path.join(self.local, "big.bin")),
                         b"R" * offset + PAYLOAD[offset:])
        self.assertFalse(os.path.exists(os.path.join(self.local, "big.bin.part")))

    @unittest.skipUnless(peerstest.have_ipv6_loopback(), "no IPv6 loopback (::1) here")
    def test_over_ipv6(self):
        server = self.serve({"six.bin": PAYLOAD}, host="::1")
        self.assertIn("six.bin", self.cli("ls", server.url).stdout)
        self.cli("get", server.url + "six.bin")
        self.assertEqual(read(os.path.join(self.local, "six.bin")), PAYLOAD)
        self.cli("put", "six.bin", server.url + "back.bin")
        self.assertEqual(read(os.path.join(self.root, "back.bin")), PAYLOAD)

    def test_missing_file_fails_with_one_line(self):
        server = self.serve({"a.txt": b"a"})
        result = ferry_cli("get", server.url + "nope.bin", cwd=self.local)
        self.assertEqual(result.returncode, 1)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("no such file", lines[0])
        self.assertFalse(os.path.exists(os.path.join(self.local, "nope.bin")))

    # pure-ftpd answers SIZE of a missing path with "550 Can't check for file existence".
    def test_missing_file_leaves_no_part_file(self):
        server = self.serve({"a.txt": b"a"})
        result = ferry_cli("get", server.url + "nope.bin", cwd=self.local)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(os.listdir(self.local), [])

    def test_missing_folder_is_reported_as_missing(self):
        server = self.serve({"a.txt": b"a"})
        result = ferry_cli("ls", server.url + "nodir/", cwd=self.local)
        self.assertEqual(result.returncode, 1)
        self.assertNotIn("already there", result.stderr)
        self.assertIn("no such", result.stderr)

    def test_read_only_server_refuses_upload_cleanly(self):
        server = self.serve({"a.txt": b"a"}, write_allowed=False)
        write(os.path.join(self.local, "one.bin"), b"data")
        result = ferry_cli("put", "one.bin", server.url, cwd=self.local)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.root, "one.bin")))


if __name__ == "__main__":
    ferrytest.main()
