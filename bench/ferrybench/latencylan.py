# SPDX-License-Identifier: GPL-3.0-or-later
"""The latency row over a rate-limited LAN: the servers in one network namespace, the busy
clients and the probe in another, joined by a veth pair.

On loopback every busy `sendfile` session is CPU-bound; on a real LAN the link is the
bottleneck and the question becomes whether a newcomer's greeting, login and listing get
through the queue of bulk data in front of them. The server's end of the link is limited
with `tbf` to RATE (100 Mbit/s) and the client's end adds DELAY (1 ms round trip, `netem`,
left out with a note where the kernel has no sch_netem); what queues in front of the
bottleneck is the variant (each one the kernel lacks is left out with a note):

    fifo        tbf's own byte FIFO of QUEUE_BYTES (1 MB, ~80 ms at 100 Mbit/s): a plain
                router or modem buffer
    pfifo_fast  three FIFO bands by the packets' priority (the kernel's default before
                fq_codel): where ferryd's marks (IPTOS_LOWDELAY on control connections,
                IPTOS_THROUGHPUT and TC_PRIO_BULK on bulk data, ferryd.8 BULK TRANSFERS)
                take effect: control replies first, bulk data last
    fq_codel    the kernel's default queueing discipline today (and many routers'): a flow
                queue per connection, new flows served first
    prio        like pfifo_fast's bands, as a classful qdisc

Addresses come from 203.0.113.0/24 (TEST-NET-3, a documentation range) inside namespaces
made here and deleted afterwards; nothing reaches the machine's own network. Needs root, `ip`,
`tc` and `nsenter`; without them the row is skipped with the reason.
"""
import contextlib
import ctypes
import os
import shutil
import subprocess

from . import latency, probes

SUBNET = "203.0.113"
RATE = "100mbit"
DELAY = "1ms"
QUEUE_BYTES = 1000000
VARIANTS = ("fifo", "pfifo_fast", "fq_codel", "prio")
QUICK_VARIANTS = ("pfifo_fast", "fq_codel")
CLONE_NEWNET = 0x40000000


def unavailable_reason():
    """Why the row cannot run here (None when it can)."""
    if os.geteuid() != 0:
        return "needs root (network namespaces, tc)"
    for program in ("ip", "tc", "nsenter"):
        if shutil.which(program) is None:
            return f"{program} is not installed (iproute2, util-linux)"
    probe = f"ferrylatprobe{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"cannot create network namespaces here: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


def _run(*argv):
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}")
    return done.stdout


_libc = ctypes.CDLL(None, use_errno=True)


@contextlib.contextmanager
def inside(netns):
    """This thread in namespace netns: sockets it opens and processes it starts are there."""
    with open("/proc/thread-self/ns/net") as home, open(f"/run/netns/{netns}") as there:
        if _libc.setns(there.fileno(), CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns into {netns}")
        try:
            yield
        finally:
            if _libc.setns(home.fileno(), CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")


class Link:
    """Two namespaces, `server` (SUBNET.1) and `client` (SUBNET.2), and the veth between."""

    def __init__(self):
        tag = os.getpid() % 100000
        self.server = f"ferrylats{tag}"
        self.client = f"ferrylatc{tag}"
        self.server_if = f"flats{tag}"[:15]
        self.client_if = f"flatc{tag}"[:15]
        self.server_address = f"{SUBNET}.1"
        self.client_address = f"{SUBNET}.2"
        self.variant = None
        self.delay = None         # DELAY once netem took it

    def __enter__(self):
        try:
            _run("ip", "netns", "add", self.server)
            _run("ip", "netns", "add", self.client)
            _run("ip", "link", "add", self.server_if, "netns", self.server, "type", "veth",
                 "peer", "name", self.client_if, "netns", self.client)
            for ns, dev, address in ((self.server, self.server_if, self.server_address),
                                     (self.client, self.client_if, self.client_address)):
                _run("ip", "-n", ns, "addr", "add", f"{address}/24", "dev", dev)
                _run("ip", "-n", ns, "link", "set", dev, "up")
                _run("ip", "-n", ns, "link", "set", "lo", "up")
            # The round trip's delay on the client's side, so that the server's side holds
            # the bottleneck's queue alone.
            delayed = subprocess.run(["ip", "netns", "exec", self.client, "tc", "qdisc", "add",
                                      "dev", self.client_if, "root", "netem", "delay", DELAY],
                                     capture_output=True)
            self.delay = DELAY if delayed.returncode == 0 else None
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def shape(self, variant):
        """The server's end: RATE through tbf, and in front of it the variant's queue."""
        tc = ["ip", "netns", "exec", self.server, "tc", "qdisc"]
        subprocess.run(tc + ["del", "dev", self.server_if, "root"], capture_output=True)
        _run(*tc, "add", "dev", self.server_if, "root", "handle", "1:", "tbf", "rate", RATE,
             "burst", "32kb", "limit", str(QUEUE_BYTES))
        if variant != "fifo":
            _run(*tc, "add", "dev", self.server_if, "parent", "1:1", "handle", "10:", variant)
        self.variant = variant

    def try_shape(self, variant):
        """shape(variant); the reason when this kernel cannot (no such qdisc), else None."""
        try:
            self.shape(variant)
        except RuntimeError as e:
            return str(e)
        return None

    def qdisc_text(self):
        return _run("ip", "netns", "exec", self.server, "tc", "-s", "qdisc", "show", "dev",
                    self.server_if)

    def __exit__(self, *exc):
        for ns in (self.server, self.client):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def client_prefix(link):
    """argv prefix that runs a program in the client's namespace."""
    return ["nsenter", f"--net=/run/netns/{link.client}"]


def measure_one(link, server, busy, count, anonymous, warm_up, deadline=300):
    """latency.measure_one across the link: (samples, busy MB/s, busy failures)."""
    host = link.server_address
    user, password = ("anonymous", "bench@") if anonymous else (server.user, server.password)
    url = f"ftp://{host}:{server.port}/busy"
    with latency.BusyClients(url, busy, prefix=client_prefix(link)) as load:
        latency.wait_for_load(load, warm_up)
        began, ended, samples, errors = latency.probe_sessions(
            server.port, user, password, count, deadline, host=host, netns=link.client)
        rate, failures = latency.busy_rate(load, busy, began, ended)
    if errors:
        raise probes.ProbeError(
            f"{len(errors)} of {count} probe sessions failed, e.g. {errors[:2]}; the "
            f"server's last words: {server.last_words()}")
    if busy and not failures and rate == 0:
        raise probes.ProbeError("no busy download ended during the probe")
    return samples, rate, failures
