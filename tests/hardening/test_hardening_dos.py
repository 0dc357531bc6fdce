# SPDX-License-Identifier: GPL-3.0-or-later
"""Denial of service and protocol abuse against a real ferryd: slowloris, command floods,
half-open data connections, connection floods past the limits, a LIST of 200k entries
(bounded memory), ABOR mid-upload and mid-listing, TLS downgrades under --require-tls."""
import ftplib
import os
import shutil
import socket
import ssl
import tempfile
import threading
import time
import unittest

import ferrytest
from ferrydproc import Client, Server
from ferrytest import served_tree, wait_until
from hardeningtest import data_connection, status_kib
import sessiontest
from sessiontest import ftp, retr_bytes, temp_files


def config_file(folder, **keys):
    path = os.path.join(folder, "ferryd.conf")
    with open(path, "w") as f:
        f.write("[ferryd]\n" + "".join(f"{k.replace('_', '-')}={v}\n" for k, v in keys.items()))
    return path


class SlowClientTest(unittest.TestCase):
    def test_slowloris_is_cut_by_the_idle_timeout(self):
        # One byte a second never lets a command complete: the idle time-out counts from
        # the last command, so the session ends after 2 s although bytes keep coming.
        with served_tree() as root, Server(root, "--idle-timeout", "2") as server, \
                Client(server.port) as client:
            self.assertTrue(client.greeting.startswith(b"220"))
            start = time.monotonic()
            said = b""
            client.sock.settimeout(0.05)
            for byte in b"USER anonymous\r\n":
                try:
                    client.sock.send(bytes([byte]))
                except OSError:
                    break
                try:
                    said += client.sock.recv(4096)
                except TimeoutError:
                    pass
                if b"421" in said:
                    break
                time.sleep(1)
            elapsed = time.monotonic() - start
            self.assertIn(b"421", said)
            self.assertLess(elapsed, 5.0)
            wait_until(lambda: server.sessions() == [], 5)
            self.assertEqual(server.sessions(), [])

    def test_half_open_data_connections_time_out(self):
        with tempfile.TemporaryDirectory() as etc, \
                served_tree({"big.bin": os.urandom(32 << 20)}) as root:
            conf = config_file(etc, data_timeout=2)
            with Server(root, "-c", conf) as server, ftp(server) as client:
                # PASV, then nobody connects: the transfer gives up.
                client.sendcmd("PASV")
                start = time.monotonic()
                with self.assertRaisesRegex(ftplib.error_temp, "^425"):
                    client.sendcmd("RETR big.bin")
                self.assertLess(time.monotonic() - start, 6.0)
                # Connected, but never read: no progress for 2 s ends it.
                conn = data_connection(client)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                client.putcmd("RETR big.bin")
                self.assertTrue(client.getresp().startswith("150"))
                start = time.monotonic()
                with self.assertRaisesRegex(ftplib.error_temp, "^4(26|51)"):
                    client.voidresp()
                self.assertLess(time.monotonic() - start, 8.0)
                conn.close()
                # The session goes on.
                self.assertTrue(client.sendcmd("NOOP").startswith("200"))


