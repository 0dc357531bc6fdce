# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifest parses for flatpak-builder and asks for no more than Ferry needs."""
import json
import os
import tempfile
import unittest

import datatest
import ferrytest

MANIFEST = os.path.join(datatest.SOURCE_ROOT, "flatpak", datatest.APP_ID + ".json")

# Network for FTP, the display, GPU, and the Downloads folder; the rest goes through portals.
# Avahi on the system bus: the connect page lists the FTP servers announced on the LAN.
FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    "--filesystem=xdg-download",
    "--system-talk-name=org.freedesktop.Avahi",
]
# Allowed on top only if libsecret could not use the portal; it can, so it stays out.
OPTIONAL_FINISH_ARGS = ["--talk-name=org.freedesktop.secrets"]


def show_manifest(builder, manifest):
    """flatpak-builder --show-manifest, with unknown properties fatal (G_DEBUG=fatal-warnings).

    It runs in a scratch folder: flatpak-builder leaves a .flatpak-builder/ state folder in
    its working directory, even for --show-manifest.
    """
    with tempfile.TemporaryDirectory(prefix="ferry-flatpak-") as scratch:
        return datatest.run([builder, "--show-manifest", manifest], cwd=scratch,
                            env={"G_DEBUG": "fatal-warnings"})


class FlatpakManifestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(MANIFEST, encoding="utf-8") as f:
            cls.manifest = json.load(f)

    def test_flatpak_builder_show_manifest(self):
        builder = datatest.tool("flatpak-builder", "flatpak-builder")
        # fatal-warnings: an unknown or misspelt property is an error, not a notice.
        result = show_manifest(builder, MANIFEST)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["id"], datatest.APP_ID)

    def test_flatpak_builder_rejects_a_misspelt_property(self):
        # The check above can fail: a copy with a typo in a property name is refused.
        builder = datatest.tool("flatpak-builder", "flatpak-builder")
        broken = dict(self.manifest)
        broken["finish-argz"] = broken.pop("finish-args")
        with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="ferry-") as f:
            json.dump(broken, f)
            f.flush()
            result = show_manifest(builder, f.name)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("finish-argz", result.stderr)

    def test_runtime_and_command(self):
        m = self.manifest
        self.assertEqual(m["id"], datatest.APP_ID)
        self.assertEqual(m["runtime"], "org.gnome.Platform")
        self.assertEqual(m["sdk"], "org.gnome.Sdk")
        self.assertGreaterEqual(int(m["runtime-version"]), 47)
        self.assertEqual(m["command"], "ferry")

    def test_finish_args_are_minimal(self):
        args = self.manifest["finish-args"]
        self.assertEqual(len(args), len(set(args)), "duplicate finish-args")
        self.assertEqual([a for a in args if a not in OPTIONAL_FINISH_ARGS], FINISH_ARGS)
        for arg in args:
            self.assertFalse(arg.startswith(("--filesystem=home", "--filesystem=host",
                                             "--socket=x11", "--device=all",
                                             "--talk-name=org.freedesktop.Flatpak")), arg)

    def test_modules_beyond_the_runtime_are_pinned(self):
        # The GNOME runtime (freedesktop-sdk's avahi-libs, json-glib, libxcrypt) lacks
        # libavahi-glib, which ferryd's announcement uses, and libqrencode: built here from
        # release tarballs, each pinned by its SHA-256 (checked against Debian's archive).
        names = [module["name"] for module in self.manifest["modules"]]
        for needed in ("avahi", "libqrencode"):
            self.assertIn(needed, names)
            self.assertLess(names.index(needed), names.index("ferry"))
        for module in self.manifest["modules"][:-1]:
            for source in module["sources"]:
                with self.subTest(module=module["name"]):
                    self.assertIn(source["type"], ("archive", "file"))
                    self.assertTrue(source["url"].startswith("https://"), source["url"])
                    self.assertRegex(source.get("sha256", ""), r"^[0-9a-f]{64}$")
        avahi = self.manifest["modules"][names.index("avahi")]
        self.assertIn("--disable-libdaemon", avahi["config-opts"])   # no second daemon

    def test_builds_this_checkout_with_meson(self):
        module = self.manifest["modules"][-1]
        self.assertEqual(module["name"], "ferry")
        self.assertEqual(module["buildsystem"], "meson")
        self.assertIn("-Dtests=false", module["config-opts"])
        source = module["sources"][0]
        self.assertEqual(source["type"], "dir")
        checkout = os.path.normpath(os.path.join(os.path.dirname(MANIFEST), source["path"]))
        self.assertTrue(os.path.isfile(os.path.join(checkout, "meson.build")), checkout)
        with open(os.path.join(checkout, "meson_options.txt"), encoding="utf-8") as f:
            self.assertIn("'tests'", f.read(), "-Dtests=false needs the 'tests' option")


if __name__ == "__main__":
    ferrytest.main()
