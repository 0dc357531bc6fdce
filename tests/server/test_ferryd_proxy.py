# SPDX-License-Identifier: GPL-3.0-or-later
"""--proxy-protocol through a real ferryd: the test plays the load balancer (127.0.0.1, the
--proxy-from address) and writes PROXY headers v1 and v2 itself; clients from elsewhere
connect from 127.0.0.2. The real client's address is what the log, --max-per-ip and the
PASV check use; a balancer without a header and a client with one are refused."""
import re
import socket
import struct
import subprocess
import time
import unittest

import ferrytest
from ferrydproc import Server
from ferrytest import served_tree

V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"


def v1(source, port=40000):
    return f"PROXY TCP4 {source} 127.0.0.1 {port} 21\r\n".encode()


def v2(source, port=40000):
    block = socket.inet_aton(source) + socket.inet_aton("127.0.0.1") + struct.pack("!HH", port, 21)
    return V2_SIGNATURE + bytes([0x21, 0x11]) + struct.pack("!H", len(block)) + block


class Control:
    """A control connection from the balancer's address carrying header."""

    def __init__(self, port, header, source="127.0.0.1"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10,
                                             source_address=(source, 0))
        if header:
            self.sock.sendall(header)
        self.file = self.sock.makefile("rb")

    def reply(self):
        line = self.file.readline()
        while len(line) >= 4 and line[3:4] == b"-":
            line = self.file.readline()
        return line

    def command(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        return self.reply()

    def close(self):
        self.file.close()
        self.sock.close()


class ProxyProtocolTest(unittest.TestCase):
    def setUp(self):
        tree = served_tree({"f.txt": b"proxied bytes\n" * 100})
        self.tmp = tree.__enter__()
        self.addCleanup(tree.__exit__, None, None, None)
        self.server = Server(self.tmp, "--no-announce", "--proxy-protocol",
                             "--proxy-from", "127.0.0.1/32", "--max-per-ip", "2", "--verbose")
        self.server.start()
        self.addCleanup(self.server.stop)

    def wait_log(self, pattern, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.server.log_text()
            if re.search(pattern, text):
                return text
            time.sleep(0.05)
        self.fail(f"no {pattern!r} in the log:\n{self.server.log_text()[-3000:]}")

    def test_v1_and_v2_name_the_real_client(self):
        for header, source in ((v1("192.0.2.10"), "192.0.2.10"), (v2("192.0.2.20"), "192.0.2.20")):
            c = Control(self.server.port, header)
            self.assertTrue(c.reply().startswith(b"220"))
            self.assertTrue(c.command("USER anonymous").startswith(b"331"))
            self.assertTrue(c.command("PASS x").startswith(b"230"))
            c.command("QUIT")
            c.close()
            self.wait_log(re.escape(source) + r": session start")

    def test_max_per_ip_counts_the_real_address(self):
        held = [Control(self.server.port, v2("192.0.2.30", 40000 + i)) for i in range(2)]
        for c in held:
            self.assertTrue(c.reply().startswith(b"220"))
        third = Control(self.server.port, v2("192.0.2.30", 40002))
        self.assertTrue(third.reply().startswith(b"421"))
        other = Control(self.server.port, v2("192.0.2.31"))   # same balancer, another client
        self.assertTrue(other.reply().startswith(b"220"))
        for c in held + [third, other]:
            c.close()
        self.wait_log(r"refused 192\.0\.2\.30 port 40002: --max-per-ip")

    def test_balancer_without_header_is_refused(self):
        c = Control(self.server.port, b"USER anonymous\r\n")
        self.assertTrue(c.reply().startswith(b"421"))
        c.close()
        self.wait_log(r"refused 127\.0\.0\.1 port \d+: invalid PROXY protocol header")

    def test_balancer_that_sends_nothing_times_out(self):
        c = Control(self.server.port, b"")
        started = time.monotonic()
        self.assertEqual(c.file.read(), b"")   # closed, no greeting
        self.assertLess(time.monotonic() - started, 9)
        c.close()
        self.wait_log(r"no PROXY protocol header within 5 seconds")

    def test_client_with_header_is_refused(self):
        c = Control(self.server.port, b"", source="127.0.0.2")
        self.assertTrue(c.reply().startswith(b"220"))
        self.assertTrue(c.command("PROXY TCP4 192.0.2.40 127.0.0.1 1 21").startswith(b"421"))
        c.close()
        self.wait_log(r"127\.0\.0\.2: refused: sent a PROXY header")

    def test_pasv_compares_real_clients(self):
        c = Control(self.server.port, v1("192.0.2.50"))
        c.reply()
        c.command("USER anonymous")
        c.command("PASS x")
        reply = c.command("EPSV")
        port = int(re.search(rb"\|\|\|(\d+)\|", reply).group(1))
        # Through the balancer, but for another client: PASV theft, refused.
        thief = socket.create_connection(("127.0.0.1", port), timeout=10)
        thief.sendall(v2("192.0.2.51", 41000))
        c.sock.sendall(b"RETR f.txt\r\n")
        self.assertEqual(thief.recv(100), b"")
        thief.close()
        self.wait_log(r"192\.0\.2\.50: refused a data connection from 192\.0\.2\.51")
        # The real client's data connection, through the balancer too, gets the file.
        data = socket.create_connection(("127.0.0.1", port), timeout=10)
        data.sendall(v2("192.0.2.50", 41001))
        self.assertTrue(c.reply().startswith(b"150"))
        got = b""
        while chunk := data.recv(65536):
            got += chunk
        data.close()
        self.assertEqual(got, b"proxied bytes\n" * 100)
        self.assertTrue(c.reply().startswith(b"226"))
        c.close()

    def test_direct_client_with_header_on_a_data_connection_is_refused(self):
        ferrytest.need_program("ss", "iproute2")
        c = Control(self.server.port, b"", source="127.0.0.2")   # not through the balancer
        self.assertTrue(c.reply().startswith(b"220"))
        c.command("USER anonymous")
        c.command("PASS x")
        port = int(re.search(rb"\|\|\|(\d+)\|", c.command("EPSV")).group(1))
        data = socket.create_connection(("127.0.0.1", port), timeout=10,
                                        source_address=("127.0.0.2", 0))
        header = v2("192.0.2.70", 41000)
        data.sendall(header)

        # The header waits in the server's end of the connection before the RETR comes.
        def queued():
            out = subprocess.run(["ss", "-Htn", "state", "established", f"sport = :{port}"],
                                 capture_output=True, text=True).stdout.split()
            return out and int(out[0]) >= len(header)
        self.assertTrue(ferrytest.wait_until(queued, 10))
        reply = c.command("RETR f.txt")
        self.assertTrue(reply.startswith(b"425"), reply)
        try:
            self.assertEqual(data.recv(100), b"")
        except ConnectionResetError:
            pass                # closed with the header unread
        data.close()
        self.wait_log(r"127\.0\.0\.2: refused a data connection: sent a PROXY header but is not "
                      r"a --proxy-from balancer")
        # The session goes on; without a header, its data connection is served.
        port = int(re.search(rb"\|\|\|(\d+)\|", c.command("EPSV")).group(1))
        data = socket.create_connection(("127.0.0.1", port), timeout=10,
                                        source_address=("127.0.0.2", 0))
        self.assertTrue(c.command("RETR f.txt").startswith(b"150"))
        got = b""
        while chunk := data.recv(65536):
            got += chunk
        data.close()
        self.assertEqual(got, b"proxied bytes\n" * 100)
        self.assertTrue(c.reply().startswith(b"226"))
        c.close()

    def test_port_goes_to_the_real_client_only(self):
        c = Control(self.server.port, v1("192.0.2.60"))
        c.reply()
        c.command("USER anonymous")
        c.command("PASS x")
        # The balancer's own address is not the client's: no bounce through it.
        self.assertTrue(c.command("PORT 127,0,0,1,200,10").startswith(b"504"))
        self.assertTrue(c.command("PORT 192,0,2,60,200,10").startswith(b"200"))
        c.close()


if __name__ == "__main__":
    ferrytest.main()