class FloodTest(unittest.TestCase):
    def test_command_flood(self):
        with served_tree({"f.txt": b"f"}) as root, Server(root) as server, \
                Client(server.port) as client:
            client.command("USER anonymous")
            client.command("PASS x")
            count = 50000
            sender = threading.Thread(target=client.sock.sendall, args=(b"NOOP\r\n" * count,))
            sender.start()
            replies = [client.reply() for _ in range(count)]
            sender.join()
            self.assertEqual(sum(r.startswith(b"200") for r in replies), count)
            pid = server.sessions()[0]
            peak = status_kib(pid, "VmHWM")
            self.assertLess(peak, 64 * 1024, f"session peak RSS {peak} KiB after the flood")
            self.assertTrue(client.command("SIZE f.txt").startswith(b"213 1"))

    def test_flood_without_reading_replies_ends_the_session(self):
        with tempfile.TemporaryDirectory() as etc, served_tree() as root:
            # Whether the session is stuck sending replies (data time-out) or, with TCP
            # windows closed both ways, waiting for a command (idle time-out), it ends.
            with Server(root, "--idle-timeout", "3", "-c", config_file(etc, data_timeout=2)) \
                    as server, Client(server.port) as client:
                client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                client.sock.settimeout(5)
                try:
                    for _ in range(200):
                        client.sock.sendall(b"NOOP\r\n" * 10000)
                except OSError:
                    pass          # the server stopped reading and went away
                self.assertTrue(wait_until(lambda: server.sessions() == [], 15),
                                "the session waits forever on a client that never reads")

    def test_commands_flooding_a_transfer(self):
        with served_tree({"big.bin": os.urandom(64 << 20)}) as root, Server(root) as server:
            client = ftp(server)
            self.addCleanup(client.close)      # no QUIT: the server hung up
            conn = client.transfercmd("RETR big.bin")
            conn.recv(65536)
            client.sock.sendall(b"NOOP\r\n" * 200)
            replies = b""
            client.sock.settimeout(20)
            while b"421" not in replies:
                chunk = client.sock.recv(65536)
                if not chunk:
                    break
                replies += chunk
            self.assertIn(b"421 Too many commands", replies)
            conn.close()
            with ftp(server) as other:
                self.assertEqual(len(retr_bytes(other, "big.bin")), 64 << 20)

    def test_connection_flood_past_the_limits(self):
        with served_tree({"f.txt": b"f"}) as root, \
                Server(root, "--max-clients", "10", "--max-per-ip", "5") as server:
            def flood(source, n):
                clients = [Client(server.port, source=source) for _ in range(n)]
                return clients, [c.greeting[:4] for c in clients]

            ours, greetings = flood("127.0.0.1", 30)
            self.assertEqual(greetings.count(b"220 "), 5, greetings)
            self.assertEqual(greetings.count(b"421 "), 25, greetings)
            theirs, greetings = flood("127.0.0.2", 10)
            self.assertEqual(greetings.count(b"220 "), 5, greetings)
            more, greetings = flood("127.0.0.3", 10)
            self.assertEqual(greetings.count(b"421 "), 10, greetings)   # max-clients
            for client in ours + theirs + more:
                client.close()
            self.assertTrue(wait_until(lambda: server.sessions() == [], 10))
            self.assertTrue(wait_until(lambda: server.zombies() == [], 5), server.zombies())
            with ftp(server) as client:
                self.assertEqual(retr_bytes(client, "f.txt"), b"f")


class BigListingTest(unittest.TestCase):
    ENTRIES = 200_000

    @classmethod
    def setUpClass(cls):
        cls.base = tempfile.mkdtemp(prefix="ferry-biglist-")
        cls.root = os.path.join(cls.base, "root")
        folder = os.path.join(cls.root, "many")
        os.makedirs(folder)
        for i in range(cls.ENTRIES):
            os.close(os.open(os.path.join(folder, f"file-{i:06d}.txt"),
                             os.O_CREAT | os.O_WRONLY, 0o644))
        os.chmod(cls.base, 0o755)
        if os.geteuid() == 0:
            for path in (cls.root, folder):
                shutil.chown(path, "nobody", "nogroup")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.base)

    def test_list_of_200k_entries_in_bounded_memory(self):
        with Server(self.root) as server, ftp(server, timeout=120) as client:
            pid = server.sessions()[0]
            before = status_kib(pid, "VmHWM")
            for command in ("NLST many", "LIST many", "MLSD many"):
                with self.subTest(command=command):
                    lines = []
                    client.retrlines(command, lines.append)
                    self.assertEqual(len(lines), self.ENTRIES)
            peak = status_kib(pid, "VmHWM")
            print(f"session peak RSS: {before} KiB before, {peak} KiB after 3 listings "
                  f"of {self.ENTRIES} entries", flush=True)
            self.assertLess(peak, 48 * 1024)

    def test_stat_of_200k_entries_in_bounded_memory(self):
        # STAT <folder> answers with the listing on the control connection; it used to be
        # built whole in memory first (100,000 entries: the session grew from 2 to 34 MB).
        with Server(self.root) as server, ftp(server, timeout=120) as client:
            pid = server.sessions()[0]
            before = status_kib(pid, "VmHWM")
            client.sock.sendall(b"STAT many\r\n")
            first = client.file.readline()
            self.assertTrue(first.startswith("213-"), first)
            entries = 0
            while True:
                line = client.file.readline()
                self.assertTrue(line, "the server closed the connection mid-STAT")
                if line.startswith("213 "):
                    break
                entries += 1
            peak = status_kib(pid, "VmHWM")
            print(f"session peak RSS: {before} KiB before, {peak} KiB after STAT "
                  f"of {self.ENTRIES} entries", flush=True)
            self.assertEqual(entries, self.ENTRIES)
            self.assertLess(peak - before, 8 * 1024)
            self.assertTrue(client.sendcmd("NOOP").startswith("200"))

    def test_abor_mid_listing(self):
        with Server(self.root) as server, ftp(server, timeout=60) as client:
            conn = client.transfercmd("LIST many")
            conn.recv(4096)
            reply = client.abort()
            self.assertRegex(reply, "^(426|226)")
            conn.close()
            if reply.startswith("426"):       # then the 226 of ABOR itself
                self.assertTrue(client.getresp().startswith("226"))
            self.assertTrue(client.sendcmd("NOOP").startswith("200"))


