# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for ferry-cli's integration tests: run the real ferry-cli, and the servers it
talks to (ferrytest's Ferryd and Pyftpdlib, plus a bandwidth-limited pyftpdlib so a
transfer lasts long enough to be interrupted)."""
import os
import pty
import re
import select
import signal
import subprocess
import time
import unittest

import ferrytest

CLI = ferrytest.FERRY_CLI


def cli_env(**extra):
    # ferry-cli reports problems itself: a GLib warning in it is a bug, and aborts.
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", G_DEBUG="fatal-warnings")
    env.pop("FERRY_PASSWORD", None)
    env.update(extra)
    return env


def run_cli(*args, stdin_text=None, cwd=None, timeout=60, **env):
    """Runs ferry-cli without a controlling terminal (a new session), as a script would."""
    return subprocess.run([CLI, *args], input=stdin_text, capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, env=cli_env(**env),
                          start_new_session=True,
                          stdin=None if stdin_text is not None else subprocess.DEVNULL)


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


def have_ferryd():
    return os.path.isfile(ferrytest.FERRYD) and os.access(ferrytest.FERRYD, os.X_OK)


class ThrottledPyftpdlib(ferrytest.Pyftpdlib):
    """pyftpdlib sending at most `rate` bytes per second on data connections."""

    def __init__(self, root, rate=64 * 1024, **kwargs):
        super().__init__(root, anonymous=False,
                         dtp_settings={"read_limit": rate, "write_limit": rate}, **kwargs)


class ServerCase(unittest.TestCase):
    """A test case with a fresh server root per test; subclasses pick the server.

    self.root is the served folder, self.url the server's URL (with credentials for
    pyftpdlib), self.local a scratch folder for the client's side."""

    writable = True

    def start_server(self, root):
        raise NotImplementedError

    def setUp(self):
        self._trees = []
        self.root = self.make_tree()
        self.local = self.make_tree()
        self.server = self.start_server(self.root)
        self.addCleanup(self.server.stop)

    def prepare_root(self):
        """Called before each ferry-cli run: lets the server use what the test wrote."""

    def cli(self, *args, stdin_text=None, cwd=None, timeout=60):
        """ferry-cli with this server's login (user name option, password in the environment)."""
        self.prepare_root()
        return run_cli(*self.login, *args, stdin_text=stdin_text, cwd=cwd or self.local,
                       timeout=timeout, **self.login_env)

    def make_tree(self, files=None):
        tree = ferrytest.temp_tree(files)
        path = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)
        return path

    def write(self, base, rel, data):
        path = os.path.join(base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def read(self, base, rel):
        with open(os.path.join(base, rel), "rb") as f:
            return f.read()


class PyftpdlibCase(ServerCase):
    server_name = "pyftpdlib"

    def start_server(self, root):
        server = ferrytest.Pyftpdlib(root).start()
        self.url = f"ftp://127.0.0.1:{server.port}/"
        self.login = ["--user", server.user]
        self.login_env = {"FERRY_PASSWORD": server.password}
        return server


class FerrydCase(ServerCase):
    server_name = "ferryd"

    def prepare_root(self):
        ferrytest.give_to_nobody(self.root)

    def start_server(self, root):
        if not have_ferryd():
            self.skipTest(f"ferryd is not built ({ferrytest.FERRYD})")
        server = ferrytest.Ferryd(root, "--write").start()
        self.url = server.url
        self.login = []
        self.login_env = {}
        return server


class TlsPyftpdlib(ferrytest.Pyftpdlib):
    """pyftpdlib with explicit FTPS (AUTH TLS), protected data channels required."""

    def __init__(self, root, cert, key, **kwargs):
        super().__init__(root, anonymous=False, handler="TLS_FTPHandler", handler_settings={
            "certfile": cert, "keyfile": key,
            "tls_control_required": True, "tls_data_required": True}, **kwargs)


class Terminal:
    """ferry-cli as the session leader of a new pty, so the pty is its controlling terminal
    and a typed Ctrl+C becomes SIGINT the way it does for a person."""

    def __init__(self, args, cwd, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.chdir(cwd)
                os.execve(CLI, [CLI, *args], env)
            finally:
                os._exit(127)
        self.output = b""
        self.cursor = 0      # where the next read_until starts looking

    def type(self, text):
        os.write(self.fd, text.encode() if isinstance(text, str) else text)

    def read_until(self, pattern, timeout=20.0):
        """Reads until pattern (bytes regex) matches the output after the previous match;
        returns the match."""
        regex = re.compile(pattern) if isinstance(pattern, bytes) else pattern
        start = self.cursor
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.output, start)
            if match:
                self.cursor = match.end()
                return match
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {regex.pattern!r}; "
                                     f"output so far: {self.output[start:]!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"ferry-cli ended while waiting for {regex.pattern!r}; "
                                         f"output: {self.output[start:]!r}")
                self.output += chunk

    def wait(self, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.pid = 0
                return os.waitstatus_to_exitcode(status)
            with_data, _, _ = select.select([self.fd], [], [], 0.05)
            if with_data:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    pass
        raise AssertionError("ferry-cli did not exit")

    def close(self):
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
