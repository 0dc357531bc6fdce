# SPDX-License-Identifier: GPL-3.0-or-later
"""Every translation compiles cleanly, and zh_CN translates every string of the current template."""
import glob
import os
import tempfile
import unittest

import datatest
import ferrytest


def po_files():
    return sorted(glob.glob(os.path.join(datatest.PO_DIR, "*.po")))


class TranslationsTest(unittest.TestCase):
    def test_linguas_matches_the_po_files(self):
        languages = datatest.linguas()
        self.assertIn("zh_CN", languages)
        on_disk = sorted(os.path.basename(p)[:-3] for p in po_files())
        self.assertEqual(sorted(languages), on_disk,
                         "po/LINGUAS and the po/*.po files must name the same languages")

    def test_msgfmt_check(self):
        msgfmt = datatest.tool("msgfmt", "gettext")
        files = po_files()
        self.assertTrue(files, "po/ has no translations")
        for po in files:
            with self.subTest(po=os.path.basename(po)):
                result = datatest.run([msgfmt, "--check", "--check-format", "-o", os.devnull, po])
                self.assertEqual(result.returncode, 0, result.stderr)

    def test_zh_CN_translates_every_string(self):
        msgmerge = datatest.tool("msgmerge", "gettext")
        msgattrib = datatest.tool("msgattrib", "gettext")
        with tempfile.TemporaryDirectory(prefix="ferry-po-") as tmp:
            pot = datatest.extract_template(tmp)
            merged = os.path.join(tmp, "zh_CN.po")
            # No fuzzy matching: a changed source string must be translated again.
            result = datatest.run([msgmerge, "--quiet", "--no-fuzzy-matching", "-o", merged,
                                   os.path.join(datatest.PO_DIR, "zh_CN.po"), pot])
            self.assertEqual(result.returncode, 0, result.stderr)
            for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
                result = datatest.run([msgattrib, flag, "--no-obsolete", "--no-wrap", merged])
                self.assertEqual(result.returncode, 0, result.stderr)
                msgids = [line for line in result.stdout.splitlines()
                          if line.startswith("msgid ") and line != 'msgid ""']
                self.assertEqual(msgids, [], f"{what} strings in po/zh_CN.po; refresh it with "
                                 "`meson compile -C BUILD ferry-update-po` and translate them")

    def test_no_string_is_cut_by_a_format_macro(self):
        # _("… %" G_GINT64_FORMAT " …") reaches xgettext as "… %": the catalogue entry can
        # never match at run time, so the message stays English. Format the number with
        # PRId64/PRIu64 (<inttypes.h>, which xgettext understands) or %zu instead.
        msgcat = datatest.tool("msgcat", "gettext")
        with tempfile.TemporaryDirectory(prefix="ferry-po-") as tmp:
            pot = datatest.extract_template(tmp)
            result = datatest.run([msgcat, "--no-wrap", pot])
        self.assertEqual(result.returncode, 0, result.stderr)
        cut = [line for line in result.stdout.splitlines()
               if line.startswith(("msgid ", "msgid_plural ")) and line.endswith('%"')]
        self.assertEqual(cut, [], "translatable strings cut short at a G_*_FORMAT macro")

    def test_template_is_not_empty(self):
        # Guards the check above: an extraction that finds nothing would pass it vacuously.
        with tempfile.TemporaryDirectory(prefix="ferry-po-") as tmp:
            with open(datatest.extract_template(tmp), encoding="utf-8") as f:
                text = f.read()
        self.assertIn('msgid "Ferry"', text, "the desktop entry's Name was not extracted")
        self.assertGreater(text.count("\nmsgid "), 20)


if __name__ == "__main__":
    ferrytest.main()
