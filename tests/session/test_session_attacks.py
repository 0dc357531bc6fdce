# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd's session under attack and under faults: path escapes, FTP bounce, PASV theft,
over-long lines, password guessing, clients killed mid-upload, full disks, many clients."""
import concurrent.futures
import ftplib
import io
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
import warnings

import ferrytest
from ferrytest import Ferryd, served_tree
import sessiontest
from sessiontest import curl, ftp, retr_bytes

PAYLOAD = ferrytest.all_bytes_payload(512)


def pasv_port(client):
    reply = client.sendcmd("PASV")
    numbers = [int(n) for n in re.search(r"(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)", reply).groups()]
    return numbers[4] * 256 + numbers[5]


class TraversalTest(unittest.TestCase):
    def test_paths_never_leave_the_root(self):
        with tempfile.TemporaryDirectory() as base:
            outside = os.path.join(base, "outside")
            os.mkdir(outside)
            with open(os.path.join(outside, "secret.txt"), "w") as f:
                f.write("secret")
            os.chmod(base, 0o755)
            links = {"etc-link": "/etc", "slash": "/", "sibling": "../outside",
                     "via-sub": "sub/../../outside"}
            with served_tree({"ok.txt": b"ok", "sub/in.txt": b"in"}, links) as root, \
                    Ferryd(root) as server, ftp(server) as client:
                attempts = ["../../../../etc/passwd", "/etc/passwd", "/../etc/passwd",
                            "etc-link/passwd", "etc-link", "slash/etc/passwd",
                            "sibling/secret.txt", "via-sub/secret.txt",
                            "sub/../../outside/secret.txt", "/proc/self/root/etc/passwd",
                            "..\\..\\etc\\passwd", "%2e%2e/%2e%2e/etc/passwd",
                            "sub/" + "x" * 300, "a/" * 2040 + "b"]
                for path in attempts:
                    with self.subTest(path=path):
                        with self.assertRaisesRegex(ftplib.error_perm, "^55"):
                            retr_bytes(client, path)
                for folder in ("etc-link", "slash", "sibling", "/.."):
                    with self.subTest(folder=folder):
                        try:
                            client.cwd(folder)
                        except ftplib.error_perm:
                            pass
                        self.assertEqual(client.pwd(), "/")
                        self.assertIn("ok.txt", client.nlst())
                client.cwd("../../..")
                self.assertEqual(client.pwd(), "/")
                # Symlinks leading out are not even listed.
                names = client.nlst()
                for name in ("etc-link", "slash", "sibling", "via-sub"):
                    self.assertNotIn(name, names)
                # curl sends the path exactly as given with --path-as-is.
                result = curl("--path-as-is", server.url + "../../../etc/passwd", check=False)
                self.assertNotEqual(result.returncode, 0)
                self.assertNotIn(b"root:", result.stdout)

    def test_names_cannot_inject_listing_lines(self):
        # A name with CR/LF would add a line of the attacker's choosing to LIST/MLSD.
        evil = "x\r\n-rw-r--r-- 1 ftp ftp 1 Jan 01 2020 forged\r\ntype=file;size=1; forged"
        with served_tree({"ok.txt": b"ok", evil: b"evil"}) as root, \
                Ferryd(root) as server, ftp(server) as client:
            lines = []
            client.retrlines("LIST", lines.append)
            mlsd = [name for name, _ in client.mlsd()]
            self.assertEqual(len(lines), 1, lines)
            self.assertTrue(lines[0].endswith(" ok.txt"), lines)
            self.assertEqual(mlsd, ["ok.txt"])
            self.assertEqual(client.nlst(), ["ok.txt"])

    def test_writes_never_leave_the_root(self):
        with tempfile.TemporaryDirectory() as outside:
            ferrytest.give_to_nobody(outside)
            with served_tree({"ok.txt": b"ok"}, {"out": outside}) as root, \
                    Ferryd(root, "--write") as server, ftp(server) as client:
                for command in ("STOR out/planted.txt", "STOR ../planted.txt"):
                    with self.subTest(command=command):
                        try:
                            client.storbinary(command, open(os.devnull, "rb"))
                        except ftplib.error_perm:
                            pass
                for call in (lambda: client.mkd("out/newdir"), lambda: client.delete("out"),
                             lambda: client.rename("ok.txt", "out/ok.txt")):
                    try:
                        call()
                    except ftplib.error_perm:
                        pass
                # Nothing reached the folder outside; "../planted.txt" landed in the root.
                self.assertEqual(os.listdir(outside), [])
                self.assertTrue(os.path.exists(os.path.join(root, "planted.txt")))
                self.assertFalse(os.path.exists(os.path.join(os.path.dirname(root),
                                                             "planted.txt")))


class DataConnectionTest(unittest.TestCase):
    def test_port_bounce_refused(self):
        with served_tree({"f.bin": PAYLOAD}) as root, Ferryd(root) as server, \
                ftp(server) as client:
            for command in ("PORT 127,0,0,2,200,1", "PORT 127,0,0,1,0,80",
                            "PORT 127,0,0,1,0,21", "EPRT |1|127.0.0.2|5000|",
                            "EPRT |1|127.0.0.1|80|", "EPRT |1|10.1.2.3|5000|"):
                with self.subTest(command=command):
                    with self.assertRaisesRegex(ftplib.error_perm, "^50[014]"):
                        client.sendcmd(command)
            with self.assertRaisesRegex(ftplib.error_perm, "^501"):
                client.sendcmd("PORT 1,2,3")
            # A refused PORT leaves nothing to connect to.
            with self.assertRaisesRegex(ftplib.error_temp, "^425"):
                client.sendcmd("LIST")

    def test_pasv_theft_refused(self):
        with served_tree({"f.bin": PAYLOAD}) as root, Ferryd(root) as server, \
                ftp(server) as client:
            port = pasv_port(client)
            thief = socket.socket()
            thief.bind(("127.0.0.2", 0))
            thief.settimeout(10)
            thief.connect(("127.0.0.1", port))      # first in the accept queue
            real = socket.create_connection(("127.0.0.1", port), timeout=10)
            client.putcmd("RETR f.bin")
            self.assertTrue(client.getresp().startswith("150"))
            received = bytearray()
            while chunk := real.recv(65536):
                received += chunk
            real.close()
            self.assertTrue(client.voidresp().startswith("226"))
            self.assertEqual(bytes(received), PAYLOAD)
            # The thief got nothing but a closed connection.
            try:
                stolen = thief.recv(65536)
            except ConnectionResetError:
                stolen = b""
            self.assertEqual(stolen, b"")
            thief.close()

    def test_abort_mid_download(self):
        big = os.urandom(64 << 20)
        with served_tree({"big.bin": big, "small.txt": b"small"}) as root, \
                Ferryd(root) as server, ftp(server) as client:
            conn = client.transfercmd("RETR big.bin")
            conn.recv(65536)
            # Urgent ABOR (Telnet IP, Synch): 426 for the transfer, then 226 for ABOR.
            self.assertTrue(client.abort().startswith("426"))
            self.assertTrue(client.voidresp().startswith("226"))
            conn.close()
            self.assertEqual(retr_bytes(client, "small.txt"), b"small")


class ControlConnectionTest(unittest.TestCase):
    def test_overlong_line(self):
        with served_tree({}) as root, Ferryd(root) as server:
            with socket.create_connection((server.host, server.port), timeout=10) as s:
                f = s.makefile("rb")
                self.assertTrue(f.readline().startswith(b"220 "))
                s.sendall(b"USER " + b"A" * 5000 + b"\r\n")
                self.assertEqual(f.readline(), b"500 Command line too long.\r\n")
                self.assertEqual(f.readline(), b"")   # closed

    def test_wrong_password(self):
        import crypt    # deprecated in 3.11 but still there; the hash is what ferryd checks
        with served_tree({"f.txt": b"f"}) as root, tempfile.TemporaryDirectory() as etc:
            users = os.path.join(etc, "users")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                salt = "$y$j9T$" + "".join(ferrytest.__name__[:1] for _ in range(0)) + "F3rryT3stSa1t/x9"
                hashed = crypt.crypt("right horse", salt)
            with open(users, "w") as f:
                f.write(f"[alice]\npassword={hashed}\n")
            server = Ferryd(root, "--users", users)
            with server:
                with ftp(server, login=False) as client:
                    start = time.monotonic()
                    with self.assertRaisesRegex(ftplib.error_perm, "^530"):
                        client.login("alice", "wrong horse")
                    self.assertGreaterEqual(time.monotonic() - start, 0.9)
                    with self.assertRaisesRegex(ftplib.error_perm, "^530"):
                        client.login("anonymous", "x")     # not without --anonymous
                    with self.assertRaisesRegex(ftplib.error_perm, "^530"):
                        client.login("mallory", "right horse")
                    # Three failures: the session is over.
                    with self.assertRaises((EOFError, OSError, ftplib.Error)):
                        client.login("alice", "right horse")
                with ftp(server, login=False) as client:
                    client.login("alice", "right horse")
                    self.assertEqual(retr_bytes(client, "f.txt"), b"f")
                server.proc.send_signal(signal.SIGTERM)
                server.proc.wait(10)
                log = server.log_text()
            self.assertIn(b"alice", log)  # the log was read: the logins are in it
            self.assertNotIn(b"wrong horse", log)
            self.assertNotIn(b"right horse", log)


KILLED_UPLOADER = textwrap.dedent("""
    import ftplib, sys, time
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", int(sys.argv[1]))
    ftp.login()
    if len(sys.argv) > 3:   # announces more bytes than it sends before it is killed
        ftp.voidcmd("TYPE I")
        ftp.voidcmd("ALLO " + sys.argv[3])
    conn = ftp.transfercmd("STOR " + sys.argv[2])
    conn.sendall(b"x" * 262144)
    print("sending", flush=True)
    while True:
        conn.sendall(b"y" * 65536)
        time.sleep(0.05)
