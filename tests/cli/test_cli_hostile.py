# SPDX-License-Identifier: GPL-3.0-or-later
"""ferry-cli against a scripted hostile server (tests/client/hostile_server.py), with its
real output captured on a pty: names, replies and folders full of terminal controls reach
the terminal escaped (as sftp does since CVE-2019-6109), never raw; a listing of gigabytes
is cut at the engine's byte budget with a clear error."""
import os
import re
import subprocess
import sys
import unittest

import ferrytest
from clitest import Terminal, cli_env

sys.path.insert(0, os.path.join(os.environ.get("FERRY_SOURCE_ROOT", "."), "tests", "client"))
from hostile_server import HostileServer  # noqa: E402

# Characters a terminal acts on: C0 but the line end, DEL, C1. ferry-cli's own "\r\x1b[K"
# (wiping its progress line) is the only control sequence it may write, and is removed
# before looking; bytes that are not UTF-8 (a raw 0x9B is a CSI to some terminals) fail.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


class HostileTerminalTests(unittest.TestCase):
    def setUp(self):
        tree = ferrytest.temp_tree()
        self.local = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)
        self.server = HostileServer("terminal").__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)

    def run_on_terminal(self, *args):
        env = cli_env(TERM="dumb", HOME=self.local, XDG_CONFIG_HOME=self.local)
        term = Terminal(list(args), self.local, env)
        self.addCleanup(term.close)
        status = term.wait(30)
        return status, term.output

    def assert_no_raw_controls(self, output):
        shown = output.replace(b"\r\x1b[K", b"").replace(b"\r\n", b"\n").replace(b"\r", b"")
        shown = shown.decode("utf-8")      # fails on a raw byte that is not UTF-8
        found = RAW.search(shown)
        self.assertIsNone(found, f"raw control {found and found.group()!r} in {shown!r}")

    def test_ls_escapes_names(self):
        status, output = self.run_on_terminal("ls", self.server.url)
        self.assertEqual(status, 0, output)
        self.assert_no_raw_controls(output)
        for shown in (rb"title\x1B]0;pwned\x07.txt", rb"clear\x1B[2J\x1B[H.txt",
                      rb"bell\x07\x07.txt", rb"back\x08\x08\x08\x08fake.txt",
                      rb"csi\u009B31m.txt", rb"raw\x9B31m.txt", rb"del\x7F.txt",
                      b"ok.txt"):
            self.assertIn(shown, output)

    def test_reply_text_is_escaped(self):
        status, output = self.run_on_terminal("get", self.server.url + "refused.txt")
        self.assertEqual(status, 1, output)
        self.assert_no_raw_controls(output)
        self.assertIn(rb"\x1B]0;owned\x07\x1B[2J\u009B1mdenied\x08\x08", output)

    def test_unsafe_download_name_is_refused_and_escaped(self):
        # The remote name would become a local name holding a C1 CSI: refused, and the
        # progress line and the error show it escaped.
        status, output = self.run_on_terminal("get", self.server.url + "csi%C2%9B31m.txt")
        self.assertEqual(status, 1, output)
        self.assert_no_raw_controls(output)
        self.assertEqual([n for n in os.listdir(self.local) if not n.startswith(".")], [])

    def test_prompt_escapes_the_folder(self):
        env = cli_env(TERM="dumb", HOME=self.local, XDG_CONFIG_HOME=self.local)
        term = Terminal([self.server.url], self.local, env)
        self.addCleanup(term.close)
        term.read_until(rb"ftp:/home\\x1B\]0;pwd\\x07> ")
        term.type("quit\r")
        self.assertEqual(term.wait(), 0, term.output)
        self.assert_no_raw_controls(term.output)


