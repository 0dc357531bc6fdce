# SPDX-License-Identifier: GPL-3.0-or-later
"""Not a test of Ferry: the module test_harness_cleanup.py runs, with tests that fail or die
while their servers run, in every way a real test can. Each server's pid goes to the file
named by LEAKY_PIDS so the caller can check that none of them survives."""
import os
import socket
import time
import unittest

import ferrytest

TREE = {"a.txt": b"a\n"}


def note(server):
    with open(os.environ["LEAKY_PIDS"], "a") as f:
        f.write(f"{server.proc.pid}\n")
    return server


class FailsMidway(unittest.TestCase):
    def test_ferryd_with_a_session_then_a_failed_assertion(self):
        root = self.enterContext(ferrytest.temp_tree(TREE))
        server = note(ferrytest.Ferryd(root).start())     # never stopped: no with, no cleanup
        client = socket.create_connection(("127.0.0.1", server.port))
        self.addCleanup(client.close)
        self.assertTrue(client.recv(100).startswith(b"220"))
        ferrytest.wait_until(server.sessions)
        self.assertEqual(1, 2, "fails on purpose with ferryd and a session running")

    def test_pyftpdlib_then_an_error(self):
        root = self.enterContext(ferrytest.temp_tree(TREE))
        note(ferrytest.Pyftpdlib(root).start())
        raise RuntimeError("errors on purpose with pyftpdlib running")

    def test_hangs_until_killed(self):
        if not os.environ.get("LEAKY_HANG"):
            self.skipTest("only when the caller kills the run")
        root = self.enterContext(ferrytest.temp_tree(TREE))
        note(ferrytest.Ferryd(root).start())
        with open(os.environ["LEAKY_PIDS"], "a") as f:
            f.write("hanging\n")
        time.sleep(600)


class ClassServerWithoutTeardown(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tree = ferrytest.temp_tree(TREE)
        cls.root = cls.tree.__enter__()
        cls.server = note(ferrytest.Ferryd(cls.root).start())

    def test_passes(self):
        self.assertIsNotNone(self.server.port)


if __name__ == "__main__":
    ferrytest.main()
