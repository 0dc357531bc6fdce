# SPDX-License-Identifier: GPL-3.0-or-later
"""The suite's last test: no process it started survives. Looks for processes running a
program of this build folder (ferryd, ferryd-zygote, the sessions, ferry-cli, the app…) or
carrying this build's FERRY_BUILD_ROOT in their environment (pyftpdlib, vsftpd, pure-ftpd
and anything else a test started); reports and kills them.

meson runs it last (priority -1000) and alone (is_parallel: false). Two `meson test` runs
on one build folder at once would see each other's processes."""
import os
import signal
import time
import unittest

import ferrytest

BUILD_ROOT = os.path.realpath(os.environ.get("FERRY_BUILD_ROOT", ""))


def _stat(pid):
    """The fields of /proc/PID/stat after the command name: state, parent, group, …"""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def ours():
    """(pid, name, why) of this build's processes, other than this test and its parents."""
    mine = set()
    pid = os.getpid()
    while pid > 1:
        mine.add(pid)
        pid = int(_stat(pid)[1])
    found = []
    marker = f"FERRY_BUILD_ROOT={BUILD_ROOT}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in mine:
            continue
        try:
            if _stat(entry)[0] == "Z":
                continue
            why = None
            try:
                exe = os.readlink(f"/proc/{entry}/exe")
                if exe.startswith(BUILD_ROOT + os.sep):
                    why = exe
            except OSError:
                pass
            if why is None:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if marker in f.read().split(b"\0"):
                        why = "started by this build's tests"
        except OSError:
            continue
        if why:
            found.append((int(entry), ferrytest.process_name(int(entry)), why))
    return found


class NothingLeft(unittest.TestCase):
    def test_no_process_of_the_suite_survives(self):
        self.assertTrue(BUILD_ROOT and os.path.isdir(BUILD_ROOT), "FERRY_BUILD_ROOT is not set")
        # Servers stopped by the last tests may take a moment to see their last child go.
        if ferrytest.wait_until(lambda: not ours(), timeout=5.0):
            return
        left = ours()
        for pid, _, _ in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
        self.fail("processes the tests started are still running (killed now):\n"
                  + "\n".join(f"  {pid} {name}: {why}" for pid, name, why in left))


if __name__ == "__main__":
    ferrytest.main()
