# SPDX-License-Identifier: GPL-3.0-or-later
"""The client engine against pyftpdlib (Debian's python3-pyftpdlib): MLSD, EPSV, REST."""
import contextlib
import unittest

import ferrytest
import servercases


class PyftpdlibTest(servercases.ServerCases, unittest.TestCase):
    @contextlib.contextmanager
    def server(self, root, write=True):
        with ferrytest.Pyftpdlib(root, write=write) as server:
            yield server

    def test_tls_refused_by_server(self):
        with self.server(self.root) as server:
            url = server.url.replace("ftp://", "ftps://")
            r = servercases.clientdriver.run(url, ("ls",))
        self.assertEqual(r.results[0][:2], ("error", "connect"), r)
        self.assertTrue(r.results[0][2].startswith("TLS_UNAVAILABLE"), r)

    def test_anonymous_login(self):
        with self.server(self.root) as server:
            r = servercases.clientdriver.run(f"ftp://127.0.0.1:{server.port}/", ("ls", "/folder"))
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(sorted(e[2] for e in r.entries[0]), ["a.txt", "sub"])

    def bad_password_url(self, server):
        return f"ftp://{server.user}:wrong@127.0.0.1:{server.port}/"


if __name__ == "__main__":
    ferrytest.main()