class UnsafeNamesTests(unittest.TestCase):
    """get -r of a folder holding unsafe names: each is left out with one escaped warning,
    the rest arrives, and the command ends with exit status 1 and a count."""

    UNSAFE = ("../escape.txt", "a\\b.txt", "bell\\x07.txt", "csi\\u009B1m.txt",
              "nul\\0evil.txt", "../../up.txt")

    def setUp(self):
        self._outer = ferrytest.temp_tree()
        self.outer = self._outer.__enter__()
        self.addCleanup(self._outer.__exit__, None, None, None)
        self.local = os.path.join(self.outer, "chosen")
        os.mkdir(self.local)
        self.server = HostileServer("mixed-names").__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)

    def get(self, *args):
        env = cli_env(TERM="dumb", HOME=self.outer, XDG_CONFIG_HOME=self.outer)
        term = Terminal(["get", "-r", *args], self.local, env)
        self.addCleanup(term.close)
        return term.wait(30), term.output

    def tree(self, top):
        found = []
        for folder, _, files in os.walk(top):
            found += [os.path.relpath(os.path.join(folder, f), top) for f in files]
        return sorted(found)

    def test_unsafe_entries_are_skipped_and_the_rest_arrives(self):
        status, output = self.get(self.server.url + "top")
        self.assertEqual(status, 1, output)
        text = output.decode()
        warnings = [line for line in text.splitlines() if "skipped “" in line]
        self.assertEqual(len(warnings), len(self.UNSAFE), text)
        for name in self.UNSAFE:
            self.assertEqual(len([line for line in warnings if f"skipped “{name}” in " in line
                                  and "not a name that can be saved safely" in line]), 1, text)
        self.assertIn("6 items skipped: unsafe names", text.splitlines()[-1])
        self.assertNotIn("\x07", text)
        self.assertNotIn("\x9b", text)
        self.assertEqual(self.tree(self.local), ["top/fine.txt", "top/sub/deep.txt"])
        self.assertEqual([n for n in os.listdir(self.outer) if n != ".cache"], ["chosen"])

    def test_the_servers_root_goes_into_a_folder_named_after_the_host(self):
        status, output = self.get(self.server.url)
        self.assertEqual(status, 1, output)       # the unsafe names under /top
        self.assertEqual(self.tree(self.local), ["127.0.0.1/root.txt", "127.0.0.1/top/fine.txt",
                                                 "127.0.0.1/top/sub/deep.txt"])

    def test_the_servers_root_into_dest(self):
        status, output = self.get(self.server.url, "copy")
        self.assertEqual(status, 1, output)
        self.assertEqual(self.tree(self.local), ["copy/root.txt", "copy/top/fine.txt",
                                                 "copy/top/sub/deep.txt"])


class HostileListingTests(unittest.TestCase):
    def test_huge_names_keep_memory_flat(self):
        # 40,000 entries with 60 KB names: 2.4 GB of listing, far under any entry count.
        # Before the byte budget ferry-cli's peak RSS reached 7 GB; now the engine stops
        # reading at 64 MiB of entries.
        with HostileServer("huge-listing") as server:
            process = subprocess.Popen([ferrytest.FERRY_CLI, "ls", server.url],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       stdin=subprocess.DEVNULL, env=cli_env(),
                                       start_new_session=True)
            _, status, usage = os.wait4(process.pid, 0)
            stderr = process.stderr.read().decode()
            process.stderr.close()
        peak_mib = usage.ru_maxrss / 1024
        print(f"# peak RSS of ferry-cli: {peak_mib:.0f} MiB", file=sys.stderr)
        self.assertEqual(os.waitstatus_to_exitcode(status), 1, stderr)
        lines = stderr.splitlines()
        self.assertEqual(len(lines), 1, stderr)
        self.assertIn("larger than the limit of 64.0\u00a0MiB", lines[0])
        sanitized = os.environ.get("FERRY_SANITIZE", "none") != "none"
        self.assertLess(peak_mib, 400 if sanitized else 160, stderr)

    def test_endless_folders_of_long_names_keep_memory_bounded(self):
        # Each listing is under the listing budget, but 40 of them hold 2.4 GB of names:
        # the folder walk of get -r stops at its own budget of names.
        local = ferrytest.temp_tree()
        folder = local.__enter__()
        self.addCleanup(local.__exit__, None, None, None)
        with HostileServer("huge-tree") as server:
            process = subprocess.Popen([ferrytest.FERRY_CLI, "get", "-r", server.url, "copy"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       stdin=subprocess.DEVNULL, env=cli_env(), cwd=folder,
                                       start_new_session=True)
            _, status, usage = os.wait4(process.pid, 0)
            stderr = process.stderr.read().decode()
            process.stderr.close()
        peak_mib = usage.ru_maxrss / 1024
        print(f"# peak RSS of ferry-cli get -r: {peak_mib:.0f} MiB", file=sys.stderr)
        self.assertEqual(os.waitstatus_to_exitcode(status), 1, stderr)
        self.assertIn("take more than the limit of 256.0\u00a0MiB", stderr)
        sanitized = os.environ.get("FERRY_SANITIZE", "none") != "none"
        self.assertLess(peak_mib, 1200 if sanitized else 640, stderr)


if __name__ == "__main__":
    ferrytest.main()