""")


class FaultTest(unittest.TestCase):
    def kill_mid_upload(self, server, root, name, *announced):
        proc = subprocess.Popen([sys.executable, "-c", KILLED_UPLOADER, str(server.port), name,
                                 *announced], stdout=subprocess.PIPE)
        try:
            self.assertEqual(proc.stdout.readline(), b"sending\n")
            deadline = time.monotonic() + 10
            while not sessiontest.temp_files(root) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertTrue(sessiontest.temp_files(root), "no temp file while uploading")
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
        deadline = time.monotonic() + 10
        while sessiontest.temp_files(root) and time.monotonic() < deadline:
            time.sleep(0.05)

    def test_killed_client_leaves_nothing(self):
        with served_tree({"old.bin": b"old contents"}) as root, \
                Ferryd(root, "--write") as server:
            self.kill_mid_upload(server, root, "new.bin")
            self.kill_mid_upload(server, root, "old.bin")
            self.assertEqual(sessiontest.temp_files(root), [])
            self.assertFalse(os.path.exists(os.path.join(root, "new.bin")))
            with open(os.path.join(root, "old.bin"), "rb") as f:
                self.assertEqual(f.read(), b"old contents")

    def test_killed_client_that_announced_its_size_leaves_nothing(self):
        with served_tree({"old.bin": b"old contents"}) as root, \
                Ferryd(root, "--write") as server:
            self.kill_mid_upload(server, root, "new.bin", "1000000000")
            self.kill_mid_upload(server, root, "old.bin", "1000000000")
            self.assertEqual(sessiontest.temp_files(root), [])
            self.assertFalse(os.path.exists(os.path.join(root, "new.bin")))
            with open(os.path.join(root, "old.bin"), "rb") as f:
                self.assertEqual(f.read(), b"old contents")

    def assert_full_disk_refused(self, server, root):
        with ftp(server) as client:
            conn = client.transfercmd("STOR keep.bin")
            try:
                for _ in range(64):
                    conn.sendall(b"\0" * 65536)    # 4 MiB: more than the disk takes
            except OSError:
                pass                                # the server gave up on the upload
            conn.close()
            with self.assertRaisesRegex(ftplib.Error, "^(452|552)"):
                client.voidresp()
            # The session goes on, and the old file is as it was.
            self.assertEqual(retr_bytes(client, "keep.bin"), b"keep me")
        self.assertEqual(sessiontest.temp_files(root), [])

    def test_file_size_limit(self):
        with served_tree({"keep.bin": b"keep me"}) as root:
            soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, hard))
            try:
                server = Ferryd(root, "--write").start()      # inherits the limit
            finally:
                resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            try:
                self.assert_full_disk_refused(server, root)
            finally:
                server.stop()

    def test_full_disk(self):
        if os.geteuid() != 0:
            self.skipTest("needs root: mounting a small tmpfs")
        with tempfile.TemporaryDirectory() as mount_point:
            mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                                      mount_point], capture_output=True)
            if mounted.returncode != 0:
                self.skipTest(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
            try:
                with open(os.path.join(mount_point, "keep.bin"), "wb") as f:
                    f.write(b"keep me")
                ferrytest.give_to_nobody(mount_point)
                with Ferryd(mount_point, "--write") as server:
                    self.assert_full_disk_refused(server, mount_point)
            finally:
                subprocess.run(["umount", mount_point], check=True)


def upload_raw(client, command, data, announce=None):
    """ALLO (when announce is given), then command with data on its data connection; the
    final reply, or ftplib's exception for a 4xx/5xx one."""
    if announce is not None:
        client.sendcmd(f"ALLO {announce}")
    conn = client.transfercmd(command)
    conn.sendall(data)
    conn.close()
    return client.voidresp()


