# SPDX-License-Identifier: GPL-3.0-or-later
"""--bulk-after through a real ferryd: a big download or upload moves its bytes in a thread
of the session ("ferryd-bulk") that lowers its CPU priority (nice +10, SCHED_BATCH) and I/O
priority (best-effort 7) past the threshold and marks the data connection IPTOS_THROUGHPUT;
the session's main thread keeps its priorities, and once the transfer ended nothing of it is
left. Another client's login and listing meanwhile run at the normal priority, their control
connection marked IPTOS_LOWDELAY. Read from /proc/PID/task/TID/stat, ioprio_get(2) and
`ss --tos`."""
import ctypes
import os
import platform
import re
import shutil
import socket
import subprocess
import tempfile
import unittest

import ferrytest
from ferrydproc import Client, Server
from ferrytest import served_tree, wait_until

MiB = 1024 * 1024
SCHED_OTHER, SCHED_BATCH = 0, 3
IOPRIO_WHO_PROCESS = 1
IOPRIO_BULK = (2 << 13) | 7          # IOPRIO_CLASS_BE, level 7
SYS_IOPRIO_GET = {"x86_64": 252, "aarch64": 31, "riscv64": 31, "ppc64le": 274,
                  "s390x": 283, "i686": 290, "armv7l": 315}.get(platform.machine())
IPTOS_THROUGHPUT, IPTOS_LOWDELAY = 0x08, 0x10
_EPSV_PORT = re.compile(rb"\(\|\|\|(\d+)\|\)")
_libc = ctypes.CDLL(None, use_errno=True)


