# SPDX-License-Identifier: GPL-3.0-or-later
"""Two LAN machines on one box: network namespaces joined by a veth pair, each with its own
private system bus and avahi-daemon, as root; nothing outside the box is touched.

    with LanLab() as lab:                # needs root; skips (unittest.SkipTest) otherwise
        a, b = lab.hosts                 # "host-a" 198.51.100.1, "host-b" 198.51.100.2
        proc = a.popen([FERRYD, ...])    # runs inside a's namespace, with a's system bus
        b.browse("_ftp._tcp")            # avahi-browse -rtp from b: resolved services

Only addresses inside the namespaces made here are ever used (198.51.100.0/24 is a
documentation range); nothing reaches the machine's own network."""
import contextlib
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

import ferrytest
from ferrytest import wait_until

SUBNET = "198.51.100"

DBUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""

AVAHI_CONFIG = """[server]
host-name={host}
use-ipv4=yes
use-ipv6={ipv6}
allow-interfaces={interface}
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
[reflector]
[rlimits]
"""


def unavailable_reason():
    """Why the lab cannot run here (None when it can)."""
    if os.geteuid() != 0:
        return "needs root: network namespaces, a private avahi-daemon"
    for program in ("ip", "avahi-daemon", "avahi-browse", "dbus-daemon"):
        if shutil.which(program) is None and not os.path.exists(f"/usr/sbin/{program}"):
            return f"{program} is not installed (tools/deps.sh test)"
    probe = f"ferryprobe{os.getpid()}"
    result = subprocess.run(["ip", "netns", "add", probe], capture_output=True)
    if result.returncode != 0:
        return "cannot create network namespaces here: " + result.stderr.decode().strip()
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


class Host:
    """One machine of the lab: a namespace, its veth end, its bus and avahi-daemon."""

    def __init__(self, lab, letter, address):
        self.lab = lab
        self.name = f"host-{letter}"
        self.netns = f"ferry{letter}{lab.tag}"
        self.interface = f"fv{letter}{lab.tag}"[:15]
        self.address = address
        self.folder = os.path.join(lab.folder, letter)
        self.bus_socket = os.path.join(self.folder, "system_bus_socket")
        self.bus_address = f"unix:path={self.bus_socket}"
        self.bus_pid = None
        self.avahi = None
        os.makedirs(self.folder)

    def wait_link_local(self, timeout=10):
        """The interface's IPv6 link-local address, once it is usable ("fe80::…")."""
        def address():
            out = subprocess.run(["ip", "-n", self.netns, "-6", "-o", "addr", "show", "dev",
                                  self.interface, "scope", "link"], capture_output=True,
                                 text=True).stdout
            if "tentative" in out:
                return None
            fields = out.split()
            return fields[fields.index("inet6") + 1].split("/")[0] if "inet6" in fields else None
        found = wait_until(address, timeout, interval=0.1)
        if not found:
            raise AssertionError(f"no IPv6 link-local address on {self.name}")
        return found

    def env(self, extra=None):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.bus_address, LANG="C.UTF-8", LC_ALL="C.UTF-8")
        env.update(extra or {})
        return env

    def command(self, argv):
        return ["ip", "netns", "exec", self.netns] + list(argv)

    def popen(self, argv, env=None, **kwargs):
        """A process inside this host's namespace, talking to this host's system bus."""
        return subprocess.Popen(self.command(argv), env=self.env(env), **kwargs)

    def run(self, argv, env=None, timeout=30, **kwargs):
        return subprocess.run(self.command(argv), env=self.env(env), capture_output=True,
                              timeout=timeout, **kwargs)

    def start_daemons(self):
        config = os.path.join(self.folder, "bus.conf")
        with open(config, "w") as f:
            f.write(DBUS_CONFIG.format(socket=self.bus_socket))
        out = subprocess.run(["dbus-daemon", f"--config-file={config}", "--fork",
                              "--print-pid"], capture_output=True, check=True, timeout=10)
        self.bus_pid = int(out.stdout.split()[0])
        wait_until(lambda: os.path.exists(self.bus_socket), 5)
        self.start_avahi()

    def start_avahi(self):
        avahi_config = os.path.join(self.folder, "avahi-daemon.conf")
        with open(avahi_config, "w") as f:
            f.write(AVAHI_CONFIG.format(host=self.name, interface=self.interface,
                                        ipv6="yes" if self.lab.ipv6 else "no"))
        if getattr(self, "avahi_log", None):
            self.avahi_log.close()
        self.avahi_log = open(os.path.join(self.folder, "avahi.log"), "ab")
        # Each daemon writes its pid file in /run/avahi-daemon: a tmpfs of its own, in the
        # mount namespace `ip netns exec` makes for the command.
        self.avahi = self.popen(
            ["sh", "-c", "mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon "
             "&& exec avahi-daemon "
             "--no-drop-root --no-chroot --no-rlimits --no-proc-title -f \"$1\"", "sh",
             avahi_config],
            stdout=self.avahi_log, stderr=subprocess.STDOUT)

    def wait_avahi_running(self, timeout=15):
        """Waits until the daemon answers on the bus with its host name (it has probed)."""
        def running():
            result = self.run(["avahi-resolve", "-4", "-n", f"{self.name}.local"], timeout=10)
            return result.returncode == 0 and self.address.encode() in result.stdout
        if not wait_until(running, timeout, interval=0.2):
            raise AssertionError(f"avahi-daemon of {self.name} did not start: "
                                 + self.avahi_log_text())

    def avahi_log_text(self):
        with open(os.path.join(self.folder, "avahi.log"), "rb") as f:
            return f.read().decode(errors="replace")

    def stop_avahi(self):
        if self.avahi is not None and self.avahi.poll() is None:
            self.avahi.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.avahi.wait(10)
            if self.avahi.poll() is None:
                self.avahi.kill()
                self.avahi.wait()

    def stop_daemons(self):
        self.stop_avahi()
        if self.bus_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.bus_pid, signal.SIGTERM)
            self.bus_pid = None
        if getattr(self, "avahi_log", None):
            self.avahi_log.close()

    def browse(self, service_type="_ftp._tcp", timeout=20):
        """avahi-browse -rtp: the resolved services seen from here, as dicts (name, host,
        address, port, txt: list of strings)."""
        result = self.run(["avahi-browse", "-rtp", service_type], timeout=timeout)
        return parse_browse(result.stdout.decode(errors="replace"))

    def wait_service(self, predicate, timeout=15, service_type="_ftp._tcp"):
        """Browses until a service matching predicate shows; (service, seconds waited)."""
        start = time.monotonic()
        while True:
            found = [s for s in self.browse(service_type) if predicate(s)]
            if found:
                return found[0], time.monotonic() - start
            if time.monotonic() - start > timeout:
                raise AssertionError(f"no matching {service_type} from {self.name} after "
                                     f"{timeout}s: {self.browse(service_type)}")
            time.sleep(0.1)

    def watch(self, service_type="_ftp._tcp"):
        """A running avahi-browse -rp on this host: every service coming and going, timed."""
        return Watcher(self, service_type)

    def wait_gone(self, predicate, timeout=15, service_type="_ftp._tcp"):
        """Browses until no service matches predicate; the seconds it took."""
        start = time.monotonic()
        while any(predicate(s) for s in self.browse(service_type)):
            if time.monotonic() - start > timeout:
                raise AssertionError(f"still announced after {timeout}s")
            time.sleep(0.1)
        return time.monotonic() - start


