# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for the tests of data/, po/ and flatpak/: where things are, and the tools."""
import json
import os
import shutil
import subprocess
import unittest

import ferrytest

APP_ID = "io.github.ferryftp.Ferry"
GETTEXT_PACKAGE = "ferry"

SOURCE_ROOT = ferrytest.SOURCE_ROOT
BUILD_ROOT = os.environ.get("FERRY_BUILD_ROOT", "")
DATA_DIR = os.path.join(SOURCE_ROOT, "data")
PO_DIR = os.path.join(SOURCE_ROOT, "po")
BUILD_DATA_DIR = os.path.join(BUILD_ROOT, "data")

# The arguments meson's i18n.gettext(preset: 'glib') hands to xgettext, so the template a
# test extracts is the one `meson compile ferry-pot` writes.
XGETTEXT_GLIB_PRESET = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]
# The extra arguments po/meson.build adds.
XGETTEXT_EXTRA = ["--msgid-bugs-address=https://github.com/ferryftp/ferry/issues"]


def tool(name, package):
    """The path of a command-line tool, or skip the test naming the Debian package."""
    path = shutil.which(name)
    if path is None:
        raise unittest.SkipTest(f"{name} is not installed (Debian package {package})")
    return path


def run(cmd, env=None, **kwargs):
    """Run a tool; the result carries its output for assertion messages."""
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=dict(os.environ, **(env or {})), **kwargs)


def built_file(name):
    """A file that data/meson.build generates into <build>/data."""
    if not BUILD_ROOT:
        raise AssertionError("FERRY_BUILD_ROOT is not set: run this test through meson test")
    path = os.path.join(BUILD_DATA_DIR, name)
    if not os.path.exists(path):
        raise AssertionError(f"{path} is missing: build it first (ninja -C BUILD data/{name}, "
                             "or plain ninja), and check that meson.build has subdir('data')")
    return path


def project_version():
    """The version from the project() call, as meson configured it."""
    with open(os.path.join(BUILD_ROOT, "meson-info", "intro-projectinfo.json")) as f:
        return json.load(f)["version"]


def read_list_file(path):
    """Non-empty, non-comment lines of LINGUAS or POTFILES.in."""
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith("#")]


def linguas():
    return [word for line in read_list_file(os.path.join(PO_DIR, "LINGUAS"))
            for word in line.split()]


def potfiles():
    return read_list_file(os.path.join(PO_DIR, "POTFILES.in"))


def extract_template(out_dir):
    """Run xgettext over POTFILES.in the way meson's ferry-pot target does; return the .pot."""
    xgettext = tool("xgettext", "gettext")
    pot = os.path.join(out_dir, GETTEXT_PACKAGE + ".pot")
    result = run([xgettext, "--package-name=" + GETTEXT_PACKAGE,
                  "-f", os.path.join(PO_DIR, "POTFILES.in"), "-D", SOURCE_ROOT,
                  "-k_", "-o", pot] + XGETTEXT_GLIB_PRESET + XGETTEXT_EXTRA)
    if result.returncode != 0:
        raise AssertionError(f"xgettext failed:\n{result.stderr}")
    return pot
