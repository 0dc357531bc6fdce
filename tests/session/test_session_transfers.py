# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd's FTP session with real clients: listings, downloads, uploads, resumes and file
management, driven by curl, Python's ftplib and lftp against a real ferryd."""
import ftplib
import os
import socket
import tempfile
import unittest
import urllib.parse

import ferrytest
from ferrytest import Ferryd, served_tree
import sessiontest
from sessiontest import curl, ftp, retr_bytes

PAYLOAD = ferrytest.all_bytes_payload(1024)          # 266 KiB, every byte value, CR/LF pairs
UTF8_NAME = "naïve café – 日本語.bin"
SPACE_NAME = "with  two spaces .txt"


def tree():
    return {
        "all-bytes.bin": PAYLOAD,
        "hello.txt": b"hello\n",
        ".secret": b"hidden\n",
        ".hidden-dir/inside.txt": b"x",
        "sub/nested.txt": b"nested\n",
        UTF8_NAME: b"utf-8 name\n",
        SPACE_NAME: b"spaces\n",
    }


class ListingTest(unittest.TestCase):
    def test_list_hides_dot_files(self):
        with served_tree(tree()) as root, Ferryd(root) as server:
            listing = curl(server.url).stdout.decode()
            names = curl("--list-only", server.url).stdout.decode().splitlines()
            with ftp(server) as client:
                mlsd = dict(client.mlsd())
                nlst = client.nlst()
                client.sendcmd("TYPE A")
                lines = []
                client.retrlines("LIST -la", lines.append)
        for hidden in (".secret", ".hidden-dir"):
            self.assertNotIn(hidden, listing)
            self.assertNotIn(hidden, names)
            self.assertNotIn(hidden, mlsd)
            self.assertNotIn(hidden, nlst)
            self.assertFalse(any(hidden in line for line in lines))
        self.assertIn("hello.txt", names)
        self.assertIn(UTF8_NAME, mlsd)
        self.assertIn(SPACE_NAME, nlst)
        self.assertEqual(mlsd["all-bytes.bin"]["type"], "file")
        self.assertEqual(int(mlsd["all-bytes.bin"]["size"]), len(PAYLOAD))
        self.assertEqual(mlsd["sub"]["type"], "dir")
        self.assertTrue(any(line.startswith("d") and line.endswith(" sub") for line in lines),
                        lines)

    def test_show_hidden(self):
        with served_tree(tree()) as root, Ferryd(root, "--show-hidden") as server:
            names = curl("--list-only", server.url).stdout.decode().splitlines()
            secret = curl(server.url + ".secret").stdout
        self.assertIn(".secret", names)
        self.assertIn(".hidden-dir", names)
        self.assertEqual(secret, b"hidden\n")

    def test_symlinks_to_hidden_files_stay_hidden_after_the_root_moves(self):
        # The review's attack: the served folder renamed while ferryd runs used to make the
        # check compare the resolved path with the root's old path as text, and fail open.
        files = {"share/.env": b"SECRET=1\n", "share/.git/config": b"[core]\n",
                 "share/public.txt": b"public\n", "share/sub/x": b"x"}
        links = {"share/config.txt": ".env", "share/sub/up.txt": "../.env",
                 "share/docs": ".git", "share/alias.txt": "sub/../public.txt"}
        with served_tree(files, links) as top, Ferryd(os.path.join(top, "share")) as server:
            def refused(client, path):
                with self.assertRaisesRegex(ftplib.error_perm, "^550"):
                    retr_bytes(client, path)

            with ftp(server) as client:
                refused(client, "config.txt")
                self.assertEqual(retr_bytes(client, "alias.txt"), b"public\n")
            os.rename(os.path.join(top, "share"), os.path.join(top, "archive"))
            with ftp(server) as client:
                for path in ("config.txt", "sub/up.txt", "docs/config", ".env"):
                    refused(client, path)
                with self.assertRaisesRegex(ftplib.error_perm, "^550"):
                    client.sendcmd("SIZE config.txt")
                with self.assertRaisesRegex(ftplib.error_perm, "^550"):
                    client.nlst("docs")
                # visible symlinks to visible files still work in the moved folder
                self.assertEqual(retr_bytes(client, "alias.txt"), b"public\n")
                self.assertEqual(retr_bytes(client, "public.txt"), b"public\n")

    def test_hidden_files_are_not_served(self):
        with served_tree(tree()) as root, Ferryd(root) as server:
            result = curl(server.url + ".secret", check=False)
            self.assertNotEqual(result.returncode, 0)
            self.assertEqual(result.stdout, b"")
            with ftp(server) as client:
                with self.assertRaisesRegex(ftplib.error_perm, "^550"):
                    retr_bytes(client, ".hidden-dir/inside.txt")
                with self.assertRaisesRegex(ftplib.error_perm, "^550"):
                    client.cwd(".hidden-dir")

    def test_mlst_size_mdtm_stat(self):
        with served_tree(tree()) as root, Ferryd(root) as server, ftp(server) as client:
            self.assertEqual(client.size("all-bytes.bin"), len(PAYLOAD))
            mdtm = client.sendcmd("MDTM hello.txt")
            self.assertRegex(mdtm, r"^213 \d{14}$")
            mlst = client.sendcmd("MLST sub/nested.txt")
            self.assertIn("type=file", mlst)
            self.assertIn("size=7", mlst)
            self.assertIn(" /sub/nested.txt", mlst)
            stat = client.sendcmd("STAT sub")
            self.assertIn("nested.txt", stat)
            self.assertTrue(stat.startswith("213"), stat)


