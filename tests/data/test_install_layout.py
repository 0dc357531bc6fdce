# SPDX-License-Identifier: GPL-3.0-or-later
"""`meson install` puts every file where a distribution expects it, and GUI files only with the GUI."""
import json
import os
import re
import unittest

import datatest
import ferrytest

GUI_FILES = [
    "share/applications/{app}.desktop",
    "share/metainfo/{app}.metainfo.xml",
    "share/dbus-1/services/{app}.service",
    "share/glib-2.0/schemas/{app}.gschema.xml",
    "share/icons/hicolor/scalable/apps/{app}.svg",
    "share/icons/hicolor/symbolic/apps/{app}-symbolic.svg",
    "share/man/man1/ferry.1",
]

# Source file in data/ (written by the server and CLI engineers) -> where it must be installed.
PACKAGING_FILES = {
    "ferryd.8": "share/man/man8/ferryd.8",
    "ferry-cli.1": "share/man/man1/ferry-cli.1",
    "ferryd.conf.example": "share/doc/ferry/ferryd.conf.example",
    "ferryd.service": "lib/systemd/system/ferryd.service",
}


def load_intro(name):
    with open(os.path.join(datatest.BUILD_ROOT, "meson-info", f"intro-{name}.json")) as f:
        return json.load(f)


def needed_libraries(path):
    """DT_NEEDED entries of an ELF file, read with readelf."""
    readelf = datatest.tool("readelf", "binutils")
    result = datatest.run([readelf, "--dynamic", path])
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", result.stdout)


def gui_libraries(path):
    return [lib for lib in needed_libraries(path)
            if lib.startswith(("libgtk", "libadwaita", "libgdk"))]


class InstallLayoutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not datatest.BUILD_ROOT:
            raise AssertionError("FERRY_BUILD_ROOT is not set: run this test through meson test")
        prefix = load_intro("buildoptions")
        cls.prefix = next(o["value"] for o in prefix if o["name"] == "prefix")
        # Paths relative to the prefix, so the test reads the same for any --prefix.
        cls.installed = sorted(os.path.relpath(p, cls.prefix)
                               for p in load_intro("installed").values())
        # The top-level meson.build builds the GUI when GTK 4 and libadwaita are both found.
        found = {d["name"] for d in load_intro("dependencies")}
        cls.gui = {"gtk4", "libadwaita-1"} <= found

    def assert_installed(self, rel):
        self.assertIn(rel, self.installed, f"{rel} is not installed")

    def test_gui_is_installed_with_the_gui(self):
        if not self.gui:
            self.skipTest("headless build (-Dgui=disabled or no GTK 4/libadwaita)")
        if not os.environ.get("FERRY_APP"):
            self.skipTest("the ferry app is not built in this tree yet")
        self.assert_installed("bin/ferry")

    def test_server_and_cli_are_installed(self):
        for program, variable in (("ferryd", "FERRYD"), ("ferry-cli", "FERRY_CLI")):
            with self.subTest(program=program):
                if not os.environ.get(variable):
                    self.skipTest(f"{program} is not built in this tree yet")
                # A daemon may go to sbin, as distributions put sshd and vsftpd there.
                places = [f"bin/{program}"] + (["sbin/ferryd"] if program == "ferryd" else [])
                self.assertTrue(set(places) & set(self.installed),
                                f"{program} is not installed into {' or '.join(places)}")

    def test_packaging_files_are_installed(self):
        present = [name for name in PACKAGING_FILES
                   if os.path.exists(os.path.join(datatest.DATA_DIR, name))]
        for name in present:
            with self.subTest(name=name):
                self.assert_installed(PACKAGING_FILES[name])

    def test_logrotate_snippet_goes_to_logrotate_d(self):
        if not os.path.exists(os.path.join(datatest.DATA_DIR, "logrotate", "ferryd")):
            self.skipTest("no logrotate snippet in this tree yet")
        options = {o["name"]: o["value"] for o in load_intro("buildoptions")}
        # /etc/logrotate.d with prefix /usr, PREFIX/etc/logrotate.d otherwise (meson's rule).
        where = os.path.join(self.prefix, options["sysconfdir"], "logrotate.d", "ferryd")
        self.assert_installed(os.path.relpath(where, self.prefix))

    def test_unit_starts_the_installed_ferryd(self):
        unit = os.path.join(datatest.BUILD_DATA_DIR, "ferryd.service")
        if not os.path.exists(unit):
            self.skipTest("no configured ferryd.service in this tree yet")
        with open(unit, encoding="utf-8") as f:
            exec_start = [line.split("=", 1)[1].split()[0] for line in f
                          if line.startswith("ExecStart=")]
        self.assertEqual(len(exec_start), 1, exec_start)
        program = os.path.relpath(exec_start[0].lstrip("-@+!:"), self.prefix)
        self.assertIn(program, self.installed,
                      f"the unit starts {exec_start[0]}, which meson install does not put there")

    def test_no_file_is_installed_twice(self):
        # Two meson.build files installing one destination: data/meson.build owns the
        # packaging files, the component folders install only their programs.
        twice = sorted({p for p in self.installed if self.installed.count(p) > 1})
        self.assertEqual(twice, [])

    def test_gui_files_only_with_the_gui(self):
        for pattern in GUI_FILES:
            rel = pattern.format(app=datatest.APP_ID)
            with self.subTest(path=rel):
                if self.gui:
                    self.assert_installed(rel)
                else:
                    self.assertNotIn(rel, self.installed, "a headless build installs no GUI file")

    def test_server_and_cli_do_not_link_gtk(self):
        programs = [os.environ[v] for v in ("FERRYD", "FERRY_CLI") if os.environ.get(v)]
        if not programs:
            self.skipTest("neither ferryd nor ferry-cli is built in this tree yet")
        for program in programs:
            with self.subTest(program=os.path.basename(program)):
                if not os.path.exists(program):
                    self.fail(f"{program} is not built: build it before running the tests")
                self.assertEqual(gui_libraries(program), [])

    def test_the_gtk_check_sees_gtk_in_the_app(self):
        # The check above can fail: it finds GTK 4 where it is linked.
        app = os.environ.get("FERRY_APP")
        if not app or not os.path.exists(app):
            self.skipTest("the ferry app is not built in this tree")
        self.assertIn("libgtk-4.so.1", gui_libraries(app))


if __name__ == "__main__":
    ferrytest.main()
