# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs test-conflict (name clashes through a real FerryWindow, issue 17 item 11) against a
real ferryd with write access, under Xvfb and a private D-Bus session. The C program does
the checking; this file builds the served folder and starts the server.

Usage (meson does this): test_conflict.py PATH-TO-test-conflict
"""
import os
import sys
import unittest

import ferryapptest
import ferrytest

# Before test_window is imported: it takes its own program from sys.argv too.
TEST_CONFLICT = sys.argv.pop(1) if len(sys.argv) > 1 else None
from test_window import add_user  # noqa: E402
FERRYD = os.environ.get("FERRYD")


class ConflictsAgainstFerryd(unittest.TestCase):
    def test_against_ferryd(self):
        missing = ferryapptest.missing_tools()
        if missing:
            self.skipTest(f"missing {', '.join(missing)}")
        if not TEST_CONFLICT or not FERRYD or not os.path.exists(FERRYD):
            self.skipTest("ferryd or test-conflict was not built")
        tree = {
            "notes.txt": b"Ferry moves files.\n" * 100,
            "photos/a.txt": b"server a\n" * 50,
            "photos/b.txt": ferrytest.all_bytes_payload(4),
            "photos/c.txt": b"server c\n" * 30,
            "docs/x.txt": b"server x\n",
            "docs/w.txt": b"server w\n",
        }
        with ferryapptest.scratch_dir() as scratch, ferrytest.temp_tree(tree) as root:
            users = os.path.join(scratch, "users")
            add_user(users, "ann", "s3cret")
            os.chmod(scratch, 0o755)
            os.chmod(users, 0o644)
            with ferrytest.Ferryd(root, "--write", "--users", users) as server:
                env = ferryapptest.gui_env(
                    scratch, FERRY_TEST_URL=f"ftp://ann:s3cret@127.0.0.1:{server.port}/",
                    FERRY_TEST_ROOT=root, TMPDIR=scratch)
                code, output = ferryapptest.run_cmocka_in_session(self, [TEST_CONFLICT], env,
                                                                  timeout=300)
                sys.stdout.write(output)
                self.assertEqual(code, 0, "test-conflict failed (its output is above)")


if __name__ == "__main__":
    ferrytest.main()
