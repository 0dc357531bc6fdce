# SPDX-License-Identifier: GPL-3.0-or-later
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
        ("burst_served", f"burst of {sizes.burst_clients} at once, each "
                         f"{_size(sizes.burst_bytes)}: served byte-exact", True),
        ("burst_refused", "burst: refused (421)", False),
        ("burst_failed", "burst: failed otherwise (time-outs, resets)", False),
        ("burst_seconds", "burst: seconds until the last one was served", False),
    ] + _latency_rows(sizes) + _lan_rows(sizes) + [
        ("small", f"small files/s ({sizes.small_files} × {_size(sizes.small_bytes)})", True),
        ("list", f"LIST {sizes.list_entries} entries (s)", False),
        ("mlsd", f"MLSD {sizes.list_entries} entries (s)", False),
        ("memory", f"KiB per idle session ({sizes.idle_sessions} open)", False),
    ]


def _latency_rows(sizes):
    rows = []
    for busy in getattr(sizes, "latency_busy", ()):
        for kind, label in (("user", "user+password"), ("anon", "anonymous")):
            key = f"latency_{kind}_{busy}"
            for p in (50, 90, 99):
                rows.append((f"{key}_p{p}", f"login to first LIST byte, {label}, {busy} busy "
                             f"curl: p{p} of {sizes.latency_probes} (ms)", False))
            rows.append((f"{key}_busy", f"  … the {busy} busy clients meanwhile (MB/s, total)",
                         True))
    return rows


def hash_share(results, servers):
    """Lines on how much of a user login's latency is the yescrypt check: the in-process cost
    against the probe's user − anonymous p50, per server and load."""
    runs = results["runs"]
    wall = median(runs.get("yescrypt_wall", {}).get("crypt_r", []))
    cpu = median(runs.get("yescrypt_cpu", {}).get("crypt_r", []))
    if wall is None:
        return ""
    lines = [f"One yescrypt check of the users file's hash, in-process (crypt_r, no load): "
             f"{_fmt(wall)} ms wall, {_fmt(cpu)} ms CPU (medians)."]
    for key in sorted(k for k in runs if k.startswith(("latency_user_", "lan_"))
                      and k.endswith("_p50") and "_user_" in k):
        anon_key = key.replace("_user_", "_anon_")
        for server in servers:
            if server == "pyftpdlib":
                continue   # compares plain text: no hash in its login
            user = median(runs[key].get(server, []))
            anon = median(runs.get(anon_key, {}).get(server, []))
            if user is None or anon is None or user <= 0:
                continue
            lines.append(f"- {key[:-4]} {server}: user p50 {_fmt(user)} ms, anonymous "
                         f"{_fmt(anon)} ms; the difference {_fmt(user - anon)} ms "
                         f"({100 * (user - anon) / user:.0f} % of the user login), the hash "
                         f"alone {100 * wall / user:.0f} %")
    return "\n".join(lines)


def _lan_rows(sizes):
    """The latency row across the rate-limited veth (latencylan.py), per queueing variant."""
    from . import latencylan
    rows = []
    for variant in latencylan.VARIANTS:
        for busy in getattr(sizes, "latency_busy", ()):
            for kind, label in (("user", "user+password"), ("anon", "anonymous")):
                key = f"lan_{variant}_{kind}_{busy}"
                for p in (50, 90, 99):
                    rows.append((f"{key}_p{p}", f"LAN {latencylan.RATE} {variant}: login to "
                                 f"first LIST byte, {label}, {busy} busy: p{p} (ms)", False))
                rows.append((f"{key}_busy", f"  … the {busy} busy clients across the link "
                             "(MB/s, total)", True))
    return rows


