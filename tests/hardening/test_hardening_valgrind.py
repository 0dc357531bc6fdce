# SPDX-License-Identifier: GPL-3.0-or-later
"""valgrind memcheck on ferryd's session: a scripted ftplib dialogue (browse, list, download,
upload, rename, delete, folders, a refused path escape, ABOR, QUIT) against one real session
(one-session.c runs ferryd_session_run in its own process, from start to exit, under
valgrind). The session must end with 0 bytes "definitely lost" and no memory errors."""
import ftplib
import io
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import ferrytest
from hardeningtest import memcheck_command, memcheck_failures
from sessiontest import retr_bytes

PAYLOAD = ferrytest.all_bytes_payload(1024)
ONE_SESSION = os.path.join(os.environ.get("FERRY_BUILD_ROOT", "."), "tests", "hardening",
                           "one-session")


@unittest.skipIf(shutil.which("valgrind") is None,
                 "valgrind is not installed (Debian package: valgrind)")
class ValgrindTest(unittest.TestCase):
    def test_session_has_no_definite_leaks(self):
        if not os.path.exists(ONE_SESSION):
            self.fail(f"{ONE_SESSION} is not built")
        with ferrytest.temp_tree({"f.bin": PAYLOAD, "sub/g.txt": b"g",
                                  "big.bin": os.urandom(8 << 20)}) as root, \
                tempfile.NamedTemporaryFile(prefix="ferry-valgrind-", suffix=".log") as log:
            cmd = memcheck_command(log.name)
            env = dict(os.environ, G_SLICE="always-malloc")
            proc = subprocess.Popen(cmd + [ONE_SESSION, root], stdout=subprocess.PIPE,
                                    env=env)
            try:
                line = proc.stdout.readline().decode()
                port = int(re.search(r":(\d+)/", line).group(1))
                self.dialogue(port)
                code = proc.wait(120)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                proc.stdout.close()
            text = log.read().decode(errors="replace")
        self.assertEqual(memcheck_failures(text, code), [], text[-4000:])
        self.assertEqual(code, 0, text[-4000:])

    def dialogue(self, port):
        client = ftplib.FTP(timeout=120)
        client.connect("127.0.0.1", port)
        client.login()
        client.sendcmd("FEAT")
        client.sendcmd("OPTS UTF8 ON")
        self.assertIn("f.bin", client.nlst())
        lines = []
        client.retrlines("LIST", lines.append)
        client.retrlines("MLSD sub", lines.append)
        client.sendcmd("MLST f.bin")
        client.sendcmd("SIZE f.bin")
        client.sendcmd("MDTM f.bin")
        self.assertEqual(retr_bytes(client, "f.bin"), PAYLOAD)
        client.sendcmd("TYPE A")
        retr_bytes(client, "sub/g.txt")
        client.sendcmd("TYPE I")
        client.storbinary("STOR up.bin", io.BytesIO(PAYLOAD))
        client.storbinary("APPE up.bin", io.BytesIO(PAYLOAD))
        client.rename("up.bin", "sub/moved.bin")
        self.assertEqual(retr_bytes(client, "sub/moved.bin"), PAYLOAD * 2)
        client.delete("sub/moved.bin")
        client.mkd("made")
        client.cwd("made")
        client.cwd("..")
        client.rmd("made")
        for bad in ("../../etc/passwd", "sub/../../x", "nope.bin"):
            with self.assertRaises(ftplib.error_perm):
                retr_bytes(client, bad)
        conn = client.transfercmd("RETR big.bin")
        conn.recv(65536)
        client.abort()
        conn.close()
        try:
            client.voidresp()
        except ftplib.Error:
            pass
        client.sendcmd("REST 100")
        self.assertEqual(retr_bytes(client, "f.bin"), PAYLOAD[100:])
        client.sendcmd("STAT")
        client.quit()


if __name__ == "__main__":
    ferrytest.main()
