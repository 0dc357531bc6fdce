# SPDX-License-Identifier: GPL-3.0-or-later
"""GIO/GVFS against ferryd: what GNOME Files does behind "Connect to Server". A private
session bus, gvfsd with its FTP backend (Debian package gvfs-backends), and the `gio` tool:
mount anonymously, list, info, copy both ways, move, mkdir, remove; every result checked
on ferryd's disk byte for byte."""
import contextlib
import os
import signal
import subprocess
import tempfile
import time
import unittest

import ferrytest
import peerstest
from peerstest import read, write

GVFSD = "/usr/libexec/gvfsd"
GVFSD_FTP = "/usr/libexec/gvfsd-ftp"
PAYLOAD = ferrytest.all_bytes_payload(4096)          # 1 MiB, every byte value, CR/LF pairs

# A session bus that activates nothing: gvfsd is started by hand and starts its own FTP
# backend; keyrings and volume monitors stay out of the way.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def missing_peer():
    for program, package in ((GVFSD, "gvfs"), (GVFSD_FTP, "gvfs-backends"),
                             ("/usr/bin/gio", "libglib2.0-bin"),
                             ("/usr/bin/dbus-daemon", "dbus")):
        if not os.access(program, os.X_OK):
            return f"{program} is not installed (Debian package: {package})"
    return None


class GvfsSession:
    """dbus-daemon and gvfsd for one test, in their own process groups, and `gio` in them."""

    def __init__(self):
        self.home = tempfile.TemporaryDirectory(prefix="ferry-gvfs-")
        config = os.path.join(self.home.name, "bus.conf")
        with open(config, "w") as f:
            f.write(BUS_CONFIG.format(dir=self.home.name))
        self.bus = subprocess.Popen(["dbus-daemon", "--config-file", config, "--nofork",
                                     "--print-address=1"], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
        address = self.bus.stdout.readline().decode().strip()
        if not address:
            self.close()
            raise RuntimeError("dbus-daemon did not start")
        runtime = os.path.join(self.home.name, "runtime")
        os.makedirs(runtime, mode=0o700)
        self.env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address, HOME=self.home.name,
                        XDG_RUNTIME_DIR=runtime, GVFS_DISABLE_FUSE="1",
                        GVFS_REMOTE_VOLUME_MONITOR_IGNORE="1", LC_ALL="C.UTF-8")
        self.env.pop("G_DEBUG", None)          # gio's own warnings are not our criticals
        self.gvfsd = subprocess.Popen([GVFSD, "--no-fuse"], env=self.env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      start_new_session=True)
        deadline = time.monotonic() + 10
        while not self.daemon_ready():
            if time.monotonic() > deadline or self.gvfsd.poll() is not None:
                self.close()
                raise RuntimeError("gvfsd did not take its bus name")
            time.sleep(0.05)

    def daemon_ready(self):
        probe = subprocess.run(["gdbus", "call", "--session", "--dest",
                                "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
                                "--method", "org.freedesktop.DBus.NameHasOwner",
                                "org.gtk.vfs.Daemon"], env=self.env, capture_output=True)
        return b"true" in probe.stdout

    def gio(self, *args, check=True, timeout=60):
        result = subprocess.run(["gio", *args], env=self.env, capture_output=True,
                                stdin=subprocess.DEVNULL, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"gio {' '.join(args)} failed ({result.returncode}): "
                                 f"{result.stderr.decode(errors='replace')}")
        return result

    def close(self):
        # An unmounted backend exits by itself: give gvfsd the time to reap it.
        deadline = time.monotonic() + 3
        while (getattr(self, "gvfsd", None) is not None and self.gvfsd.poll() is None
               and ferrytest.direct_children(self.gvfsd.pid)
               and time.monotonic() < deadline):
            time.sleep(0.05)
        # gvfsd first, on its own, so that it reaps its FTP backends as they go; then
        # whatever is left in the process groups started here, and the bus.
        for proc in (getattr(self, "gvfsd", None), self.bus):
            if proc is None:
                continue
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        if self.bus.stdout:
            self.bus.stdout.close()
        self.home.cleanup()

