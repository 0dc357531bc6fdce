# SPDX-License-Identifier: GPL-3.0-or-later
"""The client engine against pyftpdlib (Debian's python3-pyftpdlib): MLSD, EPSV, REST."""
import contextlib
import os
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

    def test_mfmt_sets_the_modification_time(self):
        # pyftpdlib offers MFMT in FEAT; the engine sets a time, MDTM reads it back.
        with self.server(self.root) as server:
            r = self.run_driver(server, ("mfmt", "/plain.bin", "1000000000"),
                                ("mdtm", "/plain.bin"))
        self.assertEqual(r.result(0), ("ok", "mfmt", ""), r)
        self.assertEqual(r.result(1), ("ok", "mdtm", "1000000000"), r)
        self.assertEqual(os.stat(os.path.join(self.root, "plain.bin")).st_mtime, 1000000000)

    def bad_password_url(self, server):
        return f"ftp://{server.user}:wrong@127.0.0.1:{server.port}/"


if __name__ == "__main__":
    ferrytest.main()
