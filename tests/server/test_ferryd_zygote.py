# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd's session zygote through real processes: single-threaded at every fork (under
load), re-exec'd after FERRYD_ZYGOTE_SESSIONS_BEFORE_REEXEC sessions, replaced when it dies
without losing a session or its count, and nothing left unreaped anywhere in the tree."""
import ftplib
import multiprocessing
import os
import signal
import tempfile
import threading
import time
import unittest

import ferrytest
from ferrydproc import (IS_ROOT, Client, Server, process_parent, process_state,
                        process_threads, run_ferryd)
from ferrytest import served_tree, wait_until

TOO_MANY = b"421 Too many connections, try again later.\r\n"
# src/server/ferryd-zygote.h
SESSIONS_BEFORE_REEXEC = 256


def one_session(port):
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", port, timeout=30)
    ftp.login()
    ftp.voidcmd("TYPE I")
    ftp.size("f.bin")
    ftp.quit()


def session_loop(port, count, failures):
    for _ in range(count):
        try:
            one_session(port)
        except (OSError, ftplib.Error):
            failures.value += 1


def run_sessions(port, total, clients=8):
    """total sessions from `clients` processes in parallel; returns the failures."""
    context = multiprocessing.get_context("fork")
    failures = context.Value("i", 0, lock=False)
    workers = [context.Process(target=session_loop, args=(port, total // clients, failures))
               for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    return failures.value


def no_zombies(server):
    return [pid for pid in server.children() if process_state(pid) == "Z"] == []


class Tree(unittest.TestCase):
    def test_listener_zygote_and_idle_processes(self):
        with served_tree() as root, Server(root) as server:
            zygote = server.wait_zygote()
            self.assertEqual(process_parent(zygote), server.proc.pid)
            self.assertEqual(process_threads(zygote), 1)
            idle = wait_until(lambda: server.idle())
            self.assertTrue(idle)
            for pid in idle:
                self.assertEqual(process_parent(pid), zygote)
                self.assertEqual(process_threads(pid), 1)
            with Client(server.port) as client:
                self.assertTrue(client.command("USER anonymous").startswith(b"331"))
                session = server.wait_sessions(1)[0]
                self.assertEqual(process_parent(session), zygote)
                self.assertNotIn(session, server.idle())

    def test_session_crash_leaves_the_zygote(self):
        with served_tree() as root, Server(root) as server:
            zygote = server.wait_zygote()
            with Client(server.port) as victim_client, Client(server.port) as other:
                pids = server.wait_sessions(2)
                os.kill(pids[0], signal.SIGSEGV)
                server.wait_sessions(1)
                # (signal 11; under AddressSanitizer, which catches it, signal 6)
                ended = f"session process {pids[0]} for 127.0.0.1 was ended by signal"
                self.assertTrue(wait_until(lambda: ended in server.log_text()),
                                server.log_text())
                self.assertEqual(server.zygotes(), [zygote])
                self.assertTrue(other.command("NOOP").startswith(b"200"))
                self.assertTrue(victim_client.closed_by_server())
            self.assertTrue(wait_until(lambda: no_zombies(server)))


def mapped_libraries(pid):
    """Base names of the files pid maps."""
    with open(f"/proc/{pid}/maps") as f:
        return {os.path.basename(line.split()[-1]) for line in f if "/" in line}


@unittest.skipUnless(IS_ROOT, "needs root: the maps of non-dumpable session processes are root's to read")
class LeanSessionProgram(unittest.TestCase):
    """The zygote is the session program, which links GLib only: GIO's many libraries are
    mappings each fork copies and each exit tears down."""

    def test_zygote_and_session_processes_map_no_gio(self):
        with served_tree() as root, Server(root) as server:
            zygote = server.wait_zygote()
            self.assertEqual(os.path.basename(os.readlink(f"/proc/{zygote}/exe")),
                             "ferryd-zygote")
            with Client(server.port) as client:
                self.assertTrue(client.command("USER anonymous").startswith(b"331"))
                processes = [zygote] + server.wait_sessions(1) + wait_until(server.idle)
                for pid in processes:
                    names = mapped_libraries(pid)
                    self.assertTrue([n for n in names if n.startswith("libglib-2.0")], names)
                    self.assertEqual([n for n in names
                                      if n.startswith(("libgio", "libgobject", "libgmodule",
                                                       "ferryd-tls"))], [], (pid, names))


class SingleThreaded(unittest.TestCase):
    def test_zygote_stays_single_threaded_under_load(self):
        """Samples every zygote's thread count while 8 clients run 400 sessions; GLib forbids
        fork in a threaded process, and the zygote aborts rather than fork with threads."""
        with served_tree({"f.bin": b"x" * 1000}) as root, Server(root) as server:
            first = server.wait_zygote()
            samples = {}
            stop = threading.Event()

            def sample():
                while not stop.is_set():
                    for pid in server.zygotes():
                        threads = process_threads(pid)
                        if threads is not None:
                            samples.setdefault(pid, set()).add(threads)
                    time.sleep(0.002)

            sampler = threading.Thread(target=sample)
            sampler.start()
            try:
                failures = run_sessions(server.port, 400)
            finally:
                stop.set()
                sampler.join()
            self.assertEqual(failures, 0, server.log_text()[-2000:])
            self.assertIn(first, samples)
            self.assertEqual(set().union(*samples.values()), {1}, samples)
            log = server.log_text()
            self.assertNotIn("threads", log)
            self.assertNotIn("ended unexpectedly", log)
            self.assertIsNone(server.proc.poll())
            self.assertTrue(wait_until(lambda: no_zombies(server)))


class Reexec(unittest.TestCase):
    def test_zygote_is_replaced_after_its_share_of_sessions(self):
        with served_tree({"f.bin": b"x" * 1000}) as root, Server(root) as server:
            first = server.wait_zygote()
            failures = run_sessions(server.port, SESSIONS_BEFORE_REEXEC + 64, clients=4)
            self.assertEqual(failures, 0)
            # a fresh exec took over; the first one left once its sessions ended
            self.assertTrue(wait_until(lambda: server.zygotes() and first not in server.zygotes()),
                            server.zygotes())
            self.assertIsNone(process_state(first))
            second = server.wait_zygote()
            self.assertNotEqual(first, second)
            self.assertTrue(wait_until(lambda: sorted(server.children())
                                       == sorted([second] + server.idle())))
            self.assertTrue(wait_until(lambda: no_zombies(server)))
            with Client(server.port) as client:
                self.assertTrue(client.greeting.startswith(b"220"))
                self.assertEqual(process_parent(server.wait_sessions(1)[0]), second)


class ZygoteDeath(unittest.TestCase):
    def test_killed_zygote_is_replaced_and_its_sessions_still_count(self):
        with served_tree() as root, Server(root, "--max-clients", "2") as server:
            zygote = server.wait_zygote()
            first, second = Client(server.port), Client(server.port)
            try:
                for client in (first, second):
                    self.assertTrue(client.command("USER anonymous").startswith(b"331"))
                sessions = server.wait_sessions(2)
                old_idle = server.idle()
                os.kill(zygote, signal.SIGKILL)
                self.assertTrue(wait_until(lambda: server.zygotes()
                                           and zygote not in server.zygotes()))
                self.assertTrue(wait_until(lambda: process_state(zygote) is None))
                self.assertIn("ended unexpectedly", server.log_text())
                # its idle processes left and were reaped by the listener
                self.assertTrue(wait_until(lambda: all(process_state(p) is None for p in old_idle)),
                                [(p, process_state(p)) for p in old_idle])
                # its sessions go on, adopted by the listener, and still count
                for pid in sessions:
                    self.assertEqual(process_parent(pid), server.proc.pid)
                self.assertTrue(first.command("NOOP").startswith(b"200"))
                with Client(server.port) as third:
                    self.assertEqual(third.greeting, TOO_MANY)
                first.close()
                self.assertTrue(wait_until(lambda: process_state(sessions[0]) is None
                                           or process_state(sessions[1]) is None))
                with Client(server.port) as fourth:
                    self.assertTrue(fourth.greeting.startswith(b"220"), fourth.greeting)
                    newest = [p for p in server.wait_sessions(2) if p not in sessions][0]
                    self.assertEqual(process_parent(newest), server.zygotes()[0])
            finally:
                first.close()
                second.close()
            server.wait_sessions(0)
            self.assertTrue(wait_until(lambda: no_zombies(server)))
            self.assertEqual(len(server.zygotes()), 1)


class Reload(unittest.TestCase):
    def test_sighup_starts_a_new_zygote_and_the_old_one_finishes(self):
        with served_tree() as root, tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write("[ferryd]\nmax-clients=5\n")
            conf.flush()
            os.chmod(conf.name, 0o644)
            with Server(root, "--config", conf.name) as server:
                old = server.wait_zygote()
                client = Client(server.port)
                self.assertTrue(client.command("USER anonymous").startswith(b"331"))
                old_session = server.wait_sessions(1)[0]
                server.proc.send_signal(signal.SIGHUP)
                self.assertTrue(wait_until(lambda: "reloaded" in server.log_text()))
                self.assertTrue(wait_until(lambda: len(server.zygotes()) == 2))
                with Client(server.port) as newcomer:
                    self.assertTrue(newcomer.greeting.startswith(b"220"))
                    new_session = [p for p in server.wait_sessions(2) if p != old_session][0]
                    self.assertNotEqual(process_parent(new_session), old)
                # the old zygote waits for its last session, then leaves
                self.assertEqual(process_parent(old_session), old)
                self.assertTrue(client.command("NOOP").startswith(b"200"))
                client.command("QUIT")
                client.close()
                self.assertTrue(wait_until(lambda: process_state(old) is None))
                server.wait_zygote()
                self.assertTrue(wait_until(lambda: no_zombies(server)))


def descriptors_on(pid, path):
    """How many of pid's open descriptors lead to path."""
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == path:
                count += 1
        except OSError:
            pass   # closed in between
    return count


