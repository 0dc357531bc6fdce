"""Shared helpers for Ferry's integration tests: start real servers on loopback.

Every integration test runs under Debian's /usr/bin/python3 (it has pyftpdlib) and finds
the built programs through environment variables that meson sets: FERRYD, FERRY_CLI,
FERRY_APP (when the GUI is built) and FERRY_SOURCE_ROOT.
"""
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

FERRYD = os.environ.get("FERRYD", "ferryd")
FERRY_CLI = os.environ.get("FERRY_CLI", "ferry-cli")
SOURCE_ROOT = os.environ.get("FERRY_SOURCE_ROOT",
                             os.path.dirname(os.path.dirname(os.path.dirname(
                                 os.path.abspath(__file__)))))

_URL_PORT = re.compile(rb"ftps?://(?:\[[^\]]*\]|[^:/\s]+):(\d+)/")


def free_port(host="127.0.0.1"):
    """A port that was free a moment ago (for peers that cannot pick their own)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for_port(host, port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with socket.create_connection((host, port), timeout=0.5):
                return
        time.sleep(0.02)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


def direct_children(pid):
    """PIDs of the processes pid (any of its threads) has started and not yet lost."""
    found = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
    return found


def _process_name(pid):
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    return None


def give_to_nobody(path):
    """ferryd never serves as root: started as root it runs as the served folder's owner and
    refuses a root-owned folder. Tests run as root in CI, so hand the tree to 'nobody'."""
    import pwd
    owner = pwd.getpwnam("nobody")
    for folder, dirs, files in os.walk(path):
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), owner.pw_uid, owner.pw_gid,
                     follow_symlinks=False)
    parent = os.path.dirname(os.path.abspath(path))
    if os.stat(parent).st_mode & 0o005 != 0o005 and parent.startswith(tempfile.gettempdir()):
        os.chmod(parent, 0o755)


class Ferryd:
    """A real ferryd process on an ephemeral loopback port.

    with Ferryd(root, "--write") as server:
        ftplib.FTP().connect("127.0.0.1", server.port)
    """

    def __init__(self, root, *args, host="127.0.0.1", env=None, start_timeout=10.0):
        self.root = str(root)
        self.host = host
        self.args = list(args)
        self.env = dict(os.environ, LANG="C", LC_ALL="C", **(env or {}))
        self.start_timeout = start_timeout
        self.proc = None
        self.port = None
        self.banner = b""
        self.log = None
        self._final_log = b""

    def start(self):
        if os.geteuid() == 0 and "--run-as" not in self.args:
            give_to_nobody(self.root)
        cmd = [FERRYD, "--root", self.root, "--bind", self.host, "--port", "0"] + self.args
        # The log goes to a file: a pipe nobody reads would fill and block the server.
        self.log = tempfile.TemporaryFile(prefix="ferryd-log-")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log,
                                     env=self.env)
        deadline = time.monotonic() + self.start_timeout
        line = b""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.banner += line
            m = _URL_PORT.search(line)
            if m:
                self.port = int(m.group(1))
                return self
        self.stop()
        err = self.log_text()
        raise RuntimeError(f"ferryd did not start: {self.banner!r} {err!r}")

    @property
    def url(self):
        return f"ftp://{self.host}:{self.port}/"

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        if self.log and not self.log.closed:
            self._final_log = self.log_text()
            self.log.close()
        return self.proc.returncode if self.proc else None

    def log_text(self):
        """Everything ferryd wrote to stderr so far (all of it, once stopped)."""
        if self.log is None or self.log.closed:
            return self._final_log
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def children(self):
        """PIDs of every process below the listener (the session zygote, its idle forks and
        the sessions), depth first."""
        found = []
        todo = direct_children(self.proc.pid)
        while todo:
            child = todo.pop(0)
            found.append(child)
            todo = direct_children(child) + todo
        return found

    def sessions(self):
        """PIDs of the processes serving a client (their comm is "ferryd-session")."""
        return [pid for pid in self.children() if _process_name(pid) == "ferryd-session"]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


_PYFTPDLIB_CODE = """
import json, logging, sys
from pyftpdlib import handlers
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.servers import FTPServer
logging.basicConfig(level=logging.ERROR)
cfg = json.loads(sys.argv[1])
authorizer = DummyAuthorizer()
authorizer.add_user(cfg["user"], cfg["password"], cfg["root"], perm=cfg["perm"])
if cfg["anonymous"]:
    authorizer.add_anonymous(cfg["root"])