def unescape(label):
    """avahi-browse -p writes names with \\DDD escapes ("Share\\032on\\032A")."""
    out = bytearray()
    raw = label.encode()
    i = 0
    while i < len(raw):
        if raw[i:i + 1] == b"\\" and raw[i + 1:i + 4].isdigit():
            out.append(int(raw[i + 1:i + 4]))
            i += 4
        elif raw[i:i + 1] == b"\\" and i + 1 < len(raw):
            out += raw[i + 1:i + 2]
            i += 2
        else:
            out += raw[i:i + 1]
            i += 1
    return out.decode(errors="replace")


def parse_browse(text):
    services = []
    for line in text.splitlines():
        fields = line.split(";")
        if fields[0] != "=" or len(fields) < 10:
            continue
        txt = [t.strip('"') for t in fields[9].split('" "')] if fields[9] else []
        services.append({"interface": fields[1], "name": unescape(fields[3]),
                         "type": fields[4], "host": fields[6], "address": fields[7],
                         "port": int(fields[8]), "txt": [t for t in txt if t]})
    return services


class LanFerryd:
    """ferryd in a lab host's namespace, on every address and a free port, its log in a
    file: with LanFerryd(host, root, "--name", "X") as server: server.port …"""

    def __init__(self, host, root, *args, env=None):
        self.host = host
        self.root = root
        self.args = list(args)
        self.env = env
        self.proc = None
        self.port = None
        self.banner = b""

    def start(self):
        ferrytest.give_to_nobody(self.root)
        self.log = tempfile.NamedTemporaryFile(prefix="ferryd-lan-log-")
        log_fd = os.open(self.log.name, os.O_WRONLY | os.O_APPEND)
        try:
            self.proc = self.host.popen([ferrytest.FERRYD, "--root", self.root, "--port", "0"]
                                        + self.args, env=self.env, stdout=subprocess.PIPE,
                                        stderr=log_fd)
        finally:
            os.close(log_fd)
        self.started = time.monotonic()
        line = self.proc.stdout.readline()
        self.banner = line
        m = ferrytest._URL_PORT.search(line)
        if not m:
            self.stop()
            raise AssertionError(f"ferryd did not start: {line!r} {self.log_text()}")
        self.port = int(m.group(1))
        return self

    def log_text(self):
        if self.log.closed:
            return self.final_log
        with open(self.log.name, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM):
        """Signals ferryd and waits for it; the time.monotonic() the signal was sent."""
        when = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        return when

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.final_log = self.log_text()
        self.log.close()