def log_in(client, user, password):
    client.command(f"USER {user}")
    return client.command(f"PASS {password}")


class PreopenedRoot(unittest.TestCase):
    """The zygote opens the served folder once; each session inherits it and its jail takes
    it at login instead of opening and resolving the path again."""

    def test_sessions_inherit_the_served_root(self):
        with served_tree({"f.bin": b"x" * 10}) as root, Server(root) as server:
            real_root = os.path.realpath(root)
            server.wait_zygote()
            idle = wait_until(server.idle)
            self.assertTrue(idle)
            self.assertEqual(descriptors_on(idle[0], real_root), 1)
            with Client(server.port) as client:
                self.assertTrue(log_in(client, "anonymous", "x@").startswith(b"230"))
                self.assertTrue(client.command("SIZE f.bin").startswith(b"213 10"))
                session, = server.wait_sessions(1)
                # The jail holds the inherited descriptor: no second one.
                self.assertEqual(descriptors_on(session, real_root), 1)

    def test_a_user_jailed_elsewhere_does_not_keep_the_served_root(self):
        with served_tree({"alice/a.txt": b"a", "b.txt": b"b"}) as root:
            real_root = os.path.realpath(root)
            alice_root = os.path.join(real_root, "alice")
            users = os.path.abspath(os.path.join(root, "..", os.path.basename(root) + ".users"))
            try:
                code, _, err = run_ferryd("--add-user", "alice", "--users", users,
                                          input=b"wonderland\nwonderland\n")
                self.assertEqual(code, 0, err)
                with open(users, "a") as f:
                    f.write(f"root={alice_root}\n")
                if IS_ROOT:
                    os.chmod(users, 0o600)
                with Server(root, "--users", users) as server, Client(server.port) as client:
                    self.assertTrue(log_in(client, "alice", "wonderland").startswith(b"230"))
                    self.assertTrue(client.command("SIZE a.txt").startswith(b"213 1"))
                    self.assertTrue(client.command("SIZE /b.txt").startswith(b"550"))
                    session, = server.wait_sessions(1)
                    self.assertEqual(descriptors_on(session, real_root), 0)
                    self.assertEqual(descriptors_on(session, alice_root), 1)
            finally:
                if os.path.exists(users):
                    os.unlink(users)


if __name__ == "__main__":
    ferrytest.main()
