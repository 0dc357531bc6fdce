# SPDX-License-Identifier: GPL-3.0-or-later
"""Two ferryd instances behind a real HAProxy on loopback, as docs/SCALING.md deploys them:
TCP mode with send-proxy-v2, one folder shared by both, each instance with its own passive
port range and a HAProxy frontend per range routed back to it, --passive-address = the
balancer. 200 clients from three source addresses: every transfer byte-exact, both instances
used, --max-per-ip counted per real client address, PASV theft from another real address
refused. Also prints sessions/s through HAProxy and direct."""
import concurrent.futures
import ftplib
import hashlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

import ferrytest
from ferrydproc import Server
from ferrytest import served_tree

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
BALANCER = "127.0.0.1"
INSTANCES = ("127.0.0.11", "127.0.0.12")      # the two "machines"
SOURCES = ("127.0.0.2", "127.0.0.3", "127.0.0.4")
PROBE = "127.0.0.9"                           # the test's own "is HAProxy up" connection
CLIENTS = 200
MAX_PER_IP = 20
PASSIVE_PORTS = 200                           # per instance
SHARED = os.urandom(64 * 1024)


def free_port_range(count):
    """A run of count free ports on the balancer's and the instances' addresses (checked by
    binding each as ferryd and HAProxy do, with SO_REUSEADDR), below the kernel's ephemeral
    range so that no outgoing connection takes one meanwhile."""
    for _ in range(200):
        base = int.from_bytes(os.urandom(2), "big") % 20000 + 10000
        socks = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((BALANCER, port))
                socks.append(s)
            for instance in INSTANCES:
                for port in range(base, base + count):
                    s = socket.socket()
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    s.bind((instance, port))
                    socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port range")


def haproxy_config(front, backends, ranges):
    lines = [
        "global", "  maxconn 4000",
        "defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 60s",
        "  timeout server 60s",
        "frontend ftp", f"  bind {BALANCER}:{front}", "  default_backend ferryd",
        "backend ferryd", "  balance roundrobin",
    ]
    for i, (host, port) in enumerate(backends):
        lines.append(f"  server f{i} {host}:{port} send-proxy-v2")
    for i, ((host, _), (low, high)) in enumerate(zip(backends, ranges)):
        # No port on the server: the connection goes to the port the client asked for.
        lines += [f"frontend pasv{i}", f"  bind {BALANCER}:{low}-{high}",
                  f"  default_backend pasv{i}", f"backend pasv{i}",
                  f"  server f{i} {host} send-proxy-v2"]
    return "\n".join(lines) + "\n"


def client_session(front, source, index):
    """Log in through the balancer, upload a file of our own, download the shared one."""
    mine = f"client {index} from {source}\n".encode() * 50
    ftp = ftplib.FTP(timeout=20, source_address=(source, 0))
    ftp.connect(BALANCER, front)
    ftp.login()
    ftp.storbinary(f"STOR up-{index}.bin", __import__("io").BytesIO(mine))
    chunks = []
    ftp.retrbinary("RETR shared.bin", chunks.append)
    ftp.quit()
    return index, mine, b"".join(chunks)


def logins_per_second(host, port, count):
    started = time.monotonic()
    for i in range(count):
        # Sources in turn: sessions that have said goodbye but not yet exited stay under
        # --max-per-ip even when a sanitizer slows their end.
        ftp = ftplib.FTP(timeout=30, source_address=(SOURCES[i % 3], 0))
        ftp.connect(host, port)
        ftp.login()
        ftp.quit()
    return count / (time.monotonic() - started)


