# SPDX-License-Identifier: GPL-3.0-or-later
"""ferry-cli on a terminal, driven through a pty: the progress bar appears (and fits an
80-column terminal with a Chinese file name), Ctrl+C during a slow download cancels the
transfer and keeps the session, Ctrl+C at the prompt clears the typed line, and the password
prompt does not echo."""
import fcntl
import os
import re
import struct
import subprocess
import termios
import time
import unicodedata
import unittest

import ferrytest
from clitest import CLI, Terminal, ThrottledPyftpdlib, cli_env

PROMPT = re.compile(rb"ftp:[^\r\n]*> $")


def columns(text):
    """Terminal columns text takes: wide (CJK) characters two, combining ones none."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def built_with_readline():
    libraries = subprocess.run(["ldd", CLI], capture_output=True, text=True).stdout
    return "libreadline" in libraries


class TerminalSession(unittest.TestCase):
    def setUp(self):
        tree = ferrytest.temp_tree()
        self.root = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)
        tree = ferrytest.temp_tree()
        self.local = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)
        # 64 KiB/s: a 1 MiB file takes 16 s, long enough to see the bar and interrupt it.
        self.server = ThrottledPyftpdlib(self.root, rate=64 * 1024).start()
        self.addCleanup(self.server.stop)
        self.url = f"ftp://127.0.0.1:{self.server.port}/"

    def start(self, *args, password="secret"):
        # HOME and the XDG folders in the test's folder: the prompt keeps its history there.
        env = cli_env(TERM="xterm", COLUMNS="100", HOME=self.local, INPUTRC=os.devnull,
                      XDG_STATE_HOME=os.path.join(self.local, ".state"),
                      XDG_CONFIG_HOME=os.path.join(self.local, ".config"))
        if password is not None:
            env["FERRY_PASSWORD"] = password
        term = Terminal(["--user", "user", *args], self.local, env)
        self.addCleanup(term.close)
        return term

    def test_progress_bar_and_ctrl_c_cancels_only_the_transfer(self):
        with open(os.path.join(self.root, "slow.bin"), "wb") as f:
            f.write(os.urandom(1024 * 1024))
        with open(os.path.join(self.root, "small.txt"), "wb") as f:
            f.write(b"small\n")
        term = self.start(self.url)
        term.read_until(PROMPT)

        term.type("get slow.bin\r")
        # The bar: name, a percentage, a rate, redrawn in place with carriage returns.
        term.read_until(rb"\rslow\.bin +\[[= >]*\] +\d+% .*/s")
        term.read_until(rb"\rslow\.bin .*\d+% .*\rslow\.bin .*\d+%")
        term.type(b"\x03")
        term.read_until(rb"(?i)cancel[^\r\n]*slow\.bin")
        term.read_until(PROMPT, timeout=10)

        # The session is still usable after the cancelled transfer.
        term.type("get small.txt\r")
        term.read_until(PROMPT)
        with open(os.path.join(self.local, "small.txt"), "rb") as f:
            self.assertEqual(f.read(), b"small\n")
        self.assertFalse(os.path.exists(os.path.join(self.local, "slow.bin")))

        term.type("quit\r")
        self.assertEqual(term.wait(), 0)

    def test_ctrl_c_at_the_prompt_clears_the_line(self):
        term = self.start(self.url)
        term.read_until(PROMPT)
        term.type("frobnicate")
        term.read_until(rb"frobnicate")
        term.type(b"\x03")
        term.read_until(PROMPT)
        term.type("pwd\r")
        term.read_until(rb"[\r\n]/\r\n")
        self.assertNotIn(b"frobnicate:", term.output)
        self.assertNotIn(b"nknown", term.output)
        term.read_until(PROMPT)
        term.type(b"\x04")   # Ctrl+D ends the session like quit
        self.assertEqual(term.wait(), 0)

    def test_tab_completes_command_names(self):
        if not built_with_readline():
            self.skipTest("ferry-cli was built without GNU readline (libreadline-dev)")
        term = self.start(self.url)
        term.read_until(PROMPT)
        term.type("pw\t")
        term.read_until(rb"pwd ")
        term.type("\r")
        term.read_until(rb"[\r\n]/\r\n")
        term.type("quit\r")
        self.assertEqual(term.wait(), 0)

    def test_history_is_kept_between_sessions(self):
        if not built_with_readline():
            self.skipTest("ferry-cli was built without GNU readline (libreadline-dev)")
        term = self.start(self.url)
        term.read_until(PROMPT)
        term.type("lpwd\r")
        term.read_until(PROMPT)
        term.type("quit\r")
        self.assertEqual(term.wait(), 0)

        term = self.start(self.url)
        term.read_until(PROMPT)
        term.type("\x1b[A")   # Up: the last line of the previous session…
        term.read_until(rb"quit")
        term.type("\x1b[A")   # …and the one before it
        term.read_until(rb"lpwd")
        term.type("\r")
        term.read_until(re.escape(os.path.realpath(self.local).encode()) + rb"\r\n")
        term.type("quit\r")
        self.assertEqual(term.wait(), 0)

    def test_password_prompt_does_not_echo(self):
        term = self.start(self.url, password=None)
        term.read_until(rb"(?i)password[^\r\n]*: ")
        term.type("secret\r")
        term.read_until(PROMPT)
        self.assertNotIn(b"secret", term.output)
        term.type("quit\r")
        self.assertEqual(term.wait(), 0)

    def test_progress_line_fits_an_80_column_terminal_with_a_chinese_name(self):
        # "Every photo of the summer holiday by the sea, 2025" twice: 50 characters that
        # take 100 columns.
        name = "二零二五年夏天在海边度假时拍的全部照片" * 2 + "十二张.jpg"
        with open(os.path.join(self.root, name), "wb") as f:
            f.write(os.urandom(192 * 1024))
        term = self.start(self.url)
        fcntl.ioctl(term.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        term.read_until(PROMPT)
        term.type(f"get {name}\r")
        term.read_until(rb"100% ")
        term.read_until(PROMPT)
        term.type("quit\r")
        self.assertEqual(term.wait(), 0)
        drawn = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", part.split("\n")[0])
                 for part in term.output.decode("utf-8").split("\r")]
        bars = [line for line in drawn if re.search(r"\d+% ", line)]
        self.assertGreater(len(bars), 0, term.output)
        for line in bars:
            # One column short of the terminal, so the cursor never wraps.
            self.assertEqual(columns(line), 79, line)
        self.assertIn("…", bars[-1])
        self.assertEqual(os.path.getsize(os.path.join(self.local, name)), 192 * 1024)

    def test_one_shot_get_shows_a_bar_on_a_terminal(self):
        with open(os.path.join(self.root, "medium.bin"), "wb") as f:
            f.write(os.urandom(256 * 1024))
        started = time.monotonic()
        term = self.start("get", self.url + "medium.bin")
        self.assertEqual(term.wait(timeout=30), 0)
        elapsed = time.monotonic() - started
        self.assertRegex(term.output, rb"medium\.bin +\[=+\] +100% ")
        # Redrawn in place, at most about ten times a second (plus the final state).
        redraws = term.output.count(b"\rmedium.bin ")
        self.assertGreater(redraws, 2)
        self.assertLessEqual(redraws, elapsed * 10 + 3)
        self.assertEqual(os.path.getsize(os.path.join(self.local, "medium.bin")), 256 * 1024)


if __name__ == "__main__":
    ferrytest.main()
