# SPDX-License-Identifier: GPL-3.0-or-later
"""A minimal FTP control-connection client for the sessions-per-second probe.

ftplib would do, but at thousands of sessions per second on two shared cores the client's
own cost shows in the figure; this one sends a command and reads its reply, nothing else.
"""
import socket


class ReplyError(Exception):
    pass


def _read_reply(reader):
    line = reader.readline()
    if len(line) < 4:
        raise ReplyError(f"connection closed or short reply: {line!r}")
    code = line[:3]
    if line[3:4] == b"-":
        # A multi-line reply ends at "CODE " (RFC 959, 4.2).
        while True:
            more = reader.readline()
            if not more:
                raise ReplyError("connection closed inside a multi-line reply")
            if more[:3] == code and more[3:4] == b" ":
                break
    return int(code), line


def _command(sock, reader, text, *expected):
    sock.sendall(text.encode() + b"\r\n")
    code, line = _read_reply(reader)
    if code not in expected:
        shown = "PASS ..." if text.startswith("PASS ") else text
        raise ReplyError(f"{shown} -> {line.decode(errors='replace').strip()}")
    return code


def one_session(host, port, user, password, size_path):
    """connect + login + TYPE I + SIZE + QUIT; raises ReplyError on any unexpected reply."""
    with socket.create_connection((host, port), timeout=10) as sock:
        reader = sock.makefile("rb")
        code, line = _read_reply(reader)
        if code != 220:
            raise ReplyError(f"greeting: {line.decode(errors='replace').strip()}")
        if _command(sock, reader, f"USER {user}", 230, 331) == 331:
            _command(sock, reader, f"PASS {password}", 230)
        _command(sock, reader, "TYPE I", 200)
        _command(sock, reader, f"SIZE {size_path}", 213)
        _command(sock, reader, "QUIT", 221)
        reader.close()
