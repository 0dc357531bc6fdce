# SPDX-License-Identifier: GPL-3.0-or-later
"""Login-to-listing latency under load: what a newcomer waits while others download.

`busy` clients download the busy file (10 MiB) in a loop, each a separate `curl` process
started again as soon as the last one ends (separate processes, not threads in this one:
the Python interpreter would otherwise be the bottleneck and share a lock with the probe).
Meanwhile one probe process, forked before the load starts, opens `probes` fresh sessions
one after another: connect, greeting, USER/PASS, TYPE A, EPSV, LIST, and the first byte of
the listing. The time from connect() to that byte is one sample; the table shows its p50,
p90 and p99, and the busy clients' total MB/s over the probe's window (completed downloads
only, so a figure a little low rather than high; the window is stretched until as many
downloads ended in it as there are busy clients, for a probe shorter than one download).
"""
import math
import multiprocessing
import os
import re
import socket
import subprocess
import threading
import time

from . import probes

MB = 1e6
_EPSV_PORT = re.compile(rb"\(\|\|\|(\d+)\|\)")
KINDS = (("user", False), ("anon", True))


def percentile(values, p):
    """The nearest-rank percentile (p in 0..100) of values, or None for none."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _reply(reader):
    line = reader.readline()
    if len(line) < 4:
        raise probes.ProbeError(f"connection closed or short reply: {line[:60]!r}")
    code = line[:3]
    if line[3:4] == b"-":
        while True:
            more = reader.readline()
            if not more:
                raise probes.ProbeError("connection closed inside a multi-line reply")
            if more[:3] == code and more[3:4] == b" ":
                break
    return int(code), line


def _command(sock, reader, text, *expected):
    sock.sendall(text.encode() + b"\r\n")
    code, line = _reply(reader)
    if code not in expected:
        shown = "PASS ..." if text.startswith("PASS ") else text
        raise probes.ProbeError(f"{shown} -> {line.decode(errors='replace').strip()}")
    return code, line


def one_probe(host, port, user, password, timeout=30):
    """Seconds from connect() to the first byte of the root's listing."""
    started = time.monotonic()
    with socket.create_connection((host, port), timeout=timeout) as sock:
        reader = sock.makefile("rb")
        code, line = _reply(reader)
        if code != 220:
            raise probes.ProbeError(f"greeting: {line.decode(errors='replace').strip()}")
        if _command(sock, reader, f"USER {user}", 230, 331)[0] == 331:
            _command(sock, reader, f"PASS {password}", 230)
        _command(sock, reader, "TYPE A", 200)
        _, line = _command(sock, reader, "EPSV", 229)
        match = _EPSV_PORT.search(line)
        if match is None:
            raise probes.ProbeError(f"EPSV reply without a port: {line!r}")
        with socket.create_connection((host, int(match.group(1))), timeout=timeout) as data:
            _command(sock, reader, "LIST", 125, 150)
            first = data.recv(1)
            if not first:
                raise probes.ProbeError("LIST sent no byte (the root is not empty)")
            elapsed = time.monotonic() - started
            while data.recv(1 << 16):
                pass
        code, line = _reply(reader)
        if code != 226:
            raise probes.ProbeError(f"after LIST: {line.decode(errors='replace').strip()}")
        sock.sendall(b"QUIT\r\n")
        reader.close()
    return elapsed


def yescrypt_cost(hashed, password, runs=15):
    """Medians of (wall ms, CPU ms) of one crypt(3) check of password against hashed (the
    users file's "$y$j9T$…" hash), in this process: libxcrypt's crypt_r through Python's
    crypt module, as ferryd's session calls it."""
    import crypt
    import statistics
    import warnings
    walls, cpus = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.thread_time()
            if crypt.crypt(password, hashed) != hashed:
                raise probes.ProbeError("the users file's hash does not match its password")
            cpus.append(time.thread_time() - cpu)
            walls.append(time.perf_counter() - wall)
    return 1000 * statistics.median(walls), 1000 * statistics.median(cpus)


