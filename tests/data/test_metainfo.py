# SPDX-License-Identifier: GPL-3.0-or-later
"""The AppStream metainfo validates and agrees with the desktop entry, the build and the repo."""
import os
import unittest
import xml.etree.ElementTree as ET

import datatest
import ferrytest

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCREENSHOT_URL = "https://github.com/ferryftp/ferry/raw/main/"


class MetainfoTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.path = datatest.built_file(datatest.APP_ID + ".metainfo.xml")
        cls.root = ET.parse(cls.path).getroot()

    def test_appstreamcli_validate(self):
        appstreamcli = datatest.tool("appstreamcli", "appstream")
        for path in (self.path,
                     os.path.join(datatest.DATA_DIR, datatest.APP_ID + ".metainfo.xml.in")):
            with self.subTest(path=os.path.basename(path)):
                result = datatest.run([appstreamcli, "validate", "--no-net", "--no-color", path])
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_identity(self):
        self.assertEqual(self.root.get("type"), "desktop-application")
        self.assertEqual(self.root.findtext("id"), datatest.APP_ID)
        launchable = self.root.find("launchable")
        self.assertEqual(launchable.get("type"), "desktop-id")
        self.assertEqual(launchable.text, datatest.APP_ID + ".desktop")
        binaries = sorted(b.text for b in self.root.findall("provides/binary"))
        self.assertEqual(binaries, ["ferry", "ferry-cli", "ferryd"])
        self.assertEqual(self.root.find("content_rating").get("type"), "oars-1.1")
        urls = {u.get("type"): u.text for u in self.root.findall("url")}
        for kind in ("homepage", "bugtracker", "vcs-browser"):
            self.assertTrue(urls.get(kind, "").startswith("https://"), kind)

    def test_release_is_the_project_version(self):
        newest = self.root.find("releases/release")
        self.assertEqual(newest.get("version"), datatest.project_version())
        self.assertRegex(newest.get("date"), r"^\d{4}-\d{2}-\d{2}$")

    def test_screenshots_are_in_the_repository(self):
        images = [i.text.strip() for i in self.root.findall("screenshots/screenshot/image")]
        self.assertTrue(images)
        for url in images:
            with self.subTest(url=url):
                self.assertTrue(url.startswith(SCREENSHOT_URL), url)
                local = os.path.join(datatest.SOURCE_ROOT, url[len(SCREENSHOT_URL):])
                self.assertTrue(os.path.isfile(local),
                                f"{local} is missing: the metainfo shows it on software centres")
                with open(local, "rb") as f:
                    self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_translated_into_chinese(self):
        for tag in ("summary", "description/p", "screenshots/screenshot/caption"):
            with self.subTest(tag=tag):
                langs = [e.get(XML_LANG) for e in self.root.findall(tag)]
                self.assertIn("zh_CN", langs, f"<{tag}> has no zh_CN translation in po/zh_CN.po")


if __name__ == "__main__":
    ferrytest.main()
