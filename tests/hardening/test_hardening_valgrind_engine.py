# SPDX-License-Identifier: GPL-3.0-or-later
"""valgrind memcheck on the client engine: tests/client/ferry-client-driver (one FerryClient
in a GMainLoop, see clientdriver.py) under valgrind, for a whole session against pyftpdlib
(connect, login, list, get, put, mkdir, rename, delete), a download cancelled mid-stream and
then resumed, the transfer queue, folder downloads and a cancelled upload, and one
explicit-TLS session against ferryd with a self-signed certificate.
Each run must end with 0 bytes "definitely lost" and no memory errors."""
import os
import shutil
import subprocess
import tempfile
import unittest

import clientdriver
import ferrytest
from hardeningtest import memcheck_command, memcheck_failures

PAYLOAD = ferrytest.all_bytes_payload(1024)
# Slow enough under valgrind that the cancel (on the first progress report) lands mid-stream.
HUGE = os.urandom(1 << 20) * 16


@unittest.skipIf(shutil.which("valgrind") is None,
                 "valgrind is not installed (Debian package: valgrind)")
class EngineValgrindTest(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(clientdriver.DRIVER):
            self.fail(f"{clientdriver.DRIVER} is not built")
        self.local = tempfile.mkdtemp(prefix="ferry-valgrind-local-")
        self.addCleanup(shutil.rmtree, self.local)

    def memcheck(self, url, *commands, extra_args=()):
        """Runs the driver under memcheck; returns its clientdriver.Result after checking
        valgrind's verdict."""
        with tempfile.NamedTemporaryFile(prefix="ferry-valgrind-", suffix=".log") as log:
            argv = memcheck_command(log.name) + [clientdriver.DRIVER, *extra_args, url]
            argv += ["\t".join(str(f) for f in c) for c in commands]
            proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=400)
            text = log.read().decode(errors="replace")
        result = clientdriver.Result(proc, proc.stdout.decode("utf-8", "replace"),
                                     proc.stderr.decode("utf-8", "replace"))
        self.assertEqual(memcheck_failures(text, proc.returncode), [], f"{result!r}\n{text}")
        self.assertNotIn("CRITICAL **", result.stderr, result)
        return result

    def test_session_against_pyftpdlib(self):
        upload = os.path.join(self.local, "up.bin")
        with open(upload, "wb") as f:
            f.write(PAYLOAD)
        with ferrytest.temp_tree({"f.bin": PAYLOAD, "folder/a.txt": b"a"}) as root, \
                ferrytest.Pyftpdlib(root) as server:
            r = self.memcheck(server.url, ("ls",), ("ls", "/folder"),
                              ("get", "/f.bin", self.local), ("put", upload, "/folder/up.bin"),
                              ("mkdir", "/made"), ("mv", "/folder/up.bin", "/made/moved.bin"),
                              ("size", "/made/moved.bin"), ("rm", "/made/moved.bin"),
                              ("rmdir", "/made"), ("quit",))
            self.assertEqual(r.returncode, 0, r)
            self.assertEqual(sorted(e[2] for e in r.entries[0]), ["f.bin", "folder"], r)
            self.assertFalse(os.path.exists(os.path.join(root, "made")))
        with open(os.path.join(self.local, "f.bin"), "rb") as f:
            self.assertEqual(f.read(), PAYLOAD)

    def test_cancelled_download_then_resume(self):
        with ferrytest.temp_tree({"huge.bin": HUGE}) as root, \
                ferrytest.Pyftpdlib(root) as server:
            r = self.memcheck(server.url, ("get-cancel", "/huge.bin", self.local, 1),
                              ("get", "/huge.bin", self.local), ("quit",))
        self.assertEqual(r.result(0)[:2], ("error", "get"), r)
        self.assertTrue(r.result(0)[2].startswith("CANCELLED"), r)
        self.assertEqual(r.result(1)[0], "ok", r)
        with open(os.path.join(self.local, "huge.bin"), "rb") as f:
            self.assertTrue(f.read() == HUGE, "the resumed download differs")

    def test_queue_folders_and_cancelled_upload(self):
        big = os.path.join(self.local, "big.bin")
        with open(big, "wb") as f:
            f.write(HUGE)
        queued = os.path.join(self.local, "queued")
        os.mkdir(queued)
        with ferrytest.temp_tree({"f.bin": PAYLOAD, "g.bin": PAYLOAD[::-1],
                                  "folder/a.txt": b"a", "folder/sub/b.txt": b"b"}) as root, \
                ferrytest.Pyftpdlib(root) as server:
            r = self.memcheck(server.url, ("getdir", "/folder", self.local),
                              ("queue-get", "/f.bin", queued), ("queue-get", "/g.bin", queued),
                              ("queue-wait",), ("put-cancel", big, "/big.bin", 1),
                              ("ls", "/"), ("quit",))
            # pyftpdlib writes uploads under their name: the cancel left part of it
            self.assertLess(os.path.getsize(os.path.join(root, "big.bin")), len(HUGE))
        verbs = [(status, verb) for status, verb, _ in r.results[2:]]
        self.assertEqual(verbs, [("ok", "get"), ("ok", "queue-get"), ("ok", "queue-get"),
                                 ("ok", "queued"), ("ok", "queued"), ("ok", "queue-wait"),
                                 ("error", "put"), ("ok", "ls"), ("ok", "quit")], r)
        self.assertTrue(r.results[8][2].startswith("CANCELLED"), r)
        with open(os.path.join(self.local, "folder", "sub", "b.txt"), "rb") as f:
            self.assertEqual(f.read(), b"b")
        with open(os.path.join(queued, "g.bin"), "rb") as f:
            self.assertEqual(f.read(), PAYLOAD[::-1])

    def test_tls_session_against_ferryd(self):
        keys = tempfile.mkdtemp(prefix="ferry-valgrind-keys-")
        self.addCleanup(shutil.rmtree, keys)
        cert, key = ferrytest.make_certificate(keys)
        with ferrytest.temp_tree({"f.bin": PAYLOAD, "d/x.txt": b"x"}) as root, \
                ferrytest.Ferryd(root, "--tls-cert", cert, "--tls-key", key) as server:
            url = f"ftps://127.0.0.1:{server.port}/"
            r = self.memcheck(url, ("ls",), ("get", "/f.bin", self.local), ("ls", "/d"),
                              ("quit",),
                              extra_args=["--accept-certificates", "--trust-store",
                                          os.path.join(self.local, "store")])
        self.assertEqual(r.returncode, 0, r)
        with open(os.path.join(self.local, "f.bin"), "rb") as f:
            self.assertEqual(f.read(), PAYLOAD)


if __name__ == "__main__":
    ferrytest.main()
