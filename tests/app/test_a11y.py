# SPDX-License-Identifier: GPL-3.0-or-later
"""The accessibility tree of a real `ferry` window: a screen reader must find the server's
files by name and every button, toggle and menu item by its label, read once (issue 17
item 14: GTK 4.8 read "_Upload Upload", "GtkImage", "GtkMenuButton"). Ctrl+click adds a
file to the selection (item 15), clicked through the X server as a person does.

GTK 4 speaks AT-SPI itself; it needs only the accessibility bus, which the session bus of
dbus-run-session starts on demand (org.a11y.Bus from at-spi2-core). The test re-runs itself
under Xvfb and `dbus-run-session` so the app and pyatspi share that bus.
"""
import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import unittest

import ferryapptest
import ferrytest

FERRY_APP = os.environ.get("FERRY_APP")
APP_ID = "io.github.ferryftp.Ferry"
INNER = "FERRY_A11Y_INNER"
# What a person presses or toggles: each must be named by its label, once.
CONTROL_ROLES = {"push button", "toggle button", "check box", "radio button", "switch",
                 "menu item", "check menu item", "radio menu item", "toggle"}
TYPE_NAME = re.compile(r"(Gtk|Adw|Ferry|Gdk)[A-Z]\w*")


def name_problem(name):
    """Why name is no name for a control, or None."""
    if not name.strip():
        return "no name"
    if TYPE_NAME.fullmatch(name):
        return "a type name"
    if "_" in name:
        return "a mnemonic underscore"
    words = name.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half > 0 and words[:half] == words[half:]:
        return "the label twice"
    return None


def controls(node, out, depth=0):
    """(role name, name) of every control below node."""
    if node is None or depth > 60:
        return out
    try:
        role = node.getRoleName()
        if role in CONTROL_ROLES:
            out.append((role, node.name or ""))
        children = list(node)
    except Exception:  # a node can vanish while we walk: skip it
        return out
    for child in children:
        controls(child, out, depth + 1)
    return out


def find_node(node, predicate, depth=0):
    """The first node below node (depth first) for which predicate is true, or None."""
    if node is None or depth > 60:
        return None
    try:
        if predicate(node):
            return node
        children = list(node)
    except Exception:
        return None
    for child in children:
        found = find_node(child, predicate, depth + 1)
        if found is not None:
            return found
    return None


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


