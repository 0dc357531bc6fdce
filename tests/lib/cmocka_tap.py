# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a cmocka test program so meson reads its cases as TAP (protocol: 'tap').

cmocka 1.1.5 prints a skipped case as "not ok N # SKIP name", which TAP reads as a failure;
it becomes "ok N - name # SKIP". GLib warnings abort (G_DEBUG=fatal-warnings): the code
under test reports problems as GErrors, a warning there is a bug.

Usage: cmocka_tap.py PROGRAM [ARG...]
"""
import os
import re
import signal
import subprocess
import sys

CMOCKA_SKIP = re.compile(r"not ok (\d+) # SKIP (.*)$")


def fix_line(line):
    """One line of cmocka's TAP output, with its skip spelled so TAP reads a skip."""
    m = CMOCKA_SKIP.match(line)
    return f"ok {m[1]} - {m[2]} # SKIP" if m else line


def environment(base=None):
    return dict(base if base is not None else os.environ,
                CMOCKA_MESSAGE_OUTPUT="TAP", G_DEBUG="fatal-warnings")


def main():
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, env=environment())
    for raw in proc.stdout:
        print(fix_line(raw.decode("utf-8", "replace").rstrip("\n")), flush=True)
    status = proc.wait()
    if status < 0:
        print(f"# {sys.argv[1]} died of signal {signal.Signals(-status).name}", flush=True)
        return 128 - status
    return status


if __name__ == "__main__":
    sys.exit(main())
