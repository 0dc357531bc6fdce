# SPDX-License-Identifier: GPL-3.0-or-later
"""curl features the session tests leave out, against ferryd: the three ways to walk a path
(--ftp-method), uploads into folders that do not exist yet (--ftp-create-dirs), quote
commands (-Q) for rename/delete/mkdir/rmdir, PASV when EPSV is disabled, active mode with
EPRT and PORT in both directions, and byte ranges (REST, then an early close)."""
import os
import tempfile
import unittest

import ferrytest
import peerstest
from peerstest import read, run, write

PAYLOAD = ferrytest.all_bytes_payload(1024)


class CurlTest(unittest.TestCase):
    def setUp(self):
        peerstest.need_ferryd()
        ferrytest.need_program("curl")
        holder = tempfile.TemporaryDirectory(prefix="ferry-peers-")
        self.addCleanup(holder.cleanup)
        self.root = os.path.join(holder.name, "root")
        self.local = os.path.join(holder.name, "local")
        os.makedirs(self.local)
        write(os.path.join(self.root, "d1/d2/deep.bin"), PAYLOAD)
        write(os.path.join(self.root, "r.txt"), b"rename me\n")
        write(os.path.join(self.root, "gone.txt"), b"delete me\n")
        self.server = peerstest.start_ferryd(self, self.root, "--write")
        self.url = self.server.url

    def curl(self, *args, check=True):
        return run(["curl", "--silent", "--show-error", "--max-time", "30", *args],
                   check=check)

    def sent(self, result):
        """The commands curl sent, from its -v trace."""
        return [line[2:].decode(errors="replace") for line in result.stderr.splitlines()
                if line.startswith(b"> ")]

    def test_ftp_methods_walk_the_path(self):
        expected = {"multicwd": ["CWD d1", "CWD d2", "RETR deep.bin"],
                    "singlecwd": ["CWD d1/d2", "RETR deep.bin"],
                    "nocwd": ["RETR d1/d2/deep.bin"]}
        for method, commands in expected.items():
            with self.subTest(method=method):
                result = self.curl("-v", "--ftp-method", method, self.url + "d1/d2/deep.bin")
                self.assertEqual(result.stdout, PAYLOAD)
                sent = [c for c in self.sent(result) if c.split()[0] in ("CWD", "RETR")]
                self.assertEqual(sent, commands)

    def test_create_dirs_on_upload(self):
        source = os.path.join(self.local, "up.bin")
        write(source, PAYLOAD[::-1])
        # multicwd makes each missing level (CWD, MKD, CWD); singlecwd sends one MKD of the
        # whole path, which makes one new level (the same against pyftpdlib).
        for method, folder in (("multicwd", "new-multi/a%20b/c"), ("singlecwd", "new-single")):
            with self.subTest(method=method):
                self.curl("--ftp-create-dirs", "--ftp-method", method, "-T", source,
                          self.url + folder + "/up.bin")
                local_folder = folder.replace("%20", " ")
                self.assertEqual(read(os.path.join(self.root, local_folder, "up.bin")),
                                 PAYLOAD[::-1])
        # Without the option a missing folder is an error and nothing is made.
        result = self.curl("-T", source, self.url + "nowhere/up.bin", check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertFalse(os.path.exists(os.path.join(self.root, "nowhere")))
        self.assertEqual(peerstest.ferryd_temp_files(self.root), [])

    def test_quote_commands(self):
        self.curl("-Q", "RNFR r.txt", "-Q", "RNTO renamed.txt", "-Q", "DELE gone.txt",
                  "-Q", "MKD made", "-Q", "MKD made/inner", "-Q", "RMD made/inner",
                  self.url, "-o", os.devnull)
        self.assertFalse(os.path.exists(os.path.join(self.root, "r.txt")))
        self.assertEqual(read(os.path.join(self.root, "renamed.txt")), b"rename me\n")
        self.assertFalse(os.path.exists(os.path.join(self.root, "gone.txt")))
        self.assertEqual(os.listdir(os.path.join(self.root, "made")), [])
        # A refused quote command stops curl with an error; the server stays usable.
        refused = self.curl("-Q", "DELE no-such-file", self.url, check=False)
        self.assertEqual(refused.returncode, 21, refused.stderr)
        self.assertEqual(self.curl(self.url + "renamed.txt").stdout, b"rename me\n")

    def test_pasv_when_epsv_is_disabled(self):
        result = self.curl("-v", "--disable-epsv", self.url + "d1/d2/deep.bin")
        self.assertEqual(result.stdout, PAYLOAD)
        self.assertIn("PASV", self.sent(result))
        self.assertNotIn("EPSV", self.sent(result))
        self.assertIn(b"< 227 Entering Passive Mode (127,0,0,1,", result.stderr)

    def test_active_mode_eprt_and_port(self):
        source = os.path.join(self.local, "up.bin")
        write(source, PAYLOAD)
        for extra, verb in (((), "EPRT"), (("--disable-eprt",), "PORT")):
            with self.subTest(verb=verb):
                result = self.curl("-v", "--ftp-port", "127.0.0.1", *extra,
                                   self.url + "d1/d2/deep.bin")
                self.assertEqual(result.stdout, PAYLOAD)
                self.assertTrue(any(c.startswith(verb + " ") for c in self.sent(result)),
                                self.sent(result))
                self.curl("--ftp-port", "127.0.0.1", *extra, "-T", source,
                          self.url + f"active-{verb}.bin")
                self.assertEqual(read(os.path.join(self.root, f"active-{verb}.bin")), PAYLOAD)
                listing = self.curl("--ftp-port", "127.0.0.1", *extra, "--list-only",
                                    self.url).stdout
                self.assertIn(f"active-{verb}.bin".encode(), listing)

    def test_byte_ranges(self):
        for first, last in ((0, 99), (1000, 1999), (len(PAYLOAD) - 10, len(PAYLOAD) - 1)):
            with self.subTest(first=first):
                got = self.curl("-r", f"{first}-{last}", self.url + "d1/d2/deep.bin").stdout
                self.assertEqual(got, PAYLOAD[first:last + 1])
        # Each early close leaves the session able to serve the next request.
        self.assertEqual(self.curl(self.url + "d1/d2/deep.bin").stdout, PAYLOAD)

    def test_resume_upload_with_continue_at(self):
        write(os.path.join(self.root, "half.bin"), PAYLOAD[:len(PAYLOAD) // 2])
        source = os.path.join(self.local, "whole.bin")
        write(source, PAYLOAD)
        result = self.curl("-v", "-C", "-", "-T", source, self.url + "half.bin")
        self.assertTrue(any(c.startswith("APPE ") for c in self.sent(result)),
                        self.sent(result))
        self.assertEqual(read(os.path.join(self.root, "half.bin")), PAYLOAD)


if __name__ == "__main__":
    ferrytest.main()
