# SPDX-License-Identifier: GPL-3.0-or-later
"""Start ferryd, vsftpd and pyftpdlib side by side on loopback ports.

All three serve their own root (see fixtures) with writes allowed, to the same user and
password, and to anonymous as well (read-only), so that the login cost can be measured with
and without password hashing. ferryd and pyftpdlib come from tests/lib/ferrytest.py,
vsftpd from tests/lib/vsftpd.py.
"""
import collections
import contextlib
import os
import signal
import threading

from . import placement, probes
import ferrytest  # noqa: E402  (tests/lib is on sys.path through fixtures)
import vsftpd

HOST = "127.0.0.1"


def process_tree(pid):
    """pid and every process beneath it."""
    return [pid] + probes.descendants(pid)


class Server:
    """One running server: `.name`, `.port`, `.url(path)`, `.pids()`, `.stop()`."""

    def __init__(self, name, helper, user, password, transfer_cpu_countable=True):
        self.name = name
        # /proc counts a child's CPU in its parent's cutime only once the parent reaps it.
        # vsftpd's listener showed 0 ms for most 1 GiB downloads: the process doing its
        # transfers is evidently not always reaped within its tree, so the figure would lie.
        self.transfer_cpu_countable = transfer_cpu_countable
        self.helper = helper
        self.user = user
        self.password = password
        self.log_tail = collections.deque(maxlen=50)
        self.sanitizer_reports = []   # lines of AddressSanitizer/UBSan reports, in an ASan build
        # Output the helpers pipe (pyftpdlib's stderr, ferryd's stdout after the banner) is
        # read only at start-up; a server that logs a line per session would fill the pipe
        # in a few hundred sessions and block in write(2). Keep reading, keep the last lines.
        self._drains = [threading.Thread(target=self._drain, args=(stream,), daemon=True)
                        for stream in (helper.proc.stdout, helper.proc.stderr)
                        if stream is not None and not stream.closed]
        for drain in self._drains:
            drain.start()

    def _drain(self, stream):
        with contextlib.suppress(ValueError, OSError):
            for line in iter(stream.readline, b""):
                text = line.decode(errors="replace").rstrip()
                self.log_tail.append(text)
                self._note_sanitizer(text)

    def _note_sanitizer(self, text):
        if "Sanitizer" in text or "runtime error:" in text:
            self.sanitizer_reports.append(text)

    def last_words(self, count=3):
        lines = list(self.log_tail)
        if hasattr(self.helper, "log_text"):    # ferrytest.Ferryd logs to a file
            lines += self.helper.log_text().decode(errors="replace").splitlines()
        return " | ".join(lines[-count:])

    @property
    def port(self):
        return self.helper.port

    @property
    def pid(self):
        return self.helper.proc.pid

    @property
    def host(self):
        return getattr(self.helper, "host", HOST)

    def url(self, path="", anonymous=False):
        if anonymous:
            return f"ftp://{self.host}:{self.port}/{path}"
        return f"ftp://{self.user}:{self.password}@{self.host}:{self.port}/{path}"

    def pids(self):
        return process_tree(self.pid)

    def stop(self):
        leftovers = self.pids() if self.helper.proc.poll() is None else []
        self.helper.stop()
        for drain in self._drains:
            drain.join(timeout=1.0)
        # ferrytest.Ferryd logs to a file rather than a pipe.
        if hasattr(self.helper, "log_text"):
            for line in self.helper.log_text().decode(errors="replace").splitlines():
                self._note_sanitizer(line)
        # Sessions the listener did not take down with it are ours to end.
        for pid in leftovers[1:]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _start_on(helper, cpus):
    """Starts the helper's server with its affinity already set (None: unpinned), so that
    every process it forks inherits it; the bench's own threads stay where they were."""
    with placement.running_on(cpus):
        helper.start()


def start_ferryd(work, ferryd_path, cpus, name="ferryd", extra=(), host=HOST):
    ferrytest.FERRYD = ferryd_path
    # --run-as: the files belong to the bench user (ferrytest would hand them to nobody).
    helper = ferrytest.Ferryd(work.root(name), "--users", work.users_file, "--write",
                              "--anonymous", "--max-clients", "2000", "--max-per-ip", "2000",
                              "--idle-timeout", "900", "--run-as", work.user, *extra,
                              host=host)
    _start_on(helper, cpus)
    return Server(name, helper, work.user, work.password)


def start_vsftpd(work, cpus, host=HOST):
    helper = vsftpd.Vsftpd(work.root("vsftpd"), write=True, user=work.user,
                           password=work.password, anonymous=True, host=host)
    _start_on(helper, cpus)
    return Server("vsftpd", helper, work.user, work.password, transfer_cpu_countable=False)


def start_pyftpdlib(work, cpus):
    # Room for the burst as ferryd has it (its defaults: 512 clients, a listen queue of 100).
    helper = ferrytest.Pyftpdlib(work.root("pyftpdlib"), user=work.user,
                                 password=work.password, write=True,
                                 server_settings={"max_cons": 2000}, backlog=2000)
    _start_on(helper, cpus)
    return Server("pyftpdlib", helper, work.user, work.password)


def start_all(work, names, ferryd_path, cpus=None, host=HOST):
    """Starts the named servers, on `cpus` (None: unpinned), listening on host (pyftpdlib:
    loopback only); stops the ones already started if one fails."""
    starters = {
        "ferryd": lambda: start_ferryd(work, ferryd_path, cpus, host=host),
        # Bulk transfers do not give way (data/ferryd.8, BULK TRANSFERS).
        "ferryd-flat": lambda: start_ferryd(work, ferryd_path, cpus, "ferryd-flat",
                                            ("--bulk-after", "0"), host=host),
        "vsftpd": lambda: start_vsftpd(work, cpus, host),
        "pyftpdlib": lambda: start_pyftpdlib(work, cpus),
    }
    started = []
    try:
        for name in names:
            started.append(starters[name]())
    except BaseException:
        stop_all(started)
        raise
    return started


def stop_all(servers):
    for server in servers:
        with contextlib.suppress(Exception):
            server.stop()
