"""The table: medians per server, ratios ferryd/peer, and the targets of issue 7."""
import os
import platform
import statistics
import subprocess


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _fmt(value):
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _size(n):
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n // 1024} KiB"


def _rows(sizes):
    """(key, label, higher is better) for the server table, in print order."""
    return [
        ("download", f"download {_size(sizes.big_bytes)}, curl, anonymous (MB/s)", True),
        ("download_cpu", "server CPU ms per GiB sent (whole session)", False),
        ("upload", f"upload {_size(sizes.upload_bytes)}, curl (MB/s)", True),
        ("upload_cpu", "server CPU ms per GiB received (user login included)", False),
        ("sessions_login", f"sessions/s, user+password, {sizes.clients} clients", True),
        ("sessions_anon", f"sessions/s, anonymous, {sizes.clients} clients", True),
        ("session_cpu_login", "server CPU ms per session, user+password", False),
        ("session_cpu_anon", "server CPU ms per session, anonymous", False),
        ("small", f"small files/s ({sizes.small_files} × {_size(sizes.small_bytes)})", True),
        ("list", f"LIST {sizes.list_entries} entries (s)", False),
        ("mlsd", f"MLSD {sizes.list_entries} entries (s)", False),
        ("memory", f"KiB per idle session ({sizes.idle_sessions} open)", False),
    ]


def _target(key, m, limit):
    """(what the target is, whether ferryd meets it: True/False/None when unknown)."""
    f = m.get("ferryd")
    peers = [m.get(p) for p in ("vsftpd", "pyftpdlib") if m.get(p) is not None]
    if f is None:
        return "", None
    if key == "download":
        best = max(peers) if peers else None
        text = "≥ 0.95 × limit, ≥ best peer"
        if limit is None or best is None:
            return text, None
        return text, f >= 0.95 * limit and f >= best
    if key == "upload":
        return "≥ best peer", (f >= max(peers)) if peers else None
    if key in ("sessions_login", "sessions_anon", "small"):
        py = m.get("pyftpdlib")
        return "≥ pyftpdlib", (f >= py) if py is not None else None
    if key.endswith("_cpu") or key.startswith("session_cpu"):
        return "(the cost behind the rate)", None
    if key in ("list", "memory"):
        vs = m.get("vsftpd")
        return "≤ vsftpd", (f <= vs) if vs is not None else None
    if key == "mlsd":
        vs = m.get("vsftpd_list")
        return "≤ vsftpd's LIST (vsftpd has no MLSD)", (f <= vs) if vs is not None else None
    return "", None


def _met(flag, text="?"):
    return {True: "yes", False: "**no**", None: text}[flag]