class AnnouncedSizeTest(unittest.TestCase):
    """ALLO n before STOR/APPE: n bytes commit at once, fewer commit nothing, more fall back to
    the wait for the control connection (ferryd-client-gone.c, ferryd_upload_ended)."""

    def test_announced_uploads_skip_the_grace_period(self):
        data = PAYLOAD[:4096]

        def upload_100(client, announce):
            start = time.monotonic()
            for i in range(100):
                if announce:
                    self.assertRegex(client.sendcmd("ALLO 4096"), "^200 4096 bytes announced")
                client.storbinary(f"STOR {'f' if announce else 'u'}{i}.bin", io.BytesIO(data))
            return time.monotonic() - start

        with served_tree() as root, Ferryd(root, "--write") as server, ftp(server) as client:
            client.voidcmd("TYPE I")
            # Side by side in one session, not against a clock: unannounced, each 226 waits
            # ≥ 10 ms of CPU-stall-free time for a sign of a killed client (≥ 1 s for 100,
            # longer on a loaded machine); announced, none does, whatever the load.
            unannounced = upload_100(client, False)
            announced = upload_100(client, True)
            self.assertLess(announced, unannounced / 2,
                            f"100 announced uploads took {announced:.2f} s, "
                            f"unannounced {unannounced:.2f} s")
            for i in range(100):
                with open(os.path.join(root, f"f{i}.bin"), "rb") as f:
                    self.assertEqual(f.read(), data)
            self.assertEqual(sessiontest.temp_files(root), [])

    def test_announced_append_and_restart_count_this_transfer_only(self):
        with served_tree({"a.txt": b"abc", "r.txt": b"abcdef"}) as root, \
                Ferryd(root, "--write") as server, ftp(server) as client:
            client.voidcmd("TYPE I")
            self.assertRegex(upload_raw(client, "APPE a.txt", b"def", announce=3), "^226")
            client.sendcmd("REST 3")
            self.assertRegex(upload_raw(client, "STOR r.txt", b"XYZ", announce="3 R 512"),
                             "^226")
            self.assertEqual(ferrytest.tree_files(root), {"a.txt": b"abcdef",
                                                          "r.txt": b"abcXYZ"})

    def test_fewer_bytes_than_announced_commit_nothing(self):
        with served_tree({"old.bin": b"old contents"}) as root, \
                Ferryd(root, "--write") as server, ftp(server) as client:
            client.voidcmd("TYPE I")
            for command in ("STOR new.bin", "STOR old.bin", "APPE old.bin"):
                with self.assertRaisesRegex(ftplib.error_temp,
                                            "^426 .* 5000 of the 100000 bytes announced"):
                    upload_raw(client, command, PAYLOAD[:5000], announce=100000)
                self.assertEqual(sessiontest.temp_files(root), [])
                self.assertEqual(ferrytest.tree_files(root), {"old.bin": b"old contents"})
            # The announcement was for that upload only.
            self.assertRegex(upload_raw(client, "STOR new.bin", PAYLOAD[:5000]), "^226")
            self.assertEqual(ferrytest.tree_files(root), {"old.bin": b"old contents",
                                                          "new.bin": PAYLOAD[:5000]})

    def test_more_bytes_than_announced_wait_as_without(self):
        with served_tree() as root, Ferryd(root, "--write") as server, ftp(server) as client:
            client.voidcmd("TYPE I")
            client.sendcmd("ALLO 10")
            conn = client.transfercmd("STOR over.bin")
            conn.sendall(b"x" * 20)
            sent = time.monotonic()
            conn.close()
            self.assertRegex(client.voidresp(), "^226")
            # The 10 ms grace period ran: the announcement was not trusted.
            self.assertGreaterEqual(time.monotonic() - sent, 0.010)
            self.assertEqual(ferrytest.tree_files(root), {"over.bin": b"x" * 20})

    def test_announcement_dropped_by_rest_transfers_and_bad_allo(self):
        with served_tree({"f.txt": b"f"}) as root, Ferryd(root, "--write") as server, \
                ftp(server) as client:
            client.voidcmd("TYPE I")
            in_between = [lambda: client.sendcmd("REST 0"),
                          lambda: retr_bytes(client, "f.txt"),
                          lambda: client.nlst(),
                          lambda: self.assertRaisesRegex(ftplib.error_perm, "^501",
                                                         client.sendcmd, "ALLO many")]
            for i, step in enumerate(in_between):
                client.sendcmd("ALLO 100000")
                step()
                client.voidcmd("TYPE I")
                self.assertRegex(upload_raw(client, f"STOR u{i}.bin", b"short"), "^226", i)
            for bad in ("ALLO", "ALLO -1", "ALLO +5", "ALLO 5 R", "ALLO 5 Q 3", "ALLO 5 R x",
                        "ALLO  5", "ALLO 99999999999999999999"):
                with self.assertRaisesRegex(ftplib.error_perm, "^501", msg=bad):
                    client.sendcmd(bad)

    def test_ferry_cli_put_announces_sizes(self):
        files = {f"f{i}.bin": PAYLOAD[i * 100:i * 100 + 4096] for i in range(10)}
        with served_tree() as root, Ferryd(root, "--write", "--anonymous") as server, \
                ferrytest.temp_tree(files) as local:
            result = subprocess.run([ferrytest.FERRY_CLI, "put", *sorted(files), server.url],
                                    cwd=local, capture_output=True, timeout=60,
                                    stdin=subprocess.DEVNULL)
            self.assertEqual(result.returncode, 0, result.stderr)
            server.stop()
            self.assertEqual(ferrytest.tree_files(root), files)
            seconds = [float(s) for s in
                       re.findall(rb"STOR /f\d\.bin 4096 bytes in ([0-9.]+) s", server.log_text())]
            self.assertEqual(len(seconds), 10, server.log_text())
            # Only an upload announced with ALLO can end within the 10 ms grace period.
            self.assertLess(min(seconds), 0.010, server.log_text())


class LoadTest(unittest.TestCase):
    def test_many_clients_at_once(self):
        files = {f"f{i}.bin": bytes([i]) * 1000 + PAYLOAD for i in range(24)}
        with served_tree(files) as root, Ferryd(root) as server:
            def fetch(i):
                name = f"f{i}.bin"
                if i % 2:
                    return name, curl(server.url + name).stdout
                with ftp(server, timeout=60) as client:
                    return name, retr_bytes(client, name)

            with concurrent.futures.ThreadPoolExecutor(max_workers=24) as pool:
                results = list(pool.map(fetch, range(24)))
            for name, data in results:
                self.assertEqual(data, files[name], name)


if __name__ == "__main__":
    ferrytest.main()
