# SPDX-License-Identifier: GPL-3.0-or-later
"""ferry-cli mirror, one-shot and at the prompt, against ferryd, pyftpdlib (MLSD, MFMT) and
vsftpd (LIST only, MDTM): a second mirror moves nothing, a changed and a new file are the
only ones moved, --delete removes exactly what disappeared, --dry-run changes nothing, and
an interrupted mirror resumes its .part file."""
import os
import signal
import subprocess
import time
import unittest

import ferrytest
import vsftpd
from clitest import (CLI, FerrydCase, PyftpdlibCase, ServerCase, ThrottledPyftpdlib, cli_env,
                     error_lines)

TREE = {
    "photos/a.jpg": b"a" * 3000,
    "photos/b.jpg": b"b" * 5000,
    "photos/2024/c.jpg": b"c" * 7000,
    "photos/2024/deep/d.txt": b"d" * 11,
    "photos/empty/": None,
}
OLD = 1_500_000_000   # a fixed past time, so "newer" and "older" are clear


def inodes(folder):
    """{relative path: (inode, mtime)} of the files beneath folder: a file that was copied
    again gets a new inode (downloads go to NAME.part, then are renamed)."""
    found = {}
    for top, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(top, name)
            st = os.stat(path)
            found[os.path.relpath(path, folder)] = (st.st_ino, int(st.st_mtime))
    return found


class MirrorTests:
    """Needs self.remote_url(path): the URL of path on the server."""

    def put_tree(self, base, tree, mtime=OLD):
        for rel, data in tree.items():
            if data is None:
                os.makedirs(os.path.join(base, rel), exist_ok=True)
                continue
            path = self.write(base, rel, data)
            os.utime(path, (mtime, mtime))

    def mirror(self, *args, expect=0):
        result = self.cli("mirror", *args)
        self.assertEqual(result.returncode, expect, result.stderr + result.stdout)
        return result

    def test_download_then_nothing_then_only_what_changed(self):
        self.put_tree(self.root, TREE)
        target = os.path.join(self.local, "copy")
        first = self.mirror(self.remote_url("photos"), target)
        self.assertIn("4 files copied", first.stdout)
        for rel, data in TREE.items():
            local = os.path.join(target, rel[len("photos/"):])
            if data is None:
                self.assertTrue(os.path.isdir(local), rel)
            else:
                self.assertEqual(self.read(target, rel[len("photos/"):]), data)
                # The remote time is kept, so the next mirror can compare.
                self.assertEqual(int(os.stat(local).st_mtime), OLD, rel)
        before = inodes(target)

        second = self.mirror(self.remote_url("photos"), target)
        self.assertIn("nothing to do", second.stdout)
        self.assertEqual(inodes(target), before)

        # One file changed (same size, newer), one new file: only those two move.
        self.put_tree(self.root, {"photos/b.jpg": b"B" * 5000}, mtime=OLD + 3600)
        self.put_tree(self.root, {"photos/2024/new.txt": b"new"})
        third = self.mirror(self.remote_url("photos"), target)
        self.assertIn("2 files copied", third.stdout)
        after = inodes(target)
        self.assertEqual(self.read(target, "b.jpg"), b"B" * 5000)
        self.assertEqual(self.read(target, "2024/new.txt"), b"new")
        for rel in ("a.jpg", "2024/c.jpg", "2024/deep/d.txt"):
            self.assertEqual(after[rel], before[rel], rel)
        self.assertNotEqual(after["b.jpg"][0], before["b.jpg"][0])

    def test_delete_removes_exactly_what_disappeared(self):
        self.put_tree(self.root, TREE)
        target = os.path.join(self.local, "copy")
        self.mirror(self.remote_url("photos"), target)
        os.remove(os.path.join(self.root, "photos/a.jpg"))
        os.remove(os.path.join(self.root, "photos/2024/deep/d.txt"))
        os.rmdir(os.path.join(self.root, "photos/2024/deep"))

        # Without --delete nothing goes; --dry-run plans it and changes nothing.
        self.mirror(self.remote_url("photos"), target)
        self.assertTrue(os.path.exists(os.path.join(target, "a.jpg")))
        plan = self.mirror("--delete", "--dry-run", self.remote_url("photos"), target, expect=1)
        self.assertEqual(sorted(plan.stdout.splitlines()),
                         ["delete 2024/deep", "delete 2024/deep/d.txt", "delete a.jpg"])
        self.assertIn("none made", plan.stderr)
        self.assertTrue(os.path.exists(os.path.join(target, "a.jpg")))

        result = self.mirror("--delete", self.remote_url("photos"), target)
        self.assertIn("3 deleted", result.stdout)
        self.assertEqual(sorted(inodes(target)), ["2024/c.jpg", "b.jpg"])
        self.assertTrue(os.path.isdir(os.path.join(target, "empty")))

    def test_upload_mirror(self):
        source = os.path.join(self.local, "site")
        self.put_tree(source, {rel[len("photos/"):]: data for rel, data in TREE.items()})
        first = self.mirror("-R", source, self.remote_url("www"))
        self.assertIn("4 files copied", first.stdout)
        for rel, data in TREE.items():
            if data is not None:
                self.assertEqual(self.read(self.root, "www/" + rel[len("photos/"):]), data)
        self.assertTrue(os.path.isdir(os.path.join(self.root, "www/empty")))
        before = inodes(os.path.join(self.root, "www"))

        second = self.mirror("-R", source, self.remote_url("www"))
        self.assertIn("nothing to do", second.stdout)
        self.assertEqual(inodes(os.path.join(self.root, "www")), before)

        # Changed (newer than the server's copy) and new: only those two; --delete the gone.
        self.put_tree(source, {"b.jpg": b"B" * 4000}, mtime=int(time.time()) + 120)
        self.put_tree(source, {"2024/new.txt": b"new"}, mtime=int(time.time()) + 120)
        os.remove(os.path.join(source, "a.jpg"))
        third = self.mirror("-R", "--delete", source, self.remote_url("www"))
        self.assertIn("2 files copied", third.stdout)
        self.assertIn("1 deleted", third.stdout)
        after = inodes(os.path.join(self.root, "www"))
        self.assertEqual(sorted(after), ["2024/c.jpg", "2024/deep/d.txt", "2024/new.txt", "b.jpg"])
        self.assertEqual(self.read(self.root, "www/b.jpg"), b"B" * 4000)
        for rel in ("2024/c.jpg", "2024/deep/d.txt"):
            self.assertEqual(after[rel][0], before[rel][0], rel)

    def test_mirror_at_the_prompt(self):
        self.put_tree(self.root, TREE)
        script = "mirror photos here\nmirror photos here\nlcd here\nmirror -R . /back\n"
        result = self.cli(self.url_for_prompt, stdin_text=script)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.count("4 files copied"), 2, result.stdout)
        self.assertIn("nothing to do", result.stdout)
        self.assertEqual(self.read(self.root, "back/2024/deep/d.txt"), b"d" * 11)