class DownloadTest(unittest.TestCase):
    def test_byte_exact_with_curl(self):
        with served_tree(tree()) as root, Ferryd(root) as server:
            self.assertEqual(curl(server.url + "all-bytes.bin").stdout, PAYLOAD)
            # Active mode too: PORT/EPRT to the client's own address.
            self.assertEqual(curl("--ftp-port", "127.0.0.1", server.url + "all-bytes.bin").stdout,
                             PAYLOAD)

    def test_byte_exact_with_ftplib(self):
        with served_tree(tree()) as root, Ferryd(root) as server, ftp(server) as client:
            self.assertEqual(retr_bytes(client, "all-bytes.bin"), PAYLOAD)
            client.set_pasv(False)
            self.assertEqual(retr_bytes(client, "all-bytes.bin"), PAYLOAD)
            client.set_pasv(True)
            # ASCII mode turns LF into CRLF on the way out.
            lines = []
            client.retrlines("RETR sub/nested.txt", lines.append)
            self.assertEqual(lines, ["nested"])

    def test_utf8_and_space_names(self):
        with served_tree(tree()) as root, Ferryd(root) as server:
            for name, contents in ((UTF8_NAME, b"utf-8 name\n"), (SPACE_NAME, b"spaces\n")):
                self.assertEqual(curl(server.url + urllib.parse.quote(name)).stdout, contents)
                with ftp(server) as client:
                    self.assertEqual(retr_bytes(client, name), contents)

    def test_resume_with_rest(self):
        with served_tree(tree()) as root, Ferryd(root) as server, \
                tempfile.TemporaryDirectory() as local:
            partial = os.path.join(local, "all-bytes.bin")
            with open(partial, "wb") as f:
                f.write(PAYLOAD[:100000])
            curl("-C", "-", "-o", partial, server.url + "all-bytes.bin")
            with open(partial, "rb") as f:
                self.assertEqual(f.read(), PAYLOAD)
            with ftp(server) as client:
                chunks = []
                client.retrbinary("RETR all-bytes.bin", chunks.append, rest=len(PAYLOAD) - 10)
                self.assertEqual(b"".join(chunks), PAYLOAD[-10:])

    def test_missing_file_is_550(self):
        with served_tree(tree()) as root, Ferryd(root) as server:
            result = curl(server.url + "no-such-file", check=False)
            self.assertEqual(result.returncode, 78)   # CURLE_REMOTE_FILE_NOT_FOUND
            with ftp(server) as client:
                with self.assertRaisesRegex(ftplib.error_perm, "^550"):
                    retr_bytes(client, "no-such-file")
                with self.assertRaisesRegex(ftplib.error_perm, "^550"):
                    client.size("no-such-file")

    def test_lftp(self):
        with served_tree(tree()) as root, Ferryd(root) as server, \
                tempfile.TemporaryDirectory() as local:
            result = sessiontest.lftp(server, f"cls -1; get all-bytes.bin -o {local}/a.bin; "
                                              f"mirror sub {local}/sub")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn(b"hello.txt", result.stdout)
            self.assertNotIn(b".secret", result.stdout)
            with open(os.path.join(local, "a.bin"), "rb") as f:
                self.assertEqual(f.read(), PAYLOAD)
            with open(os.path.join(local, "sub", "nested.txt"), "rb") as f:
                self.assertEqual(f.read(), b"nested\n")


