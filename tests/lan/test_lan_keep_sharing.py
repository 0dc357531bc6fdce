# SPDX-License-Identifier: GPL-3.0-or-later
"""Keep Sharing end to end on the LAN lab: the app (test-lan-keep-sharing, a real
FerryApplication registered on its session bus) shares a folder on host A; the user closes
the sharing window, answers Keep Sharing and closes the main window too. The app must keep
running with no window on screen and the share must stay reachable from host B; stopping
it later (`gapplication action … stop-sharing`, or `ferry` run again then Quit) ends ferryd,
and the app with it when nothing else is open.

Usage (meson does this): test_lan_keep_sharing.py PATH-TO-test-lan-keep-sharing
"""
import os
import subprocess
import sys
import unittest

import ferryapptest
import ferrytest
from ferrytest import descendants, served_tree, wait_until
from lanlab import LanLab, LineProgram, alive

PROGRAM = sys.argv.pop(1) if len(sys.argv) > 1 else None
FERRY_APP = os.environ.get("FERRY_APP")
APP_ID = "io.github.ferryftp.Ferry"
RUNNING = 2   # FERRY_SHARE_RUNNING


class KeepSharing(unittest.TestCase):
    FILES = {"Shared/notes.txt": b"kept\n"}

    def setUp(self):
        missing = ferryapptest.missing_tools()
        if missing:
            self.skipTest(f"missing {', '.join(missing)}")
        if not PROGRAM or not FERRY_APP:
            self.skipTest("the app was not built")

    def run_app(self, scenario):
        with LanLab() as lab, ferryapptest.scratch_dir() as scratch, \
                served_tree(self.FILES) as top, ferryapptest.Xvfb() as xvfb:
            a, b = lab.hosts
            folder = os.path.join(top, "Shared")
            ferrytest.give_to_nobody(top)
            env = ferryapptest.gui_env(scratch, FERRY_TEST_SHARE_FOLDER=folder,
                                       FERRY_FERRYD=ferrytest.FERRYD, TMPDIR=scratch,
                                       DBUS_SYSTEM_BUS_ADDRESS=a.bus_address,
                                       XDG_RUNTIME_DIR=scratch, DISPLAY=xvfb.display)
            env.pop("WAYLAND_DISPLAY", None)
            proc = subprocess.Popen(a.command(["dbus-run-session", "--", PROGRAM]), env=env,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT)
            program = LineProgram(proc, "test-lan-keep-sharing")
            try:
                _, url, pid, bus = program.expect("READY")
                tree = [int(pid)] + descendants(int(pid))
                # The desktop's own tools, on the app's session bus.
                desktop = dict(env, DBUS_SESSION_BUS_ADDRESS=bus)
                program.tell("CLOSE")
                program.expect("KEPT")
                # No window on screen, the app still runs, and so does its ferryd:
                # host B downloads from it.
                self.assertIsNone(proc.poll(), "the app quit with its last window")
                got = b.run(["curl", "-sS", "--max-time", "20", url + "notes.txt"])
                self.assertEqual(got.stdout, b"kept\n", got.stderr)
                scenario(a, program, desktop)
                self.assertTrue(wait_until(lambda: not any(alive(p) for p in tree), 15),
                                [p for p in tree if alive(p)])
                self.assertNotEqual(b.run(["curl", "-sS", "--max-time", "5", url]).returncode,
                                    0)
            finally:
                if proc.poll() is None:
                    proc.stdin.close()   # the program ends on EOF
                    try:
                        proc.wait(30)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                proc.wait()
                program.rest()
                proc.stdout.close()
                if not proc.stdin.closed:
                    proc.stdin.close()
                sys.stdout.write("".join("# " + line for line in
                                         "".join(program.output).splitlines(True)))

    def gapplication(self, a, desktop, action):
        done = a.run(["gapplication", "action", APP_ID, action], env=desktop)
        self.assertEqual(done.returncode, 0, done.stderr)

    def test_stop_sharing_action_ends_ferryd_and_the_app(self):
        def scenario(a, program, desktop):
            self.gapplication(a, desktop, "stop-sharing")
            # Nothing else was open: the app ends once ferryd has.
            _, status = program.expect("EXITED")
            self.assertEqual(program.proc.wait(20), 0)

        self.run_app(scenario)

    def test_reopening_shows_the_share_and_quit_ends_it(self):
        def scenario(a, program, desktop):
            # `ferry` again (the launcher, a second instance): it hands over to the running
            # app, which shows a main window and the sharing window again.
            again = a.run([FERRY_APP], env=desktop, timeout=60)
            self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
            # The handover is a D-Bus message the running app handles when it gets to it:
            # a main window and the sharing window shown, still sharing.
            def handed_over():
                program.tell("WINDOWS")
                main_windows, share_visible, state = (int(n) for n in
                                                      program.expect("WINDOWS")[1:])
                return main_windows >= 1 and share_visible == 1 and state == RUNNING
            self.assertTrue(wait_until(handed_over, 20, interval=0.2),
                            "".join(program.output[-3:]))
            # Quit (Ctrl+Q, or from outside): sharing stops with the app.
            self.gapplication(a, desktop, "quit")
            program.expect("EXITED")
            self.assertEqual(program.proc.wait(20), 0)

        self.run_app(scenario)


if __name__ == "__main__":
    ferrytest.main()