class MirrorPyftpdlib(MirrorTests, PyftpdlibCase):
    def remote_url(self, path):
        return self.url + path

    @property
    def url_for_prompt(self):
        return self.url

    def test_upload_sets_remote_times_with_mfmt(self):
        source = os.path.join(self.local, "site")
        self.put_tree(source, {"x.txt": b"x"}, mtime=OLD)
        self.mirror("-R", source, self.remote_url("www"))
        self.assertEqual(int(os.stat(os.path.join(self.root, "www/x.txt")).st_mtime), OLD)


class MirrorFerryd(MirrorTests, FerrydCase):
    def remote_url(self, path):
        return self.url + path

    @property
    def url_for_prompt(self):
        return self.url


VSFTPD_OK, VSFTPD_WHY = vsftpd.available()
VSFTPD_USER = "ferrymirror"
VSFTPD_PASSWORD = "mirror-secret"


@unittest.skipUnless(VSFTPD_OK, VSFTPD_WHY)
class MirrorVsftpd(MirrorTests, ServerCase):
    """vsftpd lists with LIST only: times come from MDTM where they decide."""

    def start_server(self, root):
        os.chmod(root, 0o755)
        server = vsftpd.Vsftpd(root, write=True, user=VSFTPD_USER,
                               password=VSFTPD_PASSWORD).start()
        self.url = f"ftp://127.0.0.1:{server.port}/"
        self.login = ["--user", VSFTPD_USER]
        self.login_env = {"FERRY_PASSWORD": VSFTPD_PASSWORD}
        return server

    def prepare_root(self):
        # What the test wrote belongs to root; the served user must be able to change it.
        ferrytest.give_to(self.root, VSFTPD_USER)

    def remote_url(self, path):
        return self.url + path

    @property
    def url_for_prompt(self):
        return self.url


class InterruptedMirror(ServerCase):
    """Killed in the middle of a file, mirror leaves NAME.part; the next one continues it
    (REST) rather than starting again."""

    def start_server(self, root):
        server = ThrottledPyftpdlib(root, rate=128 * 1024).start()
        self.url = f"ftp://127.0.0.1:{server.port}/"
        self.login = ["--user", server.user]
        self.login_env = {"FERRY_PASSWORD": server.password}
        return server

    def test_interrupted_mirror_resumes(self):
        first_half = os.urandom(512 * 1024)
        second_half = os.urandom(512 * 1024)
        path = self.write(self.root, "big/file.bin", first_half + second_half)
        os.utime(path, (OLD, OLD))
        target = os.path.join(self.local, "copy")
        part = os.path.join(target, "file.bin.part")
        proc = subprocess.Popen([CLI, *self.login, "mirror", self.url + "big", target],
                                env=cli_env(**self.login_env), cwd=self.local,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        self.addCleanup(proc.kill)
        self.assertTrue(ferrytest.wait_until(
            lambda: os.path.exists(part) and os.path.getsize(part) > 200 * 1024, timeout=30))
        proc.kill()
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            stream.close()
        done_before = os.path.getsize(part)
        self.assertLess(done_before, len(first_half))

        # The server's first half changes without a trace (same size, same time): a copy
        # that starts again would take the new bytes, a resumed one keeps what it had.
        with open(path, "r+b") as f:
            f.write(bytes(256 * 1024))
        os.utime(path, (OLD, OLD))
        result = self.cli("mirror", self.url + "big", target, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertFalse(os.path.exists(part))
        data = self.read(target, "file.bin")
        self.assertEqual(len(data), 1024 * 1024)
        self.assertEqual(data[:done_before], first_half[:done_before])
        self.assertEqual(data[512 * 1024:], second_half)


if __name__ == "__main__":
    ferrytest.main()