def priorities(pid, tid=None):
    """(nice, scheduling policy, I/O priority) of thread tid of pid (its main thread by
    default); None once it is gone."""
    tid = tid or pid
    try:
        with open(f"/proc/{pid}/task/{tid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # fields[0] is field 3 of proc(5): nice is field 19, policy field 41.
    ioprio = _libc.syscall(SYS_IOPRIO_GET, IOPRIO_WHO_PROCESS, tid) if SYS_IOPRIO_GET else None
    return int(fields[16]), int(fields[38]), ioprio


def threads_named(pid, name):
    found = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return found
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if f.read().strip() == name:
                    found.append(int(tid))
        except FileNotFoundError:
            pass
    return found


def bulk_thread(pid):
    """The TID of the session's bulk transfer thread, None while it has none."""
    tids = threads_named(pid, "ferryd-bulk")
    return tids[0] if len(tids) == 1 else None


def socket_tos(local_port):
    """The TOS byte of the established TCP socket whose local port is local_port (the
    server's end), from `ss --tos`; None when ss shows no such socket."""
    out = subprocess.run(["ss", "-Htn", "--tos", "state", "established",
                          f"( sport = :{local_port} )"],
                         capture_output=True, text=True, timeout=10).stdout
    match = re.search(r"\btos:((0x)?[0-9a-f]+)", out)
    return int(match.group(1), 0) if match else None


class Login(Client):
    """A raw control connection, logged in anonymously, in binary mode."""

    def __init__(self, port):
        super().__init__(port)
        assert self.command("USER anonymous").startswith(b"331")
        assert self.command("PASS bulk@").startswith(b"230")
        assert self.command("TYPE I").startswith(b"200")

    def open_data(self, receive_buffer=None):
        reply = self.command("EPSV")
        port = int(_EPSV_PORT.search(reply).group(1))
        data = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if receive_buffer:
            # Small: the server's sendfile waits on the client, inside the transfer.
            data.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        data.settimeout(30)
        data.connect(("127.0.0.1", port))
        return data, port


def read_exactly(sock, count):
    got = 0
    while got < count:
        chunk = sock.recv(min(1 << 16, count - got))
        if not chunk:
            break
        got += len(chunk)
    return got


class BulkPriorities(unittest.TestCase):
    SIZE = 32 * MiB

    @classmethod
    def setUpClass(cls):
        if shutil.which("ss") is None:
            raise unittest.SkipTest("ss (iproute2) is not installed")

    def setUp(self):
        self.base_nice = os.getpriority(os.PRIO_PROCESS, 0)
        self.bulk_nice = min(self.base_nice + 10, 19)

    def served(self):
        tree = served_tree({"small.txt": b"x" * 100})
        root = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)
        with open(os.path.join(root, "big.bin"), "wb") as f:
            f.truncate(self.SIZE)      # a sparse file: read as zeros, nothing on disk
        return root

    def normal(self):
        return (self.base_nice, SCHED_OTHER, self.normal_ioprio)

    def bulk(self):
        return (self.bulk_nice, SCHED_BATCH, IOPRIO_BULK if SYS_IOPRIO_GET else None)

    def start_download(self, server):
        client = Login(server.port)
        self.addCleanup(client.close)
        pid = server.wait_sessions(1)[0]
        self.normal_ioprio = priorities(pid)[2]
        data, port = client.open_data(receive_buffer=64 * 1024)
        self.addCleanup(data.close)
        self.assertEqual(priorities(pid), self.normal())
        reply = client.command("RETR big.bin")
        self.assertTrue(reply.startswith(b"150"), reply)
        return client, data, port, pid

    def bulk_demoted(self, pid):
        """The bulk thread's TID once it has given way."""
        tid = bulk_thread(pid)
        return tid if tid and priorities(pid, tid) == self.bulk() else None

    def test_a_big_download_gives_way_and_comes_back(self):
        with Server(self.served()) as server:   # the default: 2 MiB
            client, data, data_port, pid = self.start_download(server)
            self.assertEqual(read_exactly(data, 4 * MiB), 4 * MiB)
            tid = wait_until(lambda: self.bulk_demoted(pid), 10)
            self.assertTrue(tid, f"{pid}: threads {os.listdir(f'/proc/{pid}/task')}, "
                            f"bulk thread {bulk_thread(pid)} at "
                            f"{bulk_thread(pid) and priorities(pid, bulk_thread(pid))}")
            self.assertEqual(priorities(pid), self.normal())     # the main thread
            self.assertEqual(socket_tos(data_port), IPTOS_THROUGHPUT)

            # Meanwhile a newcomer logs in and lists, at the normal priority.
            with Login(server.port) as newcomer:
                other = [p for p in server.wait_sessions(2) if p != pid][0]
                listing, _ = newcomer.open_data()
                reply = newcomer.command("LIST")
                self.assertTrue(reply.startswith(b"150"), reply)
                self.assertIn(b"big.bin", b"".join(iter(lambda: listing.recv(65536), b"")))
                listing.close()
                self.assertTrue(newcomer.reply().startswith(b"226"))
                self.assertEqual(os.listdir(f"/proc/{other}/task"), [str(other)])
                self.assertEqual(priorities(other), self.normal())
                self.assertEqual(socket_tos(server.port), IPTOS_LOWDELAY)
                self.assertEqual(priorities(pid, tid), self.bulk())

            self.assertEqual(read_exactly(data, self.SIZE), self.SIZE - 4 * MiB)
            data.close()
            reply = client.reply()
            self.assertTrue(reply.startswith(b"226"), reply)
            # The thread ended before the 226: the session is its main thread, unchanged.
            self.assertEqual(os.listdir(f"/proc/{pid}/task"), [str(pid)])
            self.assertEqual(priorities(pid), self.normal())
            # And it goes on at it: a small download needs no thread.
            small, _ = client.open_data()
            self.assertTrue(client.command("RETR small.txt").startswith(b"150"))
            self.assertEqual(read_exactly(small, 200), 100)
            small.close()
            self.assertTrue(client.reply().startswith(b"226"))
            self.assertEqual(priorities(pid), self.normal())

    def start_upload(self, server, allo=None):
        client = Login(server.port)
        self.addCleanup(client.close)
        pid = server.wait_sessions(1)[0]
        self.normal_ioprio = priorities(pid)[2]
        if allo is not None:
            self.assertTrue(client.command(f"ALLO {allo}").startswith(b"200"))
        data, _ = client.open_data()
        self.addCleanup(data.close)
        self.assertTrue(client.command("STOR up.bin").startswith(b"150"))
        return client, data, pid

    def test_a_big_upload_gives_way_and_comes_back(self):
        with Server(self.served(), "--write", "--bulk-after", "1") as server:
            client, data, pid = self.start_upload(server)
            block = b"u" * MiB
            for _ in range(3):
                data.sendall(block)
            self.assertTrue(wait_until(lambda: self.bulk_demoted(pid), 10),
                            f"bulk thread {bulk_thread(pid)}")
            self.assertEqual(priorities(pid), self.normal())
            data.sendall(block)
            data.close()
            reply = client.reply()
            self.assertTrue(reply.startswith(b"226"), reply)
            self.assertEqual(os.listdir(f"/proc/{pid}/task"), [str(pid)])
            self.assertEqual(priorities(pid), self.normal())
            self.assertEqual(os.path.getsize(os.path.join(server.root, "up.bin")), 4 * MiB)

    def test_an_upload_past_its_allo_gives_way_in_the_session_thread_and_undoes_it(self):
        """ALLO announced a small file, so no thread was made; past the threshold only what
        the main thread can undo changes (policy, I/O class), and it comes back."""
        with Server(self.served(), "--write", "--bulk-after", "1") as server:
            client, data, pid = self.start_upload(server, allo=4096)
            self.assertIsNone(bulk_thread(pid))
            block = b"a" * MiB
            for _ in range(3):
                data.sendall(block)
            given_way = (self.base_nice, SCHED_BATCH, self.bulk()[2])
            self.assertTrue(wait_until(lambda: priorities(pid) == given_way, 10),
                            priorities(pid))
            data.close()
            reply = client.reply()   # more than announced: the end-of-upload wait decides
            self.assertTrue(reply.startswith(b"226"), reply)
            self.assertEqual(priorities(pid), self.normal())

    def test_below_the_threshold_nothing_changes(self):
        with Server(self.served(), "--bulk-after", "64") as server:
            self.check_never_demoted(server)

    def test_zero_turns_it_off(self):
        with Server(self.served(), "--bulk-after", "0") as server:
            self.check_never_demoted(server)
            with Login(server.port) as other:
                self.assertIsNotNone(other)
                self.assertEqual(socket_tos(server.port), 0)

    def check_never_demoted(self, server):
        client, data, data_port, pid = self.start_download(server)
        self.assertEqual(read_exactly(data, 8 * MiB), 8 * MiB)
        self.assertIsNone(bulk_thread(pid))
        # The session would have given way by now (it checks after every chunk): wait a
        # while for a change that must not come.
        self.assertFalse(wait_until(lambda: priorities(pid) != self.normal(), 2.0),
                         priorities(pid))
        self.assertEqual(socket_tos(data_port), 0)
        self.assertEqual(read_exactly(data, self.SIZE), self.SIZE - 8 * MiB)
        self.assertTrue(client.reply().startswith(b"226"))

    def test_bad_values_are_refused(self):
        for value in ("-1", "lots", "2000000"):
            done = subprocess.run([ferrytest.FERRYD, "--bulk-after", value, "--port", "0"],
                                  capture_output=True, text=True, timeout=10,
                                  env=dict(os.environ, LANG="C", LC_ALL="C"))
            self.assertNotEqual(done.returncode, 0, value)
            self.assertIn("bulk-after", done.stderr, value)
            self.assertIn("must be a whole number from 0 to 1048576", done.stderr, value)

    def test_the_config_file_key(self):
        with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write("[ferryd]\nbulk-after=0\n")
            conf.flush()
            os.chmod(conf.name, 0o644)
            with served_tree() as root, Server(root, "--config", conf.name) as server, \
                    Login(server.port):
                self.assertEqual(socket_tos(server.port), 0)   # off: no marks
            with served_tree() as root, Server(root) as server, Login(server.port):
                self.assertEqual(socket_tos(server.port), IPTOS_LOWDELAY)

if __name__ == "__main__":
    ferrytest.main()
