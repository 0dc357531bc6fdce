"""Helpers for the GUI tests: a private X server and D-Bus session, and the GSettings schema."""
import os
import shutil
import subprocess
import tempfile

import ferrytest

BUILD_ROOT = os.environ.get("FERRY_BUILD_ROOT", "")
SCHEMA = os.path.join(ferrytest.SOURCE_ROOT, "data", "io.github.ferryftp.Ferry.gschema.xml")


def missing_tools():
    return [tool for tool in ("xvfb-run", "dbus-run-session") if not shutil.which(tool)]


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


def run_in_session(cmd, env, timeout):
    """Runs cmd under Xvfb and a private session bus; returns (exit code, output)."""
    full = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", "dbus-run-session", "--"] + cmd
    proc = subprocess.run(full, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=timeout)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def scratch_dir():
    return tempfile.TemporaryDirectory(prefix="ferry-gui-")
