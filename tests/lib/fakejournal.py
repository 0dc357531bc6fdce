# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a command whose stderr is "the systemd journal", and records what it logs there.

    unshare --mount --propagation private python3 fakejournal.py OUT.json -- COMMAND...

Inside its own mount namespace (root only) it mounts a tmpfs on /run/systemd, listens on
/run/systemd/journal/socket (the native protocol, datagrams) and /run/systemd/journal/stdout,
and starts COMMAND with stderr connected to the latter: GLib's g_log_writer_is_journald()
then sees the journal, exactly as under systemd. COMMAND's stdout is this script's. On
SIGTERM it stops COMMAND the same way, and writes every entry received as a list of
{field: value} (values decoded as latin-1, so every byte survives) to OUT.json."""
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys

JOURNAL = "/run/systemd/journal"


def parse_entry(data):
    """One datagram of the journal's native protocol: KEY=VALUE lines, or KEY, a newline,
    a little-endian 64-bit length and that many bytes (values holding a newline)."""
    fields = {}
    i = 0
    while i < len(data):
        end = data.index(b"\n", i)
        line = data[i:end]
        if b"=" in line:
            key, value = line.split(b"=", 1)
            i = end + 1
        else:
            key = line
            (size,) = struct.unpack_from("<Q", data, end + 1)
            start = end + 1 + 8
            value = data[start:start + size]
            i = start + size + 1
        fields[key.decode("latin-1")] = value.decode("latin-1")
    return fields


def main():
    out, command = sys.argv[1], sys.argv[3:]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=755", "fake-journal", "/run/systemd"],
                   check=True)
    os.mkdir(JOURNAL, 0o755)
    datagrams = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    datagrams.bind(JOURNAL + "/socket")
    os.chmod(JOURNAL + "/socket", 0o666)   # sessions log after dropping privileges
    streams = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    streams.bind(JOURNAL + "/stdout")
    streams.listen(8)
    stderr = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stderr.connect(JOURNAL + "/stdout")
    proc = subprocess.Popen(command, stderr=stderr.fileno())
    stderr.close()

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    entries = []
    while True:
        if stopping and proc.poll() is None:
            proc.terminate()
            stopping.clear()
        readable, _, _ = select.select([datagrams], [], [], 0.1)
        if readable:
            entries.append(parse_entry(datagrams.recv(1 << 20)))
        elif proc.poll() is not None:
            break
    with open(out, "w") as f:
        json.dump(entries, f)


if __name__ == "__main__":
    main()
