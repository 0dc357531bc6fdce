# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/run --quick end to end: every server answers every probe with a number.

A smoke test only: the figures are not compared with anything (CI machines are noisy), but a
probe that fails, a server that does not start or a table without values fails the test.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import ferrytest
import vsftpd

BENCH = os.path.join(ferrytest.SOURCE_ROOT, "bench", "run")
SERVER_METRICS = ("download", "upload", "sessions_login", "sessions_anon", "small", "list",
                  "memory", "burst_served", "burst_seconds")


class BenchQuick(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ferryd = os.environ.get("FERRYD")
        if not cls.ferryd or not os.access(cls.ferryd, os.X_OK):
            raise unittest.SkipTest("ferryd is not built in this configuration")
        cls.servers = ["ferryd", "pyftpdlib"]
        if vsftpd.available()[0]:
            cls.servers.insert(1, "vsftpd")
        with tempfile.TemporaryDirectory(prefix="ferry-bench-test-") as scratch:
            out = os.path.join(scratch, "results.json")
            cls.done = subprocess.run([sys.executable, BENCH, "--quick", "--json", out,
                                       "--servers", ",".join(cls.servers)],
                                      capture_output=True, text=True, timeout=200)
            cls.results = None
            if os.path.exists(out):
                with open(out) as f:
                    cls.results = json.load(f)

    def test_run_succeeds_without_failed_probes(self):
        self.assertEqual(self.done.returncode, 0, self.done.stdout + self.done.stderr)
        self.assertIsNotNone(self.results)
        self.assertEqual(self.results["errors"], [])

    def test_every_server_has_every_figure(self):
        self.assertIsNotNone(self.results, self.done.stderr)
        runs = self.results["runs"]
        for metric in SERVER_METRICS:
            for server in self.servers:
                values = runs.get(metric, {}).get(server)
                self.assertTrue(values, f"no {metric} figure for {server}")
                for value in values:
                    if metric == "memory" and server == "pyftpdlib":
                        # One process whose heap grows and shrinks with garbage by more than
                        # 50 idle sessions cost: a number around zero, either sign.
                        self.assertIsInstance(value, (int, float), f"{metric} for {server}")
                    else:
                        self.assertGreater(value, 0, f"{metric} for {server}")
        # MLSD: vsftpd does not have it, the other two must.
        for server in ("ferryd", "pyftpdlib"):
            self.assertTrue(all(v and v > 0 for v in runs["mlsd"][server]))
        self.assertTrue(runs["limit"]["limit"][0] > 0)

    def test_client_comparison_when_ferry_cli_is_built(self):
        cli = os.environ.get("FERRY_CLI")
        if not cli or not os.access(cli, os.X_OK):
            self.skipTest("ferry-cli is not built in this configuration")
        self.assertIsNotNone(self.results, self.done.stderr)
        rates = self.results["runs"].get("client_rate", {})
        self.assertTrue(rates.get("ferry-cli"), self.done.stdout)
        self.assertTrue(rates.get("curl"), self.done.stdout)

    def test_folder_transfers_when_ferry_cli_is_built(self):
        cli = os.environ.get("FERRY_CLI")
        if not cli or not os.access(cli, os.X_OK):
            self.skipTest("ferry-cli is not built in this configuration")
        self.assertIsNotNone(self.results, self.done.stderr)
        runs = self.results["runs"]
        self.assertTrue(runs.get("tree_get", {}).get("ferry-cli get -r"), self.done.stdout)
        self.assertTrue(runs.get("tree_put", {}).get("ferry-cli put -r"), self.done.stdout)
        self.assertIn("Folder transfers", self.done.stdout)

    def test_ferryd_serves_the_whole_burst(self):
        self.assertIsNotNone(self.results, self.done.stderr)
        runs = self.results["runs"]
        clients = self.results["sizes"]["burst_clients"]
        self.assertEqual(runs["burst_served"]["ferryd"], [clients], self.results["notes"])
        self.assertEqual(runs["burst_refused"]["ferryd"], [0])
        self.assertEqual(runs["burst_failed"]["ferryd"], [0])

    def test_table_is_printed(self):
        self.assertIn("| measure |", self.done.stdout)
        self.assertIn("ferryd/pyftpdlib", self.done.stdout)
        self.assertIn("physical limit", self.done.stdout)


if __name__ == "__main__":
    ferrytest.main()
