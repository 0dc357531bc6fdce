# SPDX-License-Identifier: GPL-3.0-or-later
"""ferry-cli's prompt on a pty, as a person types: Tab completes remote names (quoted when
they hold spaces), folders (no space after, so Tab goes on inside), local names for the
local commands, and sees a new folder after mkdir; history is kept in
$XDG_STATE_HOME/ferry/history (capped) and Ctrl+R searches it; get -r shows one progress line
for the tree and Ctrl+C cancels it, keeping the session."""
import os
import re
import unittest

import ferrytest
from clitest import Terminal, ThrottledPyftpdlib, cli_env
from test_cli_tty import PROMPT, built_with_readline


class TerminalCase:
    """A pyftpdlib server (throttled to rate bytes/s when set) and ferry-cli on a pty."""
    rate = None

    def setUp(self):
        tree = ferrytest.temp_tree()
        self.root = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)
        tree = ferrytest.temp_tree()
        self.local = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)
        if self.rate:
            self.server = ThrottledPyftpdlib(self.root, rate=self.rate).start()
        else:
            self.server = ferrytest.Pyftpdlib(self.root).start()
        self.addCleanup(self.server.stop)
        self.url = f"ftp://127.0.0.1:{self.server.port}/"
        self.state = os.path.join(self.local, ".state")

    def write(self, base, rel, data):
        path = os.path.join(base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    def start(self):
        env = cli_env(TERM="xterm", COLUMNS="100", HOME=self.local, INPUTRC=os.devnull,
                      XDG_STATE_HOME=self.state, FERRY_PASSWORD="secret",
                      XDG_CONFIG_HOME=os.path.join(self.local, ".config"))
        term = Terminal(["--user", "user", self.url], self.local, env)
        self.addCleanup(term.close)
        term.read_until(PROMPT)
        return term

    def finish(self, term):
        term.type("quit\r")
        self.assertEqual(term.wait(), 0)


@unittest.skipUnless(built_with_readline(), "ferry-cli was built without GNU readline")
class Completion(TerminalCase, unittest.TestCase):

    def test_remote_names_with_spaces_complete_quoted(self):
        self.write(self.root, "my holiday photo.jpg", b"sun")
        self.write(self.root, "other.txt", b"x")
        term = self.start()
        term.type("get my\t")
        # readline puts the name in quotes (what the prompt reads back as one word).
        term.read_until(rb'"my holiday photo\.jpg" ')
        term.type("\r")
        term.read_until(PROMPT)
        # An opened quote is completed and closed.
        term.type('get "oth\t')
        term.read_until(rb'get "other\.txt" ')
        term.type("\r")
        term.read_until(PROMPT)
        self.finish(term)
        with open(os.path.join(self.local, "my holiday photo.jpg"), "rb") as f:
            self.assertEqual(f.read(), b"sun")
        self.assertTrue(os.path.exists(os.path.join(self.local, "other.txt")))

    def test_folders_complete_without_a_space_and_go_on_inside(self):
        self.write(self.root, "photos/2024/beach.jpg", b"b")
        term = self.start()
        term.type("ls pho\t")
        term.read_until(rb"ls photos/")
        term.type("2\t")
        term.read_until(rb"2024/")
        term.type("b\t")
        term.read_until(rb"each\.jpg ")
        term.type("\r")
        term.read_until(rb"beach\.jpg\r\n")
        term.read_until(PROMPT)
        self.finish(term)

    def test_new_folder_completes_after_mkdir(self):
        self.write(self.root, "alpha/x", b"x")
        term = self.start()
        term.type("cd al\t")             # lists the root: now cached
        term.read_until(rb"cd alpha/")
        term.type(b"\x15")               # Ctrl+U: forget the line
        term.type("mkdir beta\r")
        term.read_until(PROMPT)
        term.type("cd be\t")
        term.read_until(rb"cd beta/")
        term.type("\r")
        term.read_until(rb"ftp:/beta> ")
        self.finish(term)

    def test_local_names_for_local_commands(self):
        os.makedirs(os.path.join(self.local, "local-folder"))
        self.write(self.root, "local-on-server.txt", b"r")
        term = self.start()
        term.type("lcd local-f\t")
        term.read_until(rb"lcd local-folder/")
        term.type("\r")
        term.read_until(PROMPT)
        term.type("lpwd\r")
        term.read_until(rb"local-folder\r\n")
        self.finish(term)

    def test_command_names(self):
        term = self.start()
        term.type("mir\t")
        term.read_until(rb"mirror ")
        term.type(b"\x15")
        term.type("by\t")
        term.read_until(rb"bye ")
        term.type("\r")
        self.assertEqual(term.wait(), 0)

    def test_history_file_capped_and_ctrl_r(self):
        folder = os.path.join(self.state, "ferry")
        os.makedirs(folder)
        with open(os.path.join(folder, "history"), "w") as f:
            f.writelines(f"pwd # old line {i}\n" for i in range(1500))
        term = self.start()
        term.type("lpwd\r")
        term.read_until(PROMPT)
        term.type("pwd\r")
        term.read_until(PROMPT)
        term.type(b"\x12lpw")            # Ctrl+R, then the start of a line typed before
        term.read_until(rb"reverse-i-search")
        term.read_until(rb"w': ")
        term.type("\r")
        term.read_until(re.escape(os.path.realpath(self.local).encode()) + rb"\r\n")
        self.finish(term)
        with open(os.path.join(folder, "history")) as f:
            lines = f.read().splitlines()
        self.assertLessEqual(len(lines), 1000)
        self.assertEqual(lines[-3:], ["pwd", "lpwd", "quit"])


class TreeProgress(TerminalCase, unittest.TestCase):
    rate = 64 * 1024     # per connection: a 512 KiB file takes 8 s

    def test_get_r_progress_line_and_ctrl_c(self):
        for i in range(12):
            self.write(self.root, f"tree/f{i % 3}/file-{i}.bin", os.urandom(512 * 1024))
        term = self.start()
        term.type("get -r tree\r")
        # One line for the tree: files done of all, files/s, a bar, bytes and time left.
        term.read_until(rb"\r0/12 files 0 files/s tree +\[[= >]*\] +\d+% ")
        term.read_until(rb"\r0/12 files 0 files/s tree .*\r0/12 files 0 files/s tree")
        term.type(b"\x03")
        term.read_until(rb"(?i)cancelled the download of tree")
        term.read_until(PROMPT, timeout=15)
        term.type("pwd\r")
        term.read_until(rb"[\r\n]/\r\n")
        self.finish(term)


if __name__ == "__main__":
    ferrytest.main()
