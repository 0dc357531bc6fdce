# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for Ferry's integration tests: start real servers on loopback.

Every integration test runs under Debian's /usr/bin/python3 (it has pyftpdlib) and finds
the built programs through environment variables that meson sets: FERRYD, FERRY_CLI,
FERRY_APP (when the GUI is built) and FERRY_SOURCE_ROOT.

tests/lib is on every test's PYTHONPATH; a test imports helpers from here, never from
another test folder. This module is the entry point (servers, served folders, certificates,
processes, main()); the rest of tests/lib:
  ferrydproc    ferryd's process tree seen through /proc, raw control connections
  sessiontest   ftplib/curl/lftp short-hands for driving a session, upload temp files
  clientdriver  runs tests/client/ferry-client-driver (the client engine) and parses it
  vsftpd, pureftpd  the third-party servers as test peers
  lanlab        two LAN hosts in network namespaces, each with its own avahi-daemon
"""
import contextlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest

FERRYD = os.environ.get("FERRYD", "ferryd")
FERRY_CLI = os.environ.get("FERRY_CLI", "ferry-cli")
SOURCE_ROOT = os.environ.get("FERRY_SOURCE_ROOT",
                             os.path.dirname(os.path.dirname(os.path.dirname(
                                 os.path.abspath(__file__)))))

_URL_PORT = re.compile(rb"ftps?://(?:\[[^\]]*\]|[^:/\s]+):(\d+)/")


def free_port(host="127.0.0.1"):
    """A port that was free a moment ago (for peers that cannot pick their own)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
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


def wait_until(predicate, timeout=5.0, interval=0.02):
    """Polls predicate until it returns something true or timeout passes; returns its last
    value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def direct_children(pid):
    """PIDs of the processes pid has started and not yet lost: the children of every thread
    of pid (an orphan is adopted by any thread of a reaper)."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError):
        return found
    for task in tasks:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
    return found


def descendants(pid):
    """Every process below pid, depth first."""
    found = []
    todo = direct_children(pid)
    while todo:
        child = todo.pop(0)
        found.append(child)
        todo = direct_children(child) + todo
    return found


def process_name(pid):
    """The comm of pid, None once it is gone."""
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    return None


# Servers a test started ---------------------------------------------------------------------
#
# Every server runs in a process group of its own, so that everything it started (ferryd's
# zygote and sessions, vsftpd's sessions) can be found and ended with it, and it gets
# SIGTERM when the test process dies, however it dies (PR_SET_PDEATHSIG). taprunner sweeps
# after each test the groups the test started and did not end, then the rest at exit.

_PR_SET_PDEATHSIG = 1
_groups = []            # [pgid, owner]: owner is the test that started it, or None
current_test = None     # set by taprunner while a test runs


def _libc():
    import ctypes
    return ctypes.CDLL(None, use_errno=True)


_prctl = _libc().prctl     # looked up here: between fork and exec, only the call itself


def _server_child_setup():
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def spawn_server(argv, **popen_args):
    """subprocess.Popen for a server: its own process group, ended with the test."""
    proc = subprocess.Popen(argv, start_new_session=True, preexec_fn=_server_child_setup,
                            **popen_args)
    _groups.append([proc.pid, current_test])
    return proc


