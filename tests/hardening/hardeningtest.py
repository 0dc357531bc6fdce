"""Helpers for the hardening tests: the session's and the process model's test helpers
(tests/session/sessiontest.py, tests/server/ferrydproc.py), plus what these tests need on
top: raw control connections, process counts from /proc, temporary mounts."""
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import ferrytest

sys.path.insert(0, os.path.join(ferrytest.SOURCE_ROOT, "tests", "session"))
sys.path.insert(0, os.path.join(ferrytest.SOURCE_ROOT, "tests", "server"))

import ferrydproc  # noqa: E402  (needs the path above)
import sessiontest  # noqa: E402

Server = ferrydproc.Server
Client = ferrydproc.Client
wait_until = ferrydproc.wait_until
served_tree = sessiontest.served_tree
chown_for_ferryd = sessiontest.chown_for_ferryd
ftp = sessiontest.ftp
retr_bytes = sessiontest.retr_bytes
temp_files = sessiontest.temp_files


def data_connection(client):
    """EPSV on an ftplib client: a connected socket to the data port."""
    reply = client.sendcmd("EPSV")
    port = int(reply.split("(|||")[1].split("|")[0])
    return socket.create_connection((client.host, port), timeout=20)


def descendants(pid):
    """PIDs of every process below pid."""
    found = []
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/task/{current}/children") as f:
                children = [int(p) for p in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        found += children
        todo += children
    return found


def open_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError):
        return 0


def status_kib(pid, field):
    """A memory figure of /proc/PID/status (VmHWM, VmRSS…) in KiB; 0 once pid is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def need_root(what):
    if os.geteuid() != 0:
        raise unittest.SkipTest(f"{what} needs root")


@contextlib.contextmanager
def tmpfs(size):
    """A fresh tmpfs of the given size (e.g. '2m'), always unmounted afterwards."""
    need_root("mounting a tmpfs")
    with tempfile.TemporaryDirectory(prefix="ferry-tmpfs-") as mount_point:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755",
                                  "tmpfs", mount_point], capture_output=True)
        if mounted.returncode != 0:
            raise unittest.SkipTest("cannot mount a tmpfs here: "
                                    + mounted.stderr.decode().strip())
        try:
            yield mount_point
        finally:
            for _ in range(50):
                if subprocess.run(["umount", mount_point], capture_output=True).returncode == 0:
                    break
                time.sleep(0.1)
            else:
                subprocess.run(["umount", "-l", mount_point], check=True)
