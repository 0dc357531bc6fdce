# SPDX-License-Identifier: GPL-3.0-or-later
"""vsftpd as a test and benchmark peer: a real /usr/sbin/vsftpd on a free loopback port.

    with Vsftpd(root) as server:                      # anonymous, read-only
        ftplib.FTP().connect("127.0.0.1", server.port)
    with Vsftpd(root, write=True, user="ferrytest", password="secret") as server:
        curl -T file server.url + "name"              # local-user login, writable root

vsftpd runs in the foreground (background=NO) with a generated config, as root (it needs
root to chroot and to switch to the serving user). Its rules shape what each mode can do:

- Anonymous sessions serve as the system user "ftp", chrooted into `root`. vsftpd 3.0.3
  refuses a chroot whose top folder that user may write ("500 OOPS: refusing to run with
  writable root inside chroot()"), whatever allow_writeable_chroot says; so the top folder is
  made 0755 root-owned, and with write=True the folders *beneath* it are handed to "ftp":
  anonymous uploads work in subfolders only.
- Local-user sessions (user=..., password=...) log in through PAM as a real system user,
  chrooted into `root` with allow_writeable_chroot=YES. When the user does not exist, it is
  created (a system account with /bin/sh, which pam_shells wants, and "/" as its home, which
  vsftpd changes into first) and given the password; the account stays for the next run.
  With write=True the whole tree is handed to that user. anonymous=True may be added: it
  serves the same folder read-only to "ftp" (the top folder is not that user's to write).

Needs /usr/sbin/vsftpd (Debian package vsftpd) and root; `available()` says whether both hold.
"""
import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time

import ferrytest

VSFTPD = os.environ.get("VSFTPD", "/usr/sbin/vsftpd")
SECURE_CHROOT_DIR = "/var/run/vsftpd/empty"


def available():
    """(True, "") when vsftpd can run here, else (False, why) for unittest.skip."""
    if not os.access(VSFTPD, os.X_OK):
        return False, f"{VSFTPD} is not installed (apt-get install vsftpd)"
    if os.geteuid() != 0:
        return False, "needs root: vsftpd chroots and switches users"
    return True, ""


