# SPDX-License-Identifier: GPL-3.0-or-later
"""The client engine against vsftpd: no MLSD (LIST fallback), local-user and anonymous logins.

Skipped when /usr/sbin/vsftpd is missing or the tests do not run as root (vsftpd needs it).
"""
import contextlib
import os
import unittest

import ferrytest
import servercases
import vsftpd

AVAILABLE, WHY = vsftpd.available()
USER = "ferryengine"
PASSWORD = "engine-secret"


@unittest.skipUnless(AVAILABLE, WHY)
class VsftpdTest(servercases.ServerCases, unittest.TestCase):
    has_mlsd = False

    def setUp(self):
        super().setUp()
        # vsftpd serves as another user: the test folders must be reachable for it.
        os.chmod(self.root, 0o755)

    @contextlib.contextmanager
    def server(self, root, write=False):
        with vsftpd.Vsftpd(root, write=write, user=USER, password=PASSWORD) as server:
            yield server

    def bad_password_url(self, server):
        return f"ftp://{USER}:wrong@127.0.0.1:{server.port}/"


if __name__ == "__main__":
    ferrytest.main()
