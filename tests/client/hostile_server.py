# SPDX-License-Identifier: GPL-3.0-or-later
"""A scripted FTP server that misbehaves on purpose, for the client engine's tests.

    with HostileServer("endless-data") as server:      # server.port, server.url
        ...

It speaks just enough FTP for a login and a transfer, then does what the scenario says:

  names          MLSD lists ../../x, /etc/x, a\\b, a name with a line break, "..", a link
  deep-names     a folder whose subfolder holds "../escape"
  long-reply     a 10 MB reply line to PWD
  pasv-elsewhere EPSV refused; PASV names 127.0.0.2 while data listens on 127.0.0.1 only
  endless-data   SIZE says 10 bytes, RETR streams forever
  stall-banner   never greets
  stall-reply    greets, then never answers USER
  stall-data     RETR sends 150 and five bytes, then nothing
  drop-on-list   closes the control connection when asked to list
  no-files       no MLSD; LIST answers "550 No files found" for every folder (as IIS does
                 for an empty one); CWD succeeds except into "missing"
  implicit-tls   behaves, but over implicit TLS (control and data), with tls_context
  mixed-names    "/" holds root.txt and the folder top; top holds fine.txt, the folder sub
                 and five unsafe names (../escape.txt, a backslash, BEL, U+009B, a NUL);
                 top/sub holds deep.txt and ../../up.txt
  huge-listing   MLSD sends 40,000 entries with 60 KB names (2.4 GB), each line under the
                 engine's 64 KB line limit
  huge-tree      "/" holds 40 folders; each holds 1,000 files with 60 KB names (60 MB per
                 listing, under the engine's listing budget; 2.4 GB in all)
  terminal       names and replies full of terminal controls (ESC sequences, BEL, BS, DEL,
                 C1 as UTF-8 and as a raw byte); PWD names such a folder; RETR of any name
                 starting with "refused" answers 550 with such a text

  lying-hash     FEAT offers HASH; every HASH answers a SHA-256 that matches nothing
                 served; STOR takes the bytes (and throws them away)
  honest-hash    the same, but HASH answers the true SHA-256 of the "abc" every RETR sends

The last one and implicit-tls are not hostile: no other server here speaks implicit TLS,
and none tells the checksum of a file it serves differently from what it sends.
"""
import hashlib
import socket
import threading

PLAIN_FEATURES = b"211-Features:\r\n EPSV\r\n SIZE\r\n211 End\r\n"
FEATURES = (b"211-Features:\r\n MLST type*;size*;modify*;\r\n EPSV\r\n REST STREAM\r\n"
            b" SIZE\r\n UTF8\r\n211 End\r\n")
HASH_FEATURES = FEATURES.replace(b"211 End", b" HASH MD5*;SHA-256\r\n211 End")

HOSTILE_LISTING = (
    b"type=file;size=3; ok.txt\r\n"
    b"type=file;size=3; ../../x\r\n"
    b"type=file;size=3; /etc/x\r\n"
    b"type=file;size=3; a\\b\r\n"
    b"type=file;size=3; line\nbreak\r\n"
    b"type=dir; ..\r\n"
    b"type=OS.unix=slink:/etc; link\r\n"
)

# Each would act on a terminal printed raw: retitle it, clear it, ring, erase what came
# before, start a CSI sequence (U+009B as UTF-8, and as the single byte 0x9B).
TERMINAL_NAMES = (
    b"title\x1b]0;pwned\x07.txt",
    b"clear\x1b[2J\x1b[H.txt",
    b"bell\x07\x07.txt",
    b"back\x08\x08\x08\x08fake.txt",
    b"csi\xc2\x9b31m.txt",
    b"raw\x9b31m.txt",
    b"del\x7f.txt",
)
TERMINAL_LISTING = (b"type=file;size=3; ok.txt\r\n"
                    + b"".join(b"type=file;size=3; " + name + b"\r\n" for name in TERMINAL_NAMES)
                    + b"type=OS.unix=slink:/\x1b[5mblink; link\r\n")
TERMINAL_REPLY = b"550 \x1b]0;owned\x07\x1b[2J\xc2\x9b1mdenied\x08\x08\r\n"
TERMINAL_FOLDER = b"/home\x1b]0;pwd\x07"


