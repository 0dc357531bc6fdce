# SPDX-License-Identifier: GPL-3.0-or-later
"""ferry-cli's one-shot commands (ls, get, put, -r) against pyftpdlib and ferryd: results on
disk, byte-exact transfers, resume of a .part file, exit codes and one-line errors."""
import os
import signal
import subprocess
import time
import unittest

import ferrytest
from ferrytest import tree_files
import vsftpd
from clitest import (CLI, FerrydCase, PyftpdlibCase, ThrottledPyftpdlib,
                     cli_env, error_lines, run_cli)

PAYLOAD = ferrytest.all_bytes_payload(repeat=1024)   # 260 KiB of every byte value


class OneShotTests:
    def test_ls_lists_files_and_folders(self):
        self.write(self.root, "report.pdf", b"x" * 1234)
        self.write(self.root, "name with spaces.txt", b"abc")
        self.write(self.root, "photos/a.jpg", b"jpg")
        result = self.cli("ls", self.url)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 3, result.stdout)
        by_name = {line.split("  ")[-1]: line for line in lines}
        self.assertIn("photos/", by_name)
        self.assertTrue(by_name["photos/"].startswith("d"))
        self.assertTrue(by_name["report.pdf"].startswith("-"))
        self.assertIn(" 1234 ", by_name["report.pdf"])
        self.assertIn("name with spaces.txt", by_name)

    def test_ls_of_a_subfolder(self):
        self.write(self.root, "sub/inner.txt", b"1")
        result = self.cli("ls", self.url + "sub/")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.rstrip("\n").endswith("inner.txt"), result.stdout)

    def test_get_is_byte_exact(self):
        self.write(self.root, "all-bytes.bin", PAYLOAD)
        result = self.cli("get", self.url + "all-bytes.bin", "copy.bin")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read(self.local, "copy.bin"), PAYLOAD)
        self.assertFalse(os.path.exists(os.path.join(self.local, "copy.bin.part")))

    def test_get_into_current_and_given_folder(self):
        self.write(self.root, "docs/ünïcode file.txt", "héllo\n".encode())
        result = self.cli("get", self.url + "docs/ünïcode file.txt")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read(self.local, "ünïcode file.txt"), "héllo\n".encode())
        os.mkdir(os.path.join(self.local, "into"))
        result = self.cli("get", self.url + "docs/ünïcode file.txt", "into")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read(self.local, "into/ünïcode file.txt"), "héllo\n".encode())

    def test_get_resumes_a_part_file(self):
        self.write(self.root, "big.bin", PAYLOAD)
        # The .part holds a marker instead of the real first bytes: if the download resumed
        # (REST) they stay; had it started over, the file would equal PAYLOAD.
        offset = len(PAYLOAD) // 3
        self.write(self.local, "big.bin.part", b"R" * offset)
        result = self.cli("get", self.url + "big.bin")
        if self.server_name == "ferryd":
            # ferryd offers HASH: the resumed file is checked, the marker found out, and the
            # file keeps its .part name; the next get downloads it again, whole.
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn("differs between the server and this computer", result.stderr)
            self.assertEqual(self.read(self.local, "big.bin.part"),
                             b"R" * offset + PAYLOAD[offset:])
            self.assertFalse(os.path.exists(os.path.join(self.local, "big.bin")))
            result = self.cli("get", self.url + "big.bin")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(self.read(self.local, "big.bin"), PAYLOAD)
        else:
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(self.read(self.local, "big.bin"), b"R" * offset + PAYLOAD[offset:])
        self.assertFalse(os.path.exists(os.path.join(self.local, "big.bin.part")))

    def test_put_several_files_byte_exact(self):
        self.write(self.local, "one.bin", PAYLOAD)
        self.write(self.local, "two words.txt", b"second\r\n")
        os.mkdir(os.path.join(self.root, "up"))
        result = self.cli("put", "one.bin", "two words.txt", self.url + "up/")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read(self.root, "up/one.bin"), PAYLOAD)
        self.assertEqual(self.read(self.root, "up/two words.txt"), b"second\r\n")

    def test_put_one_file_to_a_name_or_into_a_folder(self):
        self.write(self.local, "one.bin", PAYLOAD)
        os.mkdir(os.path.join(self.root, "up"))
        result = self.cli("put", "one.bin", self.url + "up/renamed.bin")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read(self.root, "up/renamed.bin"), PAYLOAD)
        # No trailing slash, but "up" is a folder on the server: the file goes inside.
        result = self.cli("put", "one.bin", self.url + "up")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read(self.root, "up/one.bin"), PAYLOAD)

    def test_recursive_put_and_get(self):
        tree = {"album/a.bin": PAYLOAD, "album/inner/b.txt": b"b", "album/inner/deeper/c": b"",
                "album/spaced name/d.txt": b"d"}
        for rel, data in tree.items():
            self.write(self.local, rel, data)
        result = self.cli("-r", "put", "album", self.url)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(tree_files(self.root), tree)

        back = self.make_tree()
        result = self.cli("get", "-r", self.url + "album", back)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(tree_files(back), tree)

        # A folder URL with its trailing slash names the same folder.
        again = self.make_tree()
        result = self.cli("get", "-r", self.url + "album/", again)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(tree_files(again), tree)

    def test_missing_file_fails_with_one_line(self):
        result = self.cli("get", self.url + "missing.txt")
        self.assertEqual(result.returncode, 1)
        lines = error_lines(result)
        self.assertEqual(len(lines), 1, result.stderr)
        # In words, with the server's own reply kept and what to do; no FTP command names.
        self.assertRegex(lines[0], r"^ferry-cli: cannot download /missing\.txt: no such file "
                                   r"or folder on the server \(550 [^()]+\) — ls shows what "
                                   r"is there$")
        self.assertNotIn("SIZE", lines[0])
        self.assertNotIn("RETR", lines[0])
        self.assertEqual(os.listdir(self.local), [])

    def test_put_of_a_missing_local_file_fails(self):
        result = self.cli("put", "nothing-here.txt", self.url)
        self.assertEqual(result.returncode, 1)
        lines = error_lines(result)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("nothing-here.txt", lines[0])


