# SPDX-License-Identifier: GPL-3.0-or-later
"""The app on one LAN host finds the ferryd servers of the other: test-lan-discovery (a real
FerryWindow) runs in host B's namespace under Xvfb, with host B's avahi-daemon; the servers
run in host A. The C program does the checking.

Usage (meson does this): test_lan_app.py PATH-TO-test-lan-discovery
"""
import os
import shlex
import subprocess
import sys
import tempfile
import unittest

import ferryapptest
import ferrytest
from ferrytest import served_tree
from lanlab import LanFerryd, LanLab

PROGRAM = sys.argv.pop(1) if len(sys.argv) > 1 else None
SCREENSHOTS = os.environ.get("FERRY_TEST_SCREENSHOTS")


def add_user(users, name, password):
    subprocess.run([ferrytest.FERRYD, "--users", users, "--add-user", name],
                   input=f"{password}\n{password}\n".encode(), check=True,
                   capture_output=True, timeout=30)


class AppOnTheLan(unittest.TestCase):
    def setUp(self):
        missing = ferryapptest.missing_tools()
        if missing:
            self.skipTest(f"missing {', '.join(missing)}")
        if not PROGRAM:
            self.skipTest("test-lan-discovery was not built")

    def test_connect_page_lists_and_opens_servers_of_the_other_host(self):
        files = {"from-host-a.txt": b"hello\n", "Photos/": None}
        with LanLab() as lab, ferryapptest.scratch_dir() as scratch, \
                served_tree(files) as root, served_tree() as late_root, \
                tempfile.TemporaryDirectory() as folder:
            a, b = lab.hosts
            users = os.path.join(folder, "users")
            add_user(users, "alice", "wonderland")
            ferrytest.give_to_nobody(late_root)
            late = shlex.join(a.command(["env", f"DBUS_SYSTEM_BUS_ADDRESS={a.bus_address}",
                                         ferrytest.FERRYD, "--root", late_root, "--port", "0",
                                         "--name", "Late arrival"]))
            # A NAS's FTPS, as Avahi's own tool announces it (nothing needs to listen).
            nas = a.popen(["avahi-publish", "-s", "Secure NAS", "_ftps._tcp", "990", "path=/"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.addCleanup(lambda: (nas.terminate(), nas.wait()))
            with LanFerryd(a, root, "--name", "Shared photos"), \
                    LanFerryd(a, root, "--name", "Members only", "--users", users):
                env = ferryapptest.gui_env(scratch, FERRY_TEST_OPEN_NAME="Shared photos",
                                           FERRY_TEST_OPEN_FILE="from-host-a.txt",
                                           FERRY_TEST_LOGIN_NAME="Members only",
                                           FERRY_TEST_TLS_NAME="Secure NAS",
                                           FERRY_TEST_LATE_FERRYD=late, TMPDIR=scratch,
                                           DBUS_SYSTEM_BUS_ADDRESS=b.bus_address)
                if SCREENSHOTS:
                    env["FERRY_TEST_SCREENSHOTS"] = SCREENSHOTS
                with ferryapptest.Xvfb() as xvfb:
                    env["DISPLAY"] = xvfb.display
                    env.pop("WAYLAND_DISPLAY", None)
                    proc = subprocess.run(b.command(["dbus-run-session", "--", PROGRAM]),
                                          env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, timeout=240)
                sys.stdout.write(proc.stdout.decode(errors="replace"))
                self.assertEqual(proc.returncode, 0, "test-lan-discovery failed (above)")


# An FTP server that listens on IPv6 only (pyftpdlib on a V6ONLY socket): prints its port.
# pyftpdlib 1.5 binds its passive sockets to the control connection's address without its
# scope, which fails for a link-local one: they take the control socket's scope here.
IPV6_ONLY_SERVER = """
import socket, sys
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, PassiveDTP
from pyftpdlib.servers import FTPServer
class ScopedPassiveDTP(PassiveDTP):
    def bind_af_unspecified(self, addr):
        self.create_socket(socket.AF_INET6, socket.SOCK_STREAM)
        return socket.AF_INET6
    def bind(self, addr):
        host, _, flow, scope = self.cmd_channel.socket.getsockname()
        self.socket.bind((host, addr[1], flow, scope))
FTPHandler.passive_dtp = ScopedPassiveDTP
sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
sock.bind(("::", 0))
sock.listen(5)
authorizer = DummyAuthorizer()
authorizer.add_anonymous(sys.argv[1])
FTPHandler.authorizer = authorizer
print(sock.getsockname()[1], flush=True)
FTPServer(sock, FTPHandler).serve_forever()
"""


class AppOverIpv6(unittest.TestCase):
    def test_server_reachable_over_ipv6_link_local_only(self):
        # The announcement resolves to host A's IPv4 address too, where nothing listens:
        # the app must find the IPv6 link-local one (with its interface) and open it.
        if ferryapptest.missing_tools() or not PROGRAM:
            self.skipTest("needs Xvfb and test-lan-discovery")
        with LanLab(ipv6=True) as lab, ferryapptest.scratch_dir() as scratch, \
                served_tree({"over-ipv6.txt": b"v6\n"}) as root:
            a, b = lab.hosts
            server = a.popen(["/usr/bin/python3", "-c", IPV6_ONLY_SERVER, root],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            self.addCleanup(lambda: (server.terminate(), server.wait(), server.stdout.close()))
            port = int(server.stdout.readline())
            announce = a.popen(["avahi-publish", "-s", "Only IPv6", "_ftp._tcp", str(port),
                                "path=/"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            self.addCleanup(lambda: (announce.terminate(), announce.wait()))
            # Seen from host B over IPv6, at host A's link-local address.
            service, _ = b.wait_service(lambda s: s["name"] == "Only IPv6"
                                        and s["address"].startswith("fe80:"))
            self.assertEqual(service["address"], a.link_local)
            env = ferryapptest.gui_env(scratch, FERRY_TEST_OPEN_NAME="Only IPv6",
                                       FERRY_TEST_OPEN_FILE="over-ipv6.txt", TMPDIR=scratch,
                                       DBUS_SYSTEM_BUS_ADDRESS=b.bus_address)
            with ferryapptest.Xvfb() as xvfb:
                env["DISPLAY"] = xvfb.display
                env.pop("WAYLAND_DISPLAY", None)
                proc = subprocess.run(b.command(["dbus-run-session", "--", PROGRAM]),
                                      env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, timeout=240)
            output = proc.stdout.decode(errors="replace")
            sys.stdout.write("".join("# " + line for line in output.splitlines(True)))
            self.assertTrue("[       OK ] test_click_lists_its_files" in output,
                            "test-lan-discovery failed (its output is above)")
            self.assertEqual(proc.returncode, 0, "test-lan-discovery failed (above)")


class AppWithoutAvahi(unittest.TestCase):
    def test_no_avahi_says_so(self):
        if ferryapptest.missing_tools() or not PROGRAM:
            self.skipTest("needs Xvfb and test-lan-discovery")
        with ferryapptest.scratch_dir() as scratch:
            env = ferryapptest.gui_env(scratch, FERRY_TEST_NO_AVAHI="1", TMPDIR=scratch,
                                       DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={scratch}/no-bus")
            code, output = ferryapptest.run_in_session([PROGRAM], env, timeout=120)
            sys.stdout.write(output)
            self.assertEqual(code, 0, "test-lan-discovery failed (above)")
            self.assertIn("[       OK ] test_without_avahi", output)


if __name__ == "__main__":
    ferrytest.main()
