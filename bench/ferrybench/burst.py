# SPDX-License-Identifier: GPL-3.0-or-later
"""The burst probe: many clients connect at the same instant (no ramp-up), each logs in
anonymously and downloads one file; how many were served byte-exact, how many were refused
(a 421 reply: "too many", "not available"), how many failed otherwise (time-outs, resets),
and how long until the last one was served.

Each client process opens its share of the connections together, all processes released by
one barrier, and then drives them all at once with asyncio: a thread per client would not
start them together, and its own cost would slow the burst down (bench/run measures the
servers, not Python).
"""
import asyncio
import multiprocessing
import re
import time

_EPSV_PORT = re.compile(rb"\(\|\|\|(\d+)\|\)")


class _Refused(Exception):
    pass


class _Failed(Exception):
    pass


async def _reply(reader):
    line = await reader.readline()
    if len(line) < 4:
        raise _Failed(f"connection closed or short reply: {line[:60]!r}")
    code = line[:3]
    if line[3:4] == b"-":
        while True:
            more = await reader.readline()
            if not more:
                raise _Failed("connection closed inside a multi-line reply")
            if more[:3] == code and more[3:4] == b" ":
                break
    if code == b"421":
        raise _Refused(line.decode(errors="replace").strip())
    return int(code), line


async def _command(reader, writer, text, *expected):
    writer.write(text.encode() + b"\r\n")
    await writer.drain()
    code, line = await _reply(reader)
    if code not in expected:
        raise _Failed(f"{text} -> {line.decode(errors='replace').strip()}")
    return code, line


async def _one_client(host, port, path, size):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        code, line = await _reply(reader)
        if code != 220:
            raise _Failed(f"greeting: {line.decode(errors='replace').strip()}")
        if (await _command(reader, writer, "USER anonymous", 230, 331))[0] == 331:
            await _command(reader, writer, "PASS burst@", 230)
        await _command(reader, writer, "TYPE I", 200)
        _, line = await _command(reader, writer, "EPSV", 229)
        match = _EPSV_PORT.search(line)
        if match is None:
            raise _Failed(f"EPSV reply without a port: {line!r}")
        data_reader, data_writer = await asyncio.open_connection(host, int(match.group(1)))
        try:
            await _command(reader, writer, f"RETR {path}", 125, 150)
            received = 0
            while True:
                chunk = await data_reader.read(1 << 16)
                if not chunk:
                    break
                received += len(chunk)
        finally:
            data_writer.close()
        code, line = await _reply(reader)
        if code != 226:
            raise _Failed(f"after RETR: {line.decode(errors='replace').strip()}")
        if received != size:
            raise _Failed(f"{received} bytes of {size}")
        writer.write(b"QUIT\r\n")
        await writer.drain()
    finally:
        writer.close()


async def _client_outcome(host, port, path, size, deadline):
    """("served"|"refused"|"failed", seconds since the burst began, what went wrong)."""
    try:
        await asyncio.wait_for(_one_client(host, port, path, size), deadline)
        return "served", time.monotonic(), None
    except _Refused as e:
        return "refused", time.monotonic(), str(e)
    except (_Failed, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
        return "failed", time.monotonic(), f"{type(e).__name__}: {e}"


async def _share(host, port, path, size, count, deadline):
    return await asyncio.gather(*(_client_outcome(host, port, path, size, deadline)
                                  for _ in range(count)))


def _worker(barrier, results, host, port, path, size, count, deadline):
    barrier.wait()
    started = time.monotonic()
    outcomes = asyncio.run(_share(host, port, path, size, count, deadline))
    results.put((started, outcomes))


def burst(port, clients, path, size, processes=8, deadline=120, host="127.0.0.1"):
    """`clients` clients at once, from `processes` processes. Returns (served, refused,
    failed, seconds from the burst to the last client served, sample failure messages)."""
    context = multiprocessing.get_context("fork")
    processes = max(1, min(processes, clients))
    barrier = context.Barrier(processes)
    results = context.Queue()
    shares = [clients // processes + (1 if i < clients % processes else 0)
              for i in range(processes)]
    workers = [context.Process(target=_worker, args=(barrier, results, host, port, path, size,
                                                     share, deadline))
               for share in shares]
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=deadline + 60) for _ in workers]
    for worker in workers:
        worker.join()

    began = min(started for started, _ in collected)
    outcomes = [o for _, share in collected for o in share]
    counts = {kind: sum(1 for o in outcomes if o[0] == kind)
              for kind in ("served", "refused", "failed")}
    served_at = [at for kind, at, _ in outcomes if kind == "served"]
    seconds = max(served_at) - began if served_at else None
    samples = sorted({why for kind, _, why in outcomes if why is not None})[:3]
    return counts["served"], counts["refused"], counts["failed"], seconds, samples
