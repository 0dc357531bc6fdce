# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs test-window-usability (issue 17 items 10, 12 and 13: narrow windows, the connect
page at its default size, large folders, breadcrumbs, Ctrl+F, launch failures, URL paths
and the password prompt) against a real ferryd and pyftpdlib. The C program does the
checking; this file starts the servers, builds their folder and gives the program a
display and a private session bus.

Usage (meson does this): test_window_usability.py PATH-TO-test-window-usability
"""
import os
import subprocess
import sys
import unittest

import ferryapptest
import ferrytest

PROGRAM = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ.get("FERRY_TEST_PROGRAM")
FERRYD = os.environ.get("FERRYD")
SCREENSHOTS = os.environ.get("FERRY_TEST_SCREENSHOTS")
BIG_FOLDER_FILES = 2000
DEEP = "Backups/2019/projects/ferry-desktop-client/design-documents"


def server_tree():
    tree = {
        "notes.txt": b"Ferry moves files.\n" * 100,
        "photos/beach.jpg": b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40,
        "Documents/letter.odt": b"PK\x03\x04" + b"\0" * 20000,
        "Music/": None,
        "presentation.pdf": b"%PDF-1.7\n" + b"\0" * 240_000,
        "budget-2026.ods": b"PK\x03\x04" + b"\0" * 48000,
        "README.md": b"# Shared files\n",
        DEEP + "/minutes.txt": b"Deep, but the path stays visible.\n",
    }
    tree.update({f"big/file-{i:04d}.txt": f"file {i}\n".encode() for i in range(BIG_FOLDER_FILES)})
    return tree


def add_user(users, name, password):
    """ferryd --add-user writes the hash itself (it reads the password twice from stdin)."""
    subprocess.run([FERRYD, "--users", users, "--add-user", name],
                   input=f"{password}\n{password}\n".encode(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)


class UsabilityAgainstServers(unittest.TestCase):
    def setUp(self):
        missing = ferryapptest.missing_tools()
        if missing:
            self.skipTest(f"missing {', '.join(missing)}")
        if not PROGRAM:
            self.skipTest("test-window-usability was not built")

    def run_program(self, scratch, port, **extra):
        env = ferryapptest.gui_env(scratch, FERRY_TEST_HOSTPORT=f"127.0.0.1:{port}",
                                   FERRY_TEST_USER="ann", FERRY_TEST_PASSWORD="s3cret",
                                   FERRY_TEST_BIG_FILES=BIG_FOLDER_FILES,
                                   FERRY_TEST_DEEP="/" + DEEP,
                                   TMPDIR=scratch, **extra)
        if SCREENSHOTS:
            env["FERRY_TEST_SCREENSHOTS"] = SCREENSHOTS
        code, output = ferryapptest.run_cmocka_in_session(self, [PROGRAM], env, timeout=300)
        sys.stdout.write(output)
        self.assertEqual(code, 0, "test-window-usability failed (its output is above)")

    def test_against_ferryd(self):
        if not FERRYD or not os.path.exists(FERRYD):
            self.skipTest("ferryd was not built")
        with ferryapptest.scratch_dir() as scratch, \
                ferrytest.temp_tree(server_tree()) as root:
            users = os.path.join(scratch, "users")
            add_user(users, "ann", "s3cret")
            # The session reads it after dropping to the folder's owner.
            os.chmod(scratch, 0o755)
            os.chmod(users, 0o644)
            with ferrytest.Ferryd(root, "--write", "--users", users) as server:
                self.run_program(scratch, server.port)

    def test_against_pyftpdlib(self):
        with ferryapptest.scratch_dir() as scratch, \
                ferrytest.temp_tree(server_tree()) as root:
            with ferrytest.Pyftpdlib(root, user="ann", password="s3cret") as server:
                self.run_program(scratch, server.port)


if __name__ == "__main__":
    ferrytest.main()
