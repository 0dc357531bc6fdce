# SPDX-License-Identifier: GPL-3.0-or-later
"""The client under faults: the server killed with SIGKILL in the middle of a download
(ferry-cli get) gives a clear error and keeps NAME.part; a later get resumes it (REST) and
the file comes out byte-exact. The server is pyftpdlib with a throttled data channel, so the
download is surely in flight when it dies."""
import os
import signal
import subprocess
import tempfile
import textwrap
import unittest

import ferrytest
from ferrytest import wait_until

FERRY_CLI = os.environ.get("FERRY_CLI")
PAYLOAD = os.urandom(24 << 20)

THROTTLED_SERVER = textwrap.dedent("""
    import sys
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler
    from pyftpdlib.servers import FTPServer
    a = DummyAuthorizer()
    a.add_anonymous(sys.argv[1])
    dtp = ThrottledDTPHandler
    dtp.write_limit = int(sys.argv[3])   # bytes a second the server sends
    h = FTPHandler
    h.authorizer = a
    h.dtp_handler = dtp
    FTPServer(("127.0.0.1", int(sys.argv[2])), h).serve_forever()
""")


def start_server(root, port, bytes_per_second):
    proc = subprocess.Popen(["/usr/bin/python3", "-c", THROTTLED_SERVER, root, str(port),
                             str(bytes_per_second)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ferrytest.wait_for_port("127.0.0.1", port)
    return proc


@unittest.skipIf(FERRY_CLI is None or not os.path.exists(FERRY_CLI),
                 "ferry-cli is not built in this build folder")
class ServerKilledTest(unittest.TestCase):
    def test_server_killed_mid_download_then_resume(self):
        with ferrytest.temp_tree({"big.bin": PAYLOAD}) as root, \
                tempfile.TemporaryDirectory() as dest:
            port = ferrytest.free_port()
            server = start_server(root, port, 1 << 20)
            url = f"ftp://127.0.0.1:{port}/big.bin"
            part = os.path.join(dest, "big.bin.part")
            cli = subprocess.Popen([FERRY_CLI, "--quiet", "get", url, dest],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                self.assertTrue(wait_until(
                    lambda: os.path.exists(part) and os.path.getsize(part) >= 2 << 20, 20),
                    "no .part growing while downloading")
                server.send_signal(signal.SIGKILL)
                server.wait()
                out, err = cli.communicate(timeout=60)
            finally:
                if cli.poll() is None:
                    cli.kill()
                    cli.wait()
            self.assertEqual(cli.returncode, 1, err)
            self.assertTrue(err.strip(), "no error message")
            self.assertNotIn(b"Traceback", err)
            self.assertFalse(os.path.exists(os.path.join(dest, "big.bin")))
            self.assertTrue(os.path.exists(part), os.listdir(dest))
            kept = os.path.getsize(part)
            self.assertGreater(kept, 0)
            self.assertLess(kept, len(PAYLOAD))
            with open(part, "rb") as f:
                self.assertEqual(f.read(), PAYLOAD[:kept])

            # Later, the server is back: the download resumes and completes.
            server = start_server(root, port, 1 << 30)
            try:
                result = subprocess.run([FERRY_CLI, "--quiet", "get", url, dest],
                                        capture_output=True, timeout=120)
            finally:
                server.kill()
                server.wait()
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(os.path.join(dest, "big.bin"), "rb") as f:
                self.assertEqual(f.read(), PAYLOAD)
            self.assertFalse(os.path.exists(part))
            print(f"killed at {kept} of {len(PAYLOAD)} bytes; "
                  f"error: {err.decode(errors='replace').strip()}", flush=True)


if __name__ == "__main__":
    ferrytest.main()
