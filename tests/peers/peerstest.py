# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the peer tests: run the real ferry-cli and third-party clients, compare trees.

Each peer test drives programs nobody on the project wrote (GVFS, lftp, curl, wget, Python's
ftplib, pure-ftpd) against ours, and checks the result byte for byte on disk."""
import os
import re
import socket
import subprocess
import unittest

import ferrytest


def need_ferryd():
    if not os.access(ferrytest.FERRYD, os.X_OK):
        raise unittest.SkipTest("ferryd is not built")


def need_ferry_cli():
    if not os.access(ferrytest.FERRY_CLI, os.X_OK):
        raise unittest.SkipTest("ferry-cli is not built")


def have_ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def run(argv, timeout=60, check=True, **kwargs):
    """Runs a program with captured output; fails the test with its stderr when check."""
    result = subprocess.run(argv, capture_output=True, timeout=timeout,
                            stdin=subprocess.DEVNULL, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, argv))} failed ({result.returncode}): "
                             f"{result.stderr.decode(errors='replace')}")
    return result


def ferry_cli(*args, cwd=None, timeout=60):
    """ferry-cli as a script runs it: no terminal, anonymous, C.UTF-8."""
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    env.pop("FERRY_PASSWORD", None)
    return subprocess.run([ferrytest.FERRY_CLI, *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, env=env, start_new_session=True,
                          stdin=subprocess.DEVNULL)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def ferryd_temp_files(root):
    """Upload temp files ferryd left behind (hidden names ferryd writes before the rename)."""
    return sorted(name for _, _, files in os.walk(root) for name in files
                  if name.startswith("."))


# LeakSanitizer's own tracer crashes at the exit of TLS sessions in ASan builds (reported to
# the lead): that is the checker failing, not a finding, so only those lines are set aside.
_LSAN_TRACER_FAILURE = re.compile(r"^(Tracer caught signal .*|==\d+==(LeakSanitizer has "
                                  r"encountered a fatal error\.|HINT: .*))$", re.MULTILINE)
_SANITIZER_FINDING = re.compile(r"ERROR: (Address|Leak|Memory|Thread)Sanitizer|"
                                r"runtime error:|SUMMARY: \w+Sanitizer")


def start_ferryd(case, root, *args, host="127.0.0.1"):
    """Starts ferryd for a test case; at cleanup stops it and fails the test when a
    sanitizer reported anything in its log (sessions report there, not to the test)."""
    server = ferrytest.Ferryd(root, *args, host=host).start()

    def stop_and_check():
        server.stop()
        log = server.log_text().decode(errors="replace")
        server.log.close()
        if _SANITIZER_FINDING.search(_LSAN_TRACER_FAILURE.sub("", log)):
            case.fail(f"ferryd's log has a sanitizer report:\n{log}")
    case.addCleanup(stop_and_check)
    return server
