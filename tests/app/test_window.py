# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs test-window (a real FerryWindow driven through its actions) against real servers:
pyftpdlib always, and ferryd when it is built. The C program does the checking; this file
starts the servers, builds their folders and gives the program a display and a session bus.

Usage (meson does this): test_window.py PATH-TO-test-window
"""
import os
import subprocess
import sys
import unittest

import ferryapptest
import ferrytest

TEST_WINDOW = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ.get("FERRY_TEST_WINDOW")
FERRYD = os.environ.get("FERRYD")
SCREENSHOTS = os.environ.get("FERRY_TEST_SCREENSHOTS")
BIG_FILE_SIZE = 8 << 30   # sparse: costs no disk on the server side
# Its breadcrumbs are far wider than the window (test-window.c checks they scroll).
DEEP_FOLDER = ("Backups/2019/projects/ferry-desktop-client/design-documents/reviews/"
               "second-round/attachments/screenshots/final-versions/approved")


def server_tree():
    return {
        "report.bin": ferrytest.all_bytes_payload(2048),
        "notes.txt": b"Ferry moves files.\n" * 100,
        "photos/beach.jpg": b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40,
        ".hidden": b"not for listing\n",
        # Everyday names, so the screenshots look like a real share.
        "Documents/letter.odt": b"PK\x03\x04" + b"\0" * 20000,
        "Music/": None,
        "presentation.pdf": b"%PDF-1.7\n" + b"\0" * 2_400_000,
        "budget-2026.ods": b"PK\x03\x04" + b"\0" * 48000,
        "holiday.tar.gz": b"\x1f\x8b" + b"\0" * 700_000,
        "README.md": b"# Shared files\n",
        DEEP_FOLDER + "/minutes.txt": b"Long paths must not widen the window.\n",
    }


def add_big_file(root):
    with open(os.path.join(root, "big.bin"), "wb") as f:
        f.truncate(BIG_FILE_SIZE)


def add_user(users, name, password):
    """ferryd --add-user writes the hash itself (it reads the password twice from stdin)."""
    subprocess.run([FERRYD, "--users", users, "--add-user", name],
                   input=f"{password}\n{password}\n".encode(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)


class WindowAgainstServers(unittest.TestCase):
    def setUp(self):
        missing = ferryapptest.missing_tools()
        if missing:
            self.skipTest(f"missing {', '.join(missing)}")
        if not TEST_WINDOW:
            self.skipTest("test-window was not built")

    def run_program(self, scratch, url, bad_url, root, **extra):
        refused = f"ftp://127.0.0.1:{ferrytest.free_port()}/"
        env = ferryapptest.gui_env(scratch, FERRY_TEST_URL=url, FERRY_TEST_BAD_URL=bad_url,
                                   FERRY_TEST_REFUSED_URL=refused, FERRY_TEST_ROOT=root,
                                   TMPDIR=scratch, **extra)
        if SCREENSHOTS:
            env["FERRY_TEST_SCREENSHOTS"] = SCREENSHOTS
        code, output = ferryapptest.run_cmocka_in_session(self, [TEST_WINDOW], env, timeout=300)
        sys.stdout.write(output)
        self.assertEqual(code, 0, "test-window failed (its output is above)")

    def test_against_pyftpdlib(self):
        with ferryapptest.scratch_dir() as scratch, \
                ferrytest.temp_tree(server_tree()) as root:
            add_big_file(root)
            with ferrytest.Pyftpdlib(root, user="ann", password="s3cret") as server:
                base = f"127.0.0.1:{server.port}/"
                # pyftpdlib lists dot-files (ferryd does not, unless --show-hidden).
                self.run_program(scratch, f"ftp://ann:s3cret@{base}",
                                 f"ftp://ann:wrong@{base}", root,
                                 FERRY_TEST_SERVER_PID=server.proc.pid,
                                 FERRY_TEST_LISTS_HIDDEN="1")

    def test_against_ferryd(self):
        if not FERRYD or not os.path.exists(FERRYD):
            self.skipTest("ferryd was not built")
        with ferryapptest.scratch_dir() as scratch, \
                ferrytest.temp_tree(server_tree()) as root:
            add_big_file(root)
            users = os.path.join(scratch, "users")
            add_user(users, "ann", "s3cret")
            # The session reads it after dropping to the folder's owner.
            os.chmod(scratch, 0o755)
            os.chmod(users, 0o644)
            cert, key = ferrytest.make_certificate(scratch)
            with ferrytest.Ferryd(root, "--write", "--users", users,
                                  "--tls-cert", cert, "--tls-key", key) as server:
                base = f"127.0.0.1:{server.port}/"
                self.run_program(scratch, f"ftp://ann:s3cret@{base}",
                                 f"ftp://ann:wrong@{base}", root,
                                 FERRY_TEST_TLS_URL=f"ftps://ann:s3cret@{base}",
                                 FERRY_TEST_SERVER_HASH="1")

    def test_big_batch_over_three_passive_ports(self):
        """Issue 17 item 5: a batch of many small files from a server that has only three
        passive ports. Data connections then fail now and then (425, refused): the window
        must retry them and get every file, byte for byte. FERRY_TEST_BATCH_FILES changes
        the size of the batch (the note measured 2,000)."""
        if not FERRYD or not os.path.exists(FERRYD):
            self.skipTest("ferryd was not built")
        n_files = int(os.environ.get("FERRY_TEST_BATCH_FILES", "500"))
        tree = {f"batch/file-{i:04d}.txt": f"file {i}\n".encode() * (1 + i % 7)
                for i in range(n_files)}
        first = free_port_range(3)
        with ferryapptest.scratch_dir() as scratch, ferrytest.temp_tree(tree) as root:
            with ferrytest.Ferryd(root, "--anonymous", "--passive-ports",
                                  f"{first}-{first + 2}") as server:
                env = ferryapptest.gui_env(scratch, FERRY_TEST_ONLY="test_big_batch*",
                                           FERRY_TEST_BATCH_URL=f"ftp://127.0.0.1:{server.port}/batch",
                                           FERRY_TEST_BATCH_ROOT=os.path.join(root, "batch"),
                                           FERRY_TEST_BATCH_FILES=str(n_files), TMPDIR=scratch)
                code, output = ferryapptest.run_cmocka_in_session(self, [TEST_WINDOW], env,
                                                                  timeout=1200)
                sys.stdout.write(output)
                self.assertEqual(code, 0, "test-window failed (its output is above)")

    def test_batch_with_files_the_server_refuses(self):
        """Issue 17 item 5: a batch where the server refuses two of eight files (it may not
        read them: a permission error on its side, 550) ends in one toast that counts them,
        and Show opens the list at the first. The batch-summary and batch-failure
        screenshots come from here."""
        if not FERRYD or not os.path.exists(FERRYD):
            self.skipTest("ferryd was not built")
        folder = "Photos/2026/Brittany"
        names = ["IMG_0412.jpg", "IMG_0413.jpg", "IMG_0418.jpg", "IMG_0421.jpg",
                 "IMG_0430.jpg", "IMG_0433.jpg", "notes.txt", "route-map.pdf"]
        refused = ["IMG_0418.jpg", "IMG_0430.jpg"]
        tree = {f"{folder}/{name}": bytes([i]) * (180_000 + 1000 * i)
                for i, name in enumerate(names)}
        with ferryapptest.scratch_dir() as scratch, ferrytest.temp_tree(tree) as root:
            with ferrytest.Ferryd(root, "--anonymous") as server:
                # After the server gave the tree to its user: that user may not read these.
                for name in refused:
                    os.chmod(os.path.join(root, folder, name), 0)
                env = ferryapptest.gui_env(
                    scratch, FERRY_TEST_ONLY="test_batch_refused*",
                    FERRY_TEST_REFUSING_URL=f"ftp://127.0.0.1:{server.port}/{folder}",
                    FERRY_TEST_REFUSING_FILES=",".join(names),
                    FERRY_TEST_REFUSED_FILES=",".join(refused), TMPDIR=scratch)
                code, output = ferryapptest.run_cmocka_in_session(self, [TEST_WINDOW], env,
                                                                  timeout=300)
                sys.stdout.write(output)
                self.assertEqual(code, 0, "test-window failed (its output is above)")


def free_port_range(count, host="127.0.0.1"):
    """The first of count consecutive ports that were free a moment ago."""
    import socket
    for _ in range(50):
        first = ferrytest.free_port(host)
        if first + count > 65535:
            continue
        socks = []
        try:
            for port in range(first, first + count):
                s = socket.socket()
                socks.append(s)
                s.bind((host, port))
            return first
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port range")


if __name__ == "__main__":
    ferrytest.main()
