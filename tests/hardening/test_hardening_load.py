# SPDX-License-Identifier: GPL-3.0-or-later
"""Many clients at once against a real ferryd: every download byte-exact, no zombies, and
the listener's open files and process count back to where they were afterwards.

The suite runs 100 clients x 1 MiB. The full run of docs/SECURITY.md (500 x 10 MiB):
    FERRY_LOAD_CLIENTS=500 FERRY_LOAD_MIB=10 meson test -C _build hardening-load -v
"""
import concurrent.futures
import hashlib
import os
import threading
import time
import unittest

import ferrytest
from ferrydproc import Server
from ferrytest import descendants, served_tree, wait_until
from hardeningtest import open_fds, settled_process_count, status_kib
from sessiontest import ftp

CLIENTS = int(os.environ.get("FERRY_LOAD_CLIENTS", "100"))
MIB = int(os.environ.get("FERRY_LOAD_MIB", "1"))


class MemoryWatch(threading.Thread):
    """Samples the memory of the listener and all its processes until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.stop_event = threading.Event()
        self.peak_total_kib = 0
        self.peak_processes = 0
        self.start()

    def run(self):
        while not self.stop_event.is_set():
            pids = [self.pid] + descendants(self.pid)
            total = sum(status_kib(p, "VmRSS") for p in pids)
            self.peak_total_kib = max(self.peak_total_kib, total)
            self.peak_processes = max(self.peak_processes, len(pids))
            time.sleep(0.1)

    def stop(self):
        self.stop_event.set()
        self.join()


class LoadTest(unittest.TestCase):
    def test_concurrent_downloads(self):
        payload = os.urandom(MIB << 20)
        digest = hashlib.sha256(payload).hexdigest()
        limit = str(CLIENTS + 20)
        with served_tree({"payload.bin": payload}) as root, \
                Server(root, "--max-clients", limit, "--max-per-ip", limit) as server:
            baseline_processes = settled_process_count(server)
            baseline_fds = open_fds(server.proc.pid)
            barrier = threading.Barrier(CLIENTS, timeout=120)

            def fetch(_):
                with ftp(server, timeout=300) as client:
                    barrier.wait()       # all logged in at once, then all download at once
                    h = hashlib.sha256()
                    size = [0]

                    def take(chunk):
                        h.update(chunk)
                        size[0] += len(chunk)
                    client.retrbinary("RETR payload.bin", take, blocksize=256 << 10)
                    return size[0], h.hexdigest()

            watch = MemoryWatch(server.proc.pid)
            start = time.monotonic()
            with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
                results = list(pool.map(fetch, range(CLIENTS)))
            elapsed = time.monotonic() - start
            watch.stop()
            self.assertEqual(results, [(len(payload), digest)] * CLIENTS)
            self.assertTrue(wait_until(
                lambda: len(descendants(server.proc.pid)) <= baseline_processes, 30),
                f"{len(descendants(server.proc.pid))} processes, {baseline_processes} before")
            self.assertTrue(wait_until(lambda: server.zombies() == [], 5), server.zombies())
            self.assertLessEqual(open_fds(server.proc.pid), baseline_fds)
            listener_peak = status_kib(server.proc.pid, "VmHWM")
            print(f"{CLIENTS} clients x {MIB} MiB: {elapsed:.1f} s, "
                  f"{CLIENTS * MIB / elapsed:.0f} MiB/s in all; peak {watch.peak_processes} "
                  f"processes, peak RSS of all ferryd processes {watch.peak_total_kib // 1024} "
                  f"MiB, listener peak RSS {listener_peak // 1024} MiB; processes and fds "
                  f"back to {baseline_processes} / {baseline_fds}", flush=True)


if __name__ == "__main__":
    ferrytest.main()
