# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd --status-fd: one JSON object per line about what clients do (listening, connect,
login, transfer-start, transfer-end, disconnect), written by the listener and the session
processes to one pipe, never interleaved, never blocking the server."""
import ftplib
import io
import json
import os
import threading
import time
import unittest

import ferrytest
from ferrydproc import run_ferryd
from ferrytest import served_tree, wait_until


class StatusPipe:
    """A pipe for --status-fd and a thread reading its lines as JSON."""

    def __init__(self):
        self.read_end, self.write_end = os.pipe()
        self.events = []
        self.raw = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        with os.fdopen(self.read_end, "rb") as f:
            for line in f:
                self.raw.append(line)
                self.events.append(json.loads(line))

    def kinds(self, pid=None):
        return [e["event"] for e in self.events if pid is None or e["pid"] == pid]


class StatusServer(ferrytest.Ferryd):
    def __init__(self, root, status, *args):
        super().__init__(root, "--status-fd", str(status.write_end), *args,
                         pass_fds=(status.write_end,))
        self.status = status

    def start(self):
        try:
            return super().start()
        finally:
            os.close(self.status.write_end)   # ferryd holds the only writer: EOF at its end


class StatusChannel(unittest.TestCase):
    def test_events_of_a_download_and_an_upload(self):
        status = StatusPipe()
        with served_tree({"a.txt": b"hello"}) as root, \
                StatusServer(root, status, "--write") as server:
            ftp = ftplib.FTP()
            ftp.connect("127.0.0.1", server.port)
            ftp.login()
            ftp.retrbinary("RETR a.txt", io.BytesIO().write)
            name = 'odd "name"\\.txt'
            ftp.storbinary(f"STOR {name}", io.BytesIO(b"x" * 1000))
            ftp.quit()
            self.assertTrue(wait_until(lambda: "disconnect" in status.kinds()), status.raw)
        status.thread.join(10)

        listening = status.events[0]
        self.assertEqual(listening["event"], "listening")
        self.assertEqual(listening["port"], server.port)
        self.assertEqual(listening["pid"], server.proc.pid)
        session = [e for e in status.events if e["event"] == "connect"][0]["pid"]
        self.assertNotEqual(session, server.proc.pid)
        self.assertEqual(status.kinds(session),
                         ["connect", "login", "transfer-start", "transfer-end",
                          "transfer-start", "transfer-end", "disconnect"])
        by_session = [e for e in status.events if e["pid"] == session]
        self.assertEqual(by_session[0]["peer"], "127.0.0.1")
        self.assertEqual(by_session[1]["user"], "anonymous")
        self.assertEqual(by_session[2]["direction"], "download")
        self.assertEqual(by_session[2]["path"], "/a.txt")
        self.assertEqual(by_session[2]["size"], 5)
        self.assertEqual(by_session[3]["bytes"], 5)
        self.assertEqual(by_session[3]["outcome"], "ok")
        self.assertEqual(by_session[4]["direction"], "upload")
        # Escaped as in the log first (a backslash doubled, unprintable bytes as \xNN).
        self.assertEqual(by_session[5]["path"], "/" + name.replace("\\", "\\\\"))
        self.assertEqual(by_session[5]["bytes"], 1000)

    def test_many_sessions_at_once_never_interleave(self):
        status = StatusPipe()
        with served_tree({"a.txt": b"hello"}) as root, StatusServer(root, status) as server:
            def client():
                for _ in range(5):
                    with ftplib.FTP() as ftp:
                        ftp.connect("127.0.0.1", server.port)
                        ftp.login()
                        ftp.retrbinary("RETR a.txt", io.BytesIO().write)
            threads = [threading.Thread(target=client) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            self.assertTrue(wait_until(lambda: status.kinds().count("disconnect") == 40, 10),
                            status.kinds().count("disconnect"))
        status.thread.join(10)
        # Every line parsed as JSON in the reader (it would have raised otherwise).
        self.assertEqual(status.kinds().count("transfer-end"), 40)

    def test_a_reader_that_does_not_read_never_stalls_the_server(self):
        read_end, write_end = os.pipe()
        status = StatusPipe.__new__(StatusPipe)
        status.write_end = write_end
        with served_tree({"a.txt": b"hello"}) as root, StatusServer(root, status) as server:
            start = time.monotonic()
            for _ in range(60):   # ~200 bytes a line: past the 64 KiB a pipe holds
                with ftplib.FTP() as ftp:
                    ftp.connect("127.0.0.1", server.port)
                    ftp.login()
                    ftp.retrbinary("RETR a.txt", io.BytesIO().write)
            self.assertLess(time.monotonic() - start, 60)
        os.close(read_end)

    def test_a_descriptor_that_is_not_open_is_refused(self):
        code, out, err = run_ferryd("--status-fd", "57", "--port", "0", "--bind", "127.0.0.1")
        self.assertEqual(code, 2)
        self.assertIn("--status-fd 57", err)
        code, out, err = run_ferryd("--status-fd", "2")
        self.assertEqual(code, 2)
        self.assertIn("status-fd", err)


if __name__ == "__main__":
    ferrytest.main()
