# SPDX-License-Identifier: GPL-3.0-or-later
"""Mnemonics (Alt+letter) are unique where they are shown together (issue 17 item 14):
in each menu of the .ui files (its sections are one popover), and among the controls of
each dialog or page that a person sees at once (the pages of a GtkStack one at a time),
in English and in each translation of po/ (zh_CN writes them "删除(_D)").

It reads the GtkBuilder files, as GTK does: a <menu>'s items, and the labels, titles and
<response>s with a mnemonic. Dialog buttons added in C are checked where they are shown
(tests/app/test-conflict.c).
"""
import glob
import os
import re
import unittest
import xml.etree.ElementTree as ET

import ferrytest
from test_zh_cn import read_po

UI_FILES = sorted(glob.glob(os.path.join(ferrytest.SOURCE_ROOT, "src", "app", "*.ui")))
PO_FILES = sorted(glob.glob(os.path.join(ferrytest.SOURCE_ROOT, "po", "*.po")))
MNEMONIC = re.compile(r"_([^_])")


def mnemonic(label):
    """The lower-case key of a label with use-underline ("Down_load" -> "l"), or None."""
    m = MNEMONIC.search(label.replace("__", ""))
    return m.group(1).lower() if m else None


def is_translatable(elem):
    return elem.get("translatable") == "yes"


def uses_underline(obj):
    return any(p.get("name") == "use-underline" and (p.text or "").strip() == "true"
               for p in obj.findall("property"))


def own_labels(obj):
    """The mnemonic labels of one <object>/<template>: its label or title with
    use-underline, and its <response>s."""
    found = []
    if uses_underline(obj):
        for p in obj.findall("property"):
            if p.get("name") in ("label", "title") and p.text:
                found.append((p.text, is_translatable(p)))
    responses = obj.find("responses")
    if responses is not None:
        found += [(r.text, is_translatable(r)) for r in responses.findall("response") if r.text]
    return found


def scopes(elem, inherited=()):
    """Lists of (label, translatable) shown together: everything outside a GtkStackPage,
    plus each stack page on its own with what is outside it."""
    mine = list(inherited)
    pages = []

    def walk(node):
        for child in node:
            if child.tag in ("menu",):
                continue
            if child.tag == "object" and child.get("class") == "GtkStackPage":
                pages.append(child)
                continue
            if child.tag in ("object", "template"):
                mine.extend(own_labels(child))
            walk(child)

    if elem.tag in ("object", "template"):
        mine.extend(own_labels(elem))
    walk(elem)
    result = [mine]
    for page in pages:
        result += scopes(page, mine)
    return result


def menus(root):
    """{menu id: [(label, translatable)]}: a menu with its sections; submenus apart."""
    found = {}

    def items(node, name):
        for child in node:
            if child.tag == "submenu":
                found[f"{name}/{child.get('id') or 'submenu'}"] = []
                items(child, f"{name}/{child.get('id') or 'submenu'}")
                continue
            if child.tag == "item":
                for attr in child.findall("attribute"):
                    if attr.get("name") == "label" and attr.text:
                        found[name].append((attr.text, is_translatable(attr)))
            items(child, name)

    for menu in root.iter("menu"):
        found[menu.get("id")] = []
        items(menu, menu.get("id"))
    return found


def groups():
    """(where, [(label, translatable)]) for every place whose mnemonics must differ."""
    result = []
    for path in UI_FILES:
        name = os.path.basename(path)
        root = ET.parse(path).getroot()
        for menu_id, labels in menus(root).items():
            result.append((f"{name} menu {menu_id}", labels))
        for top in root:
            if top.tag in ("template", "object"):
                for i, labels in enumerate(scopes(top)):
                    result.append((f"{name} {top.get('class')} view {i}", labels))
    return result


def clashes(translate):
    """'where: key for A, B' for each mnemonic used twice in one group."""
    found = []
    for where, labels in groups():
        keys = {}
        for label, translatable in labels:
            shown = translate(label) if translatable else label
            key = mnemonic(shown)
            if key:
                keys.setdefault(key, []).append(shown)
        found += [f"{where}: Alt+{key.upper()} for {' and '.join(shown)}"
                  for key, shown in keys.items() if len(shown) > 1]
    return found


class Mnemonics(unittest.TestCase):
    def test_the_check_finds_a_clash(self):
        self.assertEqual(mnemonic("Down_load"), "l")
        self.assertEqual(mnemonic("删除(_D)"), "d")
        self.assertIsNone(mnemonic("Save__As"))
        root = ET.fromstring('<interface><menu id="m"><section><item><attribute name="label">'
                             '_Download</attribute></item></section><section><item>'
                             '<attribute name="label">_Delete</attribute></item></section>'
                             '</menu></interface>')
        self.assertEqual(menus(root), {"m": [("_Download", False), ("_Delete", False)]})

    def test_groups_were_found(self):
        where = [w for w, labels in groups() if labels]
        self.assertTrue(any("context_menu" in w for w in where), where)
        self.assertTrue(any("ferry-connect-page.ui" in w for w in where), where)

    def test_english_mnemonics_are_unique(self):
        self.assertEqual(clashes(lambda label: label), [])

    def test_translated_mnemonics_are_unique(self):
        for po in PO_FILES:
            catalog = read_po(po)
            with self.subTest(language=os.path.basename(po)):
                self.assertEqual(clashes(lambda label: catalog.get(label, label)), [])


if __name__ == "__main__":
    ferrytest.main()
