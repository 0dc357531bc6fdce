# SPDX-License-Identifier: GPL-3.0-or-later
"""The work folder: what every server serves, and the one user all three know.

    W/source/big        the download file (1 GiB; --quick: 16 MiB)
    W/source/upload     the upload file (256 MiB; --quick: 4 MiB)
    W/source/burst      the file each client of the burst downloads (1 MiB; --quick: 64 KiB)
    W/source/busy       what the busy clients of the latency row download in a loop (10 MiB)
    W/source/appbig     what the app row downloads and uploads (1 GiB: a link to big; --quick:
                        32 MiB)
    W/roots/SERVER/     one folder per server:
        big             a hard link to W/source/big (see below)
        burst           a hard link to W/source/burst
        busy            a hard link to W/source/busy
        appbig          a hard link to W/source/appbig
        small/          500 files of 4 KiB, a real copy per server
        many/           20,000 empty files, a real copy per server
    W/client/           where client-side downloads land
    W/ferryd-users      ferryd's users file

Where: /dev/shm when it has room (see default_parent), else $TMPDIR. Every download is
served from memory either way (the page cache, warmed below); what tmpfs removes is the
write-back of uploaded and downloaded gigabytes to the virtual disk, which otherwise lands
on whichever measurement runs next.

Page-cache fairness: the big file is one inode hard-linked into every root, read once before
the first measurement, so every server (and the sendfile limit) reads the very same cached
pages; three copies would triple the cache needed and let the order of the runs decide who
reads from disk. The small files and the big folder are real copies: they are small, and
each server should walk its own directory.
"""
import crypt
import dataclasses
import os
import secrets
import shutil
import sys
import tempfile
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tests", "lib"))
import vsftpd  # noqa: E402  (tests/lib, found through the path above)

SERVERS = ("ferryd", "vsftpd", "pyftpdlib")
# Named only on request (--servers): ferryd with its bulk priorities off (--bulk-after 0),
# to measure what they change in the same run.
EXTRA_SERVERS = ("ferryd-flat",)
BENCH_USER = "ferrybench"
_SALT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
MiB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Sizes:
    big_bytes: int
    upload_bytes: int
    sessions: int
    clients: int
    small_files: int
    small_bytes: int
    list_entries: int
    idle_sessions: int
    session_runs: int
    download_runs: int
    upload_runs: int
    small_runs: int
    list_runs: int
    limit_runs: int
    cli_runs: int
    cli_small_bytes: int
    burst_clients: int
    burst_bytes: int
    burst_runs: int
    latency_busy: tuple
    latency_probes: int
    busy_bytes: int
    app_bytes: int
    app_runs: int


FULL = Sizes(big_bytes=1024 * MiB, upload_bytes=256 * MiB, sessions=400, clients=8,
             small_files=500, small_bytes=4096, list_entries=20000, idle_sessions=50,
             session_runs=3, download_runs=7, upload_runs=5, small_runs=5, list_runs=5,
             limit_runs=7, cli_runs=3, cli_small_bytes=16 * MiB,
             burst_clients=1000, burst_bytes=1 * MiB, burst_runs=3,
             latency_busy=(30, 100), latency_probes=200, busy_bytes=10 * MiB,
             app_bytes=1024 * MiB, app_runs=3)
QUICK = Sizes(big_bytes=16 * MiB, upload_bytes=4 * MiB, sessions=40, clients=8,
              small_files=50, small_bytes=4096, list_entries=2000, idle_sessions=10,
              session_runs=1, download_runs=1, upload_runs=1, small_runs=1, list_runs=1,
              limit_runs=1, cli_runs=1, cli_small_bytes=1 * MiB,
              burst_clients=100, burst_bytes=64 * 1024, burst_runs=1,
              latency_busy=(3,), latency_probes=20, busy_bytes=10 * MiB,
              app_bytes=32 * MiB, app_runs=1)


def yescrypt_hash(password):
    """A "$y$" hash like the ones in /etc/shadow (libxcrypt through Python's crypt)."""
    # 16 salt characters are exactly 12 bytes: every such salt is valid for yescrypt.
    salt = "".join(secrets.choice(_SALT_ALPHABET) for _ in range(16))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        hashed = crypt.crypt(password, "$y$j9T$" + salt)
    if not hashed or not hashed.startswith("$y$"):
        raise RuntimeError("libxcrypt could not make a yescrypt hash")
    return hashed


