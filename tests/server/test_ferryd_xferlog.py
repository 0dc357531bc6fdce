# SPDX-License-Identifier: GPL-3.0-or-later
"""--xferlog through a real ferryd: a line per transfer in wu-ftpd's xferlog format for curl
and ftplib, anonymous and user, downloads and uploads; aborted ones (ABOR, a client killed
mid-transfer, a full disk) marked i; 20 concurrent sessions whose lines never mix; names
with spaces and control characters kept in one field; the real client behind a PROXY
balancer; the file reopened on SIGHUP after a rotation (and kept when the new one cannot be
opened), by hand and by the real logrotate with data/logrotate/ferryd; a log that cannot be
opened stops ferryd at start; and webalizer, an xferlog analyser, reads the result.

(A name with a newline cannot be sent over FTP, whose commands end at LF; test-xferlog.c
checks that one is escaped.)"""
import ftplib
import grp
import io
import os
import pwd
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import unittest

import ferrytest
import sessiontest
from ferrydproc import IS_ROOT, Server, run_ferryd
from ferrytest import served_tree, wait_until

SNIPPET = os.path.join(os.path.dirname(__file__), "..", "..", "data", "logrotate", "ferryd")

# One line as wu-ftpd, vsftpd and ProFTPD write it; every field but the date free of spaces
# (Unicode's too) and of control characters.
NAME = r"[^\s\x00-\x1f\x7f-\x9f]"
LINE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"(?: [1-9]|[12][0-9]|3[01]) [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4} "
    r"(?P<seconds>[1-9][0-9]*) (?P<host>[0-9a-f.:]+) (?P<bytes>[0-9]+) "
    r"(?P<path>/" + NAME + r"*) (?P<type>[ab]) _ (?P<direction>[oi]) (?P<mode>[ar]) "
    r"(?P<user>" + NAME + r"+) "
    r"ftp 0 \* (?P<status>[ci])\n")

PAYLOAD = bytes(range(256)) * 4096            # 1 MiB
BIG_SIZE = 1 << 30                            # sparse: more than any socket buffer holds


def unescape(field):
    """The bytes an escaped field stands for (\\xNN and \\\\)."""
    out = bytearray()
    raw = field.encode()
    i = 0
    while i < len(raw):
        if raw[i:i + 2] == b"\\\\":
            out += b"\\"
            i += 2
        elif raw[i:i + 2] == b"\\x":
            out.append(int(raw[i + 2:i + 4], 16))
            i += 4
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def entries(path):
    """Every line of the log, each checked against LINE, as match dicts."""
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    # splitlines also breaks at U+0085, U+2028…: an unescaped one would show as a bad line.
    lines = text.splitlines(keepends=True)
    found = []
    for line in lines:
        m = LINE.fullmatch(line)
        if m is None:
            raise AssertionError(f"not an xferlog line: {line!r}")
        found.append(m.groupdict())
    return found


def line_count(path):
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n")
    except FileNotFoundError:
        return 0


def wait_entries(path, count, timeout=30.0):
    """The log's entries once it has count lines (the 226 reply goes before the line)."""
    wait_until(lambda: line_count(path) >= count, timeout)
    found = entries(path)
    if len(found) != count:
        raise AssertionError(f"{len(found)} lines in {path}, expected {count}: {found}")
    return found


def served_user():
    """(user, group) that ferryd serves as here: nobody when the tests run as root."""
    uid = pwd.getpwnam("nobody").pw_uid if IS_ROOT else os.getuid()
    entry = pwd.getpwuid(uid)
    return entry.pw_name, grp.getgrgid(entry.pw_gid).gr_name


def login(server, user="anonymous", password="guest@example.org"):
    client = ftplib.FTP(timeout=30)
    client.encoding = "utf-8"
    client.connect(server.host, server.port)
    client.login(user, password)
    return client