def _free_port(host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _run_account_tool(argv, stdin=b""):
    # Tests run in parallel: useradd/chpasswd fail while another holds /etc/passwd's lock.
    for attempt in range(20):
        done = subprocess.run(argv, input=stdin, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        if done.returncode == 0:
            return
        time.sleep(0.1 * (attempt + 1))
    raise RuntimeError(f"{argv[0]} failed: {done.stderr.decode(errors='replace').strip()}")


def ensure_system_user(name, password):
    """Create the local account `name` if missing and set its password (needs root)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,30}", name):
        raise ValueError(f"{name!r} is not a usable system user name")
    try:
        account = pwd.getpwnam(name)
        if not os.path.isdir(account.pw_dir):
            _run_account_tool(["usermod", "--home", "/", name])
    except KeyError:
        # vsftpd changes into the home folder before local_root: it must exist.
        _run_account_tool(["sh", "-c", f"getent passwd {name} >/dev/null || useradd --system "
                           f"--no-create-home --home-dir / --shell /bin/sh {name}"])
    _run_account_tool(["chpasswd"], f"{name}:{password}\n".encode())
    return pwd.getpwnam(name)


def _chown_tree(top, uid, gid, include_top=True):
    if include_top:
        os.chown(top, uid, gid)
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            os.chown(os.path.join(folder, name), uid, gid, follow_symlinks=False)



def _running(pid):
    """True while pid exists and is not a zombie (a zombie has run its exit)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _wait_gone(pids, timeout):
    """Waits until every pid has exited; SIGKILL for those still running after timeout."""
    deadline = time.monotonic() + timeout
    for pid in pids:
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        if _running(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)

class Vsftpd:
    """A real vsftpd on a loopback port; `.port`, `.url`, `.proc`, `.pids()`."""

    def __init__(self, root, port=None, write=False, user=None, password=None,
                 anonymous=None, host="127.0.0.1", passive_ports=None, extra_config=None, start_timeout=10.0):
        self.root = os.path.abspath(str(root))
        self.requested_port = port
        self.write = write
        self.user = user
        self.password = password
        # Anonymous by default only when there is no local user; both may be on.
        self.anonymous = (user is None) if anonymous is None else anonymous
        self.host = host
        self.passive_ports = passive_ports     # (min, max) or None: the kernel picks
        self.extra_config = dict(extra_config or {})
        self.start_timeout = start_timeout
        self.port = None
        self.proc = None
        self.config_path = None
        self.stderr = b""
        self._workdir = None
        if user is not None and password is None:
            raise ValueError("a local-user login needs a password")
        if user is None and not self.anonymous:
            raise ValueError("no way to log in: give a user or allow anonymous")

    # -- configuration -----------------------------------------------------------------

    def _settings(self, port):
        settings = {
            "listen": "YES",
            "listen_ipv6": "NO",
            "listen_address": self.host,
            "listen_port": str(port),
            "background": "NO",
            # Containers often lack the syscalls and namespaces these need; tests do not.
            "seccomp_sandbox": "NO",
            "isolate": "NO",
            "isolate_network": "NO",
            "secure_chroot_dir": SECURE_CHROOT_DIR,
            "syslog_enable": "NO",
            "xferlog_enable": "NO",
            "dual_log_enable": "NO",
            "connect_from_port_20": "NO",
            "pasv_enable": "YES",
            "port_enable": "YES",
            "max_clients": "0",
            "max_per_ip": "0",
            "delay_failed_login": "0",
            "idle_session_timeout": "600",
            "data_connection_timeout": "120",
            "use_localtime": "NO",
            "write_enable": "YES" if self.write else "NO",
            "hide_ids": "NO",
        }
        if self.passive_ports:
            settings["pasv_min_port"] = str(self.passive_ports[0])
            settings["pasv_max_port"] = str(self.passive_ports[1])
        settings["anonymous_enable"] = "YES" if self.anonymous else "NO"
        settings["local_enable"] = "NO" if self.user is None else "YES"
        if self.anonymous:
            settings.update({
                "anon_root": self.root,
                "no_anon_password": "YES",
                "anon_world_readable_only": "NO",
                "anon_upload_enable": "YES" if self.write else "NO",
                "anon_mkdir_write_enable": "YES" if self.write else "NO",
                "anon_other_write_enable": "YES" if self.write else "NO",
                "anon_umask": "022",
            })
        if self.user is not None:
            settings.update({
                "local_root": self.root,
                "chroot_local_user": "YES",
                "allow_writeable_chroot": "YES",
                "local_umask": "022",
                "session_support": "NO",
                "pam_service_name": "vsftpd",
                "userlist_enable": "NO",
            })
        settings.update(self.extra_config)
        return settings

    def _prepare_tree(self):
        os.makedirs(SECURE_CHROOT_DIR, mode=0o755, exist_ok=True)
        if self.user is not None:
            account = ensure_system_user(self.user, self.password)
            if self.write:
                _chown_tree(self.root, account.pw_uid, account.pw_gid)
            else:
                os.chmod(self.root, 0o755)
        elif self.anonymous:
            ftp = pwd.getpwnam("ftp")
            os.chown(self.root, 0, 0)
            os.chmod(self.root, 0o755)
            if self.write:
                _chown_tree(self.root, ftp.pw_uid, ftp.pw_gid, include_top=False)

    # -- life cycle --------------------------------------------------------------------

    def start(self):
        ok, why = available()
        if not ok:
            raise RuntimeError(why)
        self._prepare_tree()
        self._workdir = tempfile.mkdtemp(prefix="ferry-vsftpd-")
        self.config_path = os.path.join(self._workdir, "vsftpd.conf")
        # A port picked by us may be taken before vsftpd binds it: try a few.
        attempts = 1 if self.requested_port else 5
        for _ in range(attempts):
            port = self.requested_port or _free_port(self.host)
            with open(self.config_path, "w") as f:
                for key, value in self._settings(port).items():
                    f.write(f"{key}={value}\n")
            if self._launch(port):
                self.port = port
                return self
        self.stop()
        raise RuntimeError(f"vsftpd did not start: {self.stderr.decode(errors='replace')}")

    def _launch(self, port):
        self.proc = ferrytest.spawn_server([VSFTPD, self.config_path], stdin=subprocess.DEVNULL,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stderr = self.proc.stderr.read()
                self.proc.stderr.close()
                return False
            with contextlib.suppress(OSError):
                with socket.create_connection((self.host, port), timeout=1.0) as s:
                    if s.recv(64).startswith(b"220"):
                        return True
            time.sleep(0.02)
        self.proc.kill()
        self.proc.wait()
        self.proc.stderr.close()
        self.stderr = b"no 220 greeting before the time-out"
        return False

    @property
    def url(self):
        if self.user is None:
            return f"ftp://{self.host}:{self.port}/"
        return f"ftp://{self.user}:{self.password}@{self.host}:{self.port}/"

    def pids(self):
        """The listener and every process beneath it (vsftpd uses two per session)."""
        found = []
        pending = [self.proc.pid]
        while pending:
            pid = pending.pop()
            found.append(pid)
            with contextlib.suppress(OSError):
                with open(f"/proc/{pid}/task/{pid}/children") as f:
                    pending.extend(int(p) for p in f.read().split())
        return found

    def stop(self, timeout=10.0):
        if self.proc and self.proc.poll() is None:
            # Sessions are separate processes: end them with the listener, and wait for each
            # one (a loaded machine may take a while to run a session's exit).
            pids = list(reversed(self.pids()))
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, 15)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            _wait_gone(pids, timeout)
        if self.proc and self.proc.stderr and not self.proc.stderr.closed:
            self.proc.stderr.close()
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
        return self.proc.returncode if self.proc else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
