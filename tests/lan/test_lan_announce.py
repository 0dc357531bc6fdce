# SPDX-License-Identifier: GPL-3.0-or-later
"""ferryd announces itself over DNS-SD through Avahi: seen from another machine (a second
network namespace with its own avahi-daemon) with the right name, port and TXT; withdrawn
on SIGTERM; renamed on a collision; --no-announce; serving goes on without Avahi; GVfs (GNOME
Files) lists it; curl and lftp on the other machine reach the server they found."""
import os
import subprocess
import tempfile
import time
import unittest

import ferrytest
from ferrytest import served_tree, wait_until
from lanlab import LanFerryd, LanLab


def add_user(users, name, password):
    result = subprocess.run([ferrytest.FERRYD, "--add-user", name, "--users", users],
                            input=f"{password}\n{password}\n".encode(), capture_output=True,
                            timeout=30)
    if result.returncode != 0:
        raise AssertionError(result.stderr.decode())


def named(name):
    return lambda seen: seen == name


class Announced(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = LanLab().__enter__()
        cls.a, cls.b = cls.lab.hosts

    @classmethod
    def tearDownClass(cls):
        cls.lab.__exit__()

    def test_default_name_port_and_txt(self):
        with served_tree({"a.txt": b"a"}) as root, self.b.watch() as watch, \
                LanFerryd(self.a, root) as server:
            expected = f"{os.path.basename(root)} on host-a"
            when, service = watch.wait_for("+", named(expected))
            self.assertEqual(service["port"], server.port)
            self.assertEqual(service["host"], "host-a.local")
            self.assertEqual(service["address"], self.a.address)
            self.assertEqual(service["txt"], ["path=/"])   # no users file: no u=
            print(f"# start → visible from the other host: {when - server.started:.2f} s")
            line = f"announced on the LAN as “{expected}”"
            self.assertTrue(wait_until(lambda: line in server.log_text()), server.log_text())

    def test_name_option_and_users_file_say_u(self):
        with served_tree({"a.txt": b"a"}) as root, tempfile.TemporaryDirectory() as folder:
            users = os.path.join(folder, "users")
            add_user(users, "alice", "wonderland")
            with self.b.watch() as watch, \
                    LanFerryd(self.a, root, "--name", "Ferry’s shelf", "--users", users) \
                    as server:
                _, service = watch.wait_for("+", named("Ferry’s shelf"))
                self.assertEqual(service["port"], server.port)
                self.assertEqual(sorted(service["txt"]), ["path=/", "u="])

    def test_anonymous_beside_users_file_says_no_u(self):
        # Anyone may log in (and read): browsers must not ask for a login.
        with served_tree({"a.txt": b"a"}) as root, tempfile.TemporaryDirectory() as folder:
            users = os.path.join(folder, "users")
            add_user(users, "alice", "wonderland")
            with self.b.watch() as watch, \
                    LanFerryd(self.a, root, "--name", "Open shelf", "--users", users,
                              "--anonymous"):
                _, service = watch.wait_for("+", named("Open shelf"))
                self.assertEqual(service["txt"], ["path=/"])

    def test_config_file_keys(self):
        with served_tree() as root, tempfile.TemporaryDirectory() as folder:
            config = os.path.join(folder, "ferryd.conf")
            with open(config, "w") as f:
                f.write("[ferryd]\nname=From the config\n")
            with self.b.watch() as watch, LanFerryd(self.a, root, "--config", config):
                watch.wait_for("+", named("From the config"))

    def test_withdrawn_on_sigterm(self):
        with served_tree() as root, self.b.watch() as watch:
            server = LanFerryd(self.a, root, "--name", "Going away").start()
            try:
                shown, _ = watch.wait_for("+", named("Going away"))
            finally:
                stopped = server.stop()
            gone, _ = watch.wait_for("-", named("Going away"), timeout=10)
            print(f"# start → visible: {shown - server.started:.2f} s; "
                  f"SIGTERM → gone: {gone - stopped:.2f} s")
            self.assertIn("withdrew the announcement “Going away”", server.log_text())
            # 0: nothing left to the sanitizers either (Avahi's client freed).
            self.assertEqual(server.proc.returncode, 0, server.log_text())
            self.assertLess(gone - stopped, 5.0)
            server.log.close()

    def test_second_instance_gets_an_alternative_name(self):
        with served_tree() as root, self.b.watch() as watch, \
                LanFerryd(self.a, root, "--name", "Twin") as first:
            watch.wait_for("+", named("Twin"))
            with LanFerryd(self.a, root, "--name", "Twin") as second:
                _, service = watch.wait_for("+", named("Twin #2"))
                self.assertEqual(service["port"], second.port)
                self.assertNotEqual(second.port, first.port)
                self.assertTrue(wait_until(lambda: "“Twin” is taken" in second.log_text()),
                                second.log_text())
            self.assertEqual(second.proc.returncode, 0, second.log_text())

    def test_no_announce(self):
        with served_tree() as root, tempfile.TemporaryDirectory() as folder:
            config = os.path.join(folder, "ferryd.conf")
            with open(config, "w") as f:
                f.write("[ferryd]\nannounce=false\nname=Quiet config\n")
            with self.b.watch() as watch, \
                    LanFerryd(self.a, root, "--no-announce", "--name", "Quiet") as quiet, \
                    LanFerryd(self.a, root, "--config", config) as quiet_config, \
                    LanFerryd(self.a, root, "--name", "Loud"):
                # Once the later-started loud one is seen, the quiet ones had their chance.
                watch.wait_for("+", named("Loud"))
                time.sleep(1.0)
                self.assertNotIn("Quiet", watch.names_seen())
                self.assertNotIn("Quiet config", watch.names_seen())
                self.assertNotIn("announce", quiet.log_text())
                self.assertNotIn("announce", quiet_config.log_text())

    def test_gvfs_lists_it(self):
        # GNOME Files' Other Locations reads DNS-SD through GVfs's dns-sd backend.
        if not os.path.exists("/usr/libexec/gvfsd-dnssd"):
            self.skipTest("GVfs's dns-sd backend is not installed (gvfs-backends)")
        with served_tree() as root, self.b.watch() as watch, \
                LanFerryd(self.a, root, "--name", "Seen by GVfs"):
            watch.wait_for("+", named("Seen by GVfs"))
            script = ("for i in 1 2 3 4 5 6 7 8 9 10; do gio list dns-sd://local/ > $1; "
                      "grep -q 'Seen%20by%20GVfs._ftp._tcp' $1 && exit 0; sleep 1; done; exit 1")
            with tempfile.NamedTemporaryFile() as listing:
                result = self.b.run(["dbus-run-session", "--", "sh", "-c", script, "sh",
                                     listing.name], timeout=60)
                self.assertEqual(result.returncode, 0,
                                 open(listing.name).read() + result.stderr.decode())

    def test_other_host_downloads_with_curl_and_lftp(self):
        files = {"hello.txt": b"hello from A\n", "sub/deep.bin": bytes(range(256)) * 64}
        with served_tree(files) as root, self.b.watch() as watch, \
                LanFerryd(self.a, root, "--name", "For B"):
            _, found = watch.wait_for("+", named("For B"))
            url = f"ftp://{found['address']}:{found['port']}/"
            listing = self.b.run(["curl", "-sS", "--max-time", "20", url])
            self.assertEqual(listing.returncode, 0, listing.stderr)
            self.assertIn(b"hello.txt", listing.stdout)
            got = self.b.run(["curl", "-sS", "--max-time", "20", url + "sub/deep.bin"])
            self.assertEqual(got.stdout, files["sub/deep.bin"])
            lftp = self.b.run(["lftp", "-p", str(found["port"]), "-e",
                               "set net:max-retries 1; set net:timeout 10; "
                               "cat hello.txt; bye", found["address"]])
            self.assertEqual(lftp.returncode, 0, lftp.stderr)
            self.assertEqual(lftp.stdout, files["hello.txt"])


class WithoutAvahi(unittest.TestCase):
    def test_no_system_bus_still_serves(self):
        with LanLab() as lab, served_tree({"a.txt": b"here"}) as root:
            a, _ = lab.hosts
            env = {"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={lab.folder}/no-such-bus"}
            with LanFerryd(a, root, env=env) as server:
                got = a.run(["curl", "-sS", "--max-time", "20",
                             f"ftp://127.0.0.1:{server.port}/a.txt"])
                self.assertEqual(got.stdout, b"here")
                log = server.log_text()
                self.assertEqual(log.count("not announced on the LAN"), 1, log)
            self.assertEqual(server.proc.returncode, 0, server.log_text())

    def test_daemon_stopped_then_back(self):
        with LanLab() as lab, served_tree({"a.txt": b"here"}) as root:
            a, b = lab.hosts
            a.stop_avahi()
            with b.watch() as watch, LanFerryd(a, root, "--name", "Patient") as server:
                got = a.run(["curl", "-sS", "--max-time", "20",
                             f"ftp://127.0.0.1:{server.port}/a.txt"])
                self.assertEqual(got.stdout, b"here")
                self.assertTrue(wait_until(
                    lambda: "the Avahi daemon is not running" in server.log_text()),
                    server.log_text())
                # When the daemon comes (back), the announcement follows without a restart.
                a.start_avahi()
                watch.wait_for("+", named("Patient"), timeout=20)
                self.assertEqual(server.log_text().count("not announced on the LAN"), 1)
            self.assertEqual(server.proc.returncode, 0, server.log_text())


if __name__ == "__main__":
    ferrytest.main()