class AbortTest(unittest.TestCase):
    def test_abor_mid_upload_keeps_the_old_file(self):
        with served_tree({"keep.bin": b"old"}) as root, Server(root, "--write") as server, \
                ftp(server) as client:
            conn = client.transfercmd("STOR keep.bin")
            conn.sendall(b"n" * (1 << 20))
            wait_until(lambda: temp_files(root), 5)
            self.assertRegex(client.abort(), "^426")
            self.assertTrue(client.voidresp().startswith("226"))
            conn.close()
            with open(os.path.join(root, "keep.bin"), "rb") as f:
                self.assertEqual(f.read(), b"old")
            self.assertTrue(wait_until(lambda: temp_files(root) == [], 5))
            self.assertEqual(retr_bytes(client, "keep.bin"), b"old")


class TlsDowngradeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.TemporaryDirectory()
        cls.cert, cls.key = ferrytest.make_certificate(cls.keys.name)

    @classmethod
    def tearDownClass(cls):
        cls.keys.cleanup()

    def server(self, root):
        return Server(root, "--tls-cert", self.cert, "--tls-key", self.key, "--require-tls")

    def test_clear_commands_are_refused(self):
        with served_tree({"f.txt": b"f"}) as root, self.server(root) as server, \
                Client(server.port) as client:
            for line in ("USER anonymous", "PASS x", "PBSZ 0", "PROT C", "RETR f.txt",
                         "CCC", "AUTH KERBEROS_V4"):
                with self.subTest(line=line):
                    self.assertRegex(client.command(line), rb"^5\d\d ")

    def test_clear_text_after_auth_tls_is_not_taken(self):
        with served_tree() as root, self.server(root) as server:
            # The client never negotiates: its clear USER is no handshake.
            with Client(server.port) as client:
                self.assertTrue(client.command("AUTH TLS").startswith(b"234"))
                client.sock.sendall(b"USER anonymous\r\nPASS x\r\n")
                try:
                    said = client.file.read()
                except ConnectionResetError:
                    said = b""
                self.assertNotIn(b"230", said)
                self.assertNotIn(b"331", said)
            # Commands piped behind AUTH TLS in clear (STARTTLS injection).
            with Client(server.port) as client:
                client.sock.sendall(b"AUTH TLS\r\nUSER anonymous\r\n")
                self.assertTrue(client.reply().startswith(b"503"))
                self.assertTrue(client.closed_by_server())
            self.assertTrue(wait_until(lambda: server.sessions() == [], 10))

    def test_protected_session_cannot_drop_to_clear(self):
        with served_tree({"f.txt": b"f"}) as root, self.server(root) as server:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            client = sessiontest.ResumingFTP_TLS(context=context, timeout=20)
            client.connect(server.host, server.port)
            client.auth()
            client.login()
            client.sendcmd("PBSZ 0")
            with self.assertRaisesRegex(ftplib.error_perm, "^534"):
                client.sendcmd("PROT C")
            with self.assertRaisesRegex(ftplib.error_perm, "^5"):
                client.sendcmd("CCC")
            with self.assertRaisesRegex(ftplib.error_perm, "^503"):
                client.sendcmd("AUTH TLS")
            client.prot_p()
            self.assertEqual(retr_bytes(client, "f.txt"), b"f")
            client.quit()


if __name__ == "__main__":
    ferrytest.main()
