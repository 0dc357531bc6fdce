# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs tests/client/ferry-client-driver (the client engine in a small program; see the
driver's header) and parses what it prints. Used by tests/client and tests/hardening."""
import os
import subprocess

BUILD_ROOT = os.environ.get("FERRY_BUILD_ROOT", "")
DRIVER = os.environ.get("FERRY_CLIENT_DRIVER",
                        os.path.join(BUILD_ROOT, "tests", "client", "ferry-client-driver"))


class Result:
    def __init__(self, proc, stdout, stderr):
        self.returncode = proc.returncode
        self.stdout = stdout
        self.stderr = stderr
        self.lines = stdout.splitlines()
        self.peak_rss_kb = None
        self.results = []     # (status, verb, rest) for "ok"/"error" lines, in order
        self.entries = []     # lists of (type, size, name) per ls
        self.skipped = []     # remote paths folder downloads left out (unsafe names)
        current = []
        for line in self.lines:
            words = line.split(" ", 2)
            if words[0] == "entry":
                kind, size, name = line.split(" ")[1:4]
                current.append((kind, int(size), bytes.fromhex(name).decode("utf-8",
                                                                            "surrogateescape")))
            elif words[0] in ("ok", "error"):
                self.results.append((words[0], words[1], words[2] if len(words) > 2 else ""))
                if words[1] == "ls":
                    self.entries.append(current)
                    current = []
            elif words[0] == "skipped":
                self.skipped.append(bytes.fromhex(words[1]).decode("utf-8", "surrogateescape"))
            elif words[0] == "peak-rss-kb":
                self.peak_rss_kb = int(words[1])

    def result(self, index):
        """The index-th command result after connect and login."""
        return self.results[index + 2]

    def __repr__(self):
        return f"<driver rc={self.returncode}\n{self.stdout}\n{self.stderr}>"


def message(result):
    """The error message of an "error VERB CODE MESSAGE" result (the driver escapes it with
    g_strescape: octal bytes for non-ASCII)."""
    text = result[2].split(" ", 1)[1]
    return text.encode("latin-1").decode("unicode_escape").encode("latin-1").decode("utf-8")


SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "CRITICAL **", "WARNING **")


class DriverCrashed(AssertionError):
    pass


def driver_env(env=None):
    """The engine reports problems as GErrors: a GLib warning in it is a bug, and aborts."""
    return dict(env if env is not None else os.environ, G_DEBUG="fatal-warnings")


def run(url, *commands, timeout=60, extra_args=(), env=None):
    """Runs the driver; commands are tuples of fields (joined with tabs). Raises
    DriverCrashed when the driver died on a signal or a sanitizer/GLib check fired."""
    argv = [DRIVER, *extra_args, url] + ["\t".join(str(f) for f in c) for c in commands]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, env=driver_env(env))
    result = Result(proc, proc.stdout.decode("utf-8", "replace"),
                    proc.stderr.decode("utf-8", "replace"))
    if proc.returncode not in (0, 1) or any(m in result.stderr for m in SANITIZER_MARKS):
        raise DriverCrashed(f"driver failed badly: {result!r}")
    return result


def start(url, *commands, extra_args=()):
    """Starts the driver without waiting (for tests that act while it runs)."""
    argv = [DRIVER, *extra_args, url] + ["\t".join(str(f) for f in c) for c in commands]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=driver_env())
