# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for tests that watch ferryd's processes: a ferryd whose log goes to a file, its
process tree seen through /proc, raw control connections. (Served folders, wait_until and
the /proc walks themselves are in ferrytest.)

The tree: the listener (ferryd) → its session zygote(s) ("ferryd-zygote") → forked session
processes, idle ("ferryd-idle") or serving a client ("ferryd-session")."""
import os
import socket
import subprocess

import ferrytest
from ferrytest import direct_children, process_name, wait_until

IDLE_NAME = "ferryd-idle"
SESSION_NAME = "ferryd-session"
ZYGOTE_NAME = "ferryd-zygote"
IS_ROOT = os.geteuid() == 0


def process_state(pid):
    """The state letter of /proc/PID/stat (R, S, Z, …), None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return None


def process_parent(pid):
    """The PPID of /proc/PID/stat, None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None


def process_threads(pid):
    """The Threads: count of /proc/PID/status, None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def process_uids(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Uid:"):
                return [int(x) for x in line.split()[1:]]
    raise AssertionError(f"no Uid line for {pid}")


class Server(ferrytest.Ferryd):
    """ferrytest.Ferryd with its log as text and views of its session processes."""

    def log_text(self):
        return super().log_text().decode(errors="replace")

    def children_named(self, name):
        return [pid for pid in self.children() if process_name(pid) == name]

    def zygotes(self):
        # The listener's children only: a child the zygote has just forked bears its name
        # for a moment, until it names itself.
        return [pid for pid in direct_children(self.proc.pid)
                if process_name(pid) == ZYGOTE_NAME]

    def wait_zygote(self, timeout=5.0):
        """The one running zygote (waits until there is exactly one)."""
        wait_until(lambda: len(self.zygotes()) == 1, timeout)
        pids = self.zygotes()
        if len(pids) != 1:
            raise AssertionError(f"{len(pids)} zygotes: {pids}")
        return pids[0]

    def sessions(self):
        return self.children_named(SESSION_NAME)

    def idle(self):
        return self.children_named(IDLE_NAME)

    def zombies(self):
        return [pid for pid in self.children() if process_state(pid) == "Z"]

    def wait_sessions(self, count, timeout=5.0):
        """Waits until exactly count session processes run; returns their PIDs."""
        wait_until(lambda: len(self.sessions()) == count, timeout)
        pids = self.sessions()
        if len(pids) != count:
            raise AssertionError(f"{len(pids)} session processes, expected {count}")
        return pids


class Client:
    """A raw control connection: what the server says first, and single commands."""

    def __init__(self, port, host="127.0.0.1", source=None, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        self.file = self.sock.makefile("rb")
        self.greeting = self.reply()

    def reply(self):
        """One reply (multi-line replies joined); b'' if the server closed."""
        first = self.file.readline()
        if len(first) >= 4 and first[3:4] == b"-":
            code = first[:3] + b" "
            lines = [first]
            while True:
                line = self.file.readline()
                lines.append(line)
                if not line or line.startswith(code):
                    break
            return b"".join(lines)
        return first

    def command(self, line):
        self.sock.sendall(line.encode() + b"\r\n")
        return self.reply()

    def closed_by_server(self):
        """True once the server closed the connection (whatever it said before)."""
        try:
            self.file.read()
            return True
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False

    def close(self):
        self.file.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_ferryd(*args, timeout=10.0, **kwargs):
    """ferryd expected to stop by itself: (exit code, stdout, stderr)."""
    proc = subprocess.run([ferrytest.FERRYD, *args], capture_output=True, timeout=timeout,
                          env=dict(os.environ, LANG="C", LC_ALL="C"), **kwargs)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()