def default_parent(sizes):
    """/dev/shm when it can hold the run's files three times over, else None ($TMPDIR)."""
    try:
        st = os.statvfs("/dev/shm")
    except OSError:
        return None
    need = 3 * (sizes.big_bytes + 2 * sizes.upload_bytes)
    return "/dev/shm" if st.f_bavail * st.f_frsize > need else None


def _write_random_file(path, size):
    # Incompressible, and fast: a 1 MiB random block written over and over.
    block = os.urandom(MiB)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            f.write(block[:min(left, MiB)])
            left -= MiB


def _read_through(path):
    with open(path, "rb") as f:
        while f.read(4 * MiB):
            pass


class Workdir:
    """Creates the work folder once per run; `cleanup()` deletes it."""

    def __init__(self, sizes, parent=None, user=BENCH_USER):
        self.sizes = sizes
        self.user = user
        self.password = secrets.token_urlsafe(12)
        self.path = tempfile.mkdtemp(prefix="ferry-bench-", dir=parent or default_parent(sizes))
        self.source = os.path.join(self.path, "source")
        self.client = os.path.join(self.path, "client")
        self.users_file = os.path.join(self.path, "ferryd-users")
        self.big = os.path.join(self.source, "big")
        self.upload = os.path.join(self.source, "upload")
        self.cli_small = os.path.join(self.source, "medium")
        self.burst = os.path.join(self.source, "burst")
        self.busy = os.path.join(self.source, "busy")
        self.appbig = os.path.join(self.source, "appbig")
        self.account = None

    def root(self, server):
        return os.path.join(self.path, "roots", server)

    def create(self, servers):
        os.chmod(self.path, 0o755)
        os.makedirs(self.source)
        os.makedirs(self.client)
        _write_random_file(self.big, self.sizes.big_bytes)
        _write_random_file(self.upload, self.sizes.upload_bytes)
        _write_random_file(self.cli_small, self.sizes.cli_small_bytes)
        _write_random_file(self.burst, self.sizes.burst_bytes)
        _write_random_file(self.busy, self.sizes.busy_bytes)
        if self.sizes.app_bytes == self.sizes.big_bytes:
            os.link(self.big, self.appbig)
        else:
            _write_random_file(self.appbig, self.sizes.app_bytes)
        small_payload = os.urandom(self.sizes.small_bytes)
        for server in servers:
            root = self.root(server)
            os.makedirs(os.path.join(root, "small"))
            os.makedirs(os.path.join(root, "many"))
            os.link(self.big, os.path.join(root, "big"))
            os.link(self.cli_small, os.path.join(root, "medium"))
            os.link(self.burst, os.path.join(root, "burst"))
            os.link(self.busy, os.path.join(root, "busy"))
            os.link(self.appbig, os.path.join(root, "appbig"))
            for i in range(self.sizes.small_files):
                with open(os.path.join(root, "small", f"file-{i:04d}.bin"), "wb") as f:
                    f.write(small_payload)
            many = os.path.join(root, "many")
            for i in range(self.sizes.list_entries):
                os.close(os.open(os.path.join(many, f"entry-{i:05d}.txt"),
                                 os.O_CREAT | os.O_WRONLY, 0o644))
        with open(self.users_file, "w") as f:
            f.write(f"[{self.user}]\npassword={yescrypt_hash(self.password)}\n")
        os.chmod(self.users_file, 0o600)
        self._hand_to_user(servers)
        _read_through(self.big)
        _read_through(self.upload)
        _read_through(self.busy)

    def _hand_to_user(self, servers):
        """As root: the bench user owns the served trees (vsftpd logs in as that user, and
        ferryd serves as the owner of its folder)."""
        if os.geteuid() != 0:
            return
        self.account = vsftpd.ensure_system_user(self.user, self.password)
        uid, gid = self.account.pw_uid, self.account.pw_gid
        for path in (self.source, self.client, self.users_file):
            os.chown(path, uid, gid)
        for name in os.listdir(self.source):
            os.chown(os.path.join(self.source, name), uid, gid)
        for server in servers:
            root = self.root(server)
            os.chown(root, uid, gid)
            for folder, dirs, files in os.walk(root):
                for name in dirs + files:
                    os.chown(os.path.join(folder, name), uid, gid)

    def client_file(self, name):
        return os.path.join(self.client, name)

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)

