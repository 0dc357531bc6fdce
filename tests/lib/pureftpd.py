# SPDX-License-Identifier: GPL-3.0-or-later
"""pure-ftpd as a test peer: a real pure-ftpd in the foreground on a free loopback port,
anonymous, serving a temporary folder.

    with PureFtpd(root) as server:          # anonymous; uploads allowed
        ftplib.FTP().connect("127.0.0.1", server.port)

Debian's pure-ftpd conflicts with vsftpd (both provide ftp-server), so it is not installed:
`binary()` takes /usr/sbin/pure-ftpd when present, else unpacks the .deb fetched with
`apt-get download pure-ftpd` into /var/cache/ferry-tests (done once, kept for later runs).

pure-ftpd serves anonymous sessions from the home folder of the system user "ftp" and
chroots there. To serve a temporary folder instead, the server runs in its own mount
namespace (`unshare --mount`) with the folder bind-mounted over that home: nothing changes
for the rest of the machine, and several servers can run at once. Needs root.
"""
import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time

import ferrytest

CACHE = os.environ.get("FERRY_TEST_CACHE", "/var/cache/ferry-tests")
_INSTALLED = "/usr/sbin/pure-ftpd"


def _unpacked():
    return os.path.join(CACHE, "pure-ftpd", "usr", "sbin", "pure-ftpd")


def binary():
    """Path to a runnable pure-ftpd, fetching and unpacking the package once; None if not."""
    explicit = os.environ.get("PUREFTPD")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    if os.access(_INSTALLED, os.X_OK):
        return _INSTALLED
    if os.access(_unpacked(), os.X_OK):
        return _unpacked()
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        return None
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        os.makedirs(CACHE, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as work:
            subprocess.run(["apt-get", "download", "pure-ftpd"], cwd=work, check=True,
                           capture_output=True, timeout=120)
            debs = glob.glob(os.path.join(work, "pure-ftpd_*.deb"))
            if debs:
                target = os.path.join(work, "unpacked")
                subprocess.run(["dpkg-deb", "-x", debs[0], target], check=True,
                               capture_output=True, timeout=60)
                # Tests run in parallel: the first to finish publishes, the others use it.
                with contextlib.suppress(OSError):
                    os.rename(target, os.path.join(CACHE, "pure-ftpd"))
    return _unpacked() if os.access(_unpacked(), os.X_OK) else None


def available():
    """(True, "") when pure-ftpd can run here, else (False, why) for unittest.skip."""
    if os.geteuid() != 0:
        return False, "needs root: pure-ftpd chroots, and the test bind-mounts its root"
    try:
        pwd.getpwnam("ftp")
    except KeyError:
        return False, "there is no system user 'ftp', which pure-ftpd serves anonymous as"
    if shutil.which("unshare") is None:
        return False, "unshare (util-linux) is missing"
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                           capture_output=True)
    if probe.returncode != 0:
        return False, ("cannot make a mount namespace here: "
                       + probe.stderr.decode(errors="replace").strip())
    if binary() is None:
        return False, ("pure-ftpd is neither installed nor downloadable "
                       "(apt-get download pure-ftpd failed)")
    return True, ""


def give_to_ftp(path):
    """Hands a tree to the 'ftp' user, so anonymous sessions may read and write it."""
    ferrytest.give_to(path, "ftp")


class PureFtpd:
    """pure-ftpd serving `root` to anonymous logins (uploads and new folders allowed unless
    write=False). `host` may be "::1" for IPv6."""

    def __init__(self, root, host="127.0.0.1", write=True, extra_args=()):
        self.root = os.path.abspath(str(root))
        self.host = host
        self.write = write
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None

    def _command(self, port):
        home = pwd.getpwnam("ftp").pw_dir
        args = [binary(), "--bind", f"{self.host},{port}", "--anonymousonly",
                "--maxclientsnumber", "50", "--maxclientsperip", "50", "--dontresolve"]
        args += ["--ipv6only"] if ":" in self.host else ["--ipv4only"]
        if self.write:
            args.append("--anonymouscancreatedirs")
        else:
            args.append("--anonymouscantupload")
        args += self.extra_args
        script = 'mount --bind "$1" "$2" && shift 2 && exec "$@"'
        return ["unshare", "--mount", "--propagation", "private",
                "sh", "-c", script, "sh", self.root, home] + args

    def start(self):
        give_to_ftp(self.root)
        last_error = ""
        # pure-ftpd cannot pick its own port: take a free one, and try again if another
        # test took it in between.
        for _ in range(5):
            port = ferrytest.free_port(self.host)
            self.log = tempfile.TemporaryFile(prefix="pureftpd-log-")
            self.proc = ferrytest.spawn_server(self._command(port), stdout=self.log,
                                               stderr=subprocess.STDOUT)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    ferrytest.wait_for_port(self.host, port, timeout=0.2)
                    self.port = port
                    return self
                except TimeoutError:
                    pass
            self.log.seek(0)
            last_error = self.log.read().decode(errors="replace")
            self.stop()
        raise RuntimeError(f"pure-ftpd did not start: {last_error}")

    @property
    def url(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"ftp://{host}:{self.port}/"

    def stop(self):
        if self.proc:
            ferrytest.stop_process(self.proc)
        if getattr(self, "log", None) is not None:
            self.log.close()
            self.log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