def _target(key, m, limit, sizes):
    """(what the target is, whether ferryd meets it: True/False/None when unknown)."""
    f = m.get("ferryd")
    peers = [m.get(p) for p in ("vsftpd", "pyftpdlib") if m.get(p) is not None]
    if f is None:
        return "", None
    if key == "burst_served":
        return f"all {sizes.burst_clients}", f >= sizes.burst_clients
    if key in ("burst_refused", "burst_failed"):
        return "0", f == 0
    if key == "burst_seconds":
        return "(how long the last client waited)", None
    if key == "download":
        best = max(peers) if peers else None
        text = "≥ 0.95 × limit, ≥ best peer"
        if limit is None or best is None:
            return text, None
        return text, f >= 0.95 * limit and f >= best
    if key == "upload":
        return "≥ best peer", (f >= max(peers)) if peers else None
    if key.startswith("latency_"):
        if key.endswith("_p99"):
            return "lowest of the three", (f <= min(peers)) if peers else None
        if key.startswith("latency_anon_") and key.endswith("_p50"):
            py = m.get("pyftpdlib")
            return "≤ 1.5 × pyftpdlib", (f <= 1.5 * py) if py is not None else None
        return "", None
    if key in ("sessions_login", "sessions_anon"):
        # Issue 19: a process per client stays; the measured 0.75 × pyftpdlib is the floor.
        py, vs = m.get("pyftpdlib"), m.get("vsftpd")
        known = [ok for ok in ((f >= 0.70 * py) if py is not None else None,
                               (f >= 2 * vs) if vs is not None else None) if ok is not None]
        return "≥ 0.70 × pyftpdlib, ≥ 2 × vsftpd", all(known) if known else None
    if key == "small":
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


def _spread(values):
    """"median (min–max)" of a placed figure: the spread is what pinning is meant to shrink."""
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return _fmt(median(values))
    return f"{_fmt(median(values))} ({_fmt(min(values))}–{_fmt(max(values))})"


def _placements(results):
    return results.get("placements") or []


def _placed_keys(results):
    """The keys measured once per placement (the throughput probes)."""
    return {key for per_key in results.get("by_placement", {}).values() for key in per_key}


def _server_row(key, label, runs, servers, has, vsftpd_list, spread, sizes):
    limit = median(runs.get("limit", {}).get("limit", []))
    values = {s: runs.get(key, {}).get(s, []) for s in servers}
    m = {s: median(v) for s, v in values.items()}
    m["vsftpd_list"] = vsftpd_list
    cells = [label] + [_spread(values[s]) if spread else _fmt(m[s]) for s in servers]
    if "ferryd" in has:
        for peer in ("vsftpd", "pyftpdlib"):
            if peer in has:
                f, p = m["ferryd"], m[peer]
                cells.append(_fmt(f / p) if f is not None and p else "n/a")
        text, flag = _target(key, m, limit, sizes)
        quiet = "_cpu" in key or key == "burst_seconds" or key.startswith(("latency_", "lan_"))
        cells += [text, _met(flag, "" if quiet else "?")]
    return "| " + " | ".join(cells) + " |"