def server_table(results, sizes, servers):
    runs = results["runs"]
    limit = median(runs.get("limit", {}).get("limit", []))
    has = set(servers)
    header = ["measure"] + servers
    if "ferryd" in has:
        header += [f"ferryd/{p}" for p in ("vsftpd", "pyftpdlib") if p in has]
        header += ["target", "met"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key, label, _higher in _rows(sizes):
        m = {s: median(runs.get(key, {}).get(s, [])) for s in servers}
        m["vsftpd_list"] = median(runs.get("list", {}).get("vsftpd", []))
        cells = [label] + [_fmt(m[s]) for s in servers]
        if "ferryd" in has:
            for peer in ("vsftpd", "pyftpdlib"):
                if peer in has:
                    f, p = m["ferryd"], m[peer]
                    cells.append(_fmt(f / p) if f is not None and p else "n/a")
            text, flag = _target(key, m, limit)
            cells += [text, _met(flag, "" if "_cpu" in key else "?")]
        lines.append("| " + " | ".join(cells) + " |")
    f = median(runs.get("download", {}).get("ferryd", []))
    f_cpu = median(runs.get("download_cpu", {}).get("ferryd", []))
    limit_cpu = median(runs.get("download_cpu", {}).get("limit", []))
    lines.append("")
    lines.append(f"physical limit (sendfile into loopback, {_size(sizes.big_bytes)}): "
                 f"{_fmt(limit)} MB/s, sender CPU {_fmt(limit_cpu)} ms per GiB; "
                 f"ferryd/limit = {_fmt(f / limit) if f is not None and limit else 'n/a'} "
                 f"(rate), {_fmt(f_cpu / limit_cpu) if f_cpu is not None and limit_cpu else 'n/a'}"
                 " (CPU)")
    return "\n".join(lines)


def client_table(results, sizes):
    runs = results["runs"]
    if not runs.get("client_rate"):
        return ""
    rate = {c: median(v) for c, v in runs["client_rate"].items()}
    cpu = {c: median(v) for c, v in runs.get("client_cpu", {}).items()}
    rss_big = {c: median(v) for c, v in runs.get("client_rss_big", {}).items()}
    rss_small = {c: median(v) for c, v in runs.get("client_rss_small", {}).items()}
    clients = sorted(rate)
    lines = ["| client, from ferryd | " + " | ".join(clients) + " | ferry-cli/curl | target | met |",
             "|---|" + "---|" * (len(clients) + 3)]

    def row(label, values, target, flag, ratio=True):
        a, b = values.get("ferry-cli"), values.get("curl")
        r = _fmt(a / b) if ratio and a is not None and b else ""
        met = flag if flag == "" else _met(flag)
        cells = [label] + [_fmt(values.get(c)) for c in clients] + [r, target, met]
        lines.append("| " + " | ".join(cells) + " |")

    cli, curl = rate.get("ferry-cli"), rate.get("curl")
    row(f"get {_size(sizes.big_bytes)} (MB/s, wall)", rate, "≥ 0.95 × curl",
        (cli >= 0.95 * curl) if cli is not None and curl else None)
    row("client CPU ms per GiB (user + system)", cpu, "(the cost behind the rate)", "")
    big, small = rss_big.get("ferry-cli"), rss_small.get("ferry-cli")
    flat = (big <= small + 1024) if big is not None and small is not None else None
    row(f"peak RSS KiB, {_size(sizes.big_bytes)}", rss_big, "flat: ≤ the small file's + 1 MiB",
        flat, ratio=False)
    row(f"peak RSS KiB, {_size(sizes.cli_small_bytes)}", rss_small, "", "", ratio=False)
    return "\n".join(lines)


def runs_listing(results):
    """Every single value, for the record (medians hide the spread of a noisy machine)."""
    lines = []
    for key, per_server in results["runs"].items():
        for server, values in per_server.items():
            shown = ", ".join(_fmt(v) for v in values)
            lines.append(f"  {key:15} {server:10} {shown}")
    return "\n".join(lines)


def _first_line(argv):
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        text = (done.stdout or done.stderr).strip()
        return text.splitlines()[0] if text else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def _source_tree(source_root):
    """The commit bench/run sits in, "+ changes" when files differ from it (the programs
    measured may come from elsewhere: --ferryd)."""
    commit = _first_line(["git", "-C", source_root, "rev-parse", "--short", "HEAD"])
    try:
        changed = subprocess.run(["git", "-C", source_root, "status", "--porcelain",
                                  "--untracked-files=no"], capture_output=True, text=True,
                                 timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        changed = ""
    return f"{commit} + changes" if changed else commit


def machine_description(ferryd_path, source_root):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    distro = "?"
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    distro = line.split("=", 1)[1].strip().strip('"')
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "distro": distro,
        "load average at start": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "ferryd": (f"{_first_line([ferryd_path, '--version'])} ({ferryd_path})"
                   if ferryd_path else "not run"),
        "bench/ tree": _source_tree(source_root),
        "vsftpd": _first_line(["dpkg-query", "-W", "-f", "${Version}", "vsftpd"]),
        "pyftpdlib": _first_line(["dpkg-query", "-W", "-f", "${Version}", "python3-pyftpdlib"]),
        "curl": " ".join(_first_line(["curl", "--version"]).split()[:2]),
        "python": platform.python_version(),
    }