def _enter_netns(name):
    """This process into the network namespace /run/netns/NAME (latencylan.py)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    with open(f"/run/netns/{name}") as ns:
        if libc.setns(ns.fileno(), 0x40000000) != 0:   # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), f"setns into {name}")


def _probe_worker(results, host, port, user, password, count, deadline, netns=None):
    samples, errors = [], []
    if netns:
        _enter_netns(netns)
    began = time.monotonic()
    for _ in range(count):
        if time.monotonic() - began > deadline:
            errors.append("gave up: the time limit passed")
            break
        try:
            samples.append(one_probe(host, port, user, password))
        except (OSError, probes.ProbeError) as e:
            errors.append(f"{type(e).__name__}: {e}")
    results.put((began, time.monotonic(), samples, errors))


def probe_sessions(port, user, password, count, deadline=300, host="127.0.0.1", netns=None):
    """Runs the probe in its own process (in network namespace netns when given); returns
    (window start, end, samples, errors)."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    worker = context.Process(target=_probe_worker,
                             args=(results, host, port, user, password, count, deadline,
                                   netns))
    worker.start()
    try:
        outcome = results.get(timeout=deadline + 60)
    finally:
        worker.join(timeout=10)
        if worker.is_alive():
            worker.kill()
    return outcome


class BusyClients:
    """`count` curl processes downloading url to /dev/null again and again; a thread per
    client only waits for its curl and notes when each download ended and how big it was."""

    def __init__(self, url, count, prefix=()):
        self.url = url
        self.count = count
        self.prefix = list(prefix)      # e.g. nsenter into the clients' network namespace
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.done = []        # (monotonic time the download ended, bytes)
        self.failures = []
        self.current = {}
        self.threads = [threading.Thread(target=self._loop, args=(i,), daemon=True)
                        for i in range(count)]

    def _loop(self, index):
        while not self.stopping.is_set():
            proc = subprocess.Popen(self.prefix + ["curl", "-sS", "--fail", "-o", os.devnull, "-w",
                                     "%{size_download}", self.url],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL)
            with self.lock:
                self.current[index] = proc
            out, err = proc.communicate()
            with self.lock:
                self.current.pop(index, None)
                if self.stopping.is_set():
                    break
                if proc.returncode == 0:
                    self.done.append((time.monotonic(), float(out or 0)))
                else:
                    self.failures.append(err.decode(errors="replace").strip()[:200])
                    if len(self.failures) > 3 * self.count:
                        break   # the server refuses them all: stop hammering it
                    time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        with self.lock:
            running = list(self.current.values())
        for proc in running:
            try:
                proc.kill()
            except ProcessLookupError:
                pass
        for thread in self.threads:
            thread.join(timeout=10)

    def ended_since(self, began):
        with self.lock:
            return sum(1 for at, _ in self.done if at >= began)

    def rate(self, began, ended):
        """MB/s of the downloads that ended within [began, ended]."""
        with self.lock:
            total = sum(size for at, size in self.done if began <= at <= ended)
        return total / MB / max(ended - began, 1e-9)


def wait_for_load(load, warm_up):
    """Every busy client has connected and is sending."""
    time.sleep(warm_up)


def busy_rate(load, busy, began, ended, stretch=60):
    """(busy MB/s over the probe's window, busy failures). A quick probe can be shorter than
    one download: the window goes on until as many downloads ended in it as there are busy
    clients (at most stretch seconds more)."""
    limit = time.monotonic() + stretch
    while load.ended_since(began) < busy and time.monotonic() < limit and \
            len(load.failures) <= 3 * busy:
        time.sleep(0.05)
    ended = max(ended, time.monotonic())
    return load.rate(began, ended), list(load.failures)


def measure_one(server, busy, count, anonymous, warm_up, deadline=300):
    """(samples in seconds, busy MB/s, busy failures) for one server, one load, one kind."""
    user, password = ("anonymous", "bench@") if anonymous else (server.user, server.password)
    with BusyClients(server.url("busy", anonymous=True), busy) as load:
        wait_for_load(load, warm_up)
        began, ended, samples, errors = probe_sessions(server.port, user, password, count,
                                                       deadline)
        rate, failures = busy_rate(load, busy, began, ended)
    if errors:
        raise probes.ProbeError(f"{len(errors)} of {count} probe sessions failed, e.g. "
                                f"{errors[:2]}; the server's last words: {server.last_words()}")
    if busy and not failures and rate == 0:
        raise probes.ProbeError("no busy download ended during the probe")
    return samples, rate, failures
