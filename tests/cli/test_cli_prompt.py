# SPDX-License-Identifier: GPL-3.0-or-later
"""ferry-cli's prompt fed a script on stdin (no terminal): cd, ls, get, put, mkdir, mv, rm,
rmdir, lcd, pwd, lpwd, and errors that print one line while the script goes on."""
import os
import re
import signal
import subprocess

import ferrytest
from clitest import CLI, FerrydCase, PyftpdlibCase, cli_env, error_lines

PAYLOAD = ferrytest.all_bytes_payload(repeat=512)


class PromptTests:
    def test_script_of_commands(self):
        self.write(self.root, "start/remote.bin", PAYLOAD)
        self.write(self.root, "start/old name.txt", b"rename me")
        self.write(self.root, "start/doomed.txt", b"delete me")
        os.makedirs(os.path.join(self.root, "start/empty"))
        self.write(self.local, "work/upload.bin", PAYLOAD[::-1])
        script = "\n".join([
            "# comments and blank lines are skipped",
            "",
            "pwd",
            "cd start",
            "pwd",
            "ls",
            "lcd work",
            "lpwd",
            "get remote.bin",
            "get remote.bin \"copy of remote.bin\"",
            "put upload.bin",
            "put upload.bin 'second upload.bin'",
            "mkdir made",
            "put upload.bin made/inside.bin",
            "mv \"old name.txt\" made/renamed.txt",
            "rm doomed.txt",
            "rmdir empty",
            "cd ..",
            "pwd",
            "quit",
            "pwd",   # after quit: must not run
        ]) + "\n"
        result = self.cli(self.url, stdin_text=script)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")

        out = result.stdout.splitlines()
        self.assertEqual(out[0], "/")
        self.assertEqual(out[1], "/start")
        listing = out[2:6]
        self.assertEqual([line.split("  ")[-1] for line in listing],
                         ["doomed.txt", "empty/", "old name.txt", "remote.bin"])
        self.assertEqual(out[6], os.path.join(os.path.realpath(self.local), "work"))
        self.assertEqual(out[-1], "/")
        self.assertNotIn("/start", out[7:])

        work = os.path.join(self.local, "work")
        self.assertEqual(self.read(work, "remote.bin"), PAYLOAD)
        self.assertEqual(self.read(work, "copy of remote.bin"), PAYLOAD)
        start = os.path.join(self.root, "start")
        self.assertEqual(self.read(start, "upload.bin"), PAYLOAD[::-1])
        self.assertEqual(self.read(start, "second upload.bin"), PAYLOAD[::-1])
        self.assertEqual(self.read(start, "made/inside.bin"), PAYLOAD[::-1])
        self.assertEqual(self.read(start, "made/renamed.txt"), b"rename me")
        self.assertEqual(sorted(os.listdir(start)),
                         ["made", "remote.bin", "second upload.bin", "upload.bin"])

    def test_errors_print_one_line_and_the_script_goes_on(self):
        self.write(self.root, "here.txt", b"here")
        script = "get missing.txt\ncd nowhere\nfrobnicate\nget\nget here.txt\n"
        result = self.cli(self.url, stdin_text=script)
        # A script whose commands failed exits with 1, after running all of them.
        self.assertEqual(result.returncode, 1)
        lines = error_lines(result)
        self.assertEqual(len(lines), 4, result.stderr)
        self.assertIn("missing.txt", lines[0])
        self.assertIn("550", lines[0])
        self.assertIn("nowhere", lines[1])
        self.assertIn("frobnicate", lines[2])
        self.assertIn("get", lines[3])
        self.assertEqual(self.read(self.local, "here.txt"), b"here")
        self.assertFalse(os.path.exists(os.path.join(self.local, "missing.txt")))
        self.assertFalse(os.path.exists(os.path.join(self.local, "missing.txt.part")))

    def test_end_of_input_ends_the_session(self):
        result = self.cli(self.url, stdin_text="pwd")   # no newline, no quit
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "/\n")

    def test_recursive_get_and_put_at_the_prompt(self):
        tree = {"a.txt": b"a", "sub/b.bin": PAYLOAD, "sub/deeper/c.txt": b"c"}
        for rel, data in tree.items():
            self.write(self.root, "remote-tree/" + rel, data)
        script = "get -r remote-tree\nmkdir copy\ncd copy\nput -r remote-tree\n"
        result = self.cli(self.url, stdin_text=script)
        self.assertEqual(result.returncode, 0, result.stderr)
        for rel, data in tree.items():
            self.assertEqual(self.read(self.local, "remote-tree/" + rel), data)
            self.assertEqual(self.read(self.root, "copy/remote-tree/" + rel), data)

    def test_help_lists_every_command(self):
        result = self.cli(self.url, stdin_text="help\nhelp get\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        for command in ("ls", "dir", "cd", "pwd", "get", "reget", "mget", "put", "mput", "cat",
                        "mirror", "mkdir", "rm", "rmdir", "mv", "stat", "du", "find", "open",
                        "close", "lcd", "lpwd", "lls", "!", "help", "quit", "exit", "bye"):
            self.assertRegex(result.stdout, rf"(?m)^  {re.escape(command)}(\s|\[|COMMAND)")
        # "help get": the usage and an example to copy.
        self.assertIn("get [-r] [-c] [-v] [-P N] NAME|PATTERN [LOCAL]", result.stdout)
        self.assertRegex(result.stdout, r"(?m)^  example: get \S")


class PromptPyftpdlib(PromptTests, PyftpdlibCase):
    def test_ctrl_c_stops_a_script_waiting_for_input(self):
        # The pipe stays open: ferry-cli waits for the next line when SIGINT comes.
        proc = subprocess.Popen([CLI, *self.login, self.url], cwd=self.local,
                                env=cli_env(**self.login_env), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        self.addCleanup(proc.kill)
        proc.stdin.write(b"pwd\n")
        proc.stdin.flush()
        self.assertEqual(proc.stdout.readline(), b"/\n")
        proc.send_signal(signal.SIGINT)
        # stdin stays open until ferry-cli has ended: an end of input would end it too.
        self.assertEqual(proc.wait(timeout=20), 1)
        self.assertEqual(proc.stderr.read().decode().strip(), "Interrupted")
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()

    def test_start_folder_from_url(self):
        os.makedirs(os.path.join(self.root, "deep/er"))
        result = self.cli(self.url + "deep/er", stdin_text="pwd\ncd\npwd\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines(), ["/deep/er", "/deep/er"])


class PromptFerryd(PromptTests, FerrydCase):
    pass


if __name__ == "__main__":
    ferrytest.main()
