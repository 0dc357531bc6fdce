# SPDX-License-Identifier: GPL-3.0-or-later
"""`meson devenv -C _build ferry` opens the Ferry window from the build folder, uninstalled
and with nothing set by hand (issue 12: the app aborted on its missing settings schema
unless you knew to set GSETTINGS_SCHEMA_DIR). Runs itself again under Xvfb and a private
D-Bus session."""
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import ferrytest
from ferryapptest import BUILD_ROOT, missing_tools, rerun_in_session, scratch_dir

INNER = "FERRY_DEVENV_TEST_INNER"
APP_ID = "io.github.ferryftp.Ferry"


def uninstalled_env(scratch):
    """The environment of someone who just built Ferry: no schema folder set, nothing of
    the test run's own."""
    env = {k: v for k, v in os.environ.items() if k not in ("GSETTINGS_SCHEMA_DIR",
                                                             "GSETTINGS_BACKEND")}
    env.update(GSK_RENDERER="cairo", GDK_BACKEND="x11", GDK_DEBUG="gl-disable",
               NO_AT_BRIDGE="1",
               XDG_CONFIG_HOME=os.path.join(scratch, "config"),
               XDG_CACHE_HOME=os.path.join(scratch, "cache"),
               XDG_DATA_HOME=os.path.join(scratch, "data"))
    return env


def window_titles():
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True,
                          timeout=10).stdout
    return [line.split('"')[1] for line in tree.splitlines() if line.count('"') >= 2]


def schema_installed():
    dirs = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share").split(":")
    return any(os.path.exists(os.path.join(d, "glib-2.0", "schemas", APP_ID + ".gschema.xml"))
               for d in dirs)


class Devenv(unittest.TestCase):
    def test_meson_devenv_opens_the_window(self):
        with scratch_dir() as scratch, tempfile.TemporaryFile() as output:
            # meson runs ferry as its child: a process group of their own, to end both
            app = subprocess.Popen([shutil.which("meson"), "devenv", "-C", BUILD_ROOT, "ferry"],
                                   env=uninstalled_env(scratch), stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
            try:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and app.poll() is None:
                    if "Ferry" in window_titles():
                        break
                    time.sleep(0.2)
                output.seek(0)
                self.assertIsNone(app.poll(), output.read().decode(errors="replace"))
                self.assertIn("Ferry", window_titles())
            finally:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(app.pid, signal.SIGTERM)
                app.wait(10)

    @unittest.skipIf(schema_installed(), "the settings schema is installed on this machine")
    def test_without_devenv_the_built_app_misses_its_schema(self):
        """Why devenv is needed: the bare build has no schema to find."""
        with scratch_dir() as scratch:
            app = subprocess.run([os.path.join(BUILD_ROOT, "src", "app", "ferry")],
                                 env=uninstalled_env(scratch), capture_output=True, timeout=60)
            self.assertNotEqual(app.returncode, 0)
            self.assertIn(f"Settings schema '{APP_ID}' is not installed",
                          app.stderr.decode(errors="replace"))


def main():
    if os.environ.get(INNER):
        ferrytest.main()
    missing = missing_tools() + [t for t in ("xwininfo", "meson") if not shutil.which(t)]
    if missing:
        ferrytest.skip_all(f"missing {', '.join(missing)} (Debian: xvfb, dbus, x11-utils, meson)")
    sys.exit(rerun_in_session(__file__, INNER, timeout=150))


if __name__ == "__main__":
    main()
