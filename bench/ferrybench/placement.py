# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the throughput probes run: server and client on the same CPU, or on two.

On a 2-core machine a loopback transfer is faster or slower by a third depending on whether
sender and receiver share a CPU (no cross-CPU wake-ups and cache traffic, but no overlap
either), and the scheduler picks one per round: one median over unpinned rounds mixes both.
So the throughput probes run under both placements, each reported as its own rows:

- "same CPU": the server (or the limit's sender) and the client (or its reader) on one CPU;
- "different CPUs": the server on that CPU, the client on another.

The server's whole process tree is pinned (every thread of every process, so that the
processes it forks later inherit the set); the client inherits it from the bench thread that
starts it. The other probes (sessions/s, small files, listings, memory) run unpinned: they
use several processes at once by nature.
"""
import contextlib
import ftplib
import os
import time

from . import probes


class Placement:
    """One way to place the throughput probes: `.name`, `.label`, `.server_cpus`,
    `.client_cpus` (CPU sets; None: unpinned)."""

    def __init__(self, name, label, server_cpus, client_cpus):
        self.name = name
        self.label = label
        self.server_cpus = server_cpus
        self.client_cpus = client_cpus

    def describe(self):
        if self.server_cpus is None:
            return "server and client where the scheduler puts them"
        return (f"server (every process) and the limit's sender on CPU "
                f"{cpu_list(self.server_cpus)}, client (curl, ferry-cli) and the limit's "
                f"reader on CPU {cpu_list(self.client_cpus)}")

    @property
    def client_cpu(self):
        """The client's one CPU, for programs that pin a process of their own."""
        return next(iter(self.client_cpus)) if self.client_cpus else None

    def __repr__(self):
        return self.name


def cpu_list(cpus):
    return ",".join(str(c) for c in sorted(cpus))


def choose(allowed=None):
    """(placements, note): both placements on two of the CPUs this process may use, the
    server on the second; one unpinned placement and a note saying so on a 1-CPU machine."""
    allowed = sorted(os.sched_getaffinity(0) if allowed is None else allowed)
    if len(allowed) < 2:
        return [Placement("unpinned", "unpinned", None, None)], \
            (f"only {len(allowed)} CPU available: the throughput probes run unpinned, "
             "and their rates depend on where the scheduler puts each round")
    client, server = allowed[0], allowed[1]
    return [
        Placement("same", "same CPU", {server}, {server}),
        Placement("apart", "different CPUs", {server}, {client}),
    ], None


@contextlib.contextmanager
def running_on(cpus):
    """The calling thread (and so every process it starts) runs on `cpus` meanwhile;
    None leaves it where it is."""
    if cpus is None:
        yield
        return
    before = os.sched_getaffinity(0)   # pid 0: the calling thread only
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def _tasks(pids):
    for pid in pids:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue    # ended in between
        yield from (int(t) for t in tasks)


def pin_tree(pids, cpus):
    """Every thread of every process in `pids` runs on `cpus` from now on."""
    for task in _tasks(pids):
        with contextlib.suppress(ProcessLookupError):
            os.sched_setaffinity(task, cpus)


def check_session(server, cpus, settle=0.2):
    """Opens one anonymous session and checks that every thread of every process in the
    server's tree, the session's included, is held to `cpus`; raises ProbeError if not."""
    ftp = ftplib.FTP(timeout=30)
    ftp.connect("127.0.0.1", server.port)
    try:
        ftp.login("anonymous", "bench@")
        time.sleep(settle)   # a pre-forking server refills its pool
        pids = server.pids()
        strays = {}
        for task in _tasks(pids):
            with contextlib.suppress(ProcessLookupError):
                held = os.sched_getaffinity(task)
                if held != set(cpus):
                    strays[task] = sorted(held)
    finally:
        with contextlib.suppress(OSError, ftplib.Error):
            ftp.quit()
    if strays:
        raise probes.ProbeError(f"{server.name}: threads not on CPU {sorted(cpus)} "
                                f"with a session open: {strays}")
    return len(pids)
