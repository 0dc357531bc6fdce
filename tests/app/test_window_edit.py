# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs test-window-edit (issue 17 item 9: Open With… on a remote file, edited in place)
against pyftpdlib and, when built, ferryd. The "editor" is a real application to GIO: a
.desktop file in the private XDG_DATA_HOME whose program is the shell script below; the
C program makes it the default for the file's type, picks it in the real
GtkAppChooserDialog and checks what reaches the server.

Usage (meson does this): test_window_edit.py PATH-TO-test-window-edit
"""
import os
import stat
import sys
import unittest

import ferryapptest
import ferrytest

TEST_PROGRAM = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ.get("FERRY_TEST_WINDOW_EDIT")
FERRYD = os.environ.get("FERRYD")

# How editors save: in place (nano), twice in a row, a new file renamed over the old one
# (gedit), the old one renamed to a backup first (vim). Each run leaves a mark in
# $FERRY_TEST_MARKS once it is done, so the test knows the saves are over.
EDITOR = r"""#!/bin/sh
mode=$1
file=$2
case $mode in
  append)
    printf 'a line from the editor\n' >> "$file" ;;
  twice)
    printf 'first save\n' >> "$file"
    printf 'second save\n' >> "$file" ;;
  rename)
    cp "$file" "$file.new"
    printf 'saved by renaming a new file over it\n' >> "$file.new"
    mv -f "$file.new" "$file" ;;
  backup)
    mv "$file" "$file~"
    cp "$file~" "$file"
    printf 'saved after a backup\n' >> "$file" ;;
esac
touch "$FERRY_TEST_MARKS/$mode.$$"
"""

MODES = ("append", "twice", "rename", "backup")


def server_tree():
    return {
        "notes.txt": b"Ferry moves files.\n" * 40,
        "docs/report.bin": ferrytest.all_bytes_payload(16),
        "plan.txt": b"step one\nstep two\n",
        "todo.txt": b"- nothing yet\n",
        "draft.txt": b"A draft.\n",
        "letter.txt": b"Dear reader,\n",
        "memo.txt": b"Remember the milk.\n",
    }


def install_editors(scratch):
    """The editor script and one .desktop file per mode in XDG_DATA_HOME/applications."""
    script = os.path.join(scratch, "test-editor.sh")
    with open(script, "w") as f:
        f.write(EDITOR)
    os.chmod(script, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    apps = os.path.join(scratch, "data", "applications")
    os.makedirs(apps, exist_ok=True)
    for mode in MODES:
        with open(os.path.join(apps, f"ferry-test-{mode}.desktop"), "w") as f:
            f.write("[Desktop Entry]\nType=Application\n"
                    f"Name=Test Editor ({mode})\n"
                    f"Exec={script} {mode} %f\n"
                    "MimeType=text/plain;application/octet-stream;\n"
                    "NoDisplay=false\n")
    marks = os.path.join(scratch, "marks")
    os.makedirs(marks, exist_ok=True)
    return marks


class EditAgainstServers(unittest.TestCase):
    def setUp(self):
        missing = ferryapptest.missing_tools()
        if missing:
            self.skipTest(f"missing {', '.join(missing)}")
        if not TEST_PROGRAM:
            self.skipTest("test-window-edit was not built")

    def run_program(self, scratch, url, root, **extra):
        marks = install_editors(scratch)
        # GIO_USE_VFS=local: every file here is local; no gvfsd on the private bus to outlive
        # the session.
        env = ferryapptest.gui_env(scratch, FERRY_TEST_URL=url, FERRY_TEST_ROOT=root,
                                   FERRY_TEST_MARKS=marks, TMPDIR=scratch, GIO_USE_VFS="local",
                                   **extra)
        if os.environ.get("FERRY_TEST_SCREENSHOTS"):
            env["FERRY_TEST_SCREENSHOTS"] = os.environ["FERRY_TEST_SCREENSHOTS"]
        if "ASAN_OPTIONS" in env:
            # Whole stacks, so lsan.supp can name the chooser's icon loader (its leak is
            # GIO's); the default fast unwinder stops inside libgio.
            env["ASAN_OPTIONS"] += ":fast_unwind_on_malloc=0"
        code, output = ferryapptest.run_cmocka_in_session(self, [TEST_PROGRAM], env,
                                                          timeout=300)
        sys.stdout.write(output)
        self.assertEqual(code, 0, "test-window-edit failed (its output is above)")

    def test_against_pyftpdlib(self):
        with ferryapptest.scratch_dir() as scratch, \
                ferrytest.temp_tree(server_tree()) as root:
            with ferrytest.Pyftpdlib(root, user="ann", password="s3cret") as server:
                self.run_program(scratch, f"ftp://ann:s3cret@127.0.0.1:{server.port}/", root)

    def test_against_ferryd(self):
        if not FERRYD or not os.path.exists(FERRYD):
            self.skipTest("ferryd was not built")
        with ferryapptest.scratch_dir() as scratch, \
                ferrytest.temp_tree(server_tree()) as root:
            with ferrytest.Ferryd(root, "--anonymous", "--write") as server:
                self.run_program(scratch, f"ftp://127.0.0.1:{server.port}/", root)


if __name__ == "__main__":
    ferrytest.main()