handler = getattr(handlers, cfg["handler"])
handler.authorizer = authorizer
for name, value in cfg["handler_settings"].items():
    setattr(handler, name, value)
if cfg["dtp_settings"]:
    dtp = handlers.ThrottledDTPHandler
    for name, value in cfg["dtp_settings"].items():
        setattr(dtp, name, value)
    handler.dtp_handler = dtp
server = FTPServer(("127.0.0.1", 0), handler)
print(server.socket.getsockname()[1], flush=True)
server.serve_forever()
"""


class Pyftpdlib:
    """pyftpdlib (Debian's python3-pyftpdlib) on a loopback port it picks itself (port 0, so
    no other test can take it first), with a user/password login and anonymous.

    handler: "FTPHandler" or "TLS_FTPHandler"; handler_settings: class attributes to set on
    it (certfile, tls_control_required, …); dtp_settings: ThrottledDTPHandler attributes
    (read_limit, write_limit) to slow the data connections down.
    """

    def __init__(self, root, user="user", password="secret", write=True, anonymous=True,
                 handler="FTPHandler", handler_settings=None, dtp_settings=None):
        self.root = str(root)
        self.user = user
        self.password = password
        self.write = write
        self.anonymous = anonymous
        self.handler = handler
        self.handler_settings = dict(handler_settings or {})
        self.dtp_settings = dict(dtp_settings or {})
        self.proc = None
        self.port = None

    def start(self):
        import json
        cfg = {"root": self.root, "user": self.user, "password": self.password,
               "perm": "elradfmwMT" if self.write else "elr", "anonymous": self.anonymous,
               "handler": self.handler, "handler_settings": self.handler_settings,
               "dtp_settings": self.dtp_settings}
        self.log = tempfile.TemporaryFile(prefix="pyftpdlib-log-")
        self.proc = subprocess.Popen(["/usr/bin/python3", "-c", _PYFTPDLIB_CODE,
                                      json.dumps(cfg)],
                                     stdout=subprocess.PIPE, stderr=self.log)
        line = self.proc.stdout.readline()
        if not line.strip().isdigit():
            self.stop()
            self.log.seek(0)
            raise RuntimeError(f"pyftpdlib did not start: {line!r} {self.log.read()!r}")
        self.port = int(line)
        return self

    @property
    def url(self):
        return f"ftp://{self.user}:{self.password}@127.0.0.1:{self.port}/"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def all_bytes_payload(repeat=64):
    """Every byte value, CR and LF pairs included, so text-mode mangling shows."""
    return (bytes(range(256)) + b"\r\n\n\r") * repeat


@contextlib.contextmanager
def temp_tree(files=None):
    """A temporary folder with files given as {relative path: bytes}; folders end in '/'."""
    with tempfile.TemporaryDirectory(prefix="ferry-test-") as root:
        for rel, data in (files or {}).items():
            path = os.path.join(root, rel)
            if rel.endswith("/"):
                os.makedirs(path, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        yield root


def main():
    """Run the unittest module that imports this, with a summary line CI can read."""
    import unittest
    prog = unittest.main(module="__main__", exit=False, verbosity=2)
    result = prog.result
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"{passed} passed, {failed} failed, {len(result.skipped)} skipped")
    sys.exit(1 if failed or result.testsRun == 0 else 0)