@unittest.skipIf(missing_peer(), missing_peer())
class GvfsTest(unittest.TestCase):
    def setUp(self):
        peerstest.need_ferryd()
        holder = tempfile.TemporaryDirectory(prefix="ferry-peers-")
        self.addCleanup(holder.cleanup)
        self.root = os.path.join(holder.name, "root")
        self.local = os.path.join(holder.name, "local")
        os.makedirs(self.local)
        self.session = GvfsSession()
        self.addCleanup(self.session.close)

    def serve(self, *args, files=None):
        for rel, data in (files or {}).items():
            write(os.path.join(self.root, rel), data)
        server = peerstest.start_ferryd(self, self.root, *args)
        self.url = server.url
        self.session.gio("mount", "--anonymous", self.url)
        self.addCleanup(self.session.gio, "mount", "--unmount", self.url, check=False)
        return server

    def test_list_and_info(self):
        self.serve(files={"all.bin": PAYLOAD, "sub/n.txt": b"n\n", ".secret": b"s",
                          "caf\u00e9 au lait.txt": b"utf-8 name\n"})
        listing = self.session.gio("list", "--long", self.url).stdout.decode()
        rows = {line.split("\t")[0]: line.split("\t")[1:] for line in listing.splitlines()}
        self.assertEqual(sorted(rows), sorted(["all.bin", "sub", "caf\u00e9 au lait.txt"]))
        self.assertEqual(rows["all.bin"][:2], [str(len(PAYLOAD)), "(regular)"])
        self.assertEqual(rows["sub"][1], "(directory)")
        info = self.session.gio("info", self.url + "all.bin").stdout.decode()
        self.assertIn("type: regular", info)
        self.assertIn(f"size:  {len(PAYLOAD)}", info)
        self.assertIn("n.txt", self.session.gio("list", self.url + "sub/").stdout.decode())

    def test_copy_both_ways_byte_exact(self):
        self.serve("--write", files={"all.bin": PAYLOAD, "sub/keep.txt": b"k"})
        self.session.gio("copy", self.url + "all.bin", os.path.join(self.local, "got.bin"))
        self.assertEqual(read(os.path.join(self.local, "got.bin")), PAYLOAD)

        write(os.path.join(self.local, "up.bin"), PAYLOAD[::-1])
        self.session.gio("copy", os.path.join(self.local, "up.bin"), self.url + "sub/up.bin")
        self.assertEqual(read(os.path.join(self.root, "sub", "up.bin")), PAYLOAD[::-1])
        # gio copy overwrites (against pyftpdlib too); the new content replaces the old.
        write(os.path.join(self.local, "up.bin"), b"second version\n")
        self.session.gio("copy", os.path.join(self.local, "up.bin"),
                         self.url + "sub/up.bin")
        self.assertEqual(read(os.path.join(self.root, "sub", "up.bin")), b"second version\n")
        self.assertEqual(peerstest.ferryd_temp_files(self.root), [])

    def test_move_mkdir_remove(self):
        self.serve("--write", files={"a.txt": b"a\n", "sub/n.txt": b"n\n"})
        self.session.gio("move", self.url + "a.txt", self.url + "sub/moved.txt")
        self.assertFalse(os.path.exists(os.path.join(self.root, "a.txt")))
        self.assertEqual(read(os.path.join(self.root, "sub", "moved.txt")), b"a\n")

        self.session.gio("mkdir", self.url + "made")
        self.assertTrue(os.path.isdir(os.path.join(self.root, "made")))
        self.session.gio("remove", self.url + "sub/n.txt")
        self.assertFalse(os.path.exists(os.path.join(self.root, "sub", "n.txt")))
        self.session.gio("remove", self.url + "made")
        self.assertFalse(os.path.exists(os.path.join(self.root, "made")))

        # Moving a file from this machine to the server uploads it and deletes the original.
        write(os.path.join(self.local, "away.bin"), PAYLOAD)
        self.session.gio("move", os.path.join(self.local, "away.bin"), self.url + "away.bin")
        self.assertEqual(read(os.path.join(self.root, "away.bin")), PAYLOAD)
        self.assertFalse(os.path.exists(os.path.join(self.local, "away.bin")))

    def test_read_only_server_refuses_changes(self):
        self.serve(files={"a.txt": b"a\n"})
        write(os.path.join(self.local, "up.bin"), b"data")
        for args in (("copy", os.path.join(self.local, "up.bin"), self.url + "up.bin"),
                     ("remove", self.url + "a.txt"), ("mkdir", self.url + "made")):
            with self.subTest(command=args[0]):
                self.assertNotEqual(self.session.gio(*args, check=False).returncode, 0)
        self.assertEqual(sorted(os.listdir(self.root)), ["a.txt"])


if __name__ == "__main__":
    ferrytest.main()