class OneShotPyftpdlib(OneShotTests, PyftpdlibCase):
    def test_ls_all_shows_dot_files(self):
        self.write(self.root, ".hidden", b"h")
        self.write(self.root, "shown", b"s")
        plain = self.cli("ls", self.url)
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertNotIn(".hidden", plain.stdout)
        every = self.cli("ls", "-a", self.url)
        self.assertEqual(every.returncode, 0, every.stderr)
        self.assertIn(".hidden", every.stdout)

    def test_wrong_password(self):
        result = run_cli("--user", "user", "ls", self.url, FERRY_PASSWORD="wrong")
        self.assertEqual(result.returncode, 1)
        lines = error_lines(result)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("ferry-cli: "), lines[0])
        self.assertIn("530", lines[0])

    def test_password_in_url_works(self):
        self.write(self.root, "f.txt", b"f")
        url = f"ftp://user:secret@127.0.0.1:{self.server.port}/"
        result = run_cli("ls", url)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("f.txt", result.stdout)

    def test_no_password_and_no_terminal(self):
        result = run_cli("--user", "user", "ls", self.url)
        self.assertEqual(result.returncode, 1)
        lines = error_lines(result)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("FERRY_PASSWORD", lines[0])


class OneShotFerryd(OneShotTests, FerrydCase):
    pass


