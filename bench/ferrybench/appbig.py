# SPDX-License-Identifier: GPL-3.0-or-later
"""A big file through the app: tests/app/bench-app-transfer drives a real FerryWindow under
Xvfb (win.connect, win.download-to, win.upload) against ferryd, and curl moves the same file
the same way (into a file, from a file, user login); each round runs both, the order
alternating. The app's rate is bytes / (action to the queue's last transfer ending), curl's
bytes / (time_total - time_pretransfer); the app also reports the longest delay of a 10 ms
GLib timeout during each transfer (its main loop's worst stall).
"""
import os
import statistics
import subprocess
import sys
import time

from . import probes

_TESTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tests")
sys.path[:0] = [os.path.join(_TESTS, "lib"), os.path.join(_TESTS, "app")]
import ferryapptest  # noqa: E402  (tests/app)

MB = 1e6
STALL_LIMIT_MS = 50


def available(driver):
    """(True, "") or (False, why the row is left out)."""
    if driver is None:
        return False, "tests/app/bench-app-transfer is not built (the app row is left out)"
    missing = ferryapptest.missing_tools()
    if missing:
        return False, f"missing {', '.join(missing)}: the app row is left out"
    return True, ""


def app_round(driver, server, remote, local, upload, root, scratch, timeout):
    """Runs bench-app-transfer once: {"download"|"upload": (bytes, seconds, stall ms)}."""
    env = ferryapptest.gui_env(scratch, TMPDIR=scratch)
    code, output = ferryapptest.run_in_session(
        [driver, server.url(), remote, local, upload, root], env, timeout)
    if code != 0:
        raise probes.ProbeError(f"bench-app-transfer exited {code}: {output.strip()[-400:]}")
    figures = {}
    for line in output.splitlines():
        words = line.split()
        if len(words) == 4 and words[0] in ("download", "upload"):
            size, seconds, stall = int(words[1]), float(words[2]), float(words[3])
            figures[words[0]] = (size, seconds, stall)
    if set(figures) != {"download", "upload"}:
        raise probes.ProbeError(f"bench-app-transfer printed no figures: {output[-400:]}")
    return figures


def _curl_round(server, remote, local_file, upload, remote_upload, root):
    out = probes._curl(["-o", local_file, "-w",
                        "%{size_download} %{time_pretransfer} %{time_total}",
                        server.url(remote)])
    size, pre, total = (float(v) for v in out.split())
    if os.path.getsize(local_file) != os.path.getsize(os.path.join(root, remote)):
        raise probes.ProbeError("curl's download has the wrong size")
    os.remove(local_file)
    get = size / MB / max(total - pre, 1e-9)
    put, _ = probes.curl_upload(server, upload, remote_upload, root)
    return get, put


def measure(driver, server, root, scratch, remote, upload, runs, record, attempt, log):
    """runs rounds of app and curl, download and upload; record(key, who, value)."""
    local = os.path.join(scratch, "app-downloads")
    os.makedirs(local, exist_ok=True)
    # Uploaded under a name of its own (never over the file being downloaded).
    source = os.path.join(scratch, "app-upload.bin")
    if not os.path.exists(source):
        os.link(upload, source)
    upload = source
    upload_name = os.path.basename(upload)
    size = os.path.getsize(upload)
    # An hour at 1 MB/s would be a broken app, not a slow one.
    timeout = 120 + size / 1e6

    for i in range(runs):
        order = ("app", "curl") if i % 2 == 0 else ("curl", "app")
        for who in order:
            if who == "app":
                def app():
                    try:
                        raw = app_round(driver, server, remote, local, upload, root, scratch,
                                        timeout)
                        return {k: (b / MB / max(t, 1e-9), stall)
                                for k, (b, t, stall) in raw.items()}
                    finally:
                        for leftover in (os.path.join(root, upload_name),
                                         os.path.join(local, os.path.basename(remote))):
                            if os.path.exists(leftover):
                                os.remove(leftover)
                figures = attempt("app_get", "ferry app", app)
                if figures:
                    record("app_get", "ferry app", figures["download"][0])
                    record("app_get_stall", "ferry app", figures["download"][1])
                    record("app_put", "ferry app", figures["upload"][0])
                    record("app_put_stall", "ferry app", figures["upload"][1])
            else:
                rates = attempt("app_get", "curl", lambda: _curl_round(
                    server, remote, os.path.join(local, "curl-download"), upload,
                    "curl-" + upload_name, root))
                if rates:
                    record("app_get", "curl", rates[0])
                    record("app_put", "curl", rates[1])
            time.sleep(0.5)
        log(f"big file through the app: round {i + 1} of {runs} done")


def table(results, size):
    """Markdown: medians of the app and curl, the ratio, the stalls, targets."""
    runs = results["runs"]
    if not runs.get("app_get") and not runs.get("app_put"):
        return ""

    def med(key, who):
        values = [v for v in runs.get(key, {}).get(who, []) if v is not None]
        return statistics.median(values) if values else None

    def fmt(v):
        return "n/a" if v is None else f"{v:.1f}"

    lines = [f"Big file through the app ({size // (1024 * 1024)} MiB, ferryd, user login, "
             "under Xvfb): medians",
             "",
             "| measure | ferry app | curl | app/curl | target | met |",
             "|---|---|---|---|---|---|"]
    for key, label in (("app_get", "download (MB/s)"), ("app_put", "upload (MB/s)")):
        a, c = med(key, "ferry app"), med(key, "curl")
        ratio = a / c if a is not None and c else None
        met = "?" if ratio is None else ("yes" if ratio >= 0.95 else "**no**")
        lines.append(f"| {label} | {fmt(a)} | {fmt(c)} | "
                     f"{'n/a' if ratio is None else f'{ratio:.2f}'} | ≥ 0.95 × curl | {met} |")
        stalls = [v for v in runs.get(f"{key}_stall", {}).get("ferry app", []) if v is not None]
        worst = max(stalls) if stalls else None
        met = "?" if worst is None else ("yes" if worst <= STALL_LIMIT_MS else "**no**")
        lines.append(f"| longest main-loop stall during the {label.split()[0]} (ms, worst "
                     f"round) | {fmt(worst)} | | | ≤ {STALL_LIMIT_MS} ms | {met} |")
    return "\n".join(lines)
