# SPDX-License-Identifier: GPL-3.0-or-later
"""The client engine against a hostile server (hostile_server.py): unsafe names, oversized
replies, a PASV address pointing elsewhere, an endless stream, stalls and drops. The engine
must stay inside the chosen folder, keep memory bounded, fail clearly and never hang."""
import os
import shutil
import ssl
import tempfile
import time
import unittest

import clientdriver
import ferrytest
from hostile_server import HostileServer

FAST = ["--connect-timeout", "2000", "--reply-timeout", "1500", "--data-timeout", "1500"]
MEMORY_LIMIT_KB = 64 * 1024


class HostileTest(unittest.TestCase):
    def setUp(self):
        self._outer = tempfile.TemporaryDirectory(prefix="ferry-outer-")
        self.outer = self._outer.name
        self.local = os.path.join(self.outer, "chosen")
        os.mkdir(self.local)

    def tearDown(self):
        self._outer.cleanup()

    def assert_nothing_outside(self):
        self.assertEqual(os.listdir(self.outer), ["chosen"])
        self.assertFalse(os.path.exists("/etc/x"))

    def code(self, result):
        return result[2].split(" ", 1)[0]

    def test_unsafe_names_are_listed_but_never_saved(self):
        with HostileServer("names") as server:
            r = clientdriver.run(server.url, ("ls",), ("getdir", "/", self.local, "all"),
                                 ("get", "a\\b", self.local), ("get", "/../../x", self.local),
                                 ("get", "ok.txt", self.local, "../up.txt"),
                                 extra_args=FAST)
        names = [e[2] for e in r.entries[0]]
        self.assertIn("ok.txt", names)
        self.assertIn("../../x", names)
        self.assertIn("a\\b", names)
        self.assertNotIn("..", names)
        # The folder download leaves out each unsafe name and saves the rest.
        self.assertEqual(r.result(1)[:2], ("ok", "get"), r)
        self.assertEqual(r.skipped, ["/../../x", "//etc/x", "/a\\b"], r)
        self.assertEqual(self.code(r.result(2)), "UNSAFE_NAME", r)
        # "/../../x" names the server's /x: saved as "x" inside the chosen folder.
        self.assertEqual(r.result(3)[0], "ok", r)
        self.assertEqual(self.code(r.result(4)), "UNSAFE_NAME", r)
        self.assert_nothing_outside()
        # "line\nbreak" arrives as the entry "line" (the line ends at \n).
        self.assertEqual(sorted(os.listdir(self.local)), ["all", "x"])
        self.assertEqual(sorted(os.listdir(os.path.join(self.local, "all"))), ["line", "ok.txt"])

    def test_a_known_size_saves_the_size_command(self):
        # A caller that listed the folder (ferry-cli's get -r, mirror) tells the size.
        with HostileServer("names") as server:
            r = clientdriver.run(server.url, ("get-known", "/ok.txt", self.local, "3"),
                                 ("get", "/ok.txt", self.local, "again.txt"), extra_args=FAST)
            commands = list(server.commands)
        self.assertEqual(r.result(0)[:2], ("ok", "get"), r)
        self.assertEqual(r.result(1)[:2], ("ok", "get"), r)
        with open(os.path.join(self.local, "ok.txt"), "rb") as f:
            self.assertEqual(f.read(), b"abc")
        retrs = [i for i, c in enumerate(commands) if c == "RETR /ok.txt"]
        self.assertEqual(len(retrs), 2, commands)
        # No SIZE before the first RETR; the plain get still asks.
        self.assertNotIn("SIZE /ok.txt", commands[:retrs[0]])
        self.assertIn("SIZE /ok.txt", commands[retrs[0]:retrs[1]])

    def test_unsafe_name_deep_in_a_folder(self):
        with HostileServer("deep-names") as server:
            r = clientdriver.run(server.url, ("getdir", "/top", self.local), extra_args=FAST)
        self.assertEqual(r.result(0)[:2], ("ok", "get"), r)
        self.assertEqual(r.skipped, ["/top/sub/../escape"], r)
        self.assertTrue(os.path.isfile(os.path.join(self.local, "top", "fine.txt")))
        self.assertEqual(os.listdir(os.path.join(self.local, "top", "sub")), [])
        self.assert_nothing_outside()
        self.assertFalse(os.path.exists(os.path.join(self.local, "escape")))

    def test_symlink_in_target_folder_is_not_followed(self):
        victim = os.path.join(self.outer, "victim")
        os.symlink(victim, os.path.join(self.local, "ok.txt.part"))
        with HostileServer("names") as server:
            r = clientdriver.run(server.url, ("get", "/ok.txt", self.local), extra_args=FAST)
        self.assertEqual(self.code(r.result(0)), "UNSAFE_NAME", r)
        self.assertFalse(os.path.exists(victim))

    def test_hard_link_and_fifo_in_target_folder_are_refused(self):
        victim = os.path.join(self.outer, "victim")
        with open(victim, "wb") as f:
            f.write(b"keep me")
        os.link(victim, os.path.join(self.local, "ok.txt.part"))
        os.mkfifo(os.path.join(self.local, "fifo.txt.part"))
        with HostileServer("names") as server:
            r = clientdriver.run(server.url, ("get", "/ok.txt", self.local),
                                 ("get", "/ok.txt", self.local, "fifo.txt"), extra_args=FAST,
                                 timeout=20)
        self.assertEqual(self.code(r.result(0)), "UNSAFE_NAME", r)
        self.assertEqual(self.code(r.result(1)), "UNSAFE_NAME", r)
        with open(victim, "rb") as f:
            self.assertEqual(f.read(), b"keep me")

    def test_ten_megabyte_reply_line(self):
        with HostileServer("long-reply") as server:
            started = time.monotonic()
            r = clientdriver.run(server.url, ("ls",), extra_args=FAST, timeout=30)
        self.assertEqual(r.results[1][:2], ("error", "login"), r)
        self.assertEqual(self.code(r.results[1]), "PROTOCOL", r)
        self.assertLess(r.peak_rss_kb, MEMORY_LIMIT_KB, r)
        self.assertLess(time.monotonic() - started, 20)

    def test_pasv_address_is_ignored(self):
        with HostileServer("pasv-elsewhere") as server:
            r = clientdriver.run(server.url, ("ls",), ("get", "/ok.txt", self.local),
                                 extra_args=FAST)
            peers = list(server.data_peers)
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(peers, ["127.0.0.1", "127.0.0.1"])
        with open(os.path.join(self.local, "ok.txt"), "rb") as f:
            self.assertEqual(f.read(), b"abc")

    def test_endless_stream_is_capped_at_announced_size(self):
        with HostileServer("endless-data") as server:
            started = time.monotonic()
            r = clientdriver.run(server.url, ("get", "/ten.bin", self.local), ("ls",),
                                 extra_args=FAST, timeout=30)
        self.assertEqual(self.code(r.result(0)), "PROTOCOL", r)
        self.assertLessEqual(os.path.getsize(os.path.join(self.local, "ten.bin.part")), 10)
        self.assertFalse(os.path.exists(os.path.join(self.local, "ten.bin")))
        self.assertEqual(r.result(1)[0], "ok", r)    # the session survived the abort
        self.assertLess(r.peak_rss_kb, MEMORY_LIMIT_KB, r)
        self.assertLess(time.monotonic() - started, 20)

    def timed(self, scenario, *commands):
        with HostileServer(scenario) as server:
            started = time.monotonic()
            r = clientdriver.run(server.url, *commands, extra_args=FAST, timeout=30)
            return r, time.monotonic() - started

    def test_stalled_greeting_times_out(self):
        r, took = self.timed("stall-banner", ("ls",))
        self.assertEqual(r.results[0][:2], ("error", "connect"), r)
        self.assertEqual(self.code(r.results[0]), "TIMED_OUT", r)
        self.assertLess(took, 10)

    def test_stalled_reply_times_out(self):
        r, took = self.timed("stall-reply", ("ls",))
        self.assertEqual(r.results[1][:2], ("error", "login"), r)
        self.assertEqual(self.code(r.results[1]), "TIMED_OUT", r)
        self.assertLess(took, 10)

    def test_stalled_data_times_out(self):
        r, took = self.timed("stall-data", ("get", "/ok.txt", self.local))
        self.assertEqual(self.code(r.result(0)), "TIMED_OUT", r)
        self.assertLess(took, 15)

    def test_dropped_connection(self):
        r, took = self.timed("drop-on-list", ("ls",), ("ls",))
        self.assertEqual(self.code(r.result(0)), "CONNECTION_LOST", r)
        self.assertEqual(self.code(r.result(1)), "NOT_CONNECTED", r)

    def test_keepalive_noop_when_idle(self):
        with HostileServer("names") as server:
            r = clientdriver.run(server.url, ("sleep", 4500), ("ls",),
                                 extra_args=FAST + ["--keepalive", "1"])
            commands = list(server.commands)
        self.assertEqual(r.returncode, 0, r)
        self.assertGreaterEqual(commands.count("NOOP"), 2, commands)

    @unittest.skipUnless(shutil.which("openssl"), "openssl is needed to make a certificate")
    def test_implicit_tls(self):
        cert, key = ferrytest.make_certificate(self.outer)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        os.unlink(cert)
        os.unlink(key)
        env = dict(os.environ)   # see TLS_ENV in test_client_ferryd.py
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "").replace("detect_leaks=1",
                                                                  "detect_leaks=0")
        with HostileServer("implicit-tls", tls_context=context) as server:
            refused = clientdriver.run(server.url, ("ls",), extra_args=FAST + [
                "--trust-store", os.path.join(self.outer, "none")], env=env)
            r = clientdriver.run(server.url, ("ls",), ("get", "/ok.txt", self.local),
                                 extra_args=FAST + ["--accept-certificates"], env=env)
            commands = list(server.commands)
        self.assertEqual(self.code(refused.results[0]), "TLS_UNTRUSTED", refused)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("PROT P", commands)
        self.assertNotIn("AUTH TLS", commands)
        with open(os.path.join(self.local, "ok.txt"), "rb") as f:
            self.assertEqual(f.read(), b"abc")

    def test_no_files_reply_is_an_empty_folder(self):
        with HostileServer("no-files") as server:
            r = clientdriver.run(server.url, ("ls",), ("ls", "/empty"), ("ls", "/missing"),
                                 ("pwd",), extra_args=FAST)
            commands = list(server.commands)
        self.assertEqual(r.result(0)[0], "ok", r)
        self.assertEqual(r.result(1)[0], "ok", r)
        self.assertEqual(r.entries[0], [], r)
        self.assertEqual(r.entries[1], [], r)
        # A folder that is not there stays an error, and says so in plain words.
        self.assertEqual(r.result(2)[:2], ("error", "ls"), r)
        self.assertEqual(self.code(r.result(2)), "NOT_FOUND", r)
        self.assertEqual(clientdriver.message(r.result(2)),
                         "“/missing” does not exist on the server (550 No files found)", r)
        # The existence probe went back to where the session was.
        self.assertIn("CWD /empty", commands)
        self.assertEqual(commands[commands.index("CWD /empty") + 1], "CWD /", commands)
        self.assertEqual(r.result(3)[:2], ("ok", "pwd"), r)

    def test_connection_refused_message(self):
        port = ferrytest.free_port()
        r = clientdriver.run(f"ftp://127.0.0.1:{port}/", ("ls",), extra_args=FAST)
        self.assertEqual(clientdriver.message(r.results[0]),
                         f"Could not connect to 127.0.0.1 port {port}: connection refused", r)

    def test_connection_refused(self):
        port = ferrytest.free_port()
        r = clientdriver.run(f"ftp://127.0.0.1:{port}/", ("ls",), extra_args=FAST)
        self.assertEqual(r.results[0][:2], ("error", "connect"), r)
        self.assertEqual(self.code(r.results[0]), "CONNECTION_REFUSED", r)


if __name__ == "__main__":
    ferrytest.main()
