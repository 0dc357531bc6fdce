"""valgrind memcheck on ferryd's sessions: a scripted ftplib dialogue (browse, download,
upload, rename, delete, a failed path escape, QUIT) against a ferryd whose listener and
session processes all run under valgrind (--trace-children=yes follows the session
processes ferryd spawns). Every process must end with 0 bytes "definitely lost"."""
import glob
import ftplib
import io
import os
import re
import shutil
import signal
import tempfile
import time
import unittest

import ferrytest
from hardeningtest import Server, ftp, retr_bytes, served_tree, wait_until

PAYLOAD = ferrytest.all_bytes_payload(256)
GLIB_SUPPRESSIONS = "/usr/share/glib-2.0/valgrind/glib.supp"


@unittest.skipIf(shutil.which("valgrind") is None,
                 "valgrind is not installed (Debian package: valgrind)")
class ValgrindTest(unittest.TestCase):
    def test_session_has_no_definite_leaks(self):
        logs = tempfile.mkdtemp(prefix="ferry-valgrind-")
        os.chmod(logs, 0o1777)       # the session processes run as the folder's owner
        self.addCleanup(shutil.rmtree, logs)
        valgrind = [shutil.which("valgrind"), "--tool=memcheck", "--trace-children=yes",
                    "--leak-check=full", "--errors-for-leak-kinds=definite",
                    "--error-exitcode=99", f"--log-file={logs}/vg.%p.log"]
        if os.path.exists(GLIB_SUPPRESSIONS):
            valgrind.append(f"--suppressions={GLIB_SUPPRESSIONS}")
        env = {"G_SLICE": "always-malloc", "ASAN_OPTIONS": ""}
        with served_tree({"f.bin": PAYLOAD, "sub/g.txt": b"g"}) as root:
            server = Server(root, "--write", env=env, start_timeout=120)
            server.args = list(server.args)
            cmd_prefix = valgrind
            server.start = _start_under(server, cmd_prefix)
            server.start()
            try:
                # Under valgrind the first session process takes seconds to be ready.
                client = wait_until(lambda: _login(server), timeout=90, interval=0.5)
                self.assertIsNotNone(client, "no session process became ready")
                with client:
                    self.assertIn("f.bin", client.nlst())
                    lines = []
                    client.retrlines("LIST", lines.append)
                    client.retrlines("MLSD", lines.append)
                    self.assertEqual(retr_bytes(client, "f.bin"), PAYLOAD)
                    client.storbinary("STOR up.bin", io.BytesIO(PAYLOAD))
                    client.rename("up.bin", "sub/moved.bin")
                    self.assertEqual(retr_bytes(client, "sub/moved.bin"), PAYLOAD)
                    client.delete("sub/moved.bin")
                    client.mkd("made")
                    client.rmd("made")
                    with self.assertRaises(ftplib.error_perm):
                        retr_bytes(client, "../../etc/passwd")
                    client.sendcmd("SIZE f.bin")
                    client.sendcmd("MDTM f.bin")
                    client.sendcmd("STAT")
                # The session ends (and valgrind writes its leak summary) after QUIT.
                self.assertTrue(wait_until(lambda: len(_summaries(logs)) >= 1, 60))
            finally:
                server.stop(signal.SIGTERM, timeout=60)
            summaries = _summaries(logs)
            for path in glob.glob(os.path.join(logs, "vg.*.log")):
                with open(path) as f:
                    self.assertNotRegex(f.read(), r"Invalid (read|write|free)|uninitialised",
                                        path)
            print(f"valgrind: {len(summaries)} processes checked: {summaries}", flush=True)
            # The listener and at least the one session that served the dialogue.
            self.assertGreaterEqual(len(summaries), 2, os.listdir(logs))
            self.assertEqual([n for n in summaries.values() if n != 0], [], summaries)


def _login(server):
    try:
        return ftp(server, timeout=120)
    except ftplib.error_temp:
        return None


def _summaries(logs):
    """{log name: bytes definitely lost} for every process that has ended."""
    found = {}
    for path in glob.glob(os.path.join(logs, "vg.*.log")):
        with open(path) as f:
            text = f.read()
        lost = re.search(r"definitely lost: ([\d,]+) bytes", text)
        if lost:
            found[os.path.basename(path)] = int(lost.group(1).replace(",", ""))
        elif "All heap blocks were freed" in text:
            found[os.path.basename(path)] = 0
    return found


def _start_under(server, prefix):
    """server.start, with ferryd run under prefix (valgrind and its options)."""
    import subprocess

    def start():
        server.log = tempfile.NamedTemporaryFile(prefix="ferryd-log-")
        log_fd = os.open(server.log.name, os.O_WRONLY | os.O_APPEND)
        cmd = prefix + [ferrytest.FERRYD, "--root", server.root, "--bind", server.host,
                        "--port", "0"] + server.args
        try:
            server.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log_fd,
                                           env=server.env)
        finally:
            os.close(log_fd)
        deadline = time.monotonic() + server.start_timeout
        while time.monotonic() < deadline:
            line = server.proc.stdout.readline()
            if not line:
                break
            match = ferrytest._URL_PORT.search(line)
            if match:
                server.port = int(match.group(1))
                return server
        raise RuntimeError(f"ferryd under valgrind did not start: {server.log_text()}")
    return start


if __name__ == "__main__":
    ferrytest.main()
