# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs test-background-portal (the portal client and a real share window) next to a fake
Background portal (fake_background_portal.py) on a private session bus, under Xvfb.

Usage (meson does this): test_background_portal.py PATH-TO-test-background-portal
"""
import os
import sys
import unittest

import ferryapptest
import ferrytest

PROGRAM = sys.argv.pop(1) if len(sys.argv) > 1 else None
FAKE_PORTAL = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "fake_background_portal.py")


class BackgroundPortal(unittest.TestCase):
    def test_asks_the_portal_and_handles_its_answers(self):
        missing = ferryapptest.missing_tools()
        if missing:
            self.skipTest(f"missing {', '.join(missing)}")
        if not PROGRAM:
            self.skipTest("test-background-portal was not built")
        # A download that lasts: 64 MiB at 512 KiB/s.
        with ferryapptest.scratch_dir() as scratch, \
                ferrytest.served_tree({"Shared/a.txt": b"a\n"}) as top, \
                ferrytest.temp_tree({"slow.bin": b"\0" * (64 << 20)}) as slow_root, \
                ferrytest.Pyftpdlib(slow_root, dtp_settings={"write_limit": 512 << 10}) \
                as slow:
            ferrytest.give_to_nobody(top)
            answer = os.path.join(scratch, "answer")
            with open(answer, "w") as f:
                f.write("allow\n")
            env = ferryapptest.gui_env(
                scratch, FERRY_TEST_PORTAL_ANSWER=answer,
                FERRY_TEST_PORTAL_LOG=os.path.join(scratch, "portal.log"),
                FERRY_TEST_SHARE_FOLDER=os.path.join(top, "Shared"),
                FERRY_TEST_SLOW_URL=f"ftp://127.0.0.1:{slow.port}/",
                FERRY_FERRYD=ferrytest.FERRYD, TMPDIR=scratch, XDG_RUNTIME_DIR=scratch,
                # No Avahi: the share is not announced on the machine's network.
                DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={scratch}/no-system-bus")
            code, output = ferryapptest.run_cmocka_in_session(
                self, ["/usr/bin/python3", FAKE_PORTAL, PROGRAM], env, timeout=120)
            sys.stdout.write(output)
            self.assertEqual(code, 0, "test-background-portal failed (its output is above)")


if __name__ == "__main__":
    ferrytest.main()