@unittest.skipUnless(os.path.exists(HAPROXY), "haproxy is not installed (tools/deps.sh)")
class HAProxyTest(unittest.TestCase):
    def setUp(self):
        tree = served_tree({"shared.bin": SHARED})
        self.root = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)

        self.ranges = []
        self.servers = []
        for host in INSTANCES:
            # Wide enough that ports whose last connection is still closing through the
            # balancer (FIN_WAIT, which SO_REUSEADDR does not cover) leave others free.
            low = free_port_range(PASSIVE_PORTS)
            self.ranges.append((low, low + PASSIVE_PORTS - 1))
            server = Server(self.root, "--no-announce", "--write", "--anonymous",
                            "--proxy-protocol", "--proxy-from", BALANCER,
                            "--passive-address", BALANCER,
                            "--passive-ports", f"{low}-{low + PASSIVE_PORTS - 1}",
                            "--max-per-ip", str(MAX_PER_IP), "--max-clients", "100",
                            "--verbose", host=host)
            server.start()
            self.addCleanup(server.stop)
            self.servers.append(server)

        with socket.socket() as s:
            s.bind((BALANCER, 0))
            self.front = s.getsockname()[1]
        config = tempfile.NamedTemporaryFile("w", suffix=".cfg", prefix="haproxy-")
        self.addCleanup(config.close)
        config.write(haproxy_config(self.front, [(h, s.port) for h, s in
                                                 zip(INSTANCES, self.servers)], self.ranges))
        config.flush()
        self.haproxy = subprocess.Popen([HAPROXY, "-db", "-f", config.name],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.addCleanup(self.stop_haproxy)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection((BALANCER, self.front), timeout=1,
                                         source_address=(PROBE, 0)).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.haproxy.poll() is not None:
                    self.fail(f"haproxy did not start: {self.haproxy.stderr.read()!r}")
                time.sleep(0.05)
        self.wait_idle()

    def stop_haproxy(self):
        self.haproxy.terminate()
        try:
            self.haproxy.wait(10)
        except subprocess.TimeoutExpired:
            self.haproxy.kill()
            self.haproxy.wait()
        self.haproxy.stderr.close()

    def wait_log(self, pattern, timeout=10):
        deadline = time.monotonic() + timeout
        while not re.search(pattern, "".join(s.log_text() for s in self.servers)):
            self.assertLess(time.monotonic(), deadline, f"no {pattern!r} in the logs")
            time.sleep(0.05)

    def wait_idle(self, timeout=20):
        deadline = time.monotonic() + timeout
        while any(s.sessions() for s in self.servers):
            self.assertLess(time.monotonic(), deadline, "sessions did not end")
            time.sleep(0.05)

    def test_200_clients_from_three_addresses(self):
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=9) as pool:
            futures = [pool.submit(client_session, self.front, SOURCES[i % 3], i)
                       for i in range(CLIENTS)]
            try:
                results = [f.result() for f in futures]
            except (OSError, EOFError, ftplib.Error) as e:
                for f in futures:
                    f.cancel()
                logs = "".join(s.log_text()[-4000:] for s in self.servers)
                self.fail(f"{type(e).__name__}: {e}\n{logs}")
        elapsed = time.monotonic() - started
        print(f"{CLIENTS} clients through HAProxy to 2 instances: {elapsed:.1f} s")

        for index, mine, downloaded in results:
            self.assertEqual(hashlib.sha256(downloaded).digest(), hashlib.sha256(SHARED).digest())
            with open(os.path.join(self.root, f"up-{index}.bin"), "rb") as f:
                self.assertEqual(f.read(), mine, f"up-{index}.bin")
        for server in self.servers:
            log = server.log_text()
            starts = re.findall(r"(127\.0\.0\.\d+): session start", log)
            self.assertGreater(len(starts), CLIENTS // 4, "an instance was left out")
            # Every session saw a real client, never the balancer.
            self.assertEqual(set(starts) - {PROBE}, set(SOURCES))
            self.assertNotIn("refused", log)

    def test_max_per_ip_counts_real_addresses(self):
        held = []

        def connect(source):
            c = socket.create_connection((BALANCER, self.front), timeout=10,
                                         source_address=(source, 0))
            held.append(c)
            return c.recv(100)

        def sessions():
            return [len(s.sessions()) for s in self.servers]

        try:
            # One real address, many connections: served until an instance has MAX_PER_IP.
            accepted = 0
            while (greeting := connect("127.0.0.2")).startswith(b"220"):
                accepted += 1
                self.assertLessEqual(accepted, 2 * MAX_PER_IP)
            self.assertTrue(greeting.startswith(b"421"), greeting)
            self.assertTrue(ferrytest.wait_until(lambda: sum(sessions()) == accepted, timeout=10),
                            sessions())
            self.assertIn(MAX_PER_IP, sessions())
            # Other clients behind the same balancer are served, on that instance too
            # (round robin sends one of two consecutive connections to each).
            for _ in range(2):
                self.assertTrue(connect("127.0.0.3").startswith(b"220"))
            self.assertTrue(ferrytest.wait_until(lambda: sum(sessions()) == accepted + 2,
                                                 timeout=10), sessions())
            self.assertGreater(max(sessions()), MAX_PER_IP)
        finally:
            for c in held:
                c.close()
        self.wait_log(r"refused 127\.0\.0\.2 port \d+: --max-per-ip")

    def test_pasv_from_another_real_address_is_refused(self):
        c = socket.create_connection((BALANCER, self.front), timeout=10,
                                     source_address=("127.0.0.3", 0))
        f = c.makefile("rb")

        def command(text):
            c.sendall(text.encode() + b"\r\n")
            line = f.readline()
            while line[3:4] == b"-":
                line = f.readline()
            return line

        f.readline()
        command("USER anonymous")
        command("PASS x")
        reply = command("PASV")
        numbers = [int(n) for n in re.search(rb"\((\d+(?:,\d+){5})\)", reply).group(1).split(b",")]
        self.assertEqual(numbers[:4], [127, 0, 0, 1])   # the balancer's address
        port = numbers[4] * 256 + numbers[5]
        thief = socket.create_connection((BALANCER, port), timeout=10,
                                         source_address=("127.0.0.4", 0))
        c.sendall(b"RETR shared.bin\r\n")
        self.assertEqual(thief.recv(100), b"")          # closed by ferryd, no data
        thief.close()
        data = socket.create_connection((BALANCER, port), timeout=10,
                                        source_address=("127.0.0.3", 0))
        self.assertTrue(f.readline().startswith(b"150"))
        got = b""
        while chunk := data.recv(65536):
            got += chunk
        data.close()
        self.assertEqual(got, SHARED)
        self.assertTrue(f.readline().startswith(b"226"))
        f.close()
        c.close()
        self.wait_log(r"127\.0\.0\.3: refused a data connection from 127\.0\.0\.4")

    def test_sessions_per_second(self):
        """Not a limit: the figures for docs/SCALING.md."""
        through = logins_per_second(BALANCER, self.front, 100)
        direct = logins_per_second(INSTANCES[0], self.servers[0].port, 100)
        print(f"anonymous sessions/s, one client at a time: through HAProxy {through:.0f}, "
              f"direct {direct:.0f}")


if __name__ == "__main__":
    ferrytest.main()
