# SPDX-License-Identifier: GPL-3.0-or-later
"""The test machinery stops what a test started however the test ends: a failed assertion,
an exception, a server left from setUpClass, SIGTERM (meson's time-out) and SIGKILL. Runs
leaky_module.py, whose tests leave servers running on purpose, and checks that none of its
servers' processes survive, and that the tests which left them are reported as failed."""
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import ferrytest

LEAKY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "leaky_module.py")


def group_of(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[2])
    except OSError:
        return None


class Cleanup(unittest.TestCase):
    def setUp(self):
        if not ferrytest.os.path.exists(ferrytest.FERRYD):
            self.skipTest(f"ferryd is not built ({ferrytest.FERRYD})")
        self.pids_file = self.enterContext(tempfile.NamedTemporaryFile(prefix="leaky-pids-"))
        self.addCleanup(self.kill_what_is_left)

    def kill_what_is_left(self):
        """If the machinery failed, this test must not leak in turn."""
        for pid in self.server_pids():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)

    def server_pids(self):
        with open(self.pids_file.name) as f:
            return [int(line) for line in f if line.strip().isdigit()]

    def survivors(self, pgid):
        return ferrytest.group_members(pgid)

    def assert_all_gone(self, timeout=10.0):
        pids = self.server_pids()
        self.assertTrue(pids, "leaky_module.py started no server")
        for pid in pids:
            left = ferrytest.wait_until(lambda: not self.survivors(pid), timeout=timeout)
            self.assertTrue(left, f"server {pid} left {self.survivors(pid)} running")

    def env(self, **extra):
        return dict(os.environ, LEAKY_PIDS=self.pids_file.name, **extra)

    def test_failed_tests_lose_their_servers_and_fail_for_it(self):
        proc = subprocess.run([sys.executable, LEAKY], env=self.env(), capture_output=True,
                              text=True, timeout=120)
        self.assertEqual(proc.returncode, 1, proc.stdout)
        lines = proc.stdout.splitlines()
        leftover = [line for line in lines if line.endswith(": leftover processes")]
        self.assertEqual(len(leftover), 3, proc.stdout)
        self.assertIn("test_ferryd_with_a_session_then_a_failed_assertion", leftover[0])
        self.assertIn("test_pyftpdlib_then_an_error", leftover[1])
        self.assertIn("the test module", leftover[2])     # setUpClass's, never torn down
        # The session ferryd served, its zygote and its idle processes were named.
        report = proc.stdout.split(leftover[0], 1)[1]
        self.assertIn("ferryd-zygote", report.split("\nnot ok", 1)[0])
        self.assertEqual(len(self.server_pids()), 3)
        self.assert_all_gone(timeout=2.0)

    def hang_then(self, sig):
        proc = subprocess.Popen([sys.executable, LEAKY, "FailsMidway.test_hangs_until_killed"],
                                env=self.env(LEAKY_HANG="1"), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self.addCleanup(ferrytest.stop_process, proc)

        def hanging():
            with open(self.pids_file.name) as f:
                return "hanging" in f.read()
        self.assertTrue(ferrytest.wait_until(hanging, timeout=30), "the server did not start")
        (pid,) = self.server_pids()
        self.assertEqual(group_of(pid), pid, "a server runs in a process group of its own")
        self.assertTrue(self.survivors(pid))
        proc.send_signal(sig)
        proc.wait(30)
        self.assert_all_gone()

    def test_timeout_sigterm_stops_the_servers(self):
        self.hang_then(signal.SIGTERM)

    def test_sigkill_of_the_test_still_stops_the_servers(self):
        self.hang_then(signal.SIGKILL)


if __name__ == "__main__":
    ferrytest.main()