def group_members(pgid):
    """PIDs of the live (not zombie) processes in process group pgid."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry))
    return members


def sweep_groups(owner=None, everything=False):
    """Kills what is left of the server groups started by owner (all of them with
    everything=True); returns [(pgid, [(pid, name), …])] for the groups that had survivors."""
    leftovers = []
    for group in list(_groups):
        pgid, started_by = group
        if not everything and started_by != owner:
            continue
        _groups.remove(group)
        members = [(pid, process_name(pid)) for pid in group_members(pgid)]
        if not members:
            continue
        leader_running = any(pid == pgid for pid, _ in members)
        if leader_running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pgid, signal.SIGTERM)
        # A server that was stopped may take a moment to see its last children go.
        wait_until(lambda: not group_members(pgid), timeout=5.0, interval=0.05)
        if leader_running or group_members(pgid):
            leftovers.append((pgid, members))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
    return leftovers


def need_program(name, package=None):
    """Skips the test when an optional peer program is not installed."""
    if shutil.which(name) is None:
        raise unittest.SkipTest(f"{name} is not installed (Debian package: {package or name})")


def give_to_nobody(path):
    """ferryd never serves as root: started as root it runs as the served folder's owner and
    refuses a root-owned folder. Tests run as root in CI, so hand the tree to 'nobody' (and
    do nothing when the tests do not run as root)."""
    if os.geteuid() != 0:
        return
    give_to(path, "nobody")


def give_to(path, user):
    """Gives path, everything under it and a way in to user (a system account a server
    drops to)."""
    try:
        owner = pwd.getpwnam(user)
    except KeyError:
        raise unittest.SkipTest(f"there is no '{user}' user to serve as")
    def own(name):
        # only what differs: a tree already given away may be on a read-only mount now
        info = os.lstat(name)
        if (info.st_uid, info.st_gid) != (owner.pw_uid, owner.pw_gid):
            os.chown(name, owner.pw_uid, owner.pw_gid, follow_symlinks=False)

    if stat.S_IMODE(os.stat(path).st_mode) != 0o755:
        os.chmod(path, 0o755)
    for folder, dirs, files in os.walk(path):
        own(folder)
        for name in dirs + files:
            own(os.path.join(folder, name))
    parent = os.path.dirname(os.path.abspath(path))
    if os.stat(parent).st_mode & 0o005 != 0o005 and parent.startswith(tempfile.gettempdir()):
        os.chmod(parent, 0o755)


class Ferryd:
    """A real ferryd process on an ephemeral loopback port.

    with Ferryd(root, "--write") as server:
        ftplib.FTP().connect("127.0.0.1", server.port)
    """

    def __init__(self, root, *args, host="127.0.0.1", env=None, start_timeout=10.0,
                 pass_fds=()):
        self.root = str(root)
        self.host = host
        self.args = list(args)
        self.env = dict(os.environ, LANG="C", LC_ALL="C", **(env or {}))
        self.start_timeout = start_timeout
        self.pass_fds = tuple(pass_fds)
        self.proc = None
        self.port = None
        self.banner = b""
        self.log = None
        self._final_log = b""

    def start(self):
        if "--run-as" not in self.args:
            give_to_nobody(self.root)
        cmd = [FERRYD, "--root", self.root, "--bind", self.host, "--port", "0"] + self.args
        # The log goes to a file: a pipe nobody reads would fill and block the server.
        # O_APPEND: the server's writes never land on what we have not read yet.
        self.log = tempfile.NamedTemporaryFile(prefix="ferryd-log-")
        log_fd = os.open(self.log.name, os.O_WRONLY | os.O_APPEND)
        try:
            self.proc = spawn_server(cmd, stdout=subprocess.PIPE, stderr=log_fd,
                                     env=self.env, pass_fds=self.pass_fds)
        finally:
            os.close(log_fd)
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
        raise RuntimeError(f"ferryd did not start: {self.banner!r} {self._final_log!r}")

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
            self._final_log = self._read_log()
            self.log.close()
        return self.proc.returncode if self.proc else None

    def log_text(self):
        """Everything ferryd wrote to stderr so far (all of it, once stopped)."""
        if self.log is None or self.log.closed:
            return self._final_log
        return self._read_log()

    def _read_log(self):
        with open(self.log.name, "rb") as f:
            return f.read()

    def children(self):
        """PIDs of every process below the listener (the session zygote, its idle forks and
        the sessions), depth first."""
        return descendants(self.proc.pid)

    def sessions(self):
        """PIDs of the processes serving a client (their comm is "ferryd-session")."""
        return [pid for pid in self.children() if process_name(pid) == "ferryd-session"]

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
for name, value in cfg["server_settings"].items():
    setattr(FTPServer, name, value)
server = FTPServer(("127.0.0.1", 0), handler, backlog=cfg["backlog"])
print(server.socket.getsockname()[1], flush=True)
server.serve_forever()
"""


