# SPDX-License-Identifier: GPL-3.0-or-later
"""The GSettings schema is strict-valid and has exactly the keys the app codes against."""
import os
import unittest
import xml.etree.ElementTree as ET

import datatest
import ferrytest

SCHEMA_PATH = "/io/github/ferryftp/Ferry/"

# key: (type as `gsettings range` prints it, default as `gsettings get` prints it)
EXPECTED_KEYS = {
    "recent-servers": ("type a(sqsb)", "@a(sqsb) []"),
    "download-folder": ("type s", "''"),
    "parallel-transfers": ("range i 1 8", "2"),
    "confirm-delete": ("type b", "true"),
    "show-hidden": ("type b", "false"),
    "shared-folders": ("type a{sb}", "@a{sb} {}"),
    "window-width": ("type i", "900"),
    "window-height": ("type i", "640"),
    "window-maximized": ("type b", "false"),
}


class GSchemaTest(unittest.TestCase):
    def test_strict_dry_run(self):
        compiler = datatest.tool("glib-compile-schemas", "libglib2.0-bin")
        result = datatest.run([compiler, "--strict", "--dry-run", datatest.DATA_DIR])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")

    def test_compiled_into_the_build_folder(self):
        datatest.built_file("gschemas.compiled")
        gsettings = datatest.tool("gsettings", "libglib2.0-bin")
        base = [gsettings, "--schemadir", datatest.BUILD_DATA_DIR]
        result = datatest.run(base + ["list-keys", datatest.APP_ID])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(result.stdout.split()), sorted(EXPECTED_KEYS))
        for key, (key_type, default) in EXPECTED_KEYS.items():
            with self.subTest(key=key):
                # GSETTINGS_BACKEND=memory: read the defaults, never the user's dconf.
                env = {"GSETTINGS_BACKEND": "memory"}
                result = datatest.run(base + ["range", datatest.APP_ID, key], env=env)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(" ".join(result.stdout.split()), key_type)
                result = datatest.run(base + ["get", datatest.APP_ID, key], env=env)
                self.assertEqual(result.stdout.strip(), default)

    def test_path_domain_and_documentation(self):
        tree = ET.parse(os.path.join(datatest.DATA_DIR, datatest.APP_ID + ".gschema.xml"))
        root = tree.getroot()
        self.assertEqual(root.get("gettext-domain"), datatest.GETTEXT_PACKAGE)
        schema = root.find("schema")
        self.assertEqual(schema.get("id"), datatest.APP_ID)
        self.assertEqual(schema.get("path"), SCHEMA_PATH)
        for key in schema.findall("key"):
            with self.subTest(key=key.get("name")):
                self.assertTrue((key.findtext("summary") or "").strip())
                self.assertTrue((key.findtext("description") or "").strip())

    def test_no_password_key(self):
        # Passwords belong in the keyring (libsecret), never in GSettings.
        with open(os.path.join(datatest.DATA_DIR, datatest.APP_ID + ".gschema.xml")) as f:
            names = [k.get("name") for k in ET.parse(f).getroot().iter("key")]
        self.assertFalse([n for n in names if "pass" in n or "secret" in n], names)


if __name__ == "__main__":
    ferrytest.main()
