# SPDX-License-Identifier: GPL-3.0-or-later
"""Transfers checked with HASH: ferry-cli against a real ferryd says "verified" (on a
terminal; a script's output does not change); against
pyftpdlib (no HASH) it transfers unverified unless --verify asks for it; a scripted server
that lies about its checksums fails the transfer, and a download then keeps its .part name;
a whole .part left by an earlier try that does not match is downloaded again."""
import os
import sys
import unittest

import ferrytest
from clitest import FerrydCase, PyftpdlibCase, Terminal, cli_env, run_cli

sys.path.insert(0, os.path.join(os.environ.get("FERRY_SOURCE_ROOT", "."), "tests", "client"))
from hostile_server import HostileServer  # noqa: E402

PAYLOAD = ferrytest.all_bytes_payload(16)


class FerrydVerifyTest(FerrydCase):
    def on_terminal(self, *args):
        self.prepare_root()
        term = Terminal(list(args), self.local, cli_env(TERM="dumb", HOME=self.local))
        self.addCleanup(term.close)
        return term.wait(30), term.output.decode()

    def test_download_and_upload_are_verified(self):
        self.write(self.root, "data.bin", PAYLOAD)
        status, output = self.on_terminal("get", self.url + "data.bin", self.local + "/")
        self.assertEqual(status, 0, output)
        self.assertIn("verified “data.bin”: its SHA-256 checksum matches the server’s", output)
        self.assertEqual(self.read(self.local, "data.bin"), PAYLOAD)

        self.write(self.local, "up.bin", PAYLOAD[::-1])
        status, output = self.on_terminal("put", os.path.join(self.local, "up.bin"), self.url)
        self.assertEqual(status, 0, output)
        self.assertIn("verified “up.bin”", output)
        self.assertEqual(self.read(self.root, "up.bin"), PAYLOAD[::-1])

    def test_scripts_and_quiet_output_do_not_change(self):
        self.write(self.root, "data.bin", PAYLOAD)
        got = self.cli("--verify", "get", self.url + "data.bin", self.local + "/")
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(got.stderr, "")
        status, output = self.on_terminal("--quiet", "get", self.url + "data.bin",
                                          self.local + "/again.bin")
        self.assertEqual(status, 0, output)
        self.assertNotIn("verified", output)


class PyftpdlibVerifyTest(PyftpdlibCase):
    def test_without_hash_a_transfer_is_not_claimed_verified(self):
        self.write(self.root, "data.bin", PAYLOAD)
        got = self.cli("get", self.url + "data.bin", self.local + "/")
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertNotIn("verified", got.stderr)
        self.assertEqual(self.read(self.local, "data.bin"), PAYLOAD)

    def test_verify_makes_a_server_without_hash_an_error(self):
        self.write(self.root, "data.bin", PAYLOAD)
        got = self.cli("--verify", "get", self.url + "data.bin", self.local + "/")
        self.assertEqual(got.returncode, 1, got.stderr)
        self.assertIn("does not offer HASH", got.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.local, "data.bin")))


class LyingServerTest(unittest.TestCase):
    def setUp(self):
        tree = ferrytest.temp_tree()
        self.local = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)

    def serve(self, scenario):
        server = HostileServer(scenario).__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        return server

    def test_a_download_that_differs_fails_and_keeps_its_part_name(self):
        server = self.serve("lying-hash")
        got = run_cli("get", server.url + "file.txt", self.local + "/")
        self.assertEqual(got.returncode, 1, got.stderr)
        self.assertIn("differs between the server and this computer", got.stderr)
        self.assertEqual(sorted(os.listdir(self.local)), ["file.txt.part"])
        self.assertIn("OPTS HASH SHA-256", server.commands)   # the strongest it offers

    def test_an_upload_that_differs_fails(self):
        server = self.serve("lying-hash")
        path = os.path.join(self.local, "up.txt")
        with open(path, "wb") as f:
            f.write(b"abc")
        got = run_cli("put", path, server.url)
        self.assertEqual(got.returncode, 1, got.stderr)
        self.assertIn("differs between the server and this computer", got.stderr)

    def test_a_whole_leftover_part_that_differs_is_downloaded_again(self):
        server = self.serve("honest-hash")
        with open(os.path.join(self.local, "file.txt.part"), "wb") as f:
            f.write(b"xyz")     # as long as the file, other bytes
        got = run_cli("get", server.url + "file.txt", self.local + "/")
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(server.commands.count("RETR /file.txt"), 1, server.commands)
        self.assertEqual(sorted(os.listdir(self.local)), ["file.txt"])
        with open(os.path.join(self.local, "file.txt"), "rb") as f:
            self.assertEqual(f.read(), b"abc")


if __name__ == "__main__":
    ferrytest.main()