class HostileServer:
    def __init__(self, scenario, tls_context=None):
        self.scenario = scenario
        self.tls_context = tls_context
        self.stop_event = threading.Event()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.threads = []
        self.data_peers = []      # addresses the client's data connections came from/to
        self.commands = []

    @property
    def url(self):
        scheme = "ftps-implicit" if self.tls_context else "ftp"
        return f"{scheme}://user:secret@127.0.0.1:{self.port}/"

    def __enter__(self):
        thread = threading.Thread(target=self._accept_loop, daemon=True)
        thread.start()
        self.threads.append(thread)
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        self.listener.close()
        for thread in self.threads:
            thread.join(5)

    def _accept_loop(self):
        self.listener.settimeout(0.2)
        while not self.stop_event.is_set():
            try:
                conn, _ = self.listener.accept()
            except (socket.timeout, OSError):
                continue
            thread = threading.Thread(target=self._session, args=(conn,), daemon=True)
            thread.start()
            self.threads.append(thread)

    # -- one control connection --------------------------------------------------------

    def _stall(self):
        self.stop_event.wait(60)

    def _session(self, conn):
        try:
            self._run_session(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def _run_session(self, conn):
        if self.scenario == "stall-banner":
            self._stall()
            return
        if self.tls_context:
            conn = self.tls_context.wrap_socket(conn, server_side=True)
        try:
            self._serve(conn)
        finally:
            conn.close()

    def _serve(self, conn):
        conn.sendall(b"220 hostile test server\r\n")
        reader = conn.makefile("rb")
        data_listener = None
        while not self.stop_event.is_set():
            line = reader.readline()
            if not line:
                return
            text = line.decode("utf-8", "surrogateescape").rstrip("\r\n")
            verb, _, arg = text.partition(" ")
            verb = verb.upper()
            self.commands.append(text)
            if verb == "USER":
                if self.scenario == "stall-reply":
                    self._stall()
                    return
                conn.sendall(b"331 password please\r\n")
            elif verb == "PASS":
                conn.sendall(b"230 logged in\r\n")
            elif verb == "FEAT":
                if self.scenario in ("lying-hash", "honest-hash"):
                    conn.sendall(HASH_FEATURES)
                else:
                    conn.sendall(PLAIN_FEATURES if self.scenario == "no-files" else FEATURES)
            elif verb == "HASH" and self.scenario in ("lying-hash", "honest-hash"):
                served = b"abc" if self.scenario == "honest-hash" else b"not what was sent"
                digest = hashlib.sha256(served).hexdigest()
                conn.sendall(f"213 SHA-256 0-3 {digest} {arg}\r\n".encode())
            elif verb == "STOR" and self.scenario in ("lying-hash", "honest-hash"):
                conn.sendall(b"150 send it\r\n")
                data = self._accept_data(data_listener)
                while data.recv(65536):
                    pass
                self._close_data(data)
                data_listener = None
                conn.sendall(b"226 stored\r\n")
            elif verb in ("TYPE", "OPTS", "NOOP", "PBSZ", "PROT"):
                conn.sendall(b"200 ok\r\n")
            elif verb == "PWD":
                if self.scenario == "long-reply":
                    chunk = b"x" * 65536
                    conn.sendall(b"257 \"")
                    for _ in range(160):     # 10 MB, then the line end
                        conn.sendall(chunk)
                    conn.sendall(b"\"\r\n")
                elif self.scenario == "terminal":
                    conn.sendall(b"257 \"" + TERMINAL_FOLDER + b"\" is the current folder\r\n")
                else:
                    conn.sendall(b"257 \"/\" is the current folder\r\n")
            elif verb == "CWD":
                if self.scenario == "no-files" and arg.rstrip("/").endswith("missing"):
                    conn.sendall(b"550 No such folder.\r\n")
                else:
                    conn.sendall(b"250 ok\r\n")
            elif verb == "SIZE":
                sizes = {"endless-data": b"10", "stall-data": b"100"}
                conn.sendall(b"213 " + sizes.get(self.scenario, b"3") + b"\r\n")
            elif verb == "REST":
                conn.sendall(b"350 restarting\r\n")
            elif verb == "EPSV":
                if self.scenario == "pasv-elsewhere":
                    conn.sendall(b"500 no EPSV here\r\n")
                    continue
                data_listener = self._data_listener()
                port = data_listener.getsockname()[1]
                conn.sendall(f"229 Entering Extended Passive Mode (|||{port}|)\r\n".encode())
            elif verb == "PASV":
                data_listener = self._data_listener()
                port = data_listener.getsockname()[1]
                # The address points elsewhere; only 127.0.0.1 listens.
                conn.sendall(f"227 Entering Passive Mode (127,0,0,2,{port >> 8},{port & 255})"
                             "\r\n".encode())
            elif verb in ("MLSD", "LIST"):
                if self.scenario == "drop-on-list":
                    if data_listener is not None:
                        data_listener.close()
                    return
                if self.scenario == "no-files":
                    if data_listener is not None:
                        data_listener.close()
                    conn.sendall(b"550 No files found\r\n")
                else:
                    self._send_listing(conn, data_listener, arg)
                data_listener = None
            elif verb == "RETR":
                if self.scenario == "terminal" and arg.rsplit("/", 1)[-1].startswith("refused"):
                    if data_listener is not None:
                        data_listener.close()
                    conn.sendall(TERMINAL_REPLY)
                    data_listener = None
                    continue
                self._send_file(conn, data_listener)
                data_listener = None
            elif verb == "ABOR":
                conn.sendall(b"226 abort done\r\n")
            elif verb == "QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"502 not here\r\n")

    def _data_listener(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(10)
        return listener

    def _accept_data(self, listener):
        data, peer = listener.accept()
        listener.close()
        self.data_peers.append(data.getsockname()[0])
        if self.tls_context:
            data = self.tls_context.wrap_socket(data, server_side=True)
        return data

    def _close_data(self, data):
        if self.tls_context:
            try:
                data = data.unwrap()      # close_notify: the end of the data is genuine
            except OSError:
                pass
        data.close()

    def _send_listing(self, conn, listener, arg):
        conn.sendall(b"150 here it comes\r\n")
        data = self._accept_data(listener)
        if self.scenario == "deep-names":
            if arg.rstrip("/").endswith("sub"):
                listing = b"type=file;size=3; ../escape\r\n"
            else:
                listing = b"type=file;size=3; fine.txt\r\ntype=dir; sub\r\n"
        elif self.scenario == "mixed-names":
            folder = arg.rstrip("/")
            if folder.endswith("/top/sub"):
                listing = b"type=file;size=3; deep.txt\r\ntype=file;size=3; ../../up.txt\r\n"
            elif folder.endswith("/top"):
                listing = (b"type=file;size=3; fine.txt\r\n"
                           b"type=file;size=3; ../escape.txt\r\n"
                           b"type=file;size=3; a\\b.txt\r\n"
                           b"type=file;size=3; bell\x07.txt\r\n"
                           b"type=file;size=3; csi\xc2\x9b1m.txt\r\n"
                           b"type=file;size=3; nul\x00evil.txt\r\n"
                           b"type=dir; sub\r\n")
            else:
                listing = b"type=file;size=3; root.txt\r\ntype=dir; top\r\n"
        elif self.scenario == "huge-listing":
            self._send_huge_listing(conn, data)
            return
        elif self.scenario == "huge-tree":
            self._send_huge_tree(conn, data, arg)
            return
        elif self.scenario == "terminal":
            listing = TERMINAL_LISTING
        else:
            listing = HOSTILE_LISTING
        data.sendall(listing)
        self._close_data(data)
        conn.sendall(b"226 done\r\n")

    def _send_huge_listing(self, conn, data):
        filler = b"n" * (60 * 1024)
        try:
            for i in range(40000):
                data.sendall(b"type=file;size=1; %d-%s\r\n" % (i, filler))
        except OSError:
            conn.sendall(b"426 listing aborted\r\n")    # the client stopped reading
            return
        finally:
            self._close_data(data)
        conn.sendall(b"226 done\r\n")

    def _send_huge_tree(self, conn, data, arg):
        folder = arg.rstrip("/").rsplit("/", 1)[-1]
        try:
            if not folder.startswith("d"):
                data.sendall(b"".join(b"type=dir; d%d\r\n" % i for i in range(40)))
            else:
                filler = folder.encode() + b"-" + b"n" * (60 * 1024)
                for i in range(1000):
                    data.sendall(b"type=file;size=1; %d-%s\r\n" % (i, filler))
        except OSError:
            conn.sendall(b"426 listing aborted\r\n")
            return
        finally:
            self._close_data(data)
        conn.sendall(b"226 done\r\n")

    def _send_file(self, conn, listener):
        conn.sendall(b"150 sending\r\n")
        data = self._accept_data(listener)
        try:
            if self.scenario == "endless-data":
                chunk = b"z" * 65536
                while not self.stop_event.is_set():
                    data.sendall(chunk)
            elif self.scenario == "stall-data":
                data.sendall(b"12345")
                self._stall()
                return
            else:
                data.sendall(b"abc")
        except OSError:
            conn.sendall(b"426 connection closed; transfer aborted\r\n")
            return
        finally:
            self._close_data(data)
        conn.sendall(b"226 done\r\n")
