# SPDX-License-Identifier: GPL-3.0-or-later
"""The real `ferry` started with LANGUAGE=zh_CN speaks Chinese: the labels a screen reader
reads on the connect page are the zh_CN translations from po/zh_CN.po (read from the .po
file here, not written into the test), and a screenshot shows it.

The app reads its translations from FERRY_LOCALEDIR: the build's compiled
po/zh_CN/LC_MESSAGES/ferry.mo when it is up to date, else one this test compiles from
po/zh_CN.po with msgfmt. The locale is C.UTF-8 (present on every glibc system): gettext
honours LANGUAGE for any locale but plain C/POSIX.
"""
import os
import re
import shutil
import time
import subprocess
import sys
import unittest

import ferryapptest
import ferrytest
import test_a11y

FERRY_APP = os.environ.get("FERRY_APP")
PO_FILE = os.path.join(ferrytest.SOURCE_ROOT, "po", "zh_CN.po")
BUILT_MO = os.path.join(ferryapptest.BUILD_ROOT, "po", "zh_CN", "LC_MESSAGES", "ferry.mo")
SCREENSHOTS = os.environ.get("FERRY_TEST_SCREENSHOTS")
INNER = "FERRY_ZH_CN_INNER"


PO_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def po_unquote(text):
    """The text of a quoted .po string ("a \\"b\\"" -> a "b")."""
    return re.sub(r"\\(.)", lambda m: PO_ESCAPES.get(m.group(1), m.group(1)),
                  text.strip()[1:-1])


def read_po(path):
    """{msgid: msgstr} of the translated, non-fuzzy singular entries of a .po file."""
    catalog = {}
    entry = {}
    field = None
    fuzzy = False

    def finish():
        if entry.get("msgid") and entry.get("msgstr") and not fuzzy \
                and "msgctxt" not in entry:
            catalog[entry["msgid"]] = entry["msgstr"]

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                finish()
                entry, field, fuzzy = {}, None, False
            elif line.startswith("#,"):
                fuzzy = "fuzzy" in line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and field:
                entry[field] += po_unquote(line)
            else:
                keyword, _, rest = line.partition(" ")
                field = keyword if keyword in ("msgid", "msgstr", "msgctxt") else None
                if field:
                    entry[field] = po_unquote(rest)
    finish()
    return catalog


def without_mnemonic(label):
    return label.replace("_", "")


def locale_dir(scratch):
    """A folder holding zh_CN/LC_MESSAGES/ferry.mo compiled from po/zh_CN.po."""
    if os.path.exists(BUILT_MO) and os.path.getmtime(BUILT_MO) >= os.path.getmtime(PO_FILE):
        return os.path.join(ferryapptest.BUILD_ROOT, "po")
    target = os.path.join(scratch, "locale", "zh_CN", "LC_MESSAGES")
    os.makedirs(target)
    subprocess.run(["msgfmt", "--check", "-o", os.path.join(target, "ferry.mo"), PO_FILE],
                   check=True, timeout=60)
    return os.path.join(scratch, "locale")


class ChineseInterface(unittest.TestCase):
    def setUp(self):
        import pyatspi  # only inside the private session
        self.pyatspi = pyatspi
        self.scratch_holder = ferryapptest.scratch_dir()
        self.scratch = self.scratch_holder.name
        self.app = None

    def tearDown(self):
        if self.app is not None:
            ferrytest.stop_process(self.app)
        self.scratch_holder.cleanup()

    def test_connect_page_is_in_chinese(self):
        catalog = read_po(PO_FILE)
        wanted = ["_Connect", "Connect to a Server", "Server"]
        for msgid in wanted:
            self.assertIn(msgid, catalog, f"po/zh_CN.po does not translate {msgid!r}")
        expected = [without_mnemonic(catalog[msgid]) for msgid in wanted]

        env = ferryapptest.gui_env(self.scratch, LC_ALL="C.UTF-8", LANG="zh_CN.UTF-8",
                                   LANGUAGE="zh_CN", FERRY_LOCALEDIR=locale_dir(self.scratch))
        env.pop("NO_AT_BRIDGE", None)
        self.app = subprocess.Popen([FERRY_APP], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
        node = test_a11y.find_app(self.pyatspi)
        if node is None:
            self.app.terminate()
            sys.stderr.write(self.app.stderr.read().decode("utf-8", "replace")[-4000:])
        self.assertIsNotNone(node, "ferry never appeared on the AT-SPI bus")

        found = []
        names = set()
        for _ in range(60):
            found = []
            test_a11y.collect(node, found)
            names = {name for _, name in found}
            if set(expected) <= names:
                break
            time.sleep(0.3)
        for text in expected:
            self.assertIn(text, names, f"no {text!r} on screen; names: {sorted(names)}")
        connect_buttons = [name for role, name in found
                           if role == "push button" and name == expected[0]]
        self.assertTrue(connect_buttons, "the Connect button is not labelled in Chinese")
        self.assertNotIn("Connect to a Server", names)

        self.save_screenshot("connect-zh_CN.png")

    def save_screenshot(self, name):
        """The whole X screen, as a person would see it (imagemagick's import)."""
        if not shutil.which("import"):
            return
        folder = SCREENSHOTS or self.scratch
        time.sleep(0.5)  # let the last frame reach the X server
        # -trim: only the window, without the empty (black) rest of the screen.
        subprocess.run(["import", "-window", "root", "-trim", "+repage",
                        os.path.join(folder, name)], check=True, timeout=60)


if __name__ == "__main__":
    if os.environ.get(INNER) is None:
        missing = ferryapptest.missing_tools()
        reason = None
        if missing:
            reason = f"missing {', '.join(missing)}"
        elif not FERRY_APP:
            reason = "ferry was not built"
        elif not os.path.exists(PO_FILE):
            reason = "po/zh_CN.po is not there yet"
        elif not shutil.which("msgfmt") and not os.path.exists(BUILT_MO):
            reason = "msgfmt (gettext) is not installed"
        if reason:
            ferrytest.skip_all(reason)
        sys.exit(ferryapptest.rerun_in_session(__file__, INNER))
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        ChineseInterface = unittest.skip("python3-pyatspi is not installed")(ChineseInterface)
    ferrytest.main()
