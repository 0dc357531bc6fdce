# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd's log never carries a client's control characters raw: a user name or a file name
with ESC sequences, BEL, backspace, C1 controls or invalid UTF-8 is written escaped (\\xNN),
on stderr and in the systemd journal, so it cannot erase or forge a line on a terminal."""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import ferrytest
from ferrytest import Ferryd, served_tree, wait_until

IS_ROOT = os.geteuid() == 0
FORGED_USER = b"victim\x1b[1A\x1b[2Kferryd[1]: 10.0.0.9: logged in as admin"
# ESC ] (set the terminal's title) … BEL, a backspace, U+009B (CSI in UTF-8), a raw 0x9B byte
HOSTILE_NAME = b"a\x1b]0;owned\x07b\x08c\xc2\x9bd\x9be.txt"
ESCAPED_NAME = "a\\x1B]0;owned\\x07b\\x08c\\xC2\\x9Bd\\x9Be.txt"
# bytes that never belong in a log line: C0 controls but the newline, DEL, C1 in UTF-8
RAW_CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


class RawSession:
    """A control connection speaking bytes (ftplib would encode names as text)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.file = self.sock.makefile("rb")
        self.reply()

    def reply(self):
        line = self.file.readline()
        while len(line) >= 4 and line[3:4] == b"-":
            line = self.file.readline()
        return line

    def command(self, line):
        self.sock.sendall(line + b"\r\n")
        return self.reply()

    def epsv_port(self):
        return int(re.search(rb"\(\|\|\|(\d+)\|\)", self.command(b"EPSV")).group(1))

    def close(self):
        self.file.close()
        self.sock.close()


def hostile_session(port):
    """What the review did: a forged user name, then an upload and a download of a file
    whose name holds terminal controls."""
    session = RawSession(port)
    session.command(b"USER " + FORGED_USER)
    session.command(b"PASS secret")   # refused (1 s delay): "failed login as …" is logged
    session.command(b"USER anonymous")
    assert session.command(b"PASS x").startswith(b"230")
    session.command(b"TYPE I")
    data = socket.create_connection(("127.0.0.1", session.epsv_port()), timeout=20)
    assert session.command(b"STOR " + HOSTILE_NAME)[:3] in (b"125", b"150")
    data.sendall(b"payload")
    data.close()
    assert session.reply().startswith(b"226")
    data = socket.create_connection(("127.0.0.1", session.epsv_port()), timeout=20)
    assert session.command(b"RETR " + HOSTILE_NAME)[:3] in (b"125", b"150")
    while data.recv(4096):
        pass
    data.close()
    assert session.reply().startswith(b"226")
    session.command(b"QUIT")
    session.close()


class LogEscapeTest(unittest.TestCase):
    def check_escaped(self, text):
        self.assertIsNone(RAW_CONTROL.search(text), text)
        self.assertIn(b"victim\\x1B[1A\\x1B[2Kferryd[1]: 10.0.0.9: logged in as admin", text)
        self.assertIn(b"STOR /" + ESCAPED_NAME.encode(), text)
        self.assertIn(b"RETR /" + ESCAPED_NAME.encode(), text)

    def test_stderr_has_no_raw_controls(self):
        with served_tree({}) as root, Ferryd(root, "--write") as server:
            hostile_session(server.port)
            log = lambda: server.log_text()
            wait_until(lambda: b"RETR /" in log(), timeout=5)
            self.assertTrue(os.path.exists(os.path.join(root.encode(), HOSTILE_NAME)))
            self.check_escaped(log())
            # one line per message: the forged "logged in as admin" is not a line of its own
            self.assertFalse(any(line.startswith(b"ferryd[1]") for line in log().splitlines()))

    def test_a_backslash_is_escaped_too(self):
        # else a file literally named "\x1B" would read as an escaped ESC
        with served_tree({"a\\x1Bb.txt": b"x"}) as root, Ferryd(root) as server:
            session = RawSession(server.port)
            session.command(b"USER anonymous")
            session.command(b"PASS x")
            session.command(b"SIZE x")
            data = socket.create_connection(("127.0.0.1", session.epsv_port()), timeout=20)
            session.command(b"RETR a\\x1Bb.txt")
            while data.recv(4096):
                pass
            data.close()
            session.reply()
            session.close()
            wait_until(lambda: b"RETR /" in server.log_text(), timeout=5)
            self.assertIn(b"RETR /a\\\\x1Bb.txt", server.log_text())

    def test_journal_fields_have_no_raw_controls(self):
        if not IS_ROOT:
            self.skipTest("needs root: a fake journal needs a mount namespace")
        ferrytest.need_program("unshare", "util-linux")
        with served_tree({}) as root, tempfile.TemporaryDirectory() as scratch:
            ferrytest.give_to_nobody(root)
            out = os.path.join(scratch, "journal.json")
            helper = os.path.join(os.path.dirname(ferrytest.__file__), "fakejournal.py")
            proc = subprocess.Popen(
                ["unshare", "--mount", "--propagation", "private", sys.executable, helper, out,
                 "--", ferrytest.FERRYD, "--root", root, "--write", "--bind", "127.0.0.1",
                 "--port", "0"],
                stdout=subprocess.PIPE, env=dict(os.environ, LANG="C", LC_ALL="C"))
            try:
                port = None
                deadline = time.monotonic() + 10
                while port is None and time.monotonic() < deadline:
                    line = proc.stdout.readline()
                    if not line:
                        break
                    m = re.search(rb"ftp://127\.0\.0\.1:(\d+)/", line)
                    port = int(m.group(1)) if m else None
                self.assertIsNotNone(port, "ferryd did not start under the fake journal")
                hostile_session(port)
                time.sleep(0.5)   # the session's last lines
            finally:
                proc.terminate()
                proc.wait(20)
                proc.stdout.close()
            with open(out) as f:
                entries = json.load(f)
        messages = [e.get("MESSAGE", "") for e in entries]
        self.assertTrue(any("logged in as anonymous" in m for m in messages), messages)
        everything = "\n".join(json.dumps(e) for e in entries)
        for entry in entries:
            for key, value in entry.items():
                self.assertIsNone(RAW_CONTROL.search(value.encode("latin-1")), (key, value))
        joined = "\n".join(messages).encode("latin-1")
        self.check_escaped(joined)
        files = [e["FERRYD_FILE"] for e in entries if "FERRYD_FILE" in e]
        self.assertIn("/" + ESCAPED_NAME, files, everything)
        users = [e["FERRYD_USER"] for e in entries if "FERRYD_USER" in e]
        self.assertIn("victim\\x1B[1A\\x1B[2Kferryd[1]: 10.0.0.9: logged in as admin", users)


if __name__ == "__main__":
    ferrytest.main()
