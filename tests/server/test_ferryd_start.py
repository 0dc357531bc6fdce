# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd's start: the start line, --help/--version, the config file and the command line,
and every way it refuses to start (exit 2, one line on stderr, nothing left running)."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import unittest
from unittest import mock

import ferrytest
from ferrydproc import IS_ROOT, Client, Server, run_ferryd
from ferrytest import served_tree

OPTIONS = ["--root", "--port", "--bind", "--write", "--anonymous", "--users", "--config",
           "--tls-cert", "--tls-key", "--require-tls", "--max-clients", "--max-per-ip",
           "--idle-timeout", "--data-timeout", "--passive-ports", "--passive-address", "--show-hidden",
           "--run-as", "--verbose", "--name", "--no-announce", "--status-fd", "--xferlog",
           "--add-user", "--help", "--version"]


class StartLine(unittest.TestCase):
    def test_start_line_says_where_and_how_to_connect(self):
        with served_tree({"a.txt": b"a"}) as root, Server(root) as server:
            line = server.banner.decode()
            self.assertEqual(line.count("\n"), 1, line)
            self.assertIn(root, line)
            self.assertIn("read-only", line)
            self.assertIn(f"127.0.0.1 port {server.port}", line)
            self.assertIn(f"ftp://127.0.0.1:{server.port}/", line)
            self.assertNotEqual(server.port, 0)
            with Client(server.port) as client:
                self.assertTrue(client.greeting.startswith(b"220"), client.greeting)

    def test_write_shows_in_start_line(self):
        with served_tree() as root, Server(root, "--write") as server:
            self.assertIn(b"read-write", server.banner)

    def test_ipv6_url_has_brackets(self):
        if not socket.has_ipv6:
            self.skipTest("no IPv6 on this machine")
        try:
            with socket.socket(socket.AF_INET6) as probe:
                probe.bind(("::1", 0))
        except OSError:
            self.skipTest("::1 is not configured here")
        with served_tree() as root, Server(root, host="::1") as server:
            self.assertIn(f"ftp://[::1]:{server.port}/".encode(), server.banner)

    def test_version_and_help(self):
        code, out, _ = run_ferryd("--version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^ferryd \d+\.\d+")
        code, out, _ = run_ferryd("--help")
        self.assertEqual(code, 0)
        for option in OPTIONS:
            self.assertIn(option, out)
        self.assertNotIn("--session-worker", out)


