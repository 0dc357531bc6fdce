# SPDX-License-Identifier: GPL-3.0-or-later
"""Engine tests shared by every real server (ferryd, pyftpdlib, vsftpd).

A concrete test class mixes ServerCases into unittest.TestCase and provides
`server(root, write)`: a context manager yielding an object with `.url` (including the
credentials) — and `can_write`, `has_mlsd`.
"""
import hashlib
import os
import tempfile
import time

import clientdriver
import ferrytest

UTF8_NAME = "Grüße — 日本語 ✓.txt"
SPACE_NAME = "name with  spaces.bin"


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class ServerCases:
    can_write = True
    has_mlsd = True

    def tree(self):
        payload = ferrytest.all_bytes_payload(64)
        return {
            "plain.bin": payload,
            SPACE_NAME: b"spaces\n",
            UTF8_NAME: "unicode\n".encode(),
            "big.bin": os.urandom(3 * 1024 * 1024 + 17),
            ".hidden": b"dot file\n",
            "folder/a.txt": b"a\n",
            "folder/sub/b.txt": b"bb\n",
            "folder/sub/deeper/c.bin": os.urandom(70000),
            "empty/": b"",
        }

    def setUp(self):
        # enterContext: what setUp made goes away however the test ends, setUp too.
        self.root = self.enterContext(ferrytest.temp_tree(self.tree()))
        self.local = self.enterContext(tempfile.TemporaryDirectory(prefix="ferry-local-"))

    def run_driver(self, server, *commands, **kwargs):
        result = clientdriver.run(server.url, *commands, **kwargs)
        self.assertEqual(result.results[:2], [("ok", "connect", ""), ("ok", "login", "")],
                         result)
        return result

    # -- listing -----------------------------------------------------------------------

    def test_list_root(self):
        with self.server(self.root) as server:
            r = self.run_driver(server, ("features",), ("ls",), ("ls", "/folder"))
        self.assertEqual(r.returncode, 0, r)
        self.assertIn(f"mlsd={int(self.has_mlsd)}", r.result(0)[2], r)
        names = {name: (kind, size) for kind, size, name in r.entries[0]}
        self.assertEqual(names["plain.bin"], ("file", 260 * 64))
        self.assertEqual(names["big.bin"][1], 3 * 1024 * 1024 + 17)
        self.assertIn(SPACE_NAME, names)
        self.assertIn(UTF8_NAME, names)
        self.assertEqual(names["folder"][0], "dir")
        self.assertNotIn(".", names)
        self.assertNotIn("..", names)
        sub = {name: kind for kind, _, name in r.entries[1]}
        self.assertEqual(sub, {"a.txt": "file", "sub": "dir"})

    def test_cd_pwd_size_mdtm(self):
        with self.server(self.root) as server:
            r = self.run_driver(server, ("cd", "folder/sub"), ("pwd",), ("size", "b.txt"),
                                ("mdtm", "/plain.bin"), ("cd", ".."), ("cd", "/nope"))
        self.assertEqual(bytes.fromhex(r.result(0)[2]).decode(), "/folder/sub", r)
        self.assertEqual(bytes.fromhex(r.result(1)[2]).decode(), "/folder/sub", r)
        self.assertEqual(r.result(2), ("ok", "size", "3"))
        self.assertEqual(r.result(3)[0], "ok", r)
        self.assertAlmostEqual(int(r.result(3)[2]),
                               os.stat(os.path.join(self.root, "plain.bin")).st_mtime, delta=2)
        self.assertEqual(bytes.fromhex(r.result(4)[2]).decode(), "/folder", r)
        self.assertEqual(r.result(5)[:2], ("error", "cd"), r)
        self.assertTrue(r.result(5)[2].startswith("NOT_FOUND"), r)

    # -- downloads ---------------------------------------------------------------------

    def test_get_files(self):
        with self.server(self.root) as server:
            r = self.run_driver(server, ("get", "/plain.bin", self.local),
                                ("get", SPACE_NAME, self.local),
                                ("get", "/" + UTF8_NAME, self.local),
                                ("get", "big.bin", self.local, "renamed.bin"))
        self.assertEqual(r.returncode, 0, r)
        for name in ("plain.bin", SPACE_NAME, UTF8_NAME):
            self.assertEqual(sha(os.path.join(self.local, name)),
                             sha(os.path.join(self.root, name)), name)
        self.assertEqual(sha(os.path.join(self.local, "renamed.bin")),
                         sha(os.path.join(self.root, "big.bin")))
        self.assertEqual(r.result(3)[2].split()[:2], [str(3 * 1024 * 1024 + 17)] * 2)
        self.assertFalse([n for n in os.listdir(self.local) if n.endswith(".part")])

    def test_get_missing_file(self):
        with self.server(self.root) as server:
            r = self.run_driver(server, ("get", "/no-such-file", self.local), ("ls",))
        self.assertEqual(r.result(0)[:2], ("error", "get"), r)
        self.assertTrue(r.result(0)[2].startswith("NOT_FOUND"), r)
        # Said in the user's terms, the server's own words kept in brackets, no FTP verb.
        self.assertRegex(clientdriver.message(r.result(0)),
                         r"^“/no-such-file” does not exist on the server \(5\d\d .*\)$", r)
        self.assertEqual(r.result(1)[0], "ok", r)   # the session is still usable
        self.assertEqual(os.listdir(self.local), [])

    def test_get_conflicts(self):
        existing = os.path.join(self.local, "plain.bin")
        with open(existing, "wb") as f:
            f.write(b"mine")
        with self.server(self.root) as server:
            r = self.run_driver(server, ("get", "/plain.bin", self.local),
                                ("policy", "skip"), ("get", "/plain.bin", self.local),
                                ("policy", "keep-both"), ("get", "/plain.bin", self.local),
                                ("get", "/plain.bin", self.local),
                                ("policy", "replace"), ("get", "/plain.bin", self.local))
        self.assertTrue(r.result(0)[2].startswith("EXISTS"), r)
        self.assertEqual(r.result(2)[0], "ok", r)
        self.assertTrue(r.result(4)[2].endswith("plain (1).bin"), r)
        self.assertTrue(r.result(5)[2].endswith("plain (2).bin"), r)
        self.assertEqual(r.result(7)[0], "ok", r)
        original = sha(os.path.join(self.root, "plain.bin"))
        for name in ("plain.bin", "plain (1).bin", "plain (2).bin"):
            self.assertEqual(sha(os.path.join(self.local, name)), original, name)

    def test_resume_partial_download(self):
        with open(os.path.join(self.root, "big.bin"), "rb") as f:
            data = f.read()
        with open(os.path.join(self.local, "big.bin.part"), "wb") as f:
            f.write(data[:1000000])
        with self.server(self.root) as server:
            r = self.run_driver(server, ("get", "/big.bin", self.local))
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(sha(os.path.join(self.local, "big.bin")), hashlib.sha256(data).hexdigest())
        self.assertFalse(os.path.exists(os.path.join(self.local, "big.bin.part")))

    def test_cancel_then_reuse_session(self):
        # Large enough that the cancel lands mid-stream even on a fast loopback: progress
        # arrives about ten times a second, the first report right after the first bytes,
        # and the driver cancels on that first report.
        with open(os.path.join(self.root, "huge.bin"), "wb") as f:
            f.write(os.urandom(1024 * 1024) * 48)
        with self.server(self.root) as server:
            r = self.run_driver(server, ("get-cancel", "/huge.bin", self.local, 1, "keep"),
                                ("ls", "/folder"), ("get", "/plain.bin", self.local),
                                ("get", "/huge.bin", self.local))
        self.assertEqual(r.result(0)[:2], ("error", "get"), r)
        self.assertTrue(r.result(0)[2].startswith("CANCELLED"), r)
        self.assertEqual(r.result(1)[0], "ok", r)
        self.assertEqual(len(r.entries[0]), 2, r)
        self.assertEqual(r.result(2)[0], "ok", r)
        self.assertEqual(r.result(3)[0], "ok", r)   # resumed from the cancelled .part
        self.assertEqual(sha(os.path.join(self.local, "huge.bin")),
                         sha(os.path.join(self.root, "huge.bin")))

    def test_cancel_removes_what_arrived(self):
        # As GNOME Files and browsers do: a cancelled download leaves nothing behind unless
        # the user asked to keep it for a resume (test_cancel_then_reuse_session).
        with open(os.path.join(self.root, "huge.bin"), "wb") as f:
            f.write(os.urandom(1024 * 1024) * 48)
        with self.server(self.root) as server:
            r = self.run_driver(server, ("get-cancel", "/huge.bin", self.local, 1),
                                ("ls", "/folder"))
        self.assertEqual(r.result(0)[:2], ("error", "get"), r)
        self.assertTrue(r.result(0)[2].startswith("CANCELLED"), r)
        self.assertEqual(r.result(1)[0], "ok", r)   # the session is still usable
        self.assertEqual(os.listdir(self.local), [], r)

    def test_recursive_download(self):
        with self.server(self.root) as server:
            r = self.run_driver(server, ("getdir", "/folder", self.local))
        self.assertEqual(r.returncode, 0, r)
        expected = 2 + 3 + 70000
        self.assertEqual(r.result(0)[2].split()[:2], [str(expected)] * 2, r)
        for rel in ("a.txt", "sub/b.txt", "sub/deeper/c.bin"):
            self.assertEqual(sha(os.path.join(self.local, "folder", rel)),
                             sha(os.path.join(self.root, "folder", rel)), rel)

    def test_queue_downloads_in_parallel(self):
        with self.server(self.root) as server:
            r = self.run_driver(server, ("queue-get", "/plain.bin", self.local),
                                ("queue-get", "/big.bin", self.local),
                                ("queue-get", "/" + UTF8_NAME, self.local),
                                ("queue-wait",), ("ls",))
        self.assertEqual(r.returncode, 0, r)
        for name in ("plain.bin", "big.bin", UTF8_NAME):
            self.assertEqual(sha(os.path.join(self.local, name)),
                             sha(os.path.join(self.root, name)), name)

    def test_queue_retry_after_failure(self):
        late = os.path.join(self.root, "late.txt")
        with self.server(self.root) as server:
            proc = clientdriver.start(server.url, ("queue-get", "/late.txt", self.local),
                                      ("queue-wait",), ("sleep", 300), ("queue-retry",),
                                      ("queue-wait",), ("queue-clear",))
            try:
                seen = []
                for raw in proc.stdout:
                    line = raw.decode("utf-8", "replace").rstrip("\n")
                    seen.append(line)
                    if line.startswith("error queued"):
                        with open(late, "wb") as f:   # the missing file appears
                            f.write(b"late")
                        os.chmod(late, 0o644)
                proc.wait(30)
            finally:
                if proc.poll() is None:
                    proc.kill()
                proc.stdout.close()
                proc.stderr.close()
        self.assertTrue(any(l.startswith("error queued NOT_FOUND") for l in seen), seen)
        self.assertIn("ok queued late.txt 4", seen)
        self.assertIn("ok queue-clear 0", seen)
        with open(os.path.join(self.local, "late.txt"), "rb") as f:
            self.assertEqual(f.read(), b"late")

    # -- uploads and changes -----------------------------------------------------------

    def upload_target(self):
        """Where uploads go (vsftpd's anonymous root is not writable, its subfolders are)."""
        return ""

    def test_put_and_manage(self):
        if not self.can_write:
            self.skipTest("this server is read-only here")
        src = os.path.join(self.local, "up " + UTF8_NAME)
        payload = os.urandom(1024 * 1024 + 3)
        with open(src, "wb") as f:
            f.write(payload)
        t = self.upload_target()
        with self.server(self.root, write=True) as server:
            r = self.run_driver(server, ("put", src, t + "/up " + UTF8_NAME),
                                ("put", src, t + "/up " + UTF8_NAME),
                                ("policy", "keep-both"), ("put", src, t + "/up " + UTF8_NAME),
                                ("mkdir", t + "/new dir"),
                                ("mv", t + "/up " + UTF8_NAME, t + "/new dir/moved.txt"),
                                ("rm", t + "/new dir/moved.txt"),
                                ("rmdir", t + "/new dir"),
                                ("rm", t + "/does-not-exist"))
        self.assertEqual(r.result(0)[0], "ok", r)
        self.assertTrue(r.result(1)[2].startswith("EXISTS"), r)
        self.assertEqual(r.result(3)[0], "ok", r)
        for i in range(4, 8):
            self.assertEqual(r.result(i)[0], "ok", r)
        self.assertTrue(r.result(8)[2].startswith("NOT_FOUND"), r)
        base = self.root + t
        with open(os.path.join(base, "up Grüße — 日本語 ✓ (1).txt"), "rb") as f:
            self.assertEqual(f.read(), payload)
        self.assertFalse(os.path.exists(os.path.join(base, "new dir")))

    def test_rename_never_replaces(self):
        """mv-safe (ferry_client_rename_no_replace_async): onto a file or a folder that
        exists it fails with EXISTS and changes nothing (MLST where offered, else SIZE and
        a listing); onto a free name it renames."""
        if not self.can_write:
            self.skipTest("this server is read-only here")
        t = self.upload_target()
        base = self.root + t
        with open(os.path.join(base, "keep.txt"), "wb") as f:
            f.write(b"keep me\n")
        with open(os.path.join(base, "newer.txt"), "wb") as f:
            f.write(b"newer\n")
        os.makedirs(os.path.join(base, "dir one"), exist_ok=True)
        os.makedirs(os.path.join(base, "dir two"), exist_ok=True)
        with self.server(self.root, write=True) as server:
            r = self.run_driver(server, ("mv-safe", t + "/newer.txt", t + "/keep.txt"),
                                ("mv-safe", t + "/dir one", t + "/dir two"),
                                ("mv-safe", t + "/newer.txt", t + "/free name.txt"))
        self.assertTrue(r.result(0)[2].startswith("EXISTS"), r)
        self.assertTrue(r.result(1)[2].startswith("EXISTS"), r)
        self.assertEqual(r.result(2)[0], "ok", r)
        with open(os.path.join(base, "keep.txt"), "rb") as f:
            self.assertEqual(f.read(), b"keep me\n")
        self.assertTrue(os.path.isdir(os.path.join(base, "dir one")))
        with open(os.path.join(base, "free name.txt"), "rb") as f:
            self.assertEqual(f.read(), b"newer\n")

    def test_cancel_upload_then_reuse_session(self):
        if not self.can_write:
            self.skipTest("this server is read-only here")
        src = os.path.join(self.local, "huge-up.bin")
        with open(src, "wb") as f:
            f.write(os.urandom(1024 * 1024) * 48)
        small = os.path.join(self.local, "small.txt")
        with open(small, "wb") as f:
            f.write(b"small")
        t = self.upload_target()
        with self.server(self.root, write=True) as server:
            r = self.run_driver(server, ("put-cancel", src, t + "/huge-up.bin", 1),
                                ("put", small, t + "/small.txt"), ("ls", t + "/folder"))
        self.assertEqual(r.result(0)[:2], ("error", "put"), r)
        self.assertTrue(r.result(0)[2].startswith("CANCELLED"), r)
        self.assertEqual(r.result(1)[0], "ok", r)
        self.assertEqual(r.result(2)[0], "ok", r)
        with open(os.path.join(self.root + t, "small.txt"), "rb") as f:
            self.assertEqual(f.read(), b"small")

    def test_recursive_upload(self):
        if not self.can_write:
            self.skipTest("this server is read-only here")
        src = os.path.join(self.local, "up")
        os.makedirs(os.path.join(src, "x", "y z"))
        files = {"top.txt": b"top", "x/one.bin": os.urandom(5000),
                 "x/y z/two ü.txt": b"two"}
        for rel, data in files.items():
            with open(os.path.join(src, rel), "wb") as f:
                f.write(data)
        t = self.upload_target()
        with self.server(self.root, write=True) as server:
            r = self.run_driver(server, ("put", src, t + "/up"))
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.result(0)[2].split()[:2], [str(3 + 5000 + 3)] * 2, r)
        for rel, data in files.items():
            with open(os.path.join(self.root + t, "up", rel), "rb") as f:
                self.assertEqual(f.read(), data, rel)

    # -- errors ------------------------------------------------------------------------

    def test_driver_refuses_what_it_cannot_run_at_once(self):
        """A queue command before any queue-get, a missing argument, an unknown verb: each
        fails at once and the commands after it still run, no wait for a time-out."""
        with self.server(self.root) as server:
            started = time.monotonic()
            r = self.run_driver(server, ("queue-retry",), ("queue-clear",), ("cd",),
                                ("frobnicate",), ("pwd",), timeout=30)
        self.assertLess(time.monotonic() - started, 20, r)
        self.assertEqual([x[:2] for x in r.results[2:]],
                         [("error", "queue-retry"), ("error", "queue-clear"), ("error", "cd"),
                          ("error", "frobnicate"), ("ok", "pwd")], r)
        self.assertEqual(r.results[2][2], "USAGE no queue yet (queue-get makes it)", r)
        self.assertEqual(r.results[4][2], "USAGE missing arguments", r)
        self.assertEqual(r.results[5][2], "USAGE unknown command", r)

    def test_wrong_password(self):
        with self.server(self.root) as server:
            url = self.bad_password_url(server)
            if url is None:
                self.skipTest("this server logs in anonymously only")
            r = clientdriver.run(url, ("ls",))
        self.assertEqual(r.results[0][:2], ("ok", "connect"), r)
        self.assertEqual(r.results[1][:2], ("error", "login"), r)
        self.assertTrue(r.results[1][2].startswith("LOGIN_FAILED"), r)
        self.assertRegex(clientdriver.message(r.results[1]),
                         r"^The server refused the user name or password \(530 .*\)$", r)
        self.assertNotEqual(r.returncode, 0)
