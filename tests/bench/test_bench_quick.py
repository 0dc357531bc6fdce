# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/run --quick end to end: every server answers every probe with a number.

A smoke test only: the figures are not compared with anything (CI machines are noisy), but a
probe that fails, a server that does not start or a table without values fails the test.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import ferrytest
import vsftpd

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ferrytest.SOURCE_ROOT, "bench"))
from ferrybench import latencylan  # noqa: E402

BENCH = os.path.join(ferrytest.SOURCE_ROOT, "bench", "run")
SERVER_METRICS = ("download", "upload", "sessions_login", "sessions_anon", "small", "list",
                  "memory", "burst_served", "burst_seconds",
                  # Latency under load (--quick: 3 busy curl clients, 20 probe sessions).
                  "latency_user_3_p50", "latency_user_3_p99", "latency_user_3_busy",
                  "latency_anon_3_p50", "latency_anon_3_p99", "latency_anon_3_busy")


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
                                      capture_output=True, text=True, timeout=330)
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

    def test_folder_batch_against_lftp(self):
        cli = os.environ.get("FERRY_CLI")
        if not cli or not os.access(cli, os.X_OK):
            self.skipTest("ferry-cli is not built in this configuration")
        if not shutil.which("lftp"):
            self.skipTest("lftp is not installed")
        self.assertIsNotNone(self.results, self.done.stderr)
        runs = self.results["runs"]
        for key, ours, theirs in (("tree_get", "ferry-cli get -r", "lftp mirror --parallel=4"),
                                  ("tree_put", "ferry-cli put -r",
                                   "lftp mirror -R --parallel=4")):
            self.assertTrue(runs.get(key, {}).get(ours), f"{key}: {self.done.stdout}")
            self.assertTrue(runs.get(key, {}).get(theirs), f"{key}: {self.done.stdout}")
        self.assertIn("Folder transfers from/to ferryd: 50 files", self.done.stdout)
        self.assertIn("download: ferry-cli/lftp --parallel=4 speed", self.done.stdout)
        self.assertIn("upload: ferry-cli/lftp --parallel=4 speed", self.done.stdout)

    def test_big_file_through_the_app(self):
        build = os.environ.get("FERRY_BUILD_ROOT", "")
        if not os.access(os.path.join(build, "tests", "app", "bench-app-transfer"), os.X_OK):
            self.skipTest("tests/app/bench-app-transfer is not built in this configuration")
        missing = [t for t in ("Xvfb", "dbus-run-session") if not shutil.which(t)]
        if missing:
            self.skipTest(f"missing {', '.join(missing)}")
        self.assertIsNotNone(self.results, self.done.stderr)
        runs = self.results["runs"]
        for key in ("app_get", "app_put"):
            for who in ("ferry app", "curl"):
                self.assertTrue(runs.get(key, {}).get(who), f"{key} {who}: {self.done.stdout}")
            # A stall is a duration: zero or more, never missing.
            self.assertGreaterEqual(runs[f"{key}_stall"]["ferry app"][0], 0)
        self.assertIn("Big file through the app (32 MiB", self.done.stdout)
        # The folder batch through the window as well, checked file by file by the bench.
        self.assertTrue(runs.get("tree_get", {}).get("ferry app"), self.done.stdout)
        self.assertTrue(runs.get("tree_put", {}).get("ferry app"), self.done.stdout)
        self.assertIn("longest main-loop stall during the download", self.done.stdout)

    def test_ferryd_serves_the_whole_burst(self):
        self.assertIsNotNone(self.results, self.done.stderr)
        runs = self.results["runs"]
        clients = self.results["sizes"]["burst_clients"]
        self.assertEqual(runs["burst_served"]["ferryd"], [clients], self.results["notes"])
        self.assertEqual(runs["burst_refused"]["ferryd"], [0])
        self.assertEqual(runs["burst_failed"]["ferryd"], [0])

    def test_latency_percentiles_are_ordered(self):
        self.assertIsNotNone(self.results, self.done.stderr)
        runs = self.results["runs"]
        for server in self.servers:
            for kind in ("user", "anon"):
                p50, p90, p99 = (runs[f"latency_{kind}_3_p{p}"][server][0] for p in (50, 90, 99))
                self.assertLessEqual(p50, p90, f"{kind} on {server}")
                self.assertLessEqual(p90, p99, f"{kind} on {server}")
        self.assertIn("login to first LIST byte, anonymous, 3 busy curl", self.done.stdout)
        self.assertIn("≥ 0.70 × pyftpdlib, ≥ 2 × vsftpd", self.done.stdout)

    def test_latency_across_a_rate_limited_lan(self):
        """The latency row across the veth behind tbf (--quick: pfifo_fast and fq_codel,
        those the kernel has; 3 busy clients, 20 probes, ferryd only): figures exist and are
        ordered, the busy clients moved data through the link; no time is compared."""
        why = latencylan.unavailable_reason()
        if why:
            self.skipTest(why)
        self.assertIsNotNone(self.results, self.done.stderr)
        runs = self.results["runs"]
        variants = [v for v in latencylan.QUICK_VARIANTS if f"lan_{v}_anon_3_p50" in runs]
        self.assertTrue(variants, self.results["notes"])
        for variant in variants:
            for kind in ("user", "anon"):
                key = f"lan_{variant}_{kind}_3"
                p50, p90, p99 = (runs[f"{key}_p{p}"]["ferryd"][0] for p in (50, 90, 99))
                self.assertTrue(0 < p50 <= p90 <= p99, (key, p50, p90, p99))
                self.assertGreater(runs[f"{key}_busy"]["ferryd"][0], 0)
                self.assertEqual(len(self.results["latency_samples"][key]["ferryd"]), 20)
            self.assertIn(f"LAN 100mbit {variant}: login to first LIST byte, anonymous",
                          self.done.stdout)
        # The hash's share of a user login, from the same run.
        self.assertGreater(runs["yescrypt_cpu"]["crypt_r"][0], 0)
        self.assertIn("One yescrypt check of the users file's hash", self.done.stdout)
        # The namespaces are gone.
        netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        self.assertNotIn("ferrylat", netns)

    def test_table_is_printed(self):
        self.assertIn("| measure |", self.done.stdout)
        self.assertIn("ferryd/pyftpdlib", self.done.stdout)
        self.assertIn("physical limit", self.done.stdout)


if __name__ == "__main__":
    ferrytest.main()
