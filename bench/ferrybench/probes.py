# SPDX-License-Identifier: GPL-3.0-or-later
"""One function per measurement. Rates are in MB/s with MB = 10**6 bytes."""
import ftplib
import multiprocessing
import os
import re
import subprocess
import time

from . import ftpwire

MB = 1e6
GiB = 1024 ** 3


class ProbeError(Exception):
    """A measurement that could not be taken; the message says why."""


def _process_cpu_ticks(pid):
    """utime + stime + cutime + cstime of one process (fields 14-17 of proc(5))."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0   # ended in between: its CPU shows in its parent's cutime once reaped
    # fields[0] here is field 3 (state).
    return sum(int(v) for v in fields[11:15])


def descendants(pid):
    """Every process beneath pid, through the children of each of its threads (a process
    started from a GIO worker thread is that thread's child, not the main thread's)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as f:
                    kids = [int(p) for p in f.read().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def server_cpu_seconds(pid):
    """CPU time of the server's whole live process tree, each process with the children it
    has reaped: for ferryd, the listener, the session zygote (whose reaped children are the
    sessions) and the live sessions; for a fork-per-session server, the sessions' cost. A
    process reaped between the listing and the reading is missed, never counted twice: read
    it when the server is quiet. Checked against a cgroup's cpuacct.usage: 0.90-1.02 x over
    600 sessions that retired two zygotes, 0.998 x over a download (docs/BENCHMARKS.md)."""
    ticks = sum(_process_cpu_ticks(p) for p in [pid] + descendants(pid))
    return ticks / os.sysconf("SC_CLK_TCK")


def _curl(args):
    done = subprocess.run(["curl", "-sS", "--fail"] + args,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise ProbeError(f"curl {' '.join(a for a in args if '@' not in a)}: "
                         f"{done.stderr.strip()}")
    return done.stdout


def _server_cpu_after(server, before):
    """ms of server CPU since `before`, or None where /proc cannot tell (see Server)."""
    # A fork-per-session server's CPU shows once it has reaped the session's process.
    time.sleep(0.2)
    if not server.transfer_cpu_countable:
        return None
    return server_cpu_seconds(server.pid) - before


def _per_gib(cpu, size):
    return None if cpu is None else 1000 * cpu / (size / GiB)


def curl_download(server, path):
    """(MB/s, server CPU ms per GiB) of one anonymous download to /dev/null. The rate is
    bytes / (time_total - time_pretransfer); the CPU time covers the whole session, which is
    why it is anonymous: a user login costs a yescrypt hash in ferryd and vsftpd (~20-40 ms,
    see the session rows) and a string compare in pyftpdlib."""
    before = server_cpu_seconds(server.pid)
    out = _curl(["-o", "/dev/null", "-w", "%{size_download} %{time_pretransfer} %{time_total}",
                 server.url(path, anonymous=True)])
    cpu = _server_cpu_after(server, before)
    size, pretransfer, total = (float(v) for v in out.split())
    return size / MB / max(total - pretransfer, 1e-9), _per_gib(cpu, size)


def curl_upload(server, source, remote_name, served_root):
    """(MB/s, server CPU ms per GiB) of one upload of source (the reply to STOR included, so
    the server's rename and close count); the uploaded file is deleted afterwards."""
    try:
        before = server_cpu_seconds(server.pid)
        out = _curl(["-T", source, "-w", "%{size_upload} %{time_pretransfer} %{time_total}",
                     server.url(remote_name)])
        cpu = _server_cpu_after(server, before)
        size, pretransfer, total = (float(v) for v in out.split())
        landed = os.path.getsize(os.path.join(served_root, remote_name))
        if landed != os.path.getsize(source):
            raise ProbeError(f"{server.name}: the upload landed with {landed} bytes")
        return size / MB / max(total - pretransfer, 1e-9), _per_gib(cpu, size)
    finally:
        try:
            os.remove(os.path.join(served_root, remote_name))
        except FileNotFoundError:
            pass


def _session_worker(barrier, results, host, port, user, password, path, count, deadline):
    barrier.wait()
    started = time.monotonic()
    done = 0
    errors = []
    for i in range(count):
        if time.monotonic() - started > deadline:
            errors.extend(["gave up: the time limit passed"] * (count - i))
            break
        try:
            ftpwire.one_session(host, port, user, password, path)
            done += 1
        except (OSError, ftpwire.ReplyError) as e:
            errors.append(str(e))
    results.put((started, time.monotonic(), done, len(errors), errors[:2]))


def sessions_per_second(server, total, clients, anonymous, size_path="big", deadline=120):
    """`clients` processes run connect + login + TYPE I + SIZE + QUIT, `total` in all.
    Returns (sessions/s, server CPU ms per session, failures, sample failure messages)."""
    user, password = ("anonymous", "bench@") if anonymous else (server.user, server.password)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(clients)
    results = context.Queue()
    shares = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    workers = [context.Process(target=_session_worker,
                               args=(barrier, results, "127.0.0.1", server.port, user, password,
                                     size_path, share, deadline))
               for share in shares]
    cpu_before = server_cpu_seconds(server.pid)
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=deadline + 60) for _ in workers]
    for worker in workers:
        worker.join()
    # Let the server reap the last sessions so that their CPU time is counted.
    time.sleep(0.3)
    cpu = server_cpu_seconds(server.pid) - cpu_before
    started = min(r[0] for r in collected)
    ended = max(r[1] for r in collected)
    done = sum(r[2] for r in collected)
    failures = sum(r[3] for r in collected)
    samples = [m for r in collected for m in r[4]][:3]
    return done / max(ended - started, 1e-9), 1000 * cpu / max(done, 1), failures, samples


