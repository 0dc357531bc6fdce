"""The accessibility tree of a real `ferry` window: a screen reader must find the server's
files by name and every header-bar button by its label.

GTK 4 speaks AT-SPI itself; it needs only the accessibility bus, which the session bus of
dbus-run-session starts on demand (org.a11y.Bus from at-spi2-core). The test re-runs itself
under Xvfb and `dbus-run-session` so the app and pyatspi share that bus.
"""
import os
import subprocess
import sys
import time
import unittest

import ferryapptest
import ferrytest

FERRY_APP = os.environ.get("FERRY_APP")
INNER = "FERRY_A11Y_INNER"


def collect(node, out, depth=0):
    """(role name, name) of every node below node, depth first."""
    if node is None or depth > 60:
        return
    try:
        out.append((node.getRoleName(), node.name or ""))
        children = list(node)
    except Exception:  # a node can vanish while we walk: skip it
        return
    for child in children:
        collect(child, out, depth + 1)


def find_app(pyatspi, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and app.name in ("ferry", "Ferry"):
                return app
        time.sleep(0.2)
    return None


class AccessibilityTree(unittest.TestCase):
    def test_window_names_files_and_buttons(self):
        import pyatspi  # only inside the private session

        files = {"report.pdf": b"%PDF-1.4\n", "notes.txt": b"hello\n", "photos/": None,
                 ".secret": b"hidden\n"}
        with ferrytest.temp_tree({k: v for k, v in files.items() if v is not None}) as root:
            os.makedirs(os.path.join(root, "photos"))
            with ferrytest.Pyftpdlib(root) as server, ferryapptest.scratch_dir() as scratch:
                env = ferryapptest.gui_env(scratch)
                env.pop("NO_AT_BRIDGE", None)
                env.pop("GTK_A11Y", None)
                app = subprocess.Popen([FERRY_APP, f"ftp://127.0.0.1:{server.port}/"],
                                       env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE)
                try:
                    node = find_app(pyatspi)
                    if node is None:
                        app.terminate()
                        sys.stderr.write(app.stderr.read().decode("utf-8", "replace")[-4000:])
                    self.assertIsNotNone(node, "ferry never appeared on the AT-SPI bus")
                    names = set()
                    deadline = time.monotonic() + 20
                    while time.monotonic() < deadline:
                        found = []
                        collect(node, found)
                        names = {name for _, name in found}
                        if {"report.pdf", "notes.txt", "photos"} <= names:
                            break
                        time.sleep(0.3)
                    for expected in ("report.pdf", "notes.txt", "photos"):
                        self.assertIn(expected, names)
                    self.assertNotIn(".secret", names)
                    for button in ("Back", "Parent Folder", "Reload", "New Folder",
                                   "Main Menu"):
                        self.assertIn(button, names, f"no accessible {button!r} button")
                    self.assertTrue(any(n.replace("_", "").startswith("Upload") for n in names),
                                    "no accessible Upload button")
                finally:
                    app.terminate()
                    try:
                        app.wait(10)
                    except subprocess.TimeoutExpired:
                        app.kill()
                        app.wait()
                    app.stdout.close()
                    app.stderr.close()


def run_inside_session():
    """Re-runs this file under Xvfb and a private D-Bus session; returns the exit code."""
    env = dict(os.environ, **{INNER: "1"})
    code, output = ferryapptest.run_in_session([sys.executable, os.path.abspath(__file__)],
                                               env, timeout=110)
    sys.stdout.write(output)
    return code


if __name__ == "__main__":
    if os.environ.get(INNER) is None:
        missing = ferryapptest.missing_tools()
        if missing or not FERRY_APP:
            reason = f"missing {', '.join(missing)}" if missing else "ferry was not built"
            print(f"skipping: {reason}")
            print("0 passed, 0 failed, 1 skipped")
            sys.exit(77)
        sys.exit(run_inside_session())
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        AccessibilityTree = unittest.skip("python3-pyatspi is not installed")(AccessibilityTree)
    ferrytest.main()
