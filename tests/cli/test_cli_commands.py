# SPDX-License-Identifier: GPL-3.0-or-later
"""ferry-cli's prompt with the habits of ftp, sftp and lftp, fed as a script on stdin:
bye, ls -l and dir, wildcards in get/put/rm and mget/mput (matched on the client), !cmd,
lls, cat (escaped), reget and get -c, du, find, stat, open and close, and errors that
say in one line what failed and what to do."""
import os
import re
import subprocess
import threading
import unittest

import ferrytest
import vsftpd
from clitest import CLI, FerrydCase, PyftpdlibCase, ServerCase, cli_env, error_lines


class MoveTests:
    def test_mv_never_replaces_without_f(self):
        self.write(self.root, "a.txt", b"A")
        self.write(self.root, "b.txt", b"B")
        self.write(self.root, "photos/keep.jpg", b"K")
        result = self.cli(self.url, stdin_text="mv a.txt b.txt\nmv a.txt photos\n")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(error_lines(result), [
            "cannot rename a.txt to b.txt: “b.txt” already exists; nothing was renamed "
            "(mv -f replaces it)",
            "cannot rename a.txt to photos: “photos” already exists; nothing was renamed "
            "(mv -f replaces it)"])
        self.assertEqual(self.read(self.root, "a.txt"), b"A")
        self.assertEqual(self.read(self.root, "b.txt"), b"B")
        self.assertEqual(os.listdir(os.path.join(self.root, "photos")), ["keep.jpg"])

        result = self.cli(self.url, stdin_text="mv a.txt c.txt\nmv -f c.txt b.txt\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(os.listdir(self.root)), ["b.txt", "photos"])
        self.assertEqual(self.read(self.root, "b.txt"), b"A")


class CommandTests(MoveTests):
    def test_common_spellings(self):
        self.write(self.root, "photos/cat.jpg", b"cat")
        result = self.cli(self.url, stdin_text="ls -l photos\ndir photos\n!echo from-a-shell\n"
                                               "lls -1\nbye\npwd\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        # ls -l and dir: the long format, twice; bye ends the session before pwd.
        self.assertEqual(len(re.findall(r"(?m)^-.* 3 .*cat\.jpg$", result.stdout)), 2,
                         result.stdout)
        self.assertIn("from-a-shell\n", result.stdout)
        self.assertNotIn("/photos", result.stdout)
        self.assertEqual(error_lines(result), [])

    def test_lls_and_shell_run_locally(self):
        self.write(self.local, "here.txt", b"local")
        result = self.cli(self.url, stdin_text="lls\n!ls -1 | tr a-z A-Z\nlcd /\nlpwd\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("here.txt\n", result.stdout)
        self.assertIn("HERE.TXT\n", result.stdout)
        self.assertTrue(result.stdout.endswith("/\n"), result.stdout)

    def test_wildcards_download_what_matches(self):
        for name in ("a1.jpg", "a2.jpg", "b1.jpg", "notes.txt", ".hidden.jpg"):
            self.write(self.root, "pics/" + name, name.encode())
        os.makedirs(os.path.join(self.local, "into"))
        script = ("get pics/a*.jpg into\n"       # * in the last part, into a local folder
                  "mget pics/?1.jpg pics/*.txt\n"  # several patterns
                  "get pics/[b]1.jpg b-copy.jpg\n")  # a pattern matching one file, renamed
        result = self.cli(self.url, stdin_text=script)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(sorted(os.listdir(os.path.join(self.local, "into"))),
                         ["a1.jpg", "a2.jpg"])
        for name in ("a1.jpg", "b1.jpg", "notes.txt"):
            self.assertEqual(self.read(self.local, name), name.encode())
        # A dot-file needs a pattern starting with a dot, as in a shell.
        self.assertFalse(os.path.exists(os.path.join(self.local, ".hidden.jpg")))
        # A pattern with one match is still several files: b-copy.jpg must be a folder.
        self.assertEqual(len(error_lines(result)), 1, result.stderr)
        self.assertRegex(result.stderr, r"b-copy\.jpg is not a local folder")

    def test_wildcard_without_match_says_so(self):
        self.write(self.root, "x.txt", b"x")
        result = self.cli(self.url, stdin_text="get *.jpg\nrm *.jpg\nput *.nothing\n")
        self.assertEqual(result.returncode, 1)
        lines = error_lines(result)
        self.assertEqual(len(lines), 3, result.stderr)
        self.assertEqual(lines, [
            "cannot download *.jpg: no remote file matches (ls shows what is there)",
            "cannot delete *.jpg: no remote file matches (ls shows what is there)",
            "cannot upload *.nothing: no local file matches (lls shows what is here)"])
        self.assertTrue(os.path.exists(os.path.join(self.root, "x.txt")))

    def test_wildcards_upload_and_delete(self):
        for name in ("one.txt", "two.txt", "keep.bin"):
            self.write(self.local, name, name.encode())
        script = "mkdir up\nput *.txt up/\nmput keep.*\nrm up/t*.txt keep.bin\n"
        result = self.cli(self.url, stdin_text=script)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(os.listdir(os.path.join(self.root, "up"))), ["one.txt"])
        self.assertFalse(os.path.exists(os.path.join(self.root, "keep.bin")))

    def test_cat_escapes_control_characters(self):
        self.write(self.root, "readme.txt", b"line one\n\x1b]0;owned\x07title\x00nul\nno end")
        result = self.cli(self.url, stdin_text="cat readme.txt\npwd\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("\x1b", result.stdout)
        self.assertNotIn("\x07", result.stdout)
        self.assertEqual(result.stdout,
                         "line one\n\\x1B]0;owned\\x07title\\x00nul\nno end\n/\n")
        self.assertEqual(os.listdir(self.local), [])

    def test_reget_and_get_c_resume_a_partial_file(self):
        payload = ferrytest.all_bytes_payload(repeat=256)
        self.write(self.root, "big.bin", payload)
        self.write(self.root, "other.bin", payload[::-1])
        # What another program left: the first part of each file, under its own name.
        self.write(self.local, "big.bin", payload[:10000])
        self.write(self.local, "other.bin", payload[::-1][:20000])
        result = self.cli(self.url, stdin_text="reget big.bin\nget -c other.bin\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read(self.local, "big.bin"), payload)
        self.assertEqual(self.read(self.local, "other.bin"), payload[::-1])
        self.assertEqual(sorted(os.listdir(self.local)), ["big.bin", "other.bin"])

    def test_get_c_r_resumes_a_tree_without_fetching_again(self):
        payload = ferrytest.all_bytes_payload(repeat=256)
        remote = {"tree/whole.bin": payload, "tree/sub/part.bin": payload[::-1],
                  "tree/sub/short.bin": payload[1000:], "tree/new.bin": b"new" * 100}
        for rel, data in remote.items():
            self.write(self.root, rel, data)
        # Left by an interrupted get -r: one file whole, one NAME.part, one file cut short
        # under its own name (another program's), one not started.
        present = {"tree/whole.bin": len(payload), "tree/sub/part.bin.part": 10000,
                   "tree/sub/short.bin": 20000}
        for rel, count in present.items():
            self.write(self.local, rel, self.already_here(remote[rel.removesuffix(".part")],
                                                          count))
        result = self.cli(self.url, stdin_text="get -c -r tree\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        got = {rel: self.read(self.local, rel) for rel in remote}
        self.assertEqual(got["tree/new.bin"], remote["tree/new.bin"])
        for rel, count in (("tree/whole.bin", len(payload)), ("tree/sub/part.bin", 10000),
                           ("tree/sub/short.bin", 20000)):
            self.assertEqual(got[rel], self.already_here(remote[rel], count)
                             + remote[rel][count:], rel)
        self.assertEqual(sorted(os.listdir(os.path.join(self.local, "tree", "sub"))),
                         ["part.bin", "short.bin"])
        self.assert_sent({"/tree/new.bin": 300, "/tree/sub/part.bin": len(payload) - 10000,
                          "/tree/sub/short.bin": len(payload) - 1000 - 20000})

    def test_du_find_and_stat(self):
        self.write(self.root, "tree/a.txt", b"12345")
        self.write(self.root, "tree/sub/b.jpg", b"1234567890")
        self.write(self.root, "tree/sub/c.txt", b"1")
        result = self.cli(self.url, stdin_text="du tree\nfind tree\nfind tree *.txt\n"
                                               "stat tree/sub/b.jpg\nstat tree/sub\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("16 bytes", result.stdout)
        self.assertIn("in 3 files, 1 folders: tree", result.stdout)
        lines = result.stdout.splitlines()
        start = lines.index("tree/a.txt")
        self.assertEqual(lines[start:start + 6], ["tree/a.txt", "tree/sub/", "tree/sub/b.jpg",
                                                  "tree/sub/c.txt", "tree/a.txt",
                                                  "tree/sub/c.txt"])
        self.assertRegex(result.stdout, r"name: tree/sub/b\.jpg\n  type: file\n  size: 10 bytes")
        self.assertRegex(result.stdout, r"name: tree/sub\n  type: folder")
        self.assertRegex(result.stdout, r"modified: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d")

    def test_close_then_open(self):
        os.makedirs(os.path.join(self.root, "inside"))
        script = f"close\nls\nopen {self.open_url}inside\npwd\nopen nonsense://x\npwd\n"
        result = self.cli(self.url, stdin_text=script)
        self.assertEqual(result.returncode, 1)
        lines = error_lines(result)
        self.assertEqual(len(lines), 2, result.stderr)
        self.assertEqual(lines[0], "not connected to a server: connect with open ftp://HOST/")
        self.assertIn("nonsense://x", lines[1])
        # The failed open kept the session it had.
        self.assertEqual(re.findall(r"(?m)^/.*$", result.stdout), ["/inside", "/inside"])

    def test_errors_say_what_to_do(self):
        result = self.cli(self.url, stdin_text="get\nls -z\nfrobnicate\nget -P 99 x\n"
                                               "get missing.bin\nput missing.bin\n")
        self.assertEqual(result.returncode, 1)
        lines = error_lines(result)
        self.assertEqual(len(lines), 6, result.stderr)
        self.assertRegex(lines[0], r"^get: missing a name; usage: get .*\(example: get ")
        self.assertRegex(lines[1], r"^ls: no option -z; usage: ls .*\(example: ls ")
        self.assertRegex(lines[2], r"^frobnicate: unknown command \(type .help. for the list\)")
        self.assertRegex(lines[3], r"-P takes a number of connections from 1 to 16")
        self.assertRegex(lines[4], r"^cannot download missing\.bin: no such file.* — ls shows what "
                                   r"is there$")
        self.assertRegex(lines[5], r"^cannot upload missing\.bin: no such file or folder "
                                   r"\(lls shows what is here\)")


class CommandsPyftpdlib(CommandTests, PyftpdlibCase):
    def test_cat_shows_lines_while_the_server_still_sends(self):
        # The file is a FIFO fed by this test: pyftpdlib cannot finish sending it before the
        # test has seen ferry-cli print its first line, whatever the machine's speed.
        fifo = os.path.join(self.root, "growing.log")
        os.mkfifo(fifo)
        lines = [f"line {i} {'x' * 100}\n" for i in range(3000)]   # 330 kB: past any buffer
        # pyftpdlib reads files 64 KiB at a time (and waits for all of it): the first 80 kB
        # go out, the rest only once ferry-cli has shown the first line.
        head = 750
        seen_first = threading.Event()
        first_before_rest = []

        def feed():
            with open(fifo, "w") as f:   # waits for pyftpdlib's RETR to open it
                f.writelines(lines[:head])
                f.flush()
                first_before_rest.append(seen_first.wait(60))
                f.writelines(lines[head:])

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        with ferrytest.Pyftpdlib(self.root, handler_settings={"use_sendfile": False}) as server:
            cli = subprocess.Popen([CLI, "--user", server.user, server_url(server)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, cwd=self.local,
                                   env=cli_env(FERRY_PASSWORD=server.password),
                                   start_new_session=True)
            try:
                cli.stdin.write("cat growing.log\n")
                cli.stdin.close()
                first = cli.stdout.readline()
                seen_first.set()
                rest = cli.stdout.read()
                cli.wait(60)
            finally:
                cli.kill()
                cli.wait()
                errors = cli.stderr.read()
                cli.stderr.close()
                cli.stdout.close()
        feeder.join(60)
        self.assertEqual(first, lines[0], errors)
        self.assertEqual(first_before_rest, [True])
        self.assertEqual(first + rest, "".join(lines))
        self.assertEqual(cli.returncode, 0)
        self.assertEqual(os.listdir(self.local), [])

    @staticmethod
    def already_here(data, count):
        # Not the server's bytes (pyftpdlib offers no HASH to object): a byte fetched again
        # would show in the result.
        return b"L" * count

    def assert_sent(self, expected):
        pass   # the bytes kept above prove it

    def test_manual_documents_every_command(self):
        result = self.cli(self.url, stdin_text="help\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        commands = re.findall(r"(?m)^  (\S+)", result.stdout)
        self.assertGreater(len(commands), 25)
        manual_path = os.path.join(os.environ.get("FERRY_SOURCE_ROOT", "."), "data",
                                   "ferry-cli.1")
        with open(manual_path) as f:
            manual = f.read()
        prompt_section = manual.split(".SH PROMPT COMMANDS")[1].split(".SH OPTIONS")[0]
        for command in commands:
            name = "!" if command.startswith("!") else command
            self.assertRegex(prompt_section, r"\\fB" + re.escape(name) + r"|\.B " +
                             re.escape(name), command)

    @property
    def open_url(self):
        return f"ftp://{self.server.user}:{self.server.password}@127.0.0.1:{self.server.port}/"


def server_url(server):
    return f"ftp://127.0.0.1:{server.port}/"


class CommandsFerryd(CommandTests, FerrydCase):
    @staticmethod
    def already_here(data, count):
        # The server's own bytes: the engine checks each file against ferryd's HASH.
        return data[:count]

    def assert_sent(self, expected):
        # ferryd's transfer log: what each RETR sent, and nothing for the whole file.
        def sent():
            return {m.group(1): int(m.group(2)) for m in re.finditer(
                r"RETR (\S+) (\d+) bytes in", self.server.log_text().decode())}
        self.assertTrue(ferrytest.wait_until(lambda: sent() == expected, timeout=30),
                        f"{sent()} != {expected}")

    @property
    def open_url(self):
        return self.url


VSFTPD_OK, VSFTPD_WHY = vsftpd.available()
VSFTPD_USER = "ferryclimv"
VSFTPD_PASSWORD = "mv-secret"


@unittest.skipUnless(VSFTPD_OK, VSFTPD_WHY)
class MoveVsftpd(MoveTests, ServerCase):
    """vsftpd's RNTO replaces what is there, as most servers' does."""

    def start_server(self, root):
        os.chmod(root, 0o755)
        server = vsftpd.Vsftpd(root, write=True, user=VSFTPD_USER,
                               password=VSFTPD_PASSWORD).start()
        self.url = f"ftp://127.0.0.1:{server.port}/"
        self.login = ["--user", VSFTPD_USER]
        self.login_env = {"FERRY_PASSWORD": VSFTPD_PASSWORD}
        return server

    def prepare_root(self):
        ferrytest.give_to(self.root, VSFTPD_USER)


if __name__ == "__main__":
    ferrytest.main()