def _login(server, timeout=60):
    ftp = ftplib.FTP(timeout=timeout)
    ftp.connect("127.0.0.1", server.port)
    ftp.login(server.user, server.password)
    return ftp


def small_files(server, count, size):
    """Files/s: `count` files downloaded one after another over one session (ftplib's
    retrbinary: TYPE I, PASV, RETR per file, as a script would)."""
    ftp = _login(server)
    received = 0

    def take(block):
        nonlocal received
        received += len(block)

    started = time.monotonic()
    for i in range(count):
        ftp.retrbinary(f"RETR small/file-{i:04d}.bin", take)
    elapsed = time.monotonic() - started
    ftp.quit()
    if received != count * size:
        raise ProbeError(f"{server.name}: {received} bytes came for {count} small files")
    return count / elapsed


def listing(server, command, folder, expected):
    """Seconds from sending LIST/MLSD to the 226 after the last byte, or None when the server
    does not know the command."""
    ftp = _login(server)
    try:
        ftp.voidcmd("TYPE A")
        chunks = []
        started = time.monotonic()
        try:
            conn = ftp.transfercmd(f"{command} {folder}")
        except ftplib.error_perm as e:
            if str(e)[:3] in ("500", "502"):
                return None
            raise
        with conn:
            while True:
                chunk = conn.recv(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        ftp.voidresp()
        elapsed = time.monotonic() - started
    finally:
        ftp.close()
    entries = b"".join(chunks).count(b"entry-")
    if entries != expected:
        raise ProbeError(f"{server.name}: {command} gave {entries} entries of {expected}")
    return elapsed


_PRIVATE = re.compile(rb"^Private_(?:Clean|Dirty):\s+(\d+) kB", re.M)


def private_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                total += sum(int(v) for v in _PRIVATE.findall(f.read()))
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def idle_memory(server, count, settle=1.0):
    """KiB of private memory per idle logged-in session over the server's process tree
    (Private_Clean + Private_Dirty from smaps_rollup), minus the tree's idle baseline.
    Returns (KiB per session, baseline KiB, processes with the sessions open)."""
    time.sleep(settle)
    baseline = private_kib(server.pids())
    sessions = []
    try:
        for _ in range(count):
            sessions.append(_login(server))
        # Let a pre-spawning server refill its pool before the count.
        time.sleep(settle)
        pids = server.pids()
        loaded = private_kib(pids)
    finally:
        for ftp in sessions:
            try:
                ftp.quit()
            except (OSError, ftplib.Error):
                ftp.close()
    return (loaded - baseline) / count, baseline, len(pids)


def sendfile_limit(program, path, read_buffer, reader_cpu=None):
    """(MB/s, sender CPU ms per GiB) of bench/sendfile-limit.c; the reader on reader_cpu
    when given, the sender where the caller runs."""
    argv = [program, path, str(read_buffer)]
    if reader_cpu is not None:
        argv.append(str(reader_cpu))
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise ProbeError(f"sendfile-limit: {done.stderr.strip()}")
    words = done.stdout.replace(",", " ").split()   # "BYTES bytes in S s  sender CPU C s"
    size, seconds, cpu = float(words[0]), float(words[3]), float(words[7])
    return size / MB / seconds, 1000 * cpu / (size / GiB)


_MAX_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_CPU_TIME = re.compile(r"(?:User|System) time \(seconds\): ([\d.]+)")


def client_download(argv, destination, expected_size, env=None):
    """(MB/s, peak RSS KiB, CPU ms per GiB) of a client that downloads into `destination`:
    wall time of the whole program (start-up and login included, the same for every client),
    peak RSS and user + system time from /usr/bin/time -v."""
    started = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-v"] + argv, capture_output=True, text=True,
                          env=env)
    elapsed = time.monotonic() - started
    try:
        if done.returncode != 0:
            raise ProbeError(f"{os.path.basename(argv[0])} failed ({done.returncode}): "
                             f"{done.stderr.strip()[-400:]}")
        size = os.path.getsize(destination)
        if size != expected_size:
            raise ProbeError(f"{os.path.basename(argv[0])} wrote {size} of {expected_size} bytes")
        match = _MAX_RSS.search(done.stderr)
        cpu = sum(float(v) for v in _CPU_TIME.findall(done.stderr))
        return (expected_size / MB / elapsed, int(match.group(1)) if match else None,
                _per_gib(cpu, expected_size))
    finally:
        for leftover in (destination, destination + ".part"):
            try:
                os.remove(leftover)
            except FileNotFoundError:
                pass
