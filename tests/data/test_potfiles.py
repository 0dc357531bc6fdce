# SPDX-License-Identifier: GPL-3.0-or-later
"""po/POTFILES.in lists every file with translatable strings, and only files that exist."""
import os
import re
import unittest

import datatest
import ferrytest

# _("…"), N_("…"), C_("ctx", "…"), NC_(…), ngettext/g_dngettext (…), in GNU or K&R spacing.
C_MARKER = re.compile(r'(?<![\w])(?:_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\(\s*"')
UI_MARKER = re.compile(r'translatable\s*=\s*["\']yes["\']')
SOURCE_SUFFIXES = (".c", ".h", ".ui", ".blp")

# The data files whose strings go through po/ (i18n.merge_file, gettext-domain).
DATA_FILES = [
    f"data/{datatest.APP_ID}.desktop.in",
    f"data/{datatest.APP_ID}.metainfo.xml.in",
    f"data/{datatest.APP_ID}.gschema.xml",
]


def files_with_translatable_strings():
    found = []
    src = os.path.join(datatest.SOURCE_ROOT, "src")
    for folder, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(SOURCE_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            if C_MARKER.search(text) or UI_MARKER.search(text):
                found.append(os.path.relpath(path, datatest.SOURCE_ROOT))
    return found


class PotfilesTest(unittest.TestCase):
    def test_every_source_file_with_strings_is_listed(self):
        listed = set(datatest.potfiles())
        sources = files_with_translatable_strings()
        self.assertTrue(sources, "no file under src/ has a translatable string: wrong tree?")
        missing = [path for path in sources if path not in listed]
        self.assertEqual(missing, [], "add these files to po/POTFILES.in, or their strings "
                                      "never reach the translators")

    def test_data_files_are_listed(self):
        listed = set(datatest.potfiles())
        missing = [path for path in DATA_FILES if path not in listed]
        self.assertEqual(missing, [], "po/POTFILES.in must list the desktop entry, the "
                                      "metainfo and the GSettings schema")

    def test_listed_files_exist(self):
        gone = [path for path in datatest.potfiles()
                if not os.path.isfile(os.path.join(datatest.SOURCE_ROOT, path))]
        self.assertEqual(gone, [], "po/POTFILES.in names files that do not exist "
                                   "(xgettext and `meson compile ferry-pot` fail on them)")

    def test_detector_finds_each_marker(self):
        # The scan above must be able to fail: each marker style is recognised.
        for text in ('g_print (_("Hi"));', 'x = _ ("Hi");', 'N_("Hi")', 'C_("menu", "Hi")',
                     'ngettext ("%d file", "%d files", n)',
                     '<property name="label" translatable="yes">Hi</property>'):
            self.assertTrue(C_MARKER.search(text) or UI_MARKER.search(text), text)
        for text in ('g_print ("Hi");', 'my_func_("x")', '#define _(s) gettext (s)',
                     '<property name="label">Hi</property>'):
            self.assertFalse(C_MARKER.search(text) or UI_MARKER.search(text), text)


if __name__ == "__main__":
    ferrytest.main()
