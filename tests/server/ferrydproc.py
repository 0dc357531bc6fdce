"""Helpers for ferryd's process-model tests: a served folder a dropped user can read, a
ferryd whose log goes to a file, its process tree seen through /proc, raw clients.

The tree: the listener (ferryd) → its session zygote(s) ("ferryd-zygote") → forked session
processes, idle ("ferryd-idle") or serving a client ("ferryd-session")."""
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import ferrytest

IDLE_NAME = "ferryd-idle"
SESSION_NAME = "ferryd-session"
ZYGOTE_NAME = "ferryd-zygote"
IS_ROOT = os.geteuid() == 0


@contextlib.contextmanager
def served_tree(files=None):
    """ferrytest.temp_tree, handed to `nobody` when the tests run as root: ferryd started
    as root refuses to serve a root-owned folder and drops to the folder's owner."""
    with ferrytest.temp_tree(files) as root:
        if IS_ROOT:
            os.chmod(root, 0o755)
            for folder, dirs, names in os.walk(root):
                for name in [folder] + [os.path.join(folder, n) for n in dirs + names]:
                    shutil.chown(name, "nobody", "nogroup")
        yield root


def wait_until(predicate, timeout=5.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def process_name(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except (FileNotFoundError, ProcessLookupError):
        return None


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


def direct_children(pid):
    """Children of every thread of pid (an orphan is adopted by any thread of a reaper)."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError):
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found += [int(p) for p in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
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


def process_uids(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Uid:"):
                return [int(x) for x in line.split()[1:]]
    raise AssertionError(f"no Uid line for {pid}")


class Server(ferrytest.Ferryd):
    """ferrytest.Ferryd with stderr in a file (a busy server logs more than a pipe holds)
    and views of its session processes."""

    def start(self):
        # O_APPEND: the server's writes never land on what we have not read yet
        self.log = tempfile.NamedTemporaryFile(prefix="ferryd-log-")
        log_fd = os.open(self.log.name, os.O_WRONLY | os.O_APPEND)
        cmd = [ferrytest.FERRYD, "--root", self.root, "--bind", self.host, "--port", "0"]
        try:
            self.proc = subprocess.Popen(cmd + self.args, stdout=subprocess.PIPE,
                                         stderr=log_fd, env=self.env)
        finally:
            os.close(log_fd)
        line = self.proc.stdout.readline()
        self.banner = line
        match = ferrytest._URL_PORT.search(line)
        if not match:
            self.proc.wait(10)
            raise RuntimeError(f"ferryd did not start: {line!r} {self.log_text()!r}")
        self.port = int(match.group(1))
        return self

    def log_text(self):
        with open(self.log.name, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        code = super().stop(sig, timeout)
        self.log.close()
        return code

    def children(self):
        """Every process of the server's tree but the listener: zygotes and the session
        processes they forked (sessions are the listener's grandchildren)."""
        return descendants(self.proc.pid)

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
