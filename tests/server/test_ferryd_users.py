# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd --add-user (on a terminal and from a pipe) and logging in with the users file."""
import ftplib
import io
import os
import pty
import select
import subprocess
import time
import unittest

import ferrytest
from ferrydproc import IS_ROOT, Server, run_ferryd
from ferrytest import served_tree


def add_user_from_pipe(users, name, text):
    return run_ferryd("--add-user", name, "--users", users, input=text.encode())


def login(port, user, password):
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", port, timeout=10)
    try:
        return ftp.login(user, password)
    finally:
        ftp.close()


class AddUser(unittest.TestCase):
    def test_from_a_pipe_reads_two_lines(self):
        with served_tree() as folder:
            users = os.path.join(folder, "users")
            code, out, err = add_user_from_pipe(users, "alice", "s3cret\ns3cret\n")
            self.assertEqual(code, 0, err)
            with open(users) as f:
                text = f.read()
            self.assertIn("[alice]", text)
            self.assertRegex(text, r"password=\$y\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+\$")
            self.assertNotIn("s3cret", text)
            self.assertEqual(os.stat(users).st_mode & 0o777, 0o600)

    def test_different_passwords_change_nothing(self):
        with served_tree() as folder:
            users = os.path.join(folder, "users")
            code, _, err = add_user_from_pipe(users, "alice", "one\ntwo\n")
            self.assertEqual(code, 1)
            self.assertIn("differ", err)
            self.assertFalse(os.path.exists(users))
            code, _, err = add_user_from_pipe(users, "alice", "only-once\n")
            self.assertEqual(code, 1)
            self.assertFalse(os.path.exists(users))
            code, _, err = add_user_from_pipe(users, "alice", "\n\n")
            self.assertEqual(code, 1)
            self.assertIn("empty", err)

    def test_needs_a_users_file(self):
        code, _, err = run_ferryd("--add-user", "alice", input=b"x\nx\n")
        self.assertEqual(code, 2)
        self.assertIn("--users", err)

    def test_on_a_terminal_echo_is_off(self):
        with served_tree() as folder:
            users = os.path.join(folder, "users")
            pid, fd = pty.fork()
            if pid == 0:
                try:
                    os.execv(ferrytest.FERRYD, [ferrytest.FERRYD, "--add-user", "bob",
                                                "--users", users])
                finally:
                    os._exit(127)
            seen = b""
            try:
                seen += _read_until(fd, b"New password for bob: ")
                os.write(fd, b"pty-secret\n")
                seen += _read_until(fd, b"again")
                os.write(fd, b"pty-secret\n")
                seen += _read_until(fd, b"")
            finally:
                status = _wait_or_kill(pid)
                os.close(fd)
            self.assertEqual(os.waitstatus_to_exitcode(status), 0, seen)
            self.assertNotIn(b"pty-secret", seen)
            with open(users) as f:
                self.assertIn("password=$y$", f.read())


def _wait_or_kill(pid, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    os.kill(pid, 9)
    return os.waitpid(pid, 0)[1]


def _read_until(fd, marker, timeout=10.0):
    """What the terminal showed until marker (or until the program ended, for b"")."""
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
        if marker and marker in data:
            return data
    if marker:
        raise AssertionError(f"never saw {marker!r}: {data!r}")
    return data


class Login(unittest.TestCase):
    def test_users_file_logins(self):
        with served_tree({"a.txt": b"a"}) as root:
            users = os.path.join(root, "..", os.path.basename(root) + ".users")
            users = os.path.abspath(users)
            try:
                code, _, err = add_user_from_pipe(users, "alice", "wonderland\nwonderland\n")
                self.assertEqual(code, 0, err)
                if IS_ROOT:
                    os.chmod(users, 0o600)   # root-only: ferryd reads it before the drop
                with Server(root, "--users", users) as server:
                    self.assertTrue(login(server.port, "alice", "wonderland").startswith("230"))
                    with self.assertRaises(ftplib.error_perm):
                        login(server.port, "alice", "looking-glass")
                    with self.assertRaises(ftplib.error_perm):
                        login(server.port, "mallory", "wonderland")
                    # with a users file, anonymous only when asked for
                    with self.assertRaises(ftplib.error_perm):
                        login(server.port, "anonymous", "guest@")
                with Server(root, "--users", users, "--anonymous") as server:
                    self.assertTrue(login(server.port, "anonymous", "guest@").startswith("230"))
                    self.assertTrue(login(server.port, "alice", "wonderland").startswith("230"))
            finally:
                if os.path.exists(users):
                    os.unlink(users)

    def test_anonymous_reads_and_a_user_with_write_uploads(self):
        # --add-user NAME --write: that user may upload while anonymous clients only read
        # (what Ferry's "People with the password can upload too" share runs).
        with served_tree({"a.txt": b"a"}) as root:
            users = os.path.abspath(os.path.join(root, "..", os.path.basename(root) + ".w"))
            try:
                code, _, err = run_ferryd("--add-user", "alice", "--users", users, "--write",
                                          input=b"wonderland\nwonderland\n")
                self.assertEqual(code, 0, err)
                with open(users) as f:
                    self.assertIn("write=true", f.read())
                # A new password without --write leaves the right as it was.
                code, _, err = add_user_from_pipe(users, "alice", "rabbit\nrabbit\n")
                self.assertEqual(code, 0, err)
                with open(users) as f:
                    self.assertIn("write=true", f.read())
                if IS_ROOT:
                    os.chmod(users, 0o600)
                with Server(root, "--users", users, "--anonymous") as server:
                    anonymous = ftplib.FTP()
                    anonymous.connect("127.0.0.1", server.port, timeout=10)
                    anonymous.login()
                    chunks = []
                    anonymous.retrbinary("RETR a.txt", chunks.append)
                    self.assertEqual(b"".join(chunks), b"a")
                    with self.assertRaisesRegex(ftplib.error_perm, "^55[03]"):
                        anonymous.storbinary("STOR up.txt", io.BytesIO(b"x"))
                    anonymous.quit()
                    self.assertFalse(os.path.exists(os.path.join(root, "up.txt")))

                    alice = ftplib.FTP()
                    alice.connect("127.0.0.1", server.port, timeout=10)
                    alice.login("alice", "rabbit")
                    alice.storbinary("STOR up.txt", io.BytesIO(b"from alice"))
                    alice.quit()
                    with open(os.path.join(root, "up.txt"), "rb") as f:
                        self.assertEqual(f.read(), b"from alice")
                    with self.assertRaises(ftplib.error_perm):
                        login(server.port, "alice", "wonderland")
            finally:
                if os.path.exists(users):
                    os.unlink(users)


if __name__ == "__main__":
    ferrytest.main()
