"""Helpers for ferry-cli's integration tests: run the real ferry-cli, and the servers it
talks to (ferrytest's Ferryd and Pyftpdlib, plus a bandwidth-limited pyftpdlib so a
transfer lasts long enough to be interrupted)."""
import os
import subprocess
import sys
import unittest

import ferrytest

CLI = ferrytest.FERRY_CLI


def cli_env(**extra):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
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
        super().__init__(root, **kwargs)
        self.rate = rate

    def start(self):
        perm = "elradfmwMT" if self.write else "elr"
        code = (
            "import logging\n"
            "from pyftpdlib.authorizers import DummyAuthorizer\n"
            "from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler\n"
            "from pyftpdlib.servers import FTPServer\n"
            "logging.basicConfig(level=logging.ERROR)\n"
            "a = DummyAuthorizer()\n"
            f"a.add_user({self.user!r}, {self.password!r}, {self.root!r}, perm={perm!r})\n"
            "d = ThrottledDTPHandler\n"
            f"d.read_limit = {self.rate}\n"
            f"d.write_limit = {self.rate}\n"
            "h = FTPHandler\n"
            "h.authorizer = a\n"
            "h.dtp_handler = d\n"
            f"FTPServer(('127.0.0.1', {self.port}), h).serve_forever()\n"
        )
        self.proc = subprocess.Popen(["/usr/bin/python3", "-c", code],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ferrytest.wait_for_port("127.0.0.1", self.port)
        return self


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

    def cli(self, *args, stdin_text=None, cwd=None, timeout=60):
        """ferry-cli with this server's login (user name option, password in the environment)."""
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

    def start_server(self, root):
        if not have_ferryd():
            self.skipTest(f"ferryd is not built ({ferrytest.FERRYD})")
        server = ferrytest.Ferryd(root, "--write").start()
        self.url = server.url
        self.login = []
        self.login_env = {}
        return server


def tree_files(root):
    """{relative path: bytes} of every file under root."""
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, root)] = f.read()
    return found


sys.dont_write_bytecode = True
