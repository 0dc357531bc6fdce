# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a unittest module and reports it as TAP on stdout, so meson (protocol: 'tap') counts
every case, and a skipped case shows as a skip with its reason instead of a pass.

TAP needs stdout to itself: from here on everything else the test or its child processes
print goes to stderr (meson keeps both in its log).
"""
import os
import signal
import sys
import traceback
import unittest

import ferrytest


def _name(test):
    return test.id().removeprefix("__main__.")


def _diagnostics(text):
    return "".join(f"# {line}\n" for line in text.rstrip("\n").split("\n"))


class TapResult(unittest.TestResult):
    """One TAP line per case; failed subtests get a line each."""

    def __init__(self, tap):
        super().__init__()
        self.tap = tap
        self.number = 0
        self.passed = 0

    def _line(self, ok, test, directive="", error=None):
        self.number += 1
        text = f"{'ok' if ok else 'not ok'} {self.number} - {test}"
        if directive:
            text += f" # {directive}"
        text = text.replace("\n", " ")
        if error is not None:
            details = "".join(traceback.format_exception(*error))
            sys.stderr.write(f"--- {test}\n{details}")
            text += "\n" + _diagnostics(details).rstrip("\n")
        self.tap.write(text + "\n")
        self.tap.flush()

    def startTest(self, test):
        super().startTest(test)
        ferrytest.current_test = test.id()
        sys.stderr.write(f"=== {_name(test)}\n")
        sys.stderr.flush()

    def stopTest(self, test):
        super().stopTest(test)
        ferrytest.current_test = None
        self.check_leftovers(_name(test), ferrytest.sweep_groups(test.id()))

    def check_leftovers(self, owner, leftovers):
        """A test that leaves a server's processes running fails (they are killed now)."""
        if not leftovers:
            return
        lines = [f"process group {pgid}: " + ", ".join(f"{pid} {name}" for pid, name in members)
                 for pgid, members in leftovers]
        message = f"left processes running after it ended (killed now):\n" + "\n".join(lines)
        self.errors.append((owner, message))
        sys.stderr.write(f"--- {owner}\n{message}\n")
        self.number += 1
        self.tap.write(f"not ok {self.number} - {owner}: leftover processes\n"
                       + _diagnostics(message))
        self.tap.flush()

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1
        self._line(True, _name(test))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(False, _name(test), error=err)

    def addError(self, test, err):
        super().addError(test, err)
        self._line(False, _name(test), error=err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        # A skip in setUpClass/setUpModule names the class or module: all its cases.
        self._line(True, _name(test), f"SKIP {reason}")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._line(False, _name(test), "TODO expected failure")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._line(True, _name(test), "TODO expected to fail, passed")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._line(False, _name(subtest), error=err)


def _terminated(signum, frame):
    raise KeyboardInterrupt("SIGTERM")


def run(module="__main__"):
    """Runs module's tests; returns the exit status: 1 when a case failed, or when none ran
    and none was skipped either (an empty module)."""
    sys.stdout.flush()
    tap = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[module])
    if len(sys.argv) > 1:
        # Like unittest.main: names on the command line pick the cases to run.
        suite = unittest.defaultTestLoader.loadTestsFromNames(sys.argv[1:], sys.modules[module])
    result = TapResult(tap)
    # meson ends a test that ran out of time with SIGTERM: unwind, so the servers go too.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        suite.run(result)
    finally:
        # Servers of setUpClass/setUpModule whose tearDown never ran.
        result.check_leftovers("the test module", ferrytest.sweep_groups(everything=True))
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.passed
    tap.write(f"1..{result.number}\n")
    tap.write(f"# {passed} passed, {failed} failed, {len(result.skipped)} skipped\n")
    tap.flush()
    return 1 if failed or (result.testsRun == 0 and not result.skipped) else 0


def skip_all(reason):
    """Ends a test that cannot run here at all: a visible skip in TAP (exit status 77 would
    be an error under protocol: 'tap')."""
    print(f"1..0 # SKIP {reason}", flush=True)
    sys.exit(0)
