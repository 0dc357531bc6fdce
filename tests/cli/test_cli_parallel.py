# SPDX-License-Identifier: GPL-3.0-or-later
"""get -r and put -r move several files at once over several connections (-P N, default 4),
and -v prints a line per file. Against a bandwidth-limited pyftpdlib, so the connections are
open long enough to be counted (ss), and against ferryd for the result."""
import os
import re
import subprocess
import time

import ferrytest
from clitest import CLI, FerrydCase, ServerCase, ThrottledPyftpdlib, cli_env, error_lines

# Larger than a second's worth of the throttle: pyftpdlib lets a smaller file through at once.
TREE = {f"set-{i % 2}/file-{i}.bin": os.urandom(80 * 1024) for i in range(6)}


def control_connections(port):
    """The established TCP connections to the server's control port."""
    out = subprocess.run(["ss", "-Htn", "state", "established", "dst", f"127.0.0.1:{port}"],
                         capture_output=True, text=True).stdout
    return len([line for line in out.splitlines() if line.strip()])


class ParallelPyftpdlib(ServerCase):
    def start_server(self, root):
        # 32 KiB/s per connection: each file takes about two seconds.
        server = ThrottledPyftpdlib(root, rate=32 * 1024).start()
        self.url = f"ftp://127.0.0.1:{server.port}/"
        self.login = ["--user", server.user]
        self.login_env = {"FERRY_PASSWORD": server.password}
        return server

    def run_counting(self, *args):
        """Runs ferry-cli; returns (result, the most control connections seen at once)."""
        self.prepare_root()
        proc = subprocess.Popen([CLI, *self.login, *args], cwd=self.local,
                                env=cli_env(**self.login_env), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.addCleanup(proc.kill)
        most = 0
        while proc.poll() is None:
            most = max(most, control_connections(self.server.port))
            time.sleep(0.05)
        stdout, stderr = proc.communicate()
        return proc.returncode, stdout, stderr, most

    def test_get_r_over_three_connections(self):
        for rel, data in TREE.items():
            self.write(self.root, "tree/" + rel, data)
        code, stdout, stderr, most = self.run_counting("-P", "3", "-v", "get", "-r",
                                                       self.url + "tree")
        self.assertEqual(code, 0, stderr)
        # The session's own connection and three for the files.
        self.assertEqual(most, 4)
        for rel, data in TREE.items():
            self.assertEqual(self.read(self.local, "tree/" + rel), data)
        # -v: one line per file, relative to the folder.
        self.assertEqual(sorted(stdout.splitlines()), sorted(TREE))

    def test_put_r_over_the_default_four(self):
        for rel, data in TREE.items():
            self.write(self.local, "up/" + rel, data)
        code, stdout, stderr, most = self.run_counting("put", "-r",
                                                       os.path.join(self.local, "up"),
                                                       self.url + "up")
        self.assertEqual(code, 0, stderr)
        self.assertEqual(most, 5)
        self.assertEqual(stdout, "")
        for rel, data in TREE.items():
            self.assertEqual(self.read(self.root, "up/" + rel), data)


class ParallelFerryd(FerrydCase):
    def test_prompt_get_r_and_put_r_with_p(self):
        tree = {f"d{i % 3}/sub/f{i}.txt": f"file {i}\n".encode() * (i + 1) for i in range(30)}
        for rel, data in tree.items():
            self.write(self.root, "src/" + rel, data)
        script = "get -r -P 2 src\nput -r -P 8 src copy\nget -r -P 0 src\n"
        result = self.cli(self.url, stdin_text=script)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(error_lines(result)), 1, result.stderr)
        self.assertRegex(result.stderr, r"-P takes a number of connections from 1 to 16")
        for rel, data in tree.items():
            self.assertEqual(self.read(self.local, "src/" + rel), data)
            self.assertEqual(self.read(self.root, "copy/" + rel), data)


if __name__ == "__main__":
    ferrytest.main()
