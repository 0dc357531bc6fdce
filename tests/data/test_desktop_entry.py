# SPDX-License-Identifier: GPL-3.0-or-later
"""The desktop entry validates, is translated, and matches the D-Bus service and the icons."""
import configparser
import os
import re
import unittest
import xml.etree.ElementTree as ET

import datatest
import ferrytest

SVG = "{http://www.w3.org/2000/svg}"
ICON_DIR = os.path.join(datatest.DATA_DIR, "icons", "hicolor")


def read_ini(path, section):
    parser = configparser.RawConfigParser(strict=True, interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser[section]


def svg_colours(root):
    """Every fill/stroke colour an SVG uses, from attributes and style="…"."""
    colours = set()
    for element in root.iter():
        values = [element.get("fill"), element.get("stroke")]
        for decl in (element.get("style") or "").split(";"):
            name, _, value = decl.partition(":")
            if name.strip() in ("fill", "stroke"):
                values.append(value)
        colours.update(v.strip().lower() for v in values if v)
    return colours


class DesktopEntryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.path = datatest.built_file(datatest.APP_ID + ".desktop")
        cls.entry = read_ini(cls.path, "Desktop Entry")

    def test_desktop_file_validate(self):
        validate = datatest.tool("desktop-file-validate", "desktop-file-utils")
        result = datatest.run([validate, self.path])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        problems = [line for line in result.stdout.splitlines()
                    if re.search(r"\b(error|warning):", line)]
        self.assertEqual(problems, [])

    def test_launches_ferry_with_uris(self):
        self.assertEqual(self.entry["Exec"], "ferry %U")
        self.assertEqual(self.entry["Type"], "Application")
        self.assertEqual(self.entry["StartupNotify"], "true")
        mime = self.entry["MimeType"].rstrip(";").split(";")
        self.assertEqual(sorted(mime), ["x-scheme-handler/ftp", "x-scheme-handler/ftps"])
        categories = self.entry["Categories"].rstrip(";").split(";")
        for category in ("Network", "FileTransfer", "GTK", "GNOME"):
            self.assertIn(category, categories)

    def test_translated_into_chinese(self):
        # msgfmt merged the zh_CN translations from po/ into the built file; the name
        # "Ferry" is a brand and may stay as it is.
        self.assertTrue(self.entry.get("Name[zh_CN]"))
        for key in ("GenericName", "Comment", "Keywords"):
            with self.subTest(key=key):
                value = self.entry.get(key + "[zh_CN]")
                self.assertTrue(value, f"{key}[zh_CN] missing: is it translated in po/zh_CN.po?")
                self.assertRegex(value, r"[\u4e00-\u9fff]")

    def test_dbus_activation_matches_the_service_file(self):
        self.assertEqual(self.entry["DBusActivatable"], "true")
        service = read_ini(datatest.built_file(datatest.APP_ID + ".service"), "D-BUS Service")
        self.assertEqual(service["Name"], datatest.APP_ID)
        exec_line = service["Exec"].split()
        self.assertTrue(os.path.isabs(exec_line[0]), exec_line)
        self.assertEqual(os.path.basename(exec_line[0]), "ferry")
        self.assertEqual(exec_line[1:], ["--gapplication-service"])

    def test_icon_is_drawn_for_the_app(self):
        self.assertEqual(self.entry["Icon"], datatest.APP_ID)
        root = ET.parse(os.path.join(ICON_DIR, "scalable", "apps",
                                     datatest.APP_ID + ".svg")).getroot()
        self.assertEqual(root.get("viewBox"), "0 0 128 128")
        self.assertIsNone(root.find(f".//{SVG}text"), "app icons carry no text")

    def test_symbolic_icon_is_one_colour(self):
        root = ET.parse(os.path.join(ICON_DIR, "symbolic", "apps",
                                     datatest.APP_ID + "-symbolic.svg")).getroot()
        self.assertEqual(root.get("viewBox"), "0 0 16 16")
        self.assertEqual(svg_colours(root) - {"none"}, {"#2e3436"})


if __name__ == "__main__":
    ferrytest.main()
