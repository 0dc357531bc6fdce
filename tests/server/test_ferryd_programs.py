# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd's session program and TLS module, wherever ferryd was built: started as root from a
folder the served user cannot enter (a clone inside /root, a 0700 home), it still serves
plain and TLS sessions; a session program that cannot start is reported at once (exit 2,
never "Serving"), and one that fails later is retried while clients hear 421 "Service not
available" (not "Too many connections")."""
import contextlib
import hashlib
import os
import pwd
import shutil
import signal
import stat
import tempfile
import unittest
from unittest import mock

import ferrytest
from ferrydproc import IS_ROOT, Client, Server, process_uids, run_ferryd
from ferrytest import make_certificate, served_tree, wait_until
from sessiontest import curl

UNAVAILABLE = b"421 Service not available, try again later.\r\n"
# ferryd and the files it finds beside itself (src/server/meson.build)
PROGRAMS = ("ferryd", "ferryd-zygote", "ferryd-tls.so")


@contextlib.contextmanager
def build_copy(mode=0o700):
    """ferryd's build outputs copied into build/src/server inside a fresh folder of the given
    mode (0700: none but its owner may enter it); yields the copied ferryd."""
    with tempfile.TemporaryDirectory(prefix="ferry-private-") as private:
        os.chmod(private, mode)
        built = os.path.dirname(os.path.abspath(ferrytest.FERRYD))
        server_dir = os.path.join(private, "build", "src", "server")
        os.makedirs(server_dir)
        for name in PROGRAMS:
            shutil.copy2(os.path.join(built, name), server_dir)
        yield os.path.join(server_dir, "ferryd")


def nobody_can_enter(path):
    """Whether 'nobody' could reach path, by the mode bits of every folder above it."""
    folder = os.path.dirname(path)
    while folder != "/":
        if os.stat(folder).st_mode & stat.S_IXOTH == 0:
            return False
        folder = os.path.dirname(folder)
    return True


@unittest.skipUnless(IS_ROOT, "needs root: only ferryd started as root drops to a user who cannot enter "
                              "the build folder (CI runs as root)")
class PrivateCheckout(unittest.TestCase):
    """The first impression of issue 12: as root, from a clone in /root, every client got
    421 because the served user could not exec ferryd-zygote nor load ferryd-tls.so."""

    def setUp(self):
        try:
            pwd.getpwnam("nobody")
        except KeyError:
            self.skipTest("there is no 'nobody' user to serve as")

    def test_serves_lists_downloads_and_tls_from_a_0700_folder(self):
        payload = os.urandom(300_000)
        with build_copy(0o700) as ferryd, served_tree({"f.bin": payload}) as root, \
                tempfile.TemporaryDirectory() as certs, \
                mock.patch.object(ferrytest, "FERRYD", ferryd):
            self.assertFalse(nobody_can_enter(ferryd))
            cert, key = make_certificate(certs)
            with Server(root, "--run-as", "nobody", "--tls-cert", cert,
                        "--tls-key", key) as server:
                self.assertIn(b"Serving", server.banner)
                zygote = server.wait_zygote()
                self.assertEqual(process_uids(zygote)[0], pwd.getpwnam("nobody").pw_uid)
                self.assertEqual(os.readlink(f"/proc/{zygote}/exe"),
                                 os.path.join(os.path.dirname(ferryd), "ferryd-zygote"))

                listing = curl(server.url).stdout.decode()
                self.assertIn("f.bin", listing)
                got = curl(server.url + "f.bin").stdout
                self.assertEqual(hashlib.sha256(got).hexdigest(),
                                 hashlib.sha256(payload).hexdigest())

                secure = curl("--ssl-reqd", "-k", "-v", server.url + "f.bin")
                self.assertEqual(secure.stdout, payload)
                talk = secure.stderr.decode(errors="replace")
                # curl asks with AUTH SSL, RFC 4217's other name for AUTH TLS
                self.assertRegex(talk, r"> AUTH (TLS|SSL)\r\n< 234 ")
                self.assertIn("SSL connection using TLS", talk)
                log = server.log_text()
                self.assertNotIn("cannot load the TLS module", log)
                self.assertNotIn("refused", log)


def descriptors(pid):
    """{fd: (target path, open flags)} of pid's open descriptors."""
    found = {}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                flags = int(next(l for l in f if l.startswith("flags:")).split()[1], 8)
            found[int(fd)] = (target, flags)
    return found


