# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the GUI tests: a private X server and D-Bus session, and the GSettings schema."""
import os
import shutil
import subprocess
import tempfile

import ferrytest

BUILD_ROOT = os.environ.get("FERRY_BUILD_ROOT", "")
SCHEMA = os.path.join(ferrytest.SOURCE_ROOT, "data", "io.github.ferryftp.Ferry.gschema.xml")


def missing_tools():
    return [tool for tool in ("Xvfb", "dbus-run-session") if not shutil.which(tool)]


def schema_dir(scratch):
    """The compiled schema of the build, or one compiled into scratch from the source."""
    built = os.path.join(BUILD_ROOT, "data")
    if os.path.exists(os.path.join(built, "gschemas.compiled")):
        return built
    target = os.path.join(scratch, "schemas")
    os.makedirs(target, exist_ok=True)
    shutil.copy(SCHEMA, target)
    subprocess.run(["glib-compile-schemas", target], check=True)
    return target


def gui_env(scratch, **extra):
    env = dict(os.environ)
    env.update(GSETTINGS_SCHEMA_DIR=schema_dir(scratch), GSETTINGS_BACKEND="memory",
               GSK_RENDERER="cairo", GDK_BACKEND="x11", GDK_DEBUG="gl-disable",
               NO_AT_BRIDGE="1",
               XDG_CONFIG_HOME=os.path.join(scratch, "config"),
               XDG_CACHE_HOME=os.path.join(scratch, "cache"),
               XDG_DATA_HOME=os.path.join(scratch, "data"))
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Xvfb:
    """A private X server on a display it picks itself (-displayfd), so tests running at
    the same time never race for one as `xvfb-run -a` does. -noreset: a server that resets
    when its last client leaves (the a11y bus launcher does, early) refuses the next one."""

    def __init__(self, screen="1280x1024x24"):
        self.screen = screen
        self.proc = None
        self.display = None

    def __enter__(self):
        read_end, write_end = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0",
                                      self.screen, "-nolisten", "tcp", "-noreset"],
                                     pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as f:
            number = f.readline().strip()
        if not number:
            self.__exit__()
            raise RuntimeError("Xvfb did not start")
        self.display = ":" + number
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def run_in_session(cmd, env, timeout):
    """Runs cmd under Xvfb and a private session bus; returns (exit code, output)."""
    with Xvfb() as xvfb:
        env = dict(env, DISPLAY=xvfb.display)
        env.pop("WAYLAND_DISPLAY", None)
        proc = subprocess.run(["dbus-run-session", "--"] + cmd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def rerun_in_session(script, inner_variable, timeout=110):
    """Runs the test script again under Xvfb and a private D-Bus session, with
    inner_variable set so that it runs its tests there; prints its output and returns its
    exit code."""
    import sys
    env = dict(os.environ, **{inner_variable: "1"})
    code, output = run_in_session([sys.executable, os.path.abspath(script)], env, timeout)
    write_tap(output)
    return code


def run_cmocka_in_session(case, argv, env, timeout):
    """run_in_session for a cmocka program: each case it skipped shows as a skipped subtest
    of case (a pass of the whole program is not a pass of every case in it)."""
    import cmocka_tap
    code, output = run_in_session(argv, dict(env, CMOCKA_MESSAGE_OUTPUT="TAP"), timeout)
    for line in output.splitlines():
        m = cmocka_tap.CMOCKA_SKIP.match(line)
        if m:
            with case.subTest(case=m[2]):
                case.skipTest(f"{os.path.basename(argv[0])} skipped it (its output says why)")
    return code, output


def write_tap(output):
    """Passes the session's output on as TAP (protocol: 'tap'): its cases as they are, what
    Xvfb, D-Bus and the program said as comments."""
    import cmocka_tap
    for line in output.splitlines():
        line = cmocka_tap.fix_line(line)
        print(line if line.startswith(("ok ", "not ok ", "1..", "#")) else f"# {line}")


def main():
    """run-in-session: `ferryapptest.py PROGRAM [ARGS…]` runs one program under Xvfb and a
    private D-Bus session and exits with its status (for the cmocka programs)."""
    import sys
    import cmocka_tap
    if missing_tools():
        ferrytest.skip_all(f"missing {', '.join(missing_tools())}")
    with scratch_dir() as scratch:
        code, output = run_in_session(sys.argv[1:], cmocka_tap.environment(gui_env(scratch)),
                                      timeout=600)
    write_tap(output)
    sys.exit(code)


def scratch_dir():
    return tempfile.TemporaryDirectory(prefix="ferry-gui-")


if __name__ == "__main__":
    main()
