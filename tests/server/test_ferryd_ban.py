# SPDX-License-Identifier: GPL-3.0-or-later
"""The ban on brute force through a real ferryd: --max-login-failures failed logins from one
address, over several sessions, ban it (421 to new connections, logged once) while others
are served; they count as they happen, also while their sessions stay open. The ban
survives SIGHUP, ends after --ban-time, and is off with 0. The failed-login line matches the
fail2ban filter in data/fail2ban (with fail2ban-regex)."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import ferrytest
from ferrydproc import Server
from ferrytest import served_tree

FILTER = os.path.join(os.path.dirname(__file__), "..", "..", "data", "fail2ban", "ferryd.conf")


def fail_logins(port, source, count):
    """count failed logins in sessions of two each (a session allows three)."""
    while count > 0:
        with socket.create_connection(("127.0.0.1", port), timeout=10,
                                      source_address=(source, 0)) as s:
            f = s.makefile("rb")
            assert f.readline().startswith(b"220")
            for _ in range(min(2, count)):
                s.sendall(b"USER bob\r\nPASS wrong\r\n")
                f.readline()
                assert f.readline().startswith(b"530")
                count -= 1
            s.sendall(b"QUIT\r\n")
            f.readline()
            f.close()


def greeting(port, source):
    with socket.create_connection(("127.0.0.1", port), timeout=10,
                                  source_address=(source, 0)) as s:
        return s.recv(200)


class BanTest(unittest.TestCase):
    def start(self, *args):
        tree = served_tree({"f.txt": b"x"})
        root = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)
        server = Server(root, "--no-announce", *args)
        server.start()
        self.addCleanup(server.stop)
        return server

    def wait_for_ban(self, server, source, timeout=10):
        # The failures count when the session process has ended.
        deadline = time.monotonic() + timeout
        while not greeting(server.port, source).startswith(b"421"):
            self.assertLess(time.monotonic(), deadline, server.log_text()[-2000:])
            time.sleep(0.1)

    def test_ban_after_failures_over_several_sessions(self):
        server = self.start("--max-login-failures", "4")
        fail_logins(server.port, "127.0.0.5", 3)
        time.sleep(1)
        self.assertTrue(greeting(server.port, "127.0.0.5").startswith(b"220"))
        fail_logins(server.port, "127.0.0.5", 1)
        self.wait_for_ban(server, "127.0.0.5")
        for _ in range(3):
            self.assertEqual(greeting(server.port, "127.0.0.5"),
                             b"421 Too many failed logins from your address, try again later.\r\n")
        self.assertTrue(greeting(server.port, "127.0.0.6").startswith(b"220"))
        log = server.log_text()
        self.assertEqual(len(re.findall(r"banned 127\.0\.0\.5 for 600 seconds", log)), 1, log)
        self.assertEqual(len(re.findall(r"\]: 127\.0\.0\.5: failed login as bob$", log, re.M)), 4)

        # A reload keeps the ban.
        server.proc.send_signal(signal.SIGHUP)
        self.assertTrue(ferrytest.wait_until(lambda: "configuration reloaded" in server.log_text()))
        self.assertTrue(greeting(server.port, "127.0.0.5").startswith(b"421"))

    def test_failures_count_while_their_sessions_stay_open(self):
        # A guesser that never ends its sessions: each failure counts as it happens, so the
        # fourth is the last one it gets, not the fourth of every open session.
        server = self.start("--max-login-failures", "4")
        held = []
        for _ in range(2):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10,
                                         source_address=("127.0.0.10", 0))
            f = s.makefile("rb")
            self.assertTrue(f.readline().startswith(b"220"))
            for _ in range(2):
                s.sendall(b"USER bob\r\nPASS wrong\r\n")
                f.readline()
                self.assertTrue(f.readline().startswith(b"530"))
            held.append((s, f))
        self.wait_for_ban(server, "127.0.0.10")
        self.assertEqual(len(re.findall(r"banned 127\.0\.0\.10 for 600 seconds",
                                        server.log_text())), 1)
        # The sessions that failed are still there: the ban did not wait for their end.
        for s, f in held:
            s.sendall(b"NOOP\r\n")
            self.assertTrue(f.readline().startswith(b"200"))
            f.close()
            s.close()

    def test_ban_ends_after_ban_time(self):
        server = self.start("--max-login-failures", "2", "--ban-time", "2")
        fail_logins(server.port, "127.0.0.7", 2)
        self.wait_for_ban(server, "127.0.0.7")
        time.sleep(2.2)
        self.assertTrue(greeting(server.port, "127.0.0.7").startswith(b"220"))

    def test_zero_turns_it_off(self):
        server = self.start("--max-login-failures", "0")
        fail_logins(server.port, "127.0.0.8", 6)
        time.sleep(1)
        self.assertTrue(greeting(server.port, "127.0.0.8").startswith(b"220"))
        self.assertNotIn("banned", server.log_text())

    @unittest.skipUnless(shutil.which("fail2ban-regex"), "fail2ban is not installed (tools/deps.sh)")
    def test_fail2ban_filter_matches_the_failed_login_line(self):
        server = self.start("--max-login-failures", "0")
        fail_logins(server.port, "127.0.0.9", 3)
        self.assertTrue(ferrytest.wait_until(
            lambda: server.log_text().count("failed login") == 3))
        # As a syslog file or `journalctl -o short` shows them.
        stamp = time.strftime("%b %d %H:%M:%S")
        with tempfile.TemporaryDirectory() as folder:
            # Installed beside fail2ban's own common.conf, as in /etc/fail2ban/filter.d.
            shutil.copy(FILTER, os.path.join(folder, "ferryd.conf"))
            os.symlink("/etc/fail2ban/filter.d/common.conf", os.path.join(folder, "common.conf"))
            log = os.path.join(folder, "ferryd.log")
            with open(log, "w") as f:
                for line in server.log_text().splitlines():
                    f.write(f"{stamp} myhost {line}\n")
            result = subprocess.run(["fail2ban-regex", "-v", log,
                                     os.path.join(folder, "ferryd.conf")],
                                    capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"Failregex: 3 total")
        self.assertIn("127.0.0.9", result.stdout)
        self.assertNotRegex(result.stdout, r"Failregex: 3 total[\s\S]*127\.0\.0\.1\b")


if __name__ == "__main__":
    ferrytest.main()