@unittest.skipUnless(IS_ROOT, "the descriptors of non-dumpable session processes are root's "
                              "to read")
class Descriptors(unittest.TestCase):
    """What the listener opened for the zygote goes no further than needed: the program it
    was started through is closed at once; sessions keep the TLS module, as a path only
    (O_PATH: nothing to read or write through it)."""

    def test_zygote_and_sessions_keep_only_the_tls_module(self):
        built = os.path.dirname(os.path.abspath(ferrytest.FERRYD))
        program = os.path.join(built, "ferryd-zygote")
        module = os.path.join(built, "ferryd-tls.so")
        with served_tree() as root, Server(root) as server:
            zygote = server.wait_zygote()
            with Client(server.port) as client:
                self.assertTrue(client.command("USER anonymous").startswith(b"331"))
                processes = [zygote] + server.wait_sessions(1) + wait_until(server.idle)
                for pid in processes:
                    held = descriptors(pid)
                    self.assertNotIn(program, [t for t, _ in held.values()], (pid, held))
                    on_module = [flags for t, flags in held.values() if t == module]
                    self.assertEqual(len(on_module), 1, (pid, held))
                    self.assertTrue(on_module[0] & os.O_PATH, oct(on_module[0]))


class StartFailure(unittest.TestCase):
    """A session program that cannot run: one line naming it and why, exit 2, and no
    "Serving" line on stdout."""

    def assert_cannot_start(self, zygote_text, mentions):
        with build_copy(0o755) as ferryd, served_tree() as root:
            zygote = os.path.join(os.path.dirname(ferryd), "ferryd-zygote")
            os.unlink(zygote)
            with open(zygote, "w") as f:
                f.write(zygote_text)
            os.chmod(zygote, 0o755)
            with mock.patch.object(ferrytest, "FERRYD", ferryd):
                code, out, err = run_ferryd("--root", root, "--bind", "127.0.0.1",
                                            "--port", "0", "--run-as", "nobody")
            self.assertEqual((code, out), (2, ""), err)
            lines = [line for line in err.splitlines() if line.startswith("ferryd:")]
            self.assertEqual(len(lines), 1, err)
            self.assertIn(zygote, lines[0])
            self.assertIn(mentions, lines[0])
            self.assertNotIn("Serving", err)

    def test_a_file_that_is_not_a_program(self):
        self.assert_cannot_start("not a program\n", "Exec format error")

    def test_a_program_that_exits_before_it_is_ready(self):
        self.assert_cannot_start("#!/bin/sh\nexit 3\n", "exited with status 3 before it was "
                                                       "ready")


class LaterFailure(unittest.TestCase):
    """Once serving, a session program that stops starting (here: no longer executable) is
    retried with back-off; meanwhile clients are told the service is unavailable; once it
    runs again, they are served."""

    def test_unavailable_while_the_program_cannot_start_then_served_again(self):
        with build_copy(0o755) as ferryd, served_tree({"a.txt": b"a"}) as root, \
                mock.patch.object(ferrytest, "FERRYD", ferryd):
            zygote_program = os.path.join(os.path.dirname(ferryd), "ferryd-zygote")
            with Server(root) as server:
                zygote = server.wait_zygote()
                os.chmod(zygote_program, 0o644)
                try:
                    os.kill(zygote, signal.SIGKILL)
                    self.assertTrue(wait_until(lambda: "trying again in" in server.log_text()),
                                    server.log_text())
                    self.assertIn(f"cannot start the session program {zygote_program}: "
                                  "Permission denied", server.log_text())
                    with Client(server.port) as client:
                        self.assertEqual(client.greeting, UNAVAILABLE)
                        self.assertTrue(client.closed_by_server())
                    self.assertIsNone(server.proc.poll())
                finally:
                    os.chmod(zygote_program, 0o755)
                # the back-off is 1 s after the third failure in a row, then doubles
                self.assertTrue(wait_until(lambda: len(server.zygotes()) == 1, timeout=20),
                                server.log_text())
                self.assertTrue(wait_until(lambda: "started again" in server.log_text()),
                                server.log_text())
                with Client(server.port) as client:
                    self.assertTrue(client.greeting.startswith(b"220"), client.greeting)
                    self.assertTrue(client.command("USER anonymous").startswith(b"331"))


if __name__ == "__main__":
    ferrytest.main()