class OneShotVsftpd(unittest.TestCase):
    """vsftpd has no MLSD: ls and get go through the LIST fallback."""

    def setUp(self):
        usable, why = vsftpd.available()
        if not usable:
            self.skipTest(why)
        for name in ("root", "local"):
            tree = ferrytest.temp_tree()
            setattr(self, name, tree.__enter__())
            self.addCleanup(tree.__exit__, None, None, None)
        with open(os.path.join(self.root, "all bytes.bin"), "wb") as f:
            f.write(PAYLOAD)
        os.mkdir(os.path.join(self.root, "folder"))
        server = vsftpd.Vsftpd(self.root).start()
        self.addCleanup(server.stop)
        self.url = server.url

    def test_ls_and_get_without_mlsd(self):
        result = run_cli("ls", self.url, cwd=self.local)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 2, result.stdout)
        self.assertTrue(lines[0].startswith("-") and lines[0].endswith("  all bytes.bin"))
        self.assertIn(f" {len(PAYLOAD)} ", lines[0])
        self.assertTrue(lines[1].startswith("d") and lines[1].endswith("  folder/"))

        result = run_cli("get", self.url + "all bytes.bin", cwd=self.local)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(self.local, "all bytes.bin"), "rb") as f:
            self.assertEqual(f.read(), PAYLOAD)


class InterruptedDownload(PyftpdlibCase):
    def start_server(self, root):
        # 128 KiB/s: the download below lasts seconds, long enough to interrupt it.
        server = ThrottledPyftpdlib(root, rate=128 * 1024).start()
        self.url = f"ftp://127.0.0.1:{server.port}/"
        self.login = ["--user", server.user]
        self.login_env = {"FERRY_PASSWORD": server.password}
        return server

    def test_sigint_keeps_the_part_file_and_a_rerun_resumes(self):
        payload = os.urandom(1024 * 1024)
        self.write(self.root, "large.bin", payload)
        part = os.path.join(self.local, "large.bin.part")
        proc = subprocess.Popen([CLI, *self.login, "get", self.url + "large.bin"],
                                cwd=self.local, env=cli_env(**self.login_env),
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if os.path.exists(part) and os.path.getsize(part) >= 200 * 1024:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 1, err)
        lines = [line for line in err.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, err)
        self.assertIn("large.bin", lines[0])
        self.assertRegex(lines[0], r"(?i)cancel")
        kept = os.path.getsize(part)
        self.assertGreater(kept, 0)
        self.assertLess(kept, len(payload))
        self.assertFalse(os.path.exists(os.path.join(self.local, "large.bin")))

        result = self.cli("get", self.url + "large.bin", timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read(self.local, "large.bin"), payload)
        self.assertFalse(os.path.exists(part))


class CommandLineErrors(PyftpdlibCase):
    def test_refused_connection(self):
        port = ferrytest.free_port()
        result = run_cli("ls", f"ftp://127.0.0.1:{port}/")
        self.assertEqual(result.returncode, 1)
        lines = error_lines(result)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertEqual(lines[0], f"ferry-cli: cannot connect to 127.0.0.1 port {port}: "
                                   "nothing answers there; is the FTP server running, and on "
                                   "that port?")

    def test_bad_urls(self):
        for url in ("http://127.0.0.1/", "ftp://", "ftp://[::1/", "ftp://host:99999/"):
            with self.subTest(url=url):
                result = run_cli("ls", url)
                self.assertEqual(result.returncode, 2, result.stderr)
                lines = error_lines(result)
                self.assertEqual(len(lines), 1, result.stderr)
                self.assertTrue(lines[0].startswith("ferry-cli: "), lines[0])

    def test_usage_errors(self):
        for args in ([], ["ls"], ["put", self.url], ["frobnicate", "a", "b"], ["--bogus", self.url]):
            with self.subTest(args=args):
                result = run_cli(*args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertTrue(result.stderr.startswith("ferry-cli: "), result.stderr)

    def test_help_and_version(self):
        result = run_cli("--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("FERRY_PASSWORD", result.stdout)
        self.assertIn("--recursive", result.stdout)
        result = run_cli("--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^ferry-cli \d+\.\d+")

    def test_quiet_prints_nothing_on_success(self):
        self.write(self.root, "q.txt", b"q")
        result = self.cli("--quiet", "get", self.url + "q.txt")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout + result.stderr, "")


if __name__ == "__main__":
    ferrytest.main()
