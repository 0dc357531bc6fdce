# SPDX-License-Identifier: GPL-3.0-or-later
"""IPv6: ferryd bound to ::1 serving curl (EPSV, and EPRT for active mode) and ferry-cli, and
the engine on an IPv6 control connection using EPSV only: a PASV reply carries an IPv4
address and has no meaning there (RFC 2428), so the engine never follows one."""
import os
import socket
import tempfile
import threading
import unittest

import ferrytest
import peerstest
from ferrytest import tree_files
from peerstest import ferry_cli, read, run, write

PAYLOAD = ferrytest.all_bytes_payload(1024)


def curl(*args, check=True):
    return run(["curl", "--silent", "--show-error", "--globoff", "--max-time", "30", *args],
               check=check)


@unittest.skipUnless(peerstest.have_ipv6_loopback(), "no IPv6 loopback (::1) here")
class FerrydOnIpv6Test(unittest.TestCase):
    def setUp(self):
        peerstest.need_ferryd()
        holder = tempfile.TemporaryDirectory(prefix="ferry-peers-")
        self.addCleanup(holder.cleanup)
        self.root = os.path.join(holder.name, "root")
        self.local = os.path.join(holder.name, "local")
        os.makedirs(self.local)
        write(os.path.join(self.root, "all.bin"), PAYLOAD)
        write(os.path.join(self.root, "sub/n.txt"), b"nested\n")
        self.server = peerstest.start_ferryd(self, self.root, "--write", host="::1")
        self.url = f"ftp://[::1]:{self.server.port}/"

    def test_server_announces_ipv6_url(self):
        self.assertIn(f"ftp://[::1]:{self.server.port}/".encode(), self.server.banner)

    def test_curl_passive_uses_epsv(self):
        ferrytest.need_program("curl")
        result = curl("-v", self.url + "all.bin")
        self.assertEqual(result.stdout, PAYLOAD)
        self.assertIn(b"> EPSV", result.stderr)
        self.assertIn(b"< 229 ", result.stderr)
        self.assertNotIn(b"> PASV", result.stderr)
        self.assertIn(b"sub", curl("--list-only", self.url).stdout)
        source = os.path.join(self.local, "up.bin")
        write(source, PAYLOAD[::-1])
        curl("-T", source, self.url + "up.bin")
        self.assertEqual(read(os.path.join(self.root, "up.bin")), PAYLOAD[::-1])

    def test_curl_active_uses_eprt(self):
        ferrytest.need_program("curl")
        result = curl("-v", "--ftp-port", "-", self.url + "all.bin")
        self.assertEqual(result.stdout, PAYLOAD)
        self.assertIn(b"> EPRT |2|::1|", result.stderr)
        source = os.path.join(self.local, "up.bin")
        write(source, PAYLOAD)
        curl("--ftp-port", "-", "-T", source, self.url + "sub/up.bin")
        self.assertEqual(read(os.path.join(self.root, "sub", "up.bin")), PAYLOAD)

    def test_ferry_cli_ls_get_put(self):
        peerstest.need_ferry_cli()
        listing = ferry_cli("ls", self.url, cwd=self.local)
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertIn("all.bin", listing.stdout)
        self.assertIn("sub", listing.stdout)
        got = ferry_cli("get", self.url + "all.bin", cwd=self.local)
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(read(os.path.join(self.local, "all.bin")), PAYLOAD)
        write(os.path.join(self.local, "tree/a/b.bin"), PAYLOAD[:1000])
        write(os.path.join(self.local, "tree/c.txt"), b"c")
        put = ferry_cli("-r", "put", "tree", self.url, cwd=self.local)
        self.assertEqual(put.returncode, 0, put.stderr)
        self.assertEqual(tree_files(os.path.join(self.root, "tree")),
                         {"a/b.bin": PAYLOAD[:1000], "c.txt": b"c"})


class EpsvRefusingServer:
    """A scripted FTP server on ::1 that refuses EPSV and offers PASV with an IPv4 address
    where a listener counts who connects."""

    def __init__(self):
        self.commands = []
        self.v4_connections = 0
        self.control = socket.socket(socket.AF_INET6)
        self.control.bind(("::1", 0))
        self.control.listen(4)
        self.port = self.control.getsockname()[1]
        self.trap = socket.socket(socket.AF_INET)
        self.trap.bind(("127.0.0.1", 0))
        self.trap.listen(4)
        self.trap.settimeout(0.2)
        self.stopping = False
        self.threads = [threading.Thread(target=self.serve, daemon=True),
                        threading.Thread(target=self.watch_trap, daemon=True)]
        for thread in self.threads:
            thread.start()

    def watch_trap(self):
        while not self.stopping:
            try:
                conn, _ = self.trap.accept()
            except (socket.timeout, OSError):
                continue
            self.v4_connections += 1
            conn.close()

    def serve(self):
        try:
            conn, _ = self.control.accept()
        except OSError:
            return
        trap_port = self.trap.getsockname()[1]
        replies = {
            "USER": "331 Password please.", "PASS": "230 Logged in.",
            "FEAT": "211-Features:\r\n EPSV\r\n SIZE\r\n211 End", "TYPE": "200 Binary.",
            "PWD": '257 "/" is the current folder.', "CWD": "250 Okay.",
            "OPTS": "200 Okay.", "SYST": "215 UNIX Type: L8", "SIZE": "213 3",
            "EPSV": "500 EPSV is not understood here.",
            "PASV": f"227 Entering Passive Mode (127,0,0,1,{trap_port >> 8},{trap_port & 255})",
            "QUIT": "221 Bye.",
        }
        with conn:
            stream = conn.makefile("rwb", buffering=0)
            stream.write(b"220 Scripted server.\r\n")
            for raw in stream:
                line = raw.decode(errors="replace").strip()
                verb = line.split(" ")[0].upper()
                self.commands.append(verb)
                reply = replies.get(verb, "502 Not implemented.")
                stream.write(reply.encode() + b"\r\n")
                if verb == "QUIT":
                    return

    @property
    def url(self):
        return f"ftp://[::1]:{self.port}/"

    def stop(self):
        self.stopping = True
        self.control.close()
        for thread in self.threads:
            thread.join(5)
        self.trap.close()


@unittest.skipUnless(peerstest.have_ipv6_loopback(), "no IPv6 loopback (::1) here")
class EngineEpsvOnlyOnIpv6Test(unittest.TestCase):
    def setUp(self):
        peerstest.need_ferry_cli()
        holder = tempfile.TemporaryDirectory(prefix="ferry-peers-")
        self.addCleanup(holder.cleanup)
        self.local = holder.name
        self.server = EpsvRefusingServer()
        self.addCleanup(self.server.stop)

    def test_pasv_address_is_never_followed(self):
        result = ferry_cli("get", self.server.url + "abc.txt", cwd=self.local, timeout=60)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(len([l for l in result.stderr.splitlines() if l.strip()]), 1,
                         result.stderr)
        self.assertEqual(self.server.v4_connections, 0)
        self.assertFalse(os.path.exists(os.path.join(self.local, "abc.txt")))

    # Over IPv6 a refused EPSV is final: PASV cannot carry an IPv6 address.
    def test_no_pasv_on_ipv6(self):
        result = ferry_cli("get", self.server.url + "abc.txt", cwd=self.local, timeout=60)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.server.stop()
        self.assertIn("EPSV", self.server.commands)
        self.assertNotIn("PASV", self.server.commands)


if __name__ == "__main__":
    ferrytest.main()