class UploadTest(unittest.TestCase):
    def test_upload_needs_write(self):
        with served_tree(tree()) as root, Ferryd(root) as server, \
                tempfile.NamedTemporaryFile() as local:
            local.write(b"data")
            local.flush()
            result = curl("-T", local.name, server.url + "new.txt", check=False)
            self.assertNotEqual(result.returncode, 0)
            with ftp(server) as client:
                for command in ("STOR new.txt", "APPE hello.txt"):
                    with self.assertRaisesRegex(ftplib.error_perm, "^550"), \
                            open(local.name, "rb") as f:
                        client.storbinary(command, f)
                for call in (lambda: client.mkd("d"), lambda: client.delete("hello.txt"),
                             lambda: client.rename("hello.txt", "x"), lambda: client.rmd("sub")):
                    with self.assertRaisesRegex(ftplib.error_perm, "^550"):
                        call()
            self.assertFalse(os.path.exists(os.path.join(root, "new.txt")))
            self.assertEqual(sorted(os.listdir(root)), sorted(
                [".secret", ".hidden-dir", "all-bytes.bin", "hello.txt", "sub", UTF8_NAME,
                 SPACE_NAME]))

    def test_upload_byte_exact(self):
        with served_tree(tree()) as root, Ferryd(root, "--write") as server, \
                tempfile.TemporaryDirectory() as local:
            source = os.path.join(local, "up.bin")
            with open(source, "wb") as f:
                f.write(PAYLOAD)
            curl("-T", source, server.url + "sub/curl-up.bin")
            with ftp(server) as client:
                with open(source, "rb") as f:
                    client.storbinary(f"STOR {UTF8_NAME}.up", f)
                with open(source, "rb") as f:
                    client.storbinary("STOR hello.txt", f)      # replaces
            for name in ("sub/curl-up.bin", UTF8_NAME + ".up", "hello.txt"):
                with open(os.path.join(root, name), "rb") as f:
                    self.assertEqual(f.read(), PAYLOAD, name)
            self.assertEqual(sessiontest.temp_files(root), [])

    def test_append(self):
        with served_tree(tree()) as root, Ferryd(root, "--write") as server, \
                tempfile.NamedTemporaryFile() as local:
            local.write(b"more\n")
            local.flush()
            curl("--append", "-T", local.name, server.url + "hello.txt")
            with ftp(server) as client:
                with open(local.name, "rb") as f:
                    client.storbinary("APPE hello.txt", f)
                with open(local.name, "rb") as f:
                    client.storbinary("APPE fresh.txt", f)
            with open(os.path.join(root, "hello.txt"), "rb") as f:
                self.assertEqual(f.read(), b"hello\nmore\nmore\n")
            with open(os.path.join(root, "fresh.txt"), "rb") as f:
                self.assertEqual(f.read(), b"more\n")

    def test_resumed_upload(self):
        with served_tree({"big.bin": PAYLOAD[:50000]}) as root, \
                Ferryd(root, "--write") as server, tempfile.NamedTemporaryFile() as local:
            local.write(PAYLOAD)
            local.flush()
            curl("-C", "-", "-T", local.name, server.url + "big.bin")
            with open(os.path.join(root, "big.bin"), "rb") as f:
                self.assertEqual(f.read(), PAYLOAD)

    def test_folders_rename_delete(self):
        with served_tree(tree()) as root, Ferryd(root, "--write") as server, \
                ftp(server) as client:
            self.assertEqual(client.mkd("new dir"), "/new dir")
            client.rename("hello.txt", "new dir/moved.txt")
            client.cwd("new dir")
            self.assertEqual(client.pwd(), "/new dir")
            self.assertEqual(client.nlst(), ["moved.txt"])
            with self.assertRaisesRegex(ftplib.error_perm, "^550"):
                client.rmd("/new dir")                  # not empty
            client.delete("moved.txt")
            client.cwd("..")
            client.rmd("new dir")
            client.mkd(UTF8_NAME + ".d")
            with self.assertRaisesRegex(ftplib.error_perm, "^55"):
                client.mkd(".sneaky")
            with self.assertRaisesRegex(ftplib.error_perm, "^55"):
                client.rename("sub", ".sub")
            self.assertFalse(os.path.exists(os.path.join(root, "new dir")))
            self.assertFalse(os.path.exists(os.path.join(root, "hello.txt")))
            self.assertTrue(os.path.isdir(os.path.join(root, UTF8_NAME + ".d")))
            self.assertFalse(os.path.exists(os.path.join(root, ".sneaky")))

    def test_lftp_put_and_manage(self):
        with served_tree(tree()) as root, Ferryd(root, "--write") as server, \
                tempfile.TemporaryDirectory() as local:
            source = os.path.join(local, "put.bin")
            with open(source, "wb") as f:
                f.write(PAYLOAD)
            result = sessiontest.lftp(server, f"put {source} -o put.bin; mkdir made; "
                                              "mv put.bin made/put.bin; rm hello.txt")
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(os.path.join(root, "made", "put.bin"), "rb") as f:
                self.assertEqual(f.read(), PAYLOAD)
            self.assertFalse(os.path.exists(os.path.join(root, "hello.txt")))