class RefusesToStart(unittest.TestCase):
    def assert_refused(self, *args, mentions=None):
        code, out, err = run_ferryd(*args)
        self.assertEqual(code, 2, (args, out, err))
        self.assertEqual(out, "")
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("ferryd: "), err)
        if mentions:
            self.assertIn(mentions, lines[0])
        return lines[0]

    def test_bad_options(self):
        with served_tree() as root:
            self.assert_refused("--root", root, "--bogus")
            self.assert_refused("--root", root, "--port", "http", mentions="port")
            self.assert_refused("--root", root, "--port", "70000", mentions="port")
            self.assert_refused("--root", root, "--max-clients", "0", mentions="max-clients")
            self.assert_refused("--root", root, "--data-timeout", "0", mentions="data-timeout")
            self.assert_refused("--root", root, "--passive-ports", "9-8", mentions="passive-ports")
            self.assert_refused("--root", root, "--bind", "not-an-address", mentions="bind")
            self.assert_refused("--root", root, "stray-argument")

    def test_session_worker_mode_is_not_for_people(self):
        self.assert_refused("--session-worker", mentions="--session-worker")

    def test_missing_session_program(self):
        with open(os.path.join(os.environ["FERRY_BUILD_ROOT"], "meson-info",
                               "intro-buildoptions.json")) as f:
            options = {o["name"]: o["value"] for o in json.load(f)}
        if os.path.exists(os.path.join(options["prefix"], options["libexecdir"],
                                       "ferryd-zygote")):
            self.skipTest("an installed ferryd-zygote would be found")
        with tempfile.TemporaryDirectory() as programs, served_tree() as root:
            alone = shutil.copy2(ferrytest.FERRYD, programs)
            with mock.patch.object(ferrytest, "FERRYD", alone):
                code, out, err = run_ferryd("--root", root, "--port", "0")
            self.assertEqual((code, out), (2, ""), err)
            self.assertEqual(len(err.splitlines()), 1, err)
            self.assertIn("ferryd-zygote", err)

    def test_missing_root(self):
        self.assert_refused("--root", "/nonexistent/ferry-root", "--port", "0",
                            mentions="/nonexistent/ferry-root")

    def test_root_is_a_file(self):
        with served_tree({"f": b"x"}) as root:
            self.assert_refused("--root", os.path.join(root, "f"), "--port", "0")

    def test_port_in_use(self):
        with served_tree() as root, socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            line = self.assert_refused("--root", root, "--bind", "127.0.0.1",
                                       "--port", str(port), mentions=str(port))
            self.assertIn("in use", line)

    def test_unreadable_or_bad_certificate(self):
        with served_tree({"bad.pem": b"not a certificate\n"}) as root:
            self.assert_refused("--root", root, "--port", "0", "--tls-cert", "/nonexistent.pem",
                                "--tls-key", "/nonexistent.key", mentions="/nonexistent.pem")
            bad = os.path.join(root, "bad.pem")
            self.assert_refused("--root", root, "--port", "0", "--tls-cert", bad,
                                "--tls-key", bad, mentions=bad)
            self.assert_refused("--root", root, "--port", "0", "--tls-cert", bad,
                                mentions="--tls-key")

    def test_bad_users_file(self):
        with served_tree({"users": b"[alice]\nroot=/srv\n"}) as root:
            self.assert_refused("--root", root, "--port", "0", "--users",
                                os.path.join(root, "users"), mentions="alice")
            self.assert_refused("--root", root, "--port", "0", "--users", "/nonexistent/users")

    @unittest.skipUnless(IS_ROOT, "needs root: only a server started as root drops privileges")
    def test_root_owned_folder_without_run_as(self):
        with tempfile.TemporaryDirectory() as root:
            self.assert_refused("--root", root, "--bind", "127.0.0.1", "--port", "0",
                                mentions="root")
            self.assert_refused("--root", root, "--bind", "127.0.0.1", "--port", "0",
                                "--run-as", "root", mentions="root")
            self.assert_refused("--root", root, "--bind", "127.0.0.1", "--port", "0",
                                "--run-as", "no-such-user-ferry", mentions="no-such-user-ferry")

    @unittest.skipUnless(IS_ROOT, "needs root: only a server started as root drops privileges")
    def test_folder_the_dropped_user_cannot_read(self):
        with tempfile.TemporaryDirectory() as root:   # 0700, root's
            self.assert_refused("--root", root, "--bind", "127.0.0.1", "--port", "0",
                                "--run-as", "nobody", mentions=root)


class ConfigFile(unittest.TestCase):
    def test_config_file_is_read_and_command_line_wins(self):
        with served_tree() as root, tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            # the file asks for a port and address the command line overrides, and write
            conf.write(f"[ferryd]\nroot=/nonexistent\nport=1\nbind=127.0.0.2\nwrite=true\n")
            conf.flush()
            with Server(root, "--config", conf.name) as server:
                self.assertIn(b"read-write", server.banner)
                self.assertIn(f"ftp://127.0.0.1:{server.port}/".encode(), server.banner)
                self.assertIn(root.encode(), server.banner)

    def test_root_from_config_file(self):
        with served_tree() as root, tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write(f"[ferryd]\nroot={root}\nbind=127.0.0.1\nport=0\n")
            conf.flush()
            proc = subprocess.Popen([ferrytest.FERRYD, "--config", conf.name],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            try:
                line = proc.stdout.readline().decode()
                self.assertIn(f"Serving {root} read-only on 127.0.0.1 port", line)
            finally:
                proc.terminate()
                self.assertEqual(proc.wait(10), 0)
                proc.stdout.close()

    def test_bad_config_file(self):
        with served_tree() as root, tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write("[ferryd]\nmax-client=3\n")
            conf.flush()
            code, _, err = run_ferryd("--root", root, "--port", "0", "--config", conf.name)
            self.assertEqual(code, 2)
            self.assertIn("max-client", err)
            self.assertEqual(len(err.splitlines()), 1, err)
        code, _, err = run_ferryd("--port", "0", "--config", "/nonexistent/ferryd.conf")
        self.assertEqual(code, 2)
        self.assertIn("/nonexistent/ferryd.conf", err)


if __name__ == "__main__":
    ferrytest.main()