class Watcher:
    """avahi-browse -rp left running: ("+", service) when a service resolves, ("-", name)
    when it is withdrawn, each with the time.monotonic() it was read at."""

    def __init__(self, host, service_type):
        self.events = []
        self.cond = threading.Condition()
        self.proc = host.popen(["avahi-browse", "-rp", service_type], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            now = time.monotonic()
            fields = line.split(";")
            event = None
            if fields[0] == "=":
                parsed = parse_browse(line)
                if parsed:
                    event = ("+", parsed[0])
            elif fields[0] == "-" and len(fields) >= 4:
                event = ("-", unescape(fields[3]))
            if event:
                with self.cond:
                    self.events.append((now,) + event)
                    self.cond.notify_all()

    def wait_for(self, kind, name_predicate, timeout=15):
        """The time of the first event of kind ("+" or "-") whose name matches; raises after
        timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for when, event_kind, what in self.events:
                    name = what["name"] if event_kind == "+" else what
                    if event_kind == kind and name_predicate(name):
                        return when, what
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {kind} event after {timeout}s: {self.events}")
                self.cond.wait(left)

    def names_seen(self):
        with self.cond:
            return [what["name"] for _, kind, what in self.events if kind == "+"]

    def close(self):
        self.proc.terminate()
        self.proc.wait()
        self.thread.join(5)
        self.proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def alive(pid):
    """Whether process pid runs (a zombie does not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class LineProgram:
    """A test program the script talks to in lines (tests/lan's app programs): what it
    says on stdout, read with a timeout, and commands written to its stdin."""

    def __init__(self, proc, name):
        self.proc = proc
        self.name = name
        self.output = []
        self.pending = b""   # read, not yet a whole line

    def _lines(self, timeout):
        """Whole lines as they come. The pipe is read with os.read, never readline: a
        buffered reader keeps lines that arrived together where select() cannot see them."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            while b"\n" in self.pending:
                line, self.pending = self.pending.split(b"\n", 1)
                yield line.decode(errors="replace") + "\n"
            left = deadline - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    return
                self.pending += chunk

    def expect(self, word, timeout=60):
        """The next line that starts with word, split; what came before is kept."""
        for line in self._lines(timeout):
            self.output.append(line)
            if line.startswith(word + " ") or line.strip() == word:
                return line.split()
        raise AssertionError(f"no {word} from {self.name}:\n" + "".join(self.output))

    def rest(self):
        """What the program said after the last expect(), up to its end."""
        self.output.extend(self._lines(30))
        self.output.append(self.pending.decode(errors="replace"))
        self.pending = b""

    def tell(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()


class LanLab:
    """Two hosts, a and b, on one veth link; both daemons up and probed on enter. With
    ipv6=True the link also has IPv6 (link-local addresses only, host.link_local) and the
    avahi-daemons publish and resolve AAAA records."""

    def __init__(self, ipv6=False):
        self.tag = f"{os.getpid() % 100000}"
        self.ipv6 = ipv6
        self.folder = None
        self.hosts = []

    def __enter__(self):
        reason = unavailable_reason()
        if reason:
            raise unittest.SkipTest(reason)
        self.folder = tempfile.mkdtemp(prefix="ferry-lan-")
        os.chmod(self.folder, 0o755)
        a = Host(self, "a", f"{SUBNET}.1")
        b = Host(self, "b", f"{SUBNET}.2")
        self.hosts = [a, b]
        try:
            for host in self.hosts:
                subprocess.run(["ip", "netns", "add", host.netns], check=True)
            subprocess.run(["ip", "link", "add", a.interface, "type", "veth", "peer", "name",
                            b.interface], check=True)
            for host in self.hosts:
                subprocess.run(["ip", "link", "set", host.interface, "netns", host.netns],
                               check=True)
                subprocess.run(["ip", "-n", host.netns, "addr", "add", f"{host.address}/24",
                                "dev", host.interface], check=True)
                if self.ipv6:
                    # No duplicate address detection: the link-local address is usable at
                    # once (only two hosts, whose addresses come from their MACs).
                    subprocess.run(host.command(
                        ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0",
                         f"net.ipv6.conf.{host.interface}.disable_ipv6=0",
                         f"net.ipv6.conf.{host.interface}.accept_dad=0"]), check=True)
                subprocess.run(["ip", "-n", host.netns, "link", "set", host.interface, "up"],
                               check=True)
                subprocess.run(["ip", "-n", host.netns, "link", "set", "lo", "up"], check=True)
            if self.ipv6:
                for host in self.hosts:
                    host.link_local = host.wait_link_local()
            for host in self.hosts:
                host.start_daemons()
            for host in self.hosts:
                host.wait_avahi_running()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        for host in self.hosts:
            host.stop_daemons()
        for host in self.hosts:
            subprocess.run(["ip", "netns", "del", host.netns], capture_output=True)
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
