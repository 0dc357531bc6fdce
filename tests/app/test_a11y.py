# SPDX-License-Identifier: GPL-3.0-or-later
"""The accessibility tree of a real `ferry` window: a screen reader must find the server's
files by name and every header-bar button by its label.

GTK 4 speaks AT-SPI itself; it needs only the accessibility bus, which the session bus of
dbus-run-session starts on demand (org.a11y.Bus from at-spi2-core). The test re-runs itself
under Xvfb and `dbus-run-session` so the app and pyatspi share that bus.
"""
import contextlib
import os
import subprocess
import sys
import time
import unittest

import ferryapptest
import ferrytest

FERRY_APP = os.environ.get("FERRY_APP")
APP_ID = "io.github.ferryftp.Ferry"
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
    """Each test starts a real `ferry`, reads its tree the way a screen reader does, and
    looks for names: files of the server, and the labels of the icon-only buttons."""

    FILES = {"report.pdf": b"%PDF-1.4\n", "notes.txt": b"hello\n", "photos/": None,
             "photos/beach.jpg": b"\xff\xd8\xff", ".secret": b"hidden\n"}

    def setUp(self):
        import pyatspi  # only inside the private session
        self.pyatspi = pyatspi
        self.stack = contextlib.ExitStack()
        root = self.stack.enter_context(ferrytest.temp_tree(self.FILES))
        self.server = self.stack.enter_context(ferrytest.Pyftpdlib(root))
        self.scratch = self.stack.enter_context(ferryapptest.scratch_dir())
        self.app = None

    def tearDown(self):
        if self.app is not None:
            ferrytest.stop_process(self.app)
        self.stack.close()

    def launch(self, *args):
        env = ferryapptest.gui_env(self.scratch)
        env.pop("NO_AT_BRIDGE", None)
        self.app = subprocess.Popen([FERRY_APP, *args], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
        node = find_app(self.pyatspi)
        if node is None:
            self.app.terminate()
            sys.stderr.write(self.app.stderr.read().decode("utf-8", "replace")[-4000:])
        self.assertIsNotNone(node, "ferry never appeared on the AT-SPI bus")
        return node

    def names_once(self, node, expected, timeout=20):
        """The accessible names under node, once they include all of expected."""
        names = set()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = []
            collect(node, found)
            names = {name for _, name in found}
            if set(expected) <= names:
                break
            time.sleep(0.3)
        return names

    def test_command_line_url_opens_the_folder(self):
        node = self.launch(f"ftp://127.0.0.1:{self.server.port}/photos")
        names = self.names_once(node, ["beach.jpg", "photos"])
        self.assertIn("beach.jpg", names)
        self.assertIn("photos", names, "no breadcrumb for the folder")
        self.assertNotIn("report.pdf", names)

    def test_dbus_action_connects_and_buttons_are_named(self):
        node = self.launch()
        url = f"ftp://127.0.0.1:{self.server.port}/"
        # The window's actions are on the session bus (org.gtk.Actions), as for any
        # GtkApplicationWindow: this is how scripts drive Ferry.
        subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID,
                        "--object-path", "/io/github/ferryftp/Ferry/window/1",
                        "--method", "org.gtk.Actions.Activate", "connect",
                        f"[<'{url}'>]", "{}"],
                       check=True, stdout=subprocess.DEVNULL, timeout=30)
        names = self.names_once(node, ["report.pdf", "notes.txt", "photos"])
        for expected in ("report.pdf", "notes.txt", "photos"):
            self.assertIn(expected, names)
        self.assertNotIn(".secret", names)
        for button in ("Back", "Parent Folder", "Reload", "New Folder", "Main Menu"):
            self.assertIn(button, names, f"no accessible {button!r} button")
        self.assertTrue(any(n.replace("_", "").startswith("Upload") for n in names),
                        "no accessible Upload button")


if __name__ == "__main__":
    if os.environ.get(INNER) is None:
        missing = ferryapptest.missing_tools()
        if missing or not FERRY_APP:
            reason = f"missing {', '.join(missing)}" if missing else "ferry was not built"
            ferrytest.skip_all(reason)
        sys.exit(ferryapptest.rerun_in_session(__file__, INNER))
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        AccessibilityTree = unittest.skip("python3-pyatspi is not installed")(AccessibilityTree)
    ferrytest.main()