class Pyftpdlib:
    """pyftpdlib (Debian's python3-pyftpdlib) on a loopback port it picks itself (port 0, so
    no other test can take it first), with a user/password login and anonymous.

    handler: "FTPHandler" or "TLS_FTPHandler"; handler_settings: class attributes to set on
    it (certfile, tls_control_required, …); dtp_settings: ThrottledDTPHandler attributes
    (read_limit, write_limit) to slow the data connections down; server_settings: FTPServer
    attributes (max_cons, max_cons_per_ip); backlog: its listen queue.
    """

    def __init__(self, root, user="user", password="secret", write=True, anonymous=True,
                 handler="FTPHandler", handler_settings=None, dtp_settings=None,
                 server_settings=None, backlog=100):
        self.root = str(root)
        self.user = user
        self.password = password
        self.write = write
        self.anonymous = anonymous
        self.handler = handler
        self.handler_settings = dict(handler_settings or {})
        self.dtp_settings = dict(dtp_settings or {})
        self.server_settings = dict(server_settings or {})
        self.backlog = backlog
        self.proc = None
        self.port = None
        self.log = None

    def start(self):
        cfg = {"root": self.root, "user": self.user, "password": self.password,
               "perm": "elradfmwMT" if self.write else "elr", "anonymous": self.anonymous,
               "handler": self.handler, "handler_settings": self.handler_settings,
               "dtp_settings": self.dtp_settings, "server_settings": self.server_settings,
               "backlog": self.backlog}
        self.log = tempfile.TemporaryFile(prefix="pyftpdlib-log-")
        self.proc = spawn_server(["/usr/bin/python3", "-c", _PYFTPDLIB_CODE, json.dumps(cfg)],
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
        if self.log is not None:
            self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def stop_process(proc, timeout=10.0):
    """Ends a process we started (SIGTERM, then SIGKILL after timeout) and closes its
    pipes."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


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


@contextlib.contextmanager
def served_tree(files=None, links=None):
    """temp_tree plus symlinks {name: target}, owned by the user ferryd will serve as."""
    with temp_tree(files) as root:
        for name, target in (links or {}).items():
            os.symlink(target, os.path.join(root, name))
        give_to_nobody(root)
        yield root


def tree_files(root):
    """{relative path: bytes} for every file under root; empty folders as 'name/': None."""
    found = {}
    for folder, dirs, files in os.walk(root):
        rel_folder = os.path.relpath(folder, root)
        if not dirs and not files and rel_folder != ".":
            found[rel_folder + "/"] = None
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                found[os.path.normpath(os.path.join(rel_folder, name))] = f.read()
    return found


def make_certificate(folder, host="127.0.0.1"):
    """A throw-away self-signed certificate and key (PEM) for host in folder; returns
    (cert, key). Both stay readable by a ferryd session that dropped to 'nobody'."""
    need_program("openssl")
    cert = os.path.join(folder, "cert.pem")
    key = os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={host}", "-addext", f"subjectAltName=IP:{host}",
                    "-keyout", key, "-out", cert],
                   check=True, capture_output=True, timeout=60)
    os.chmod(folder, 0o755)
    os.chmod(key, 0o644)
    return cert, key


def main():
    """Run the unittest module that imports this, reporting every case as TAP (meson's
    protocol: 'tap'), so a skip shows as a skip with its reason."""
    import taprunner
    sys.exit(taprunner.run("__main__"))


def skip_all(reason):
    """The whole test cannot run here (a program is missing): a visible skip with reason."""
    import taprunner
    taprunner.skip_all(reason)
