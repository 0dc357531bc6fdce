# SPDX-License-Identifier: GPL-3.0-or-later
"""The app on one LAN host finds the ferryd servers of the other: test-lan-discovery (a real
FerryWindow) runs in host B's namespace under Xvfb, with host B's avahi-daemon; the servers
run in host A. The C program does the checking.

Usage (meson does this): test_lan_app.py PATH-TO-test-lan-discovery
"""
import os
import shlex
import subprocess
import sys
import tempfile
import unittest

import ferryapptest
import ferrytest
from ferrytest import served_tree
from lanlab import LanFerryd, LanLab

PROGRAM = sys.argv.pop(1) if len(sys.argv) > 1 else None
SCREENSHOTS = os.environ.get("FERRY_TEST_SCREENSHOTS")


def add_user(users, name, password):
    subprocess.run([ferrytest.FERRYD, "--users", users, "--add-user", name],
                   input=f"{password}\n{password}\n".encode(), check=True,
                   capture_output=True, timeout=30)


class AppOnTheLan(unittest.TestCase):
    def setUp(self):
        missing = ferryapptest.missing_tools()
        if missing:
            self.skipTest(f"missing {', '.join(missing)}")
        if not PROGRAM:
            self.skipTest("test-lan-discovery was not built")

    def test_connect_page_lists_and_opens_servers_of_the_other_host(self):
        files = {"from-host-a.txt": b"hello\n", "Photos/": None}
        with LanLab() as lab, ferryapptest.scratch_dir() as scratch, \
                served_tree(files) as root, served_tree() as late_root, \
                tempfile.TemporaryDirectory() as folder:
            a, b = lab.hosts
            users = os.path.join(folder, "users")
            add_user(users, "alice", "wonderland")
            ferrytest.give_to_nobody(late_root)
            late = shlex.join(a.command(["env", f"DBUS_SYSTEM_BUS_ADDRESS={a.bus_address}",
                                         ferrytest.FERRYD, "--root", late_root, "--port", "0",
                                         "--name", "Late arrival"]))
            # A NAS's FTPS, as Avahi's own tool announces it (nothing needs to listen).
            nas = a.popen(["avahi-publish", "-s", "Secure NAS", "_ftps._tcp", "990", "path=/"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.addCleanup(lambda: (nas.terminate(), nas.wait()))
            with LanFerryd(a, root, "--name", "Shared photos"), \
                    LanFerryd(a, root, "--name", "Members only", "--users", users):
                env = ferryapptest.gui_env(scratch, FERRY_TEST_OPEN_NAME="Shared photos",
                                           FERRY_TEST_OPEN_FILE="from-host-a.txt",
                                           FERRY_TEST_LOGIN_NAME="Members only",
                                           FERRY_TEST_TLS_NAME="Secure NAS",
                                           FERRY_TEST_LATE_FERRYD=late, TMPDIR=scratch,
                                           DBUS_SYSTEM_BUS_ADDRESS=b.bus_address)
                if SCREENSHOTS:
                    env["FERRY_TEST_SCREENSHOTS"] = SCREENSHOTS
                with ferryapptest.Xvfb() as xvfb:
                    env["DISPLAY"] = xvfb.display
                    env.pop("WAYLAND_DISPLAY", None)
                    proc = subprocess.run(b.command(["dbus-run-session", "--", PROGRAM]),
                                          env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, timeout=240)
                sys.stdout.write(proc.stdout.decode(errors="replace"))
                self.assertEqual(proc.returncode, 0, "test-lan-discovery failed (above)")


class AppWithoutAvahi(unittest.TestCase):
    def test_no_avahi_says_so(self):
        if ferryapptest.missing_tools() or not PROGRAM:
            self.skipTest("needs Xvfb and test-lan-discovery")
        with ferryapptest.scratch_dir() as scratch:
            env = ferryapptest.gui_env(scratch, FERRY_TEST_NO_AVAHI="1", TMPDIR=scratch,
                                       DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={scratch}/no-bus")
            code, output = ferryapptest.run_in_session([PROGRAM], env, timeout=120)
            sys.stdout.write(output)
            self.assertEqual(code, 0, "test-lan-discovery failed (above)")
            self.assertIn("[       OK ] test_without_avahi", output)


if __name__ == "__main__":
    ferrytest.main()
