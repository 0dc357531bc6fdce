# SPDX-License-Identifier: GPL-3.0-or-later
"""What the hardening tests need on top of tests/lib (ferrytest, ferrydproc, sessiontest):
data connections by hand, open descriptors and memory figures from /proc, temporary mounts,
and valgrind memcheck."""
import contextlib
import os
import re
import socket
import subprocess
import tempfile
import time
import unittest

import ferrytest


def data_connection(client):
    """EPSV on an ftplib client: a connected socket to the data port."""
    reply = client.sendcmd("EPSV")
    port = int(reply.split("(|||")[1].split("|")[0])
    return socket.create_connection((client.host, port), timeout=20)


def open_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError):
        return 0


def zygote_idle_children():
    """FERRYD_ZYGOTE_IDLE_CHILDREN from src/server/ferryd-zygote.h."""
    header = os.path.join(ferrytest.SOURCE_ROOT, "src", "server", "ferryd-zygote.h")
    with open(header) as f:
        return int(re.search(r"#define FERRYD_ZYGOTE_IDLE_CHILDREN (\d+)", f.read()).group(1))


def settled_process_count(server, timeout=10):
    """The number of ferryd's processes once the zygote has forked its whole idle pool. A
    count taken before that (on a busy machine, seconds after the start) is lower than the
    count the server returns to after serving, and a "back to the baseline" check fails."""
    pool = zygote_idle_children()
    if not ferrytest.wait_until(lambda: len(server.idle()) >= pool, timeout):
        raise AssertionError(f"{len(server.idle())} idle session processes, expected {pool}")
    return len(ferrytest.descendants(server.proc.pid))


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
        raise unittest.SkipTest(f"needs root: {what}")


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


GLIB_SUPPRESSIONS = "/usr/share/glib-2.0/valgrind/glib.supp"
GIO_SUPPRESSIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gio-modules.supp")


def memcheck_command(log_path):
    """valgrind memcheck for one of our programs: definite leaks count as errors. The only
    suppressions are GLib's and GIO's own one-time allocations (type registrations, the GIO
    module scan), never our code."""
    cmd = ["valgrind", "--tool=memcheck", "--leak-check=full", "--num-callers=30",
           "--errors-for-leak-kinds=definite", "--error-exitcode=99",
           f"--log-file={log_path}", f"--suppressions={GIO_SUPPRESSIONS}"]
    if os.path.exists(GLIB_SUPPRESSIONS):
        cmd.append(f"--suppressions={GLIB_SUPPRESSIONS}")
    return cmd


def memcheck_failures(log_text, exit_code):
    """What memcheck's log and exit code say is wrong: [] when nothing is."""
    failures = []
    lost = re.search(r"definitely lost: ([\d,]+) bytes", log_text)
    print("valgrind: " + (lost.group(0) if lost else "all heap blocks were freed"),
          flush=True)
    if lost is None and "All heap blocks were freed" not in log_text:
        failures.append("no leak summary in the valgrind log")
    if lost is not None and lost.group(1) != "0":
        failures.append(lost.group(0))
    if re.search(r"Invalid (read|write|free)|uninitialised", log_text):
        failures.append("memory errors")
    if exit_code == 99:
        failures.append("valgrind reported errors (exit code 99)")
    return failures
