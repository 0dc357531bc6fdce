# SPDX-License-Identifier: GPL-3.0-or-later
"""A burst of clients at the same instant, all under --max-clients and --max-per-ip: every
one is served, byte-exact, and none is refused. (Issue 12: when the channel to the session
zygote was full, the listener answered 421 "Too many connections" instead of waiting.)"""
import contextlib
import ftplib
import hashlib
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

import ferrytest
from ferrydproc import Server, process_state
from ferrytest import served_tree, wait_until

CLIENTS = 300
PAYLOAD_SIZE = 256 * 1024
# ferryd --verbose, src/server/ferryd-listener.c
PAUSED = "not accepting until it catches up"
RESUMED = "accepting again"


def connect_all(port, count):
    """count control connections opened back to back, before any is served: the kernel
    completes each handshake at once, so all of them reach ferryd within milliseconds (no
    ramp-up, more at once than a thread per client could manage)."""
    sockets = []
    for _ in range(count):
        sockets.append(socket.create_connection(("127.0.0.1", port), timeout=120))
    return sockets


def one_client(sock, expected, results, index):
    """Logs in on an open control connection and downloads; records "ok", or the reply or
    error that stopped it."""
    try:
        ftp = ftplib.FTP(timeout=120)
        ftp.sock = sock
        ftp.af = sock.family
        ftp.file = sock.makefile("r", encoding=ftp.encoding)
        ftp.welcome = ftp.getresp()
        ftp.login()
        chunks = []
        ftp.retrbinary("RETR f.bin", chunks.append)
        ftp.quit()
        data = b"".join(chunks)
        ok = hashlib.sha256(data).hexdigest() == expected
        results[index] = "ok" if ok else f"wrong bytes ({len(data)})"
    except (OSError, EOFError, ftplib.Error) as e:
        results[index] = f"{type(e).__name__}: {e}"
    finally:
        sock.close()


def serve_burst(test, server, expected, while_connected=None):
    """CLIENTS clients at once, each downloading f.bin; asserts every one got it whole."""
    results = [None] * CLIENTS
    started = time.monotonic()
    sockets = connect_all(server.port, CLIENTS)
    if while_connected is not None:
        while_connected()
    threads = [threading.Thread(target=one_client, args=(sock, expected, results, i))
               for i, sock in enumerate(sockets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(240)
    elapsed = time.monotonic() - started

    failures = [r for r in results if r != "ok"]
    log = server.log_text()
    print(f"{CLIENTS} clients at once: {CLIENTS - len(failures)} served in {elapsed:.1f} s")
    test.assertEqual(failures, [], log[-3000:])
    test.assertNotIn("refused", log)
    test.assertNotIn("cannot hand the client", log)
    test.assertIsNone(server.proc.poll())
    # every session ended and was reaped
    test.assertTrue(wait_until(lambda: server.sessions() == [], timeout=30))
    test.assertTrue(wait_until(
        lambda: [p for p in server.children() if process_state(p) == "Z"] == []))
    return log


class Burst(unittest.TestCase):
    def setUp(self):
        payload = os.urandom(PAYLOAD_SIZE)
        self.expected = hashlib.sha256(payload).hexdigest()
        self.tree = served_tree({"f.bin": payload})
        self.root = self.tree.__enter__()
        self.addCleanup(self.tree.__exit__, None, None, None)

    def test_every_client_of_a_burst_is_served(self):
        with Server(self.root, "--max-clients", "1000", "--max-per-ip", "1000") as server:
            server.wait_zygote()
            serve_burst(self, server, self.expected)

    def test_a_burst_waits_while_the_zygote_is_behind(self):
        """The zygote is stopped while the burst arrives: its channel fills (a few hundred
        clients), and the rest must wait in the listen queue, not be refused."""
        with Server(self.root, "--max-clients", "1000", "--max-per-ip", "1000",
                    "--verbose") as server:
            zygote = server.wait_zygote()

            def back_once_the_listener_paused():
                try:
                    self.assertTrue(wait_until(lambda: PAUSED in server.log_text(), timeout=20),
                                    server.log_text()[-2000:])
                finally:
                    os.kill(zygote, signal.SIGCONT)

            os.kill(zygote, signal.SIGSTOP)
            try:
                log = serve_burst(self, server, self.expected, back_once_the_listener_paused)
            finally:
                # (gone by now if the burst filled its share of sessions: a fresh one took over)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(zygote, signal.SIGCONT)
            self.assertIn(RESUMED, log)


def listen_queue(port):
    """The listen queue length of the socket listening on 127.0.0.1:port (ss's Send-Q)."""
    out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[2]) if len(out) > 2 else None


class ListenQueue(unittest.TestCase):
    """The kernel's queue holds the clients a paused listener has not accepted yet: as long
    as --max-clients, also after a reload changed it."""

    def test_listen_queue_follows_max_clients(self):
        ferrytest.need_program("ss", "iproute2")
        with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write("[ferryd]\nmax-clients=700\n")
            conf.flush()
            os.chmod(conf.name, 0o644)
            with Server(self.root, "--config", conf.name) as server:
                self.assertEqual(listen_queue(server.port), 700)
                with open(conf.name, "w") as rewrite:
                    rewrite.write("[ferryd]\nmax-clients=900\n")
                server.proc.send_signal(signal.SIGHUP)
                self.assertTrue(wait_until(lambda: "reloaded" in server.log_text()))
                self.assertEqual(listen_queue(server.port), 900)

    def setUp(self):
        self.tree = served_tree()
        self.root = self.tree.__enter__()
        self.addCleanup(self.tree.__exit__, None, None, None)


if __name__ == "__main__":
    ferrytest.main()