def make_as_logrotate(path):
    """A new empty log as logrotate's create makes it: owned by the user ferryd serves as."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    os.close(fd)
    if IS_ROOT:
        user, group = served_user()
        shutil.chown(path, user, group)


class XferlogTest(unittest.TestCase):
    def setUp(self):
        # Root's own folder when the tests run as root: only the listener, before it drops
        # to nobody, can open the log there; sessions write through what it handed down.
        self.logs = tempfile.mkdtemp(prefix="ferryd-xferlog-")
        self.addCleanup(shutil.rmtree, self.logs, True)
        self.xferlog = os.path.join(self.logs, "xferlog")

    def serve(self, files=None, *args, xferlog=None):
        tree = served_tree(files or {"f.txt": b"hello, log\n" * 100})
        root = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)
        server = Server(root, "--no-announce", "--xferlog", xferlog or self.xferlog, *args)
        server.start()
        self.addCleanup(server.stop)
        return server, root

    def add_user(self, name, password):
        users = os.path.join(self.logs, "users")
        code, _, err = run_ferryd("--add-user", name, "--users", users,
                                  input=f"{password}\n{password}\n".encode())
        self.assertEqual(code, 0, err)
        return users

    def reload(self, server):
        before = server.log_text().count("configuration reloaded")
        server.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_until(
            lambda: server.log_text().count("configuration reloaded") > before, 20),
            server.log_text()[-2000:])

    def test_curl_and_ftplib_anonymous_and_user(self):
        users = self.add_user("alice", "wonderland")
        server, root = self.serve({"f.txt": PAYLOAD, "t.txt": b"line\n" * 1000}, "--write",
                                  "--users", users, "--anonymous")
        sessiontest.curl("-u", "anonymous:curl@example.org", "-o", os.devnull,
                         server.url + "f.txt")
        upload = os.path.join(self.logs, "up.bin")
        with open(upload, "wb") as f:
            f.write(PAYLOAD[:300000])
        sessiontest.curl("-u", "alice:wonderland", "-T", upload, server.url + "up.bin")
        with login(server, password="ftplib@example.net") as client:
            lines = []
            client.retrlines("RETR t.txt", lines.append)          # TYPE A
        with login(server, "alice", "wonderland") as client:
            client.storbinary("STOR sub.bin", open(upload, "rb"))

        found = wait_entries(self.xferlog, 4)
        expected = [
            ("/f.txt", str(len(PAYLOAD)), "b", "o", "a", "curl@example.org"),
            ("/up.bin", "300000", "b", "i", "r", "alice"),
            ("/t.txt", str(len(b"line\r\n" * 1000)), "a", "o", "a", "ftplib@example.net"),
            ("/sub.bin", "300000", "b", "i", "r", "alice"),
        ]
        for entry, (path, size, kind, direction, mode, user) in zip(found, expected):
            with self.subTest(path=path):
                self.assertEqual((entry["path"], entry["bytes"], entry["type"],
                                  entry["direction"], entry["mode"], entry["user"],
                                  entry["host"], entry["status"]),
                                 (path, size, kind, direction, mode, user, "127.0.0.1", "c"))
        info = os.stat(self.xferlog)
        self.assertEqual(info.st_mode & 0o777, 0o640)
        if IS_ROOT:
            # Root's, in root's 0700 folder: written by sessions that run as nobody.
            self.assertEqual((info.st_uid, os.stat(self.logs).st_mode & 0o777), (0, 0o700))
            self.assertEqual(pwd.getpwuid(os.stat(os.path.join(root, "up.bin")).st_uid).pw_name,
                             "nobody")

    def test_aborted_and_dead_clients_are_incomplete(self):
        server, root = self.serve({"f.txt": b"x"}, "--write")
        big = os.path.join(root, "big.iso")
        with open(big, "wb") as f:
            f.truncate(BIG_SIZE)

        # ABOR in the middle of a download.
        with login(server) as client:
            conn = client.transfercmd("RETR big.iso")
            self.assertTrue(conn.recv(65536))
            conn.close()
            client.abort()
        found = wait_entries(self.xferlog, 1)

        # A client killed in the middle of a download, then of an upload.
        code = ("import ftplib, sys\n"
                "c = ftplib.FTP(timeout=30); c.connect('127.0.0.1', int(sys.argv[1]))\n"
                "c.login('anonymous', 'killed@example.org')\n"
                "if sys.argv[2] == 'down':\n"
                "    d = c.transfercmd('RETR big.iso'); d.recv(65536)\n"
                "else:\n"
                "    d = c.transfercmd('STOR part.bin'); d.sendall(b'u' * 1000000)\n"
                "print('mid-transfer', flush=True)\n"
                "sys.stdin.read()\n")
        for direction in ("down", "up"):
            proc = subprocess.Popen([sys.executable, "-c", code, str(server.port), direction],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            try:
                self.assertEqual(proc.stdout.readline(), b"mid-transfer\n")
            finally:
                proc.kill()
                proc.wait()
                proc.stdin.close()
                proc.stdout.close()
        found = wait_entries(self.xferlog, 3)

        for entry, (direction, user) in zip(found, (("o", "guest@example.org"),
                                                    ("o", "killed@example.org"),
                                                    ("i", "killed@example.org"))):
            with self.subTest(direction=direction, user=user):
                self.assertEqual((entry["status"], entry["direction"], entry["user"]),
                                 ("i", direction, user))
        self.assertLess(int(found[0]["bytes"]), BIG_SIZE)
        self.assertLess(int(found[1]["bytes"]), BIG_SIZE)
        self.assertFalse(os.path.exists(os.path.join(root, "part.bin")))

    def test_full_disk_is_incomplete(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, hard))   # inherited by ferryd
        try:
            server, root = self.serve({"f.txt": b"x"}, "--write")
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        with login(server) as client:
            conn = client.transfercmd("STOR huge.bin")
            try:
                for _ in range(64):
                    conn.sendall(b"\0" * 65536)    # 4 MiB: more than the limit allows
            except OSError:
                pass
            conn.close()
            with self.assertRaisesRegex(ftplib.Error, "^552"):
                client.voidresp()
        (entry,) = wait_entries(self.xferlog, 1)
        self.assertEqual((entry["path"], entry["direction"], entry["status"]),
                         ("/huge.bin", "i", "i"))

    def test_twenty_concurrent_sessions_never_mix_lines(self):
        # Long names, so that lines of ~400 bytes would show any interleaving.
        name = "d" * 150 + "/" + "n" * 150 + ".bin"
        server, root = self.serve({name: PAYLOAD[:20000]}, "--write")
        start = threading.Barrier(20)
        errors = []

        def client(i):
            try:
                with login(server, password=f"client{i}@example.org") as c:
                    start.wait(30)
                    for j in range(5):
                        chunks = []
                        c.retrbinary(f"RETR {name}", chunks.append)
                        assert b"".join(chunks) == PAYLOAD[:20000]
                        c.storbinary(f"STOR up-{i}-{j}-" + "u" * 200,
                                     io.BytesIO(PAYLOAD[:777 * (j + 1)]))
            except Exception as e:      # reported below, with the others
                errors.append(f"client {i}: {e!r}")

        threads = [threading.Thread(target=client, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(errors, [])
        found = wait_entries(self.xferlog, 200)
        for i in range(20):
            mine = [e for e in found if e["user"] == f"client{i}@example.org"]
            self.assertEqual(len(mine), 10)
            self.assertEqual(sorted((e["direction"], e["path"], e["bytes"]) for e in mine),
                             sorted([("o", "/" + name, "20000")] * 5
                                    + [("i", f"/up-{i}-{j}-" + "u" * 200, str(777 * (j + 1)))
                                       for j in range(5)]))
            self.assertTrue(all(e["status"] == "c" for e in mine))

    def test_names_with_spaces_and_control_characters(self):
        server, root = self.serve({"f.txt": b"x"}, "--write")
        # A space, a terminal title escape, a backslash, NEL and LINE SEPARATOR (line breaks
        # for Unicode-aware readers), a no-break space, a byte that is not UTF-8, a tab.
        # (Not \xff: Telnet's IAC, which a client must double.)
        name = (b"a b\x1b]0;owned\x07 \\ \xc2\x85nel\xe2\x80\xa8ls\xc2\xa0nbsp\xfe\tx.txt")
        client = ftplib.FTP(timeout=30)
        client.encoding = "latin-1"          # the name's bytes as they are
        client.connect(server.host, server.port)
        client.login("anonymous", "we ird\x1b[2Jpass")
        client.storbinary("STOR " + name.decode("latin-1"), io.BytesIO(b"data"))
        got = []
        client.retrbinary("RETR " + name.decode("latin-1"), got.append)
        client.quit()
        self.assertEqual(b"".join(got), b"data")
        self.assertTrue(os.path.exists(os.path.join(root.encode(), name)))

        found = wait_entries(self.xferlog, 2)
        with open(self.xferlog, "rb") as f:
            raw = f.read()
        for byte in b"\x1b\x07\t\xfe":
            self.assertNotIn(bytes([byte]), raw)
        for entry in found:
            self.assertEqual(unescape(entry["path"]), b"/" + name)
            self.assertIn("\\x20", entry["path"])
            self.assertEqual(unescape(entry["user"]), b"we ird\x1b[2Jpass")

    def test_proxy_protocol_logs_the_real_client(self):
        server, root = self.serve({"f.txt": b"through the balancer\n"}, "--proxy-protocol",
                                  "--proxy-from", "127.0.0.1/32")
        # The test is the balancer (127.0.0.1): PROXY v1 headers for 192.0.2.77.
        control = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        control.sendall(b"PROXY TCP4 192.0.2.77 127.0.0.1 40000 21\r\n")
        replies = control.makefile("rb")

        def command(text):
            control.sendall(text.encode() + b"\r\n")
            return replies.readline()

        self.assertTrue(replies.readline().startswith(b"220"))
        self.assertTrue(command("USER anonymous").startswith(b"331"))
        self.assertTrue(command("PASS proxied@example.org").startswith(b"230"))
        port = int(re.search(rb"\|\|\|(\d+)\|", command("EPSV")).group(1))
        data = socket.create_connection(("127.0.0.1", port), timeout=30)
        data.sendall(b"PROXY TCP4 192.0.2.77 127.0.0.1 40001 21\r\n")
        self.assertTrue(command("RETR f.txt").startswith(b"150"))
        got = b""
        while chunk := data.recv(65536):
            got += chunk
        data.close()
        self.assertEqual(got, b"through the balancer\n")
        self.assertTrue(replies.readline().startswith(b"226"))
        replies.close()
        control.close()
        (entry,) = wait_entries(self.xferlog, 1)
        self.assertEqual((entry["host"], entry["user"], entry["status"]),
                         ("192.0.2.77", "proxied@example.org", "c"))

    def download(self, server, client=None):
        if client is not None:
            return sessiontest.retr_bytes(client, "f.txt")
        with login(server) as c:
            return sessiontest.retr_bytes(c, "f.txt")

    def test_sighup_after_a_rotation_reopens(self):
        # A folder the listener can still reach once it is no longer root, as /var/log.
        os.chmod(self.logs, 0o755)
        server, root = self.serve()
        self.download(server)
        wait_entries(self.xferlog, 1)
        running = login(server, password="before@example.org")   # a session that stays

        rotated = self.xferlog + ".1"
        os.rename(self.xferlog, rotated)
        make_as_logrotate(self.xferlog)
        self.reload(server)
        self.download(server)
        self.download(server)
        (new_one, _) = wait_entries(self.xferlog, 2)
        self.assertEqual(new_one["user"], "guest@example.org")
        # A session started before the reload finishes on the file it was given.
        self.download(server, running)
        running.quit()
        old = wait_entries(rotated, 2)
        self.assertEqual(old[1]["user"], "before@example.org")
        self.assertEqual(len(entries(self.xferlog)), 2)

    def test_new_file_that_cannot_be_opened_keeps_the_old_one(self):
        os.chmod(self.logs, 0o755)
        server, root = self.serve()
        self.download(server)
        wait_entries(self.xferlog, 1)
        rotated = self.xferlog + ".1"
        os.rename(self.xferlog, rotated)
        # Read-only, even for its owner: the listener, no longer root, cannot open it.
        fd = os.open(self.xferlog, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
        os.close(fd)
        self.reload(server)
        self.assertRegex(server.log_text(),
                         r"cannot open the transfer log .*" + re.escape(self.xferlog)
                         + r".*: Permission denied; sessions go on writing to the transfer log "
                         r"opened before")
        self.download(server)
        wait_entries(rotated, 2)
        self.assertEqual(os.path.getsize(self.xferlog), 0)

    def test_logrotate_with_the_shipped_snippet(self):
        ferrytest.need_program("logrotate")
        user, group = served_user()
        # /var/log/ferryd as the unit's LogsDirectory= makes it: the served user's.
        os.chmod(self.logs, 0o755)
        folder = os.path.join(self.logs, "ferryd")
        os.mkdir(folder, 0o750)
        if IS_ROOT:
            shutil.chown(folder, user, group)
        log = os.path.join(folder, "xferlog")
        make_as_logrotate(log)          # the unit's ferryd, never root, made it its own
        server, root = self.serve(xferlog=log)
        self.download(server)
        wait_entries(log, 1)

        with open(SNIPPET) as f:
            snippet = f.read()
        config = snippet
        for old, new in (("\n/var/log/ferryd/xferlog {", f"\n{log} {{"),
                         ("su ferryd ferryd", f"su {user} {group}" if IS_ROOT else ""),
                         ("create 0640 ferryd ferryd", f"create 0640 {user} {group}"),
                         ("systemctl reload ferryd.service", f"kill -HUP {server.proc.pid}")):
            self.assertEqual(config.count(old), 1, f"{old!r} in data/logrotate/ferryd")
            config = config.replace(old, new)
        conf = os.path.join(self.logs, "logrotate.conf")
        with open(conf, "w") as f:
            f.write(config)
        state = os.path.join(self.logs, "logrotate.state")

        checked = subprocess.run(["logrotate", "-d", "-s", state, conf], capture_output=True,
                                 text=True, timeout=60)
        self.assertEqual(checked.returncode, 0, checked.stderr)
        self.assertNotIn("error", checked.stderr.lower())
        before = server.log_text().count("configuration reloaded")
        rotated = subprocess.run(["logrotate", "-f", "-s", state, conf], capture_output=True,
                                 text=True, timeout=60)
        self.assertEqual(rotated.returncode, 0, rotated.stderr)
        self.assertTrue(wait_until(
            lambda: server.log_text().count("configuration reloaded") > before, 20))
        self.download(server)
        wait_entries(log, 1)
        wait_entries(log + ".1", 1)
        self.assertEqual(pwd.getpwuid(os.stat(log).st_uid).pw_name, user)

    def test_webalizer_reads_the_log(self):
        ferrytest.need_program("webalizer")
        server, root = self.serve({"f.txt": PAYLOAD, "a b.txt": PAYLOAD[:5000]}, "--write")
        with login(server) as client:
            for _ in range(3):
                sessiontest.retr_bytes(client, "f.txt")
            sessiontest.retr_bytes(client, "a b.txt")
            client.storbinary("STOR up.bin", io.BytesIO(PAYLOAD))
        wait_entries(self.xferlog, 5)
        report = os.path.join(self.logs, "report")
        os.mkdir(report)
        result = subprocess.run(["webalizer", "-F", "ftp", "-i", "-p", "-v", "-n", "ferryd",
                                 "-o", report, self.xferlog], capture_output=True, text=True,
                                timeout=120)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"\b5 records in\b", result.stdout)   # none bad
        (month,) = [n for n in os.listdir(report) if re.fullmatch(r"usage_\d{6}\.html", n)]
        with open(os.path.join(report, month), encoding="latin-1") as f:
            html = f.read()
        hits = re.search(r"Total Hits</FONT></TD>\s*<TD[^>]*><FONT[^>]*><B>(\d+)</B>", html)
        self.assertEqual(hits.group(1), "5")
        self.assertIn("/a\\x20b.txt", html)


class StartTest(unittest.TestCase):
    """A log that cannot be opened at start: one line that names it and says why; exit 2."""

    def start(self, xferlog):
        with served_tree({"f.txt": b"x"}) as root:
            return run_ferryd("--root", root, "--port", "0", "--bind", "127.0.0.1",
                              "--no-announce", "--xferlog", xferlog)

    def test_missing_folder_stops_ferryd(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "no", "xferlog")
            code, out, err = self.start(path)
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assert_one_line(err, path, "No such file or directory")

    def test_folder_that_cannot_be_written_stops_ferryd(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "xferlog")
            if not IS_ROOT:
                os.chmod(folder, 0o555)
                code, out, err = self.start(path)
                reason = "Permission denied"
            else:
                # Root writes where permissions forbid it: a read-only mount.
                mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs",
                                          folder], capture_output=True)
                if mounted.returncode != 0:
                    self.skipTest(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
                try:
                    code, out, err = self.start(path)
                    self.assertFalse(os.path.exists(path))
                finally:
                    subprocess.run(["umount", folder], check=True)
                reason = "Read-only file system"
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assert_one_line(err, path, reason)

    def assert_one_line(self, err, path, reason):
        # The quotes around the name are “” in a UTF-8 locale, ? in the C locale of tests.
        self.assertRegex(err, r"\Aferryd: cannot open the transfer log .%s.: %s\n\Z"
                         % (re.escape(path), reason))


if __name__ == "__main__":
    ferrytest.main()