def server_table(results, sizes, servers):
    """Medians per server; the throughput rows once per placement, with min–max, and their
    ratios and targets against the same placement's peers and limit."""
    runs = results["runs"]
    by_placement = results.get("by_placement", {})
    placed = _placed_keys(results)
    vsftpd_list = median(runs.get("list", {}).get("vsftpd", []))
    has = set(servers)
    header = ["measure"] + servers
    if "ferryd" in has:
        header += [f"ferryd/{p}" for p in ("vsftpd", "pyftpdlib") if p in has]
        header += ["target", "met"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key, label, _higher in _rows(sizes):
        if key not in runs:
            continue   # not measured in this run (--only), or failed on every server
        if key not in placed:
            lines.append(_server_row(key, label, runs, servers, has, vsftpd_list, False,
                                     sizes))
            continue
        for where in _placements(results):
            lines.append(_server_row(key, f"{label}, {where['label']}",
                                     by_placement.get(where["name"], {}), servers, has,
                                     vsftpd_list, True, sizes))
    lines.append("")
    views = [(w["label"], by_placement.get(w["name"], {})) for w in _placements(results)]
    for label, view in views or [("", runs)]:
        if "limit" in view or "download" in view:
            lines.append(_limit_line(view, sizes, label))
    return "\n".join(lines)


def _limit_line(runs, sizes, label):
    limit_values = runs.get("limit", {}).get("limit", [])
    limit = median(limit_values)
    f = median(runs.get("download", {}).get("ferryd", []))
    f_cpu = median(runs.get("download_cpu", {}).get("ferryd", []))
    limit_cpu = median(runs.get("download_cpu", {}).get("limit", []))
    where = f", {label}" if label else ""
    return (f"physical limit (sendfile into loopback, {_size(sizes.big_bytes)}{where}): "
            f"{_spread(limit_values)} MB/s, sender CPU {_fmt(limit_cpu)} ms per GiB; "
            f"ferryd/limit = {_fmt(f / limit) if f is not None and limit else 'n/a'} "
            f"(rate), {_fmt(f_cpu / limit_cpu) if f_cpu is not None and limit_cpu else 'n/a'}"
            " (CPU)")


def placement_legend(results):
    """Which placement was which, and the note when there was only one CPU."""
    lines = [f"- {w['label']}: {w['where']}" for w in _placements(results)]
    return "placements of the throughput rows (sessions, small files, listings and memory " \
        "run unpinned):\n" + "\n".join(lines)


def client_table(results, sizes):
    runs = results["runs"]
    if not runs.get("client_rate"):
        return ""
    by_placement = results.get("by_placement", {})
    views = [(f", {w['label']}", by_placement.get(w["name"], {}))
             for w in _placements(results)] or [("", runs)]
    rss_big = {c: median(v) for c, v in runs.get("client_rss_big", {}).items()}
    rss_small = {c: median(v) for c, v in runs.get("client_rss_small", {}).items()}
    clients = sorted(runs["client_rate"])
    lines = ["| client, from ferryd | " + " | ".join(clients) + " | ferry-cli/curl | target | met |",
             "|---|" + "---|" * (len(clients) + 3)]

    def row(label, values, target, flag, ratio=True, spread=False):
        m = {c: median(v) if spread else v for c, v in values.items()}
        a, b = m.get("ferry-cli"), m.get("curl")
        r = _fmt(a / b) if ratio and a is not None and b else ""
        met = flag if flag == "" else _met(flag)
        shown = [_spread(values.get(c, [])) if spread else _fmt(values.get(c)) for c in clients]
        lines.append("| " + " | ".join([label] + shown + [r, target, met]) + " |")

    for where, view in views:
        rate = view.get("client_rate", {})
        cli, curl = median(rate.get("ferry-cli", [])), median(rate.get("curl", []))
        row(f"get {_size(sizes.big_bytes)} (MB/s, wall){where}", rate, "≥ 0.95 × curl",
            (cli >= 0.95 * curl) if cli is not None and curl else None, spread=True)
        row(f"client CPU ms per GiB (user + system){where}", view.get("client_cpu", {}),
            "(the cost behind the rate)", "", spread=True)
    big, small = rss_big.get("ferry-cli"), rss_small.get("ferry-cli")
    flat = (big <= small + 1024) if big is not None and small is not None else None
    row(f"peak RSS KiB, {_size(sizes.big_bytes)}", rss_big, "flat: ≤ the small file's + 1 MiB",
        flat, ratio=False)
    row(f"peak RSS KiB, {_size(sizes.cli_small_bytes)}", rss_small, "", "", ratio=False)
    return "\n".join(lines)


def runs_listing(results):
    """Every single value, for the record (medians hide the spread of a noisy machine); the
    placed probes per placement."""
    placed = _placed_keys(results)
    lines = []

    def add(key, per_server):
        for server, values in per_server.items():
            shown = ", ".join(_fmt(v) for v in values)
            lines.append(f"  {key:22} {server:10} {shown}")

    for key, per_server in results["runs"].items():
        if key not in placed:
            add(key, per_server)
            continue
        for where in _placements(results):
            add(f"{key} [{where['name']}]",
                results["by_placement"].get(where["name"], {}).get(key, {}))
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