def collect_roles(node, roles, out=None, depth=0):
    """(role name, name) of the nodes below node whose role is in roles."""
    out = [] if out is None else out
    if node is None or depth > 60:
        return out
    try:
        if node.getRoleName() in roles:
            out.append((node.getRoleName(), node.name or ""))
        children = list(node)
    except Exception:
        return out
    for child in children:
        collect_roles(child, roles, out, depth + 1)
    return out


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

    def wait_for_node(self, node, predicate, what, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = find_node(node, predicate)
            if found is not None:
                return found
            time.sleep(0.2)
        self.fail(f"no {what} after {timeout} s")

    def press(self, node, name):
        """Does the first action (click, toggle) of the control named name."""
        def pressable(n):
            if n.getRoleName() not in CONTROL_ROLES or n.name != name:
                return False
            try:
                return n.queryAction().nActions > 0
            except NotImplementedError:
                return False
        self.wait_for_node(node, pressable, f"control {name!r}").queryAction().doAction(0)

    def assert_controls_named(self, node, expected):
        """Every control under node is well named, once the names in expected are there."""
        self.names_once(node, expected)
        found = controls(node, [])
        names = {name for _, name in found}
        for name in expected:
            self.assertIn(name, names)
        problems = [f"{role} {name!r}: {why}" for role, name in found
                    if (why := name_problem(name)) is not None]
        if problems:
            self.fail("controls a screen reader cannot read right:\n  " + "\n  ".join(problems))
        return found

    def activate(self, action, *parameter, path="/io/github/ferryftp/Ferry/window/1"):
        subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID, "--object-path", path,
                        "--method", "org.gtk.Actions.Activate", action,
                        f"[{', '.join(parameter)}]", "{}"],
                       check=True, stdout=subprocess.DEVNULL, timeout=30)

    def test_name_problems_are_found(self):
        # The checks themselves, on the names GTK 4.8 gave before the repair.
        for bad in ("_Upload Upload", "GtkImage", "GtkMenuButton", "", "Anonymous Anonymous",
                    "_Apply to all conflicts"):
            self.assertIsNotNone(name_problem(bad), bad)
        for good in ("Upload", "Show Text", "Other Server…", "Connect", "Main Menu"):
            self.assertIsNone(name_problem(good), good)

    def test_connect_page_menu_and_dialogs_are_named(self):
        """Everything reachable without a server: the connect page, the main menu,
        Preferences, Keyboard Shortcuts and About."""
        node = self.launch()
        self.assert_controls_named(node, ["Connect", "Anonymous", "Encrypt the Connection",
                                          "Show Text", "Main Menu"])
        self.press(node, "Main Menu")
        self.assert_controls_named(node, ["Preferences", "Keyboard Shortcuts", "About Ferry",
                                          "Share a Folder…"])
        self.activate("preferences", path="/io/github/ferryftp/Ferry")
        self.assert_controls_named(node, ["Choose a Download Folder", "Confirm Before Deleting"])
        self.activate("show-help-overlay")
        self.activate("about", path="/io/github/ferryftp/Ferry")
        self.assert_controls_named(node, ["Choose a Download Folder"])
        titles = {name for role, name in collect_roles(node, {"frame", "dialog"})}
        for title in ("Preferences", "Keyboard Shortcuts"):
            self.assertTrue(any(title in t for t in titles), f"no {title} window in {titles}")

    def connect_to_server(self, node):
        self.activate("connect", f"<'ftp://127.0.0.1:{self.server.port}/'>")
        self.names_once(node, ["report.pdf", "notes.txt", "photos"])

    def test_browse_page_menus_and_dialogs_are_named(self):
        """Browsing: the header bar (Upload and its menu), the Upload menu, the New Folder
        dialog and the file list's context menu."""
        node = self.launch()
        self.connect_to_server(node)
        self.assert_controls_named(node, ["Upload", "More Upload Options", "Back",
                                          "Parent Folder", "Reload", "New Folder"])
        self.press(node, "More Upload Options")
        self.assert_controls_named(node, ["Upload Files…", "Upload a Folder…"])
        subprocess.run(["xdotool", "key", "Escape"], check=True, timeout=30)
        self.press(node, "New Folder")
        self.assert_controls_named(node, ["Cancel", "Create"])
        subprocess.run(["xdotool", "key", "Escape"], check=True, timeout=30)
        self.click_row(node, "notes.txt", button=3)
        self.assert_controls_named(node, ["Download", "Download To…", "Rename…", "Delete"])

    def row_of(self, node, name):
        """The table row showing the file name."""
        def is_row(n):
            return n.getRoleName() == "table row" and find_node(
                n, lambda c: c.getRoleName() == "label" and c.name == name) is not None
        return self.wait_for_node(node, is_row, f"row for {name}")

    def click_row(self, node, name, button=1, modifier=None):
        """Clicks the middle of the file's row through the X server (xdotool), holding
        modifier down: the events GDK gets are those of a real mouse and keyboard."""
        from pyatspi import WINDOW_COORDS
        row = self.row_of(node, name)
        x, y, width, height = row.queryComponent().getExtents(WINDOW_COORDS)
        window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid",
                                 str(self.app.pid)], check=True, capture_output=True,
                                text=True, timeout=30).stdout.split()[0]
        argv = ["xdotool", "mousemove", "--window", window, str(x + min(width, 200) // 2),
                str(y + height // 2)]
        if modifier:
            argv += ["keydown", modifier]
        argv += ["click", str(button)]
        if modifier:
            argv += ["keyup", modifier]
        subprocess.run(argv, check=True, timeout=30)

    def selected_rows(self, node, names):
        import pyatspi
        return {name for name in names
                if self.row_of(node, name).getState().contains(pyatspi.STATE_SELECTED)}

    def wait_selected(self, node, names, expected, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            selected = self.selected_rows(node, names)
            if selected == expected or time.monotonic() > deadline:
                return selected
            time.sleep(0.2)

    @unittest.skipUnless(shutil.which("xdotool"), "xdotool is not installed")
    def test_ctrl_click_adds_to_the_selection(self):
        """Issue 17 item 15. On GTK 4.8 a column view selected twice per click (cell and
        row) and Ctrl's toggle undid itself; the Ctrl that xdotool holds reaches GDK."""
        node = self.launch()
        self.connect_to_server(node)
        files = ["notes.txt", "report.pdf", "photos"]
        self.click_row(node, "notes.txt")
        self.assertEqual(self.wait_selected(node, files, {"notes.txt"}), {"notes.txt"})
        self.click_row(node, "report.pdf", modifier="ctrl")
        self.assertEqual(self.wait_selected(node, files, {"notes.txt", "report.pdf"}),
                         {"notes.txt", "report.pdf"})
        # Ctrl+click on a selected file takes it out again; a plain click selects one.
        self.click_row(node, "notes.txt", modifier="ctrl")
        self.assertEqual(self.wait_selected(node, files, {"report.pdf"}), {"report.pdf"})
        self.click_row(node, "photos")
        self.assertEqual(self.wait_selected(node, files, {"photos"}), {"photos"})

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
        buttons = ("Back", "Parent Folder", "Reload", "New Folder", "Main Menu")
        # The header bar follows the listing: wait for both, not for a time.
        names = self.names_once(node, ["report.pdf", "notes.txt", "photos", *buttons])
        for expected in ("report.pdf", "notes.txt", "photos"):
            self.assertIn(expected, names)
        self.assertNotIn(".secret", names)
        for button in buttons:
            self.assertIn(button, names, f"no accessible {button!r} button")
        self.assertIn("Upload", names, "no accessible Upload button")


if __name__ == "__main__":
    if os.environ.get(INNER) is None:
        missing = ferryapptest.missing_tools()
        if missing or not FERRY_APP:
            reason = f"missing {', '.join(missing)}" if missing else "ferry was not built"
            ferrytest.skip_all(reason)
        # Five windows, each waited for by condition: minutes under ASan on a loaded machine.
        sys.exit(ferryapptest.rerun_in_session(__file__, INNER, timeout=540))
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        AccessibilityTree = unittest.skip("python3-pyatspi is not installed")(AccessibilityTree)
    ferrytest.main()