class LoginTest(unittest.TestCase):
    def test_commands_before_login(self):
        with served_tree(tree()) as root, Ferryd(root) as server, \
                ftp(server, login=False) as client:
            for command in ("PWD", "CWD sub", "LIST", "RETR hello.txt", "SIZE hello.txt",
                            "PASV", "EPSV", "MKD x"):
                with self.assertRaisesRegex(ftplib.error_perm, "^530"):
                    client.sendcmd(command)
            with self.assertRaisesRegex(ftplib.error_perm, "^502"):
                client.sendcmd("BOGUS")
            with self.assertRaisesRegex(ftplib.error_perm, "^503"):
                client.sendcmd("PASS x")

    def test_quit_and_noop(self):
        with served_tree(tree()) as root, Ferryd(root) as server:
            with socket.create_connection((server.host, server.port), timeout=10) as s:
                f = s.makefile("rb")
                self.assertTrue(f.readline().startswith(b"220 "))
                s.sendall(b"NOOP\r\nSYST\r\nQUIT\r\n")   # pipelined
                self.assertTrue(f.readline().startswith(b"200 "))
                self.assertTrue(f.readline().startswith(b"215 "))
                self.assertTrue(f.readline().startswith(b"221 "))
                self.assertEqual(f.readline(), b"")


if __name__ == "__main__":
    ferrytest.main()
