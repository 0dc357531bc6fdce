# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd's process model through real processes: one session process per client, all
reaped, limits answered with 421, a killed session harming nobody, SIGTERM, SIGHUP and the
privilege drop."""
import ftplib
import os
import signal
import tempfile
import time
import unittest

import ferrytest
from ferrydproc import IS_ROOT, Client, Server, process_parent, process_state, process_uids
from ferrytest import served_tree, wait_until

TOO_MANY = b"421 Too many connections, try again later.\r\n"


def gone(pid):
    return process_state(pid) is None


class OneProcessPerClient(unittest.TestCase):
    def test_each_client_gets_its_own_child_process(self):
        with served_tree() as root, Server(root) as server:
            clients = [Client(server.port) for _ in range(5)]
            try:
                for client in clients:
                    self.assertTrue(client.greeting.startswith(b"220"), client.greeting)
                pids = server.wait_sessions(5)
                self.assertEqual(len(set(pids)), 5)
                self.assertNotIn(server.proc.pid, pids)
                # forked by the zygote, which the listener started
                zygote = server.wait_zygote()
                self.assertEqual(process_parent(zygote), server.proc.pid)
                for pid in pids:
                    self.assertEqual(process_parent(pid), zygote)
            finally:
                for client in clients:
                    client.close()
            server.wait_sessions(0)

    def test_no_zombies_after_clients_leave(self):
        with served_tree() as root, Server(root) as server:
            for _ in range(3):
                clients = [Client(server.port) for _ in range(8)]
                server.wait_sessions(8)
                for i, client in enumerate(clients):
                    if i % 2:
                        client.command("QUIT")
                    client.close()
                server.wait_sessions(0)
                self.assertTrue(wait_until(lambda: not server.zombies(), 2.0),
                                server.zombies())
            # what stays is the zygote and its idle processes, nothing else
            self.assertTrue(wait_until(lambda: sorted(server.children())
                                       == sorted(server.zygotes() + server.idle())),
                            [(pid, process_state(pid)) for pid in server.children()])
            self.assertEqual(len(server.zygotes()), 1)
            self.assertLessEqual(len(server.children()), 8)

    def test_idle_processes_are_ready_before_anyone_connects(self):
        with served_tree() as root, Server(root) as server:
            self.assertTrue(wait_until(lambda: len(server.idle()) >= 2))
            self.assertEqual(server.sessions(), [])


class Limits(unittest.TestCase):
    def test_421_past_max_clients(self):
        with served_tree() as root, Server(root, "--max-clients", "2") as server:
            first, second = Client(server.port), Client(server.port)
            server.wait_sessions(2)
            with Client(server.port) as third:
                self.assertEqual(third.greeting, TOO_MANY)
                self.assertTrue(third.closed_by_server())
            with Client(server.port, source="127.0.0.2") as other_peer:
                self.assertEqual(other_peer.greeting, TOO_MANY)
            first.close()
            server.wait_sessions(1)
            with Client(server.port) as fourth:
                self.assertTrue(fourth.greeting.startswith(b"220"), fourth.greeting)
            second.close()
            self.assertIn("refused", server.log_text())

    def test_421_past_max_per_ip(self):
        with served_tree() as root, Server(root, "--max-per-ip", "2") as server:
            a1, a2 = Client(server.port), Client(server.port)
            server.wait_sessions(2)
            with Client(server.port) as a3:
                self.assertEqual(a3.greeting, TOO_MANY)
            b1 = Client(server.port, source="127.0.0.2")
            b2 = Client(server.port, source="127.0.0.2")
            self.assertTrue(b1.greeting.startswith(b"220"), b1.greeting)
            self.assertTrue(b2.greeting.startswith(b"220"), b2.greeting)
            with Client(server.port, source="127.0.0.2") as b3:
                self.assertEqual(b3.greeting, TOO_MANY)
            server.wait_sessions(4)
            a1.close()
            server.wait_sessions(3)
            with Client(server.port) as a4:
                self.assertTrue(a4.greeting.startswith(b"220"), a4.greeting)
            for client in (a2, b1, b2):
                client.close()


class Isolation(unittest.TestCase):
    def test_killing_one_session_leaves_the_others(self):
        with served_tree() as root, Server(root) as server:
            clients = [Client(server.port) for _ in range(3)]
            for client in clients:
                self.assertTrue(client.command("USER anonymous").startswith(b"331"))
            pids = server.wait_sessions(3)
            # find the session process of clients[0] by its socket: the newest is last
            victim = pids[0]
            os.kill(victim, signal.SIGKILL)
            self.assertTrue(wait_until(lambda: gone(victim)), "killed session not reaped")
            survivors = server.wait_sessions(2)
            self.assertNotIn(victim, survivors)
            answers = []
            for client in clients:
                try:
                    answers.append(client.command("NOOP"))
                except OSError:
                    answers.append(b"")
            self.assertEqual(sum(a.startswith(b"200") for a in answers), 2, answers)
            self.assertIsNone(server.proc.poll())
            with Client(server.port) as newcomer:
                self.assertTrue(newcomer.greeting.startswith(b"220"))
            for client in clients:
                client.close()
            self.assertIn("signal 9", server.log_text())

    def test_crash_of_idle_process_is_replaced(self):
        with served_tree() as root, Server(root) as server:
            idle = wait_until(lambda: server.idle())
            os.kill(idle[0], signal.SIGSEGV)
            self.assertTrue(wait_until(lambda: gone(idle[0])))
            self.assertTrue(wait_until(lambda: len(server.idle()) >= 2))
            with Client(server.port) as client:
                self.assertTrue(client.greeting.startswith(b"220"))


class Signals(unittest.TestCase):
    def test_sigterm_with_nobody_connected_exits_at_once(self):
        with served_tree() as root:
            server = Server(root).start()
            children = wait_until(lambda: server.idle())
            started = time.monotonic()
            self.assertEqual(server.stop(signal.SIGTERM), 0)
            self.assertLess(time.monotonic() - started, 2.0)
            for pid in children:
                self.assertTrue(wait_until(lambda: gone(pid), 2.0), f"{pid} outlived ferryd")

    def test_sigterm_stops_accepting_then_ends_sessions(self):
        with served_tree() as root:
            server = Server(root).start()
            client = Client(server.port)
            self.assertTrue(client.command("USER anonymous").startswith(b"331"))
            session = server.wait_sessions(1)[0]
            started = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)
            # no new clients once SIGTERM arrived
            self.assertTrue(wait_until(lambda: not _accepts(server.port), 2.0))
            # the running session is given a grace period, then ended
            self.assertEqual(server.proc.wait(10), 0)
            elapsed = time.monotonic() - started
            self.assertGreaterEqual(elapsed, 2.5)
            self.assertLess(elapsed, 8.0)
            self.assertTrue(gone(session))
            self.assertTrue(client.closed_by_server())
            client.close()
            server.stop()

    def test_sigterm_lets_a_quick_session_finish(self):
        with served_tree() as root:
            server = Server(root).start()
            client = Client(server.port)
            server.wait_sessions(1)
            server.proc.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            self.assertIsNone(server.proc.poll())
            self.assertTrue(client.command("NOOP").startswith(b"200"))
            client.command("QUIT")
            client.close()
            self.assertEqual(server.proc.wait(5), 0)
            server.stop()

    def test_sighup_reloads_limits_for_new_sessions(self):
        with served_tree() as root, tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write("[ferryd]\nmax-clients=1\n")
            conf.flush()
            os.chmod(conf.name, 0o644)   # re-read after the drop from root
            with Server(root, "--config", conf.name) as server:
                first = Client(server.port)
                server.wait_sessions(1)
                with Client(server.port) as refused:
                    self.assertEqual(refused.greeting, TOO_MANY)
                old_idle = set(wait_until(lambda: server.idle()))
                with open(conf.name, "w") as f:
                    f.write("[ferryd]\nmax-clients=3\n")
                server.proc.send_signal(signal.SIGHUP)
                self.assertTrue(wait_until(lambda: "reloaded" in server.log_text()))
                with Client(server.port) as second:
                    self.assertTrue(second.greeting.startswith(b"220"), second.greeting)
                # idle processes started with the old configuration were replaced
                self.assertTrue(wait_until(lambda: old_idle.isdisjoint(server.idle())))
                # the session that was running is untouched
                self.assertTrue(first.command("NOOP").startswith(b"200"))
                first.close()

    def test_sighup_with_a_broken_config_keeps_the_old_one(self):
        with served_tree() as root, tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write("[ferryd]\nmax-clients=1\n")
            conf.flush()
            os.chmod(conf.name, 0o644)   # re-read after the drop from root
            with Server(root, "--config", conf.name) as server:
                with open(conf.name, "w") as f:
                    f.write("[ferryd]\nmax-clients=lots\n")
                server.proc.send_signal(signal.SIGHUP)
                self.assertTrue(wait_until(lambda: "reload failed" in server.log_text()))
                self.assertIsNone(server.proc.poll())
                with Client(server.port) as first, Client(server.port) as second:
                    self.assertTrue(first.greeting.startswith(b"220"))
                    self.assertEqual(second.greeting, TOO_MANY)

    def test_sighup_changes_show_hidden_for_new_sessions(self):
        files = {"visible.txt": b"v", ".hidden": b"h"}
        with served_tree(files) as root, tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write("[ferryd]\nshow-hidden=false\n")
            conf.flush()
            os.chmod(conf.name, 0o644)   # re-read after the drop from root
            with Server(root, "--config", conf.name) as server:
                before = _names(server.port)
                self.assertIn("visible.txt", before)
                self.assertNotIn(".hidden", before)
                with open(conf.name, "w") as f:
                    f.write("[ferryd]\nshow-hidden=true\n")
                server.proc.send_signal(signal.SIGHUP)
                self.assertTrue(wait_until(lambda: "reloaded" in server.log_text()))
                self.assertIn(".hidden", _names(server.port))


@unittest.skipUnless(IS_ROOT, "needs root: the privilege drop happens only when ferryd starts as root")
class PrivilegeDrop(unittest.TestCase):
    def test_sessions_never_run_as_root(self):
        with served_tree({"a.txt": b"a"}) as root, Server(root) as server:
            nobody = os.stat(root).st_uid
            self.assertNotEqual(nobody, 0)
            with Client(server.port) as client:
                self.assertTrue(client.greeting.startswith(b"220"))
                session = server.wait_sessions(1)[0]
                self.assertEqual(process_uids(session), [nobody] * 4)
            self.assertEqual(process_uids(server.proc.pid), [nobody] * 4)
            for pid in server.zygotes() + server.idle():
                self.assertEqual(process_uids(pid), [nobody] * 4)

    def test_run_as_names_the_user(self):
        with tempfile.TemporaryDirectory() as root:
            os.chmod(root, 0o755)
            with Server(root, "--run-as", "nobody") as server:
                with Client(server.port) as client:
                    self.assertTrue(client.greeting.startswith(b"220"))
                    session = server.wait_sessions(1)[0]
                    self.assertNotIn(0, process_uids(session))
                with open(f"/proc/{server.proc.pid}/status") as f:
                    groups = [line for line in f if line.startswith("Groups:")][0]
                self.assertNotIn("0", groups.split(":", 1)[1].split())


def _accepts(port):
    try:
        with Client(port, timeout=1.0):
            return True
    except OSError:
        return False


def _names(port):
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", port, timeout=10)
    ftp.login()
    try:
        return ftp.nlst()
    finally:
        ftp.quit()


if __name__ == "__main__":
    ferrytest.main()
