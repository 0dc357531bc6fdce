# SPDX-License-Identifier: GPL-3.0-or-later
"""Share a Folder end to end on the LAN lab: the app (test-lan-share, a real share window)
shares a folder on host A; host B finds it with avahi-browse, downloads with curl and lftp,
is refused uploads without the password and allowed them with it; the QR code decodes to
the address; Stop and the app's exit leave no ferryd process behind.

Another Ferry on host B (test-lan-discovery, a real FerryWindow) lists the share on its
connect page and opens it with one click.

Usage (meson does this): test_lan_share.py PATH-TO-test-lan-share PATH-TO-test-lan-discovery
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import ferryapptest
import ferrytest
from ferrytest import descendants, served_tree, wait_until
from lanlab import LanLab, LineProgram, alive

PROGRAM = sys.argv.pop(1) if len(sys.argv) > 1 else None
DISCOVERY = sys.argv.pop(1) if len(sys.argv) > 1 else None
SCREENSHOTS = os.environ.get("FERRY_TEST_SCREENSHOTS")

HOLD_SESSION = """
import ftplib, sys
ftp = ftplib.FTP()
ftp.connect(sys.argv[1], int(sys.argv[2]), timeout=30)
ftp.login()
print("in", flush=True)
sys.stdin.read()
"""


class ShareAFolder(unittest.TestCase):
    def setUp(self):
        missing = ferryapptest.missing_tools()
        if missing:
            self.skipTest(f"missing {', '.join(missing)}")
        if not PROGRAM:
            self.skipTest("test-lan-share was not built")
        if shutil.which("zbarimg") is None:
            self.skipTest("zbarimg is not installed (zbar-tools)")

    def curl(self, host, *args):
        return host.run(["curl", "-sS", "--max-time", "20", *args])

    def test_share_from_a_to_b(self):
        # A folder with an everyday name: the sharing page's screenshot shows it.
        files = {"Holiday photos/holiday.jpg": bytes(range(256)) * 100,
                 "Holiday photos/notes.txt": b"from A\n"}
        with LanLab() as lab, ferryapptest.scratch_dir() as scratch, \
                served_tree(files) as top, tempfile.TemporaryDirectory() as out:
            a, b = lab.hosts
            folder = os.path.join(top, "Holiday photos")
            ferrytest.give_to_nobody(top)
            qr_png = os.path.join(out, "qr.png")
            env = ferryapptest.gui_env(scratch, FERRY_TEST_SHARE_FOLDER=folder,
                                       FERRY_TEST_QR_PNG=qr_png, FERRY_FERRYD=ferrytest.FERRYD,
                                       TMPDIR=scratch, DBUS_SYSTEM_BUS_ADDRESS=a.bus_address,
                                       XDG_RUNTIME_DIR=scratch)
            if SCREENSHOTS:
                env["FERRY_TEST_SCREENSHOTS"] = SCREENSHOTS
            with ferryapptest.Xvfb() as xvfb, b.watch() as watch:
                env["DISPLAY"] = xvfb.display
                env.pop("WAYLAND_DISPLAY", None)
                proc = subprocess.Popen(a.command(["dbus-run-session", "--", PROGRAM]),
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
                program = LineProgram(proc, "test-lan-share")
                try:
                    self.anonymous_then_password(a, b, program, folder, qr_png, watch)
                finally:
                    if proc.poll() is None:
                        proc.stdin.close()   # test-lan-share ends on EOF; its ferryd with it
                        try:
                            proc.wait(70)
                        except subprocess.TimeoutExpired:
                            proc.kill()
                    proc.wait()
                    program.rest()
                    proc.stdout.close()
                    proc.stdin.close()
                    sys.stdout.write("".join(program.output))

    def anonymous_then_password(self, a, b, program, folder, qr_png, watch):
        started = time.monotonic()
        _, mode, url, pid = program.expect("READY")
        pid = int(pid)
        self.assertEqual(mode, "anonymous")
        self.assertTrue(url.startswith(f"ftp://{a.address}:"), url)
        port = int(url.rsplit(":", 1)[1].strip("/"))

        # Announced: host B sees it under the folder's name, on the port of the address.
        shown, service = watch.wait_for("+", lambda n: n.startswith(os.path.basename(folder)))
        self.assertEqual(service["port"], port)
        print(f"# share started → visible on host B: {shown - started:.2f} s (from READY on)")

        # Another Ferry on host B: listed on its connect page, one click lists the files.
        if DISCOVERY:
            with ferryapptest.scratch_dir() as scratch, ferryapptest.Xvfb() as xvfb:
                env = ferryapptest.gui_env(scratch, FERRY_TEST_OPEN_NAME=service["name"],
                                           FERRY_TEST_OPEN_FILE="holiday.jpg", TMPDIR=scratch,
                                           DBUS_SYSTEM_BUS_ADDRESS=b.bus_address,
                                           DISPLAY=xvfb.display)
                other = subprocess.run(b.command(["dbus-run-session", "--", DISCOVERY]),
                                       env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, timeout=120)
                output = other.stdout.decode(errors="replace")
                self.assertEqual(other.returncode, 0, output)
                self.assertIn("[       OK ] test_click_lists_its_files", output)

        # The QR code is the address.
        decoded = subprocess.run(["zbarimg", "--raw", "-q", qr_png], capture_output=True)
        self.assertEqual(decoded.stdout.decode().strip(), url)

        # Downloads with curl and lftp; an upload is refused and leaves nothing.
        listing = self.curl(b, url)
        self.assertIn(b"holiday.jpg", listing.stdout, listing.stderr)
        self.assertEqual(self.curl(b, url + "holiday.jpg").stdout,
                         bytes(range(256)) * 100)
        lftp = b.run(["lftp", "-p", str(port), "-e", "set net:max-retries 1; "
                      "set net:timeout 10; cat notes.txt; bye", a.address])
        self.assertEqual(lftp.stdout, b"from A\n", lftp.stderr)
        upload = os.path.join(os.path.dirname(qr_png), "up.txt")
        with open(upload, "wb") as f:
            f.write(b"from B\n")
        refused = self.curl(b, "-T", upload, url + "up.txt")
        self.assertNotEqual(refused.returncode, 0)
        self.assertFalse(os.path.exists(os.path.join(folder, "up.txt")))

        # Who is connected: a session held open from host B shows in the window.
        holder = b.popen(["/usr/bin/python3", "-c", HOLD_SESSION, a.address, str(port)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            self.assertEqual(holder.stdout.readline(), b"in\n")
            program.tell(f"CLIENT {b.address}")
            program.expect("SEEN")
        finally:
            holder.stdin.close()
            holder.wait(10)
            holder.stdout.close()

        # Stop: ferryd and every process under it are gone.
        tree = [pid] + descendants(pid)
        program.tell("STOP")
        program.expect("STOPPED")
        self.assertTrue(wait_until(lambda: not any(alive(p) for p in tree), 10),
                        [p for p in tree if alive(p)])
        gone, _ = watch.wait_for("-", lambda n: n == service["name"], timeout=10)
        program.tell("NEXT")

        # With the password: log in and upload; without it, download only.
        _, mode, url, password, pid = program.expect("READY")
        pid = int(pid)
        self.assertEqual(mode, "password")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        plain = f"ftp://{a.address}:{port}/"
        self.assertEqual(self.curl(b, plain + "notes.txt").stdout, b"from A\n")
        refused = self.curl(b, "-T", upload, plain + "up.txt")
        self.assertNotEqual(refused.returncode, 0)
        self.assertRegex(refused.stderr, rb"55[03]")
        self.assertFalse(os.path.exists(os.path.join(folder, "up.txt")))
        stored = self.curl(b, "-u", f"ferry:{password}", "-T", upload, plain + "up.txt")
        self.assertEqual(stored.returncode, 0, stored.stderr)
        with open(os.path.join(folder, "up.txt"), "rb") as f:
            self.assertEqual(f.read(), b"from B\n")
        wrong = self.curl(b, "-u", "ferry:not-it", plain)
        self.assertNotEqual(wrong.returncode, 0)

        # The app exits while sharing: its ferryd goes with it.
        tree = [pid] + descendants(pid)
        program.tell("QUIT")
        program.expect("BYE")
        program.proc.wait(20)
        self.assertTrue(wait_until(lambda: not any(alive(p) for p in tree), 10),
                        [p for p in tree if alive(p)])


if __name__ == "__main__":
    ferrytest.main()
