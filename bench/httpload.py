"""A raw asyncio HTTP/1.1 keep-alive load generator (about 0.1 ms of client CPU per request).

requests.Session costs about 0.5 ms of CPU per request and would be the bottleneck on 2 shared cores
(STACK_CEILINGS.md), so the bench speaks HTTP itself. Every loop is bounded by a count and a deadline.
Runs inside child processes started by bench.procs; this module imports nothing from the product.
"""

from __future__ import annotations

import asyncio
import json
import random
import time

from .sioclient import run_loop


class HttpError(Exception):
    pass


class Conn:
    """One keep-alive connection that sends prebuilt requests and reads the replies."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self) -> "Conn":
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        """Send one request (bytes), return (status, body); reconnect once if the server closed."""
        for attempt in (0, 1):
            if self.writer is None:
                await self.open()
            try:
                self.writer.write(raw)
                head = await self.reader.readuntil(b"\r\n\r\n")
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = 0
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
            elif name == b"transfer-encoding":
                raise HttpError("chunked replies are not expected from this API")
        body = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, body


def build(method: str, path: str, host: str, token: str | None = None, body: dict | None = None) -> bytes:
    """One HTTP/1.1 request as bytes."""
    data = json.dumps(body).encode() if body is not None else b""
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive", "Accept: application/json"]
    if token:
        head.append(f"Authorization: Bearer {token}")
    if body is not None:
        head += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    elif method != "GET":
        head.append("Content-Length: 0")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + data


async def _sleep_until(t: float) -> None:
    delay = t - time.time()
    if delay > 0:
        await asyncio.sleep(delay)


# --- closed-loop issuing: as fast as N connections go ------------------------------------------------

async def _issue_conn(conn, raw, start_at, stop_at, max_count, out):
    await _sleep_until(start_at)
    lat, codes, done = out["lat"], out["codes"], 0
    try:
        while done < max_count:
            t0 = time.time()
            if t0 >= stop_at:
                break
            status, _ = await conn.request(raw)
            t1 = time.time()
            done += 1
            codes[status] = codes.get(status, 0) + 1
            if t1 <= stop_at:
                lat.append((t1 - t0) * 1000)
                if status == 201:
                    out["ok"] += 1
    finally:
        conn.close()


def issue_clients(spec: dict) -> dict:
    """Child-process entry: `conns` keep-alive connections issuing tickets between start_at and stop_at.

    spec: targets [[host, port], …] (connections spread round-robin), conns, token, hall, service,
    seconds, max_per_conn; the start time comes from the parent (procs.wait_for_start).
    """
    from .procs import wait_for_start

    async def main():
        out = {"ok": 0, "codes": {}, "lat": []}
        conns = []
        for i in range(spec["conns"]):
            host, port = spec["targets"][(spec.get("offset", 0) + i) % len(spec["targets"])]
            raw = build("POST", f"/api/v1/halls/{spec['hall']}/tickets", f"{host}:{port}", spec["token"],
                        {"service": spec["service"], "print": False})
            conns.append((await Conn(host, port).open(), raw))
        start_at = await asyncio.get_running_loop().run_in_executor(None, wait_for_start, spec)
        stop_at = start_at + spec["seconds"]
        tasks = [_issue_conn(conn, raw, start_at, stop_at, spec["max_per_conn"], out) for conn, raw in conns]
        results = await asyncio.gather(*tasks, return_exceptions=True)
        out["errors"] = [repr(r) for r in results if isinstance(r, BaseException)]
        return out

    return run_loop(main())


# --- open-loop hall traffic: clerks calling and kiosks issuing at set rates ----------------------------

async def _paced(conn_target, raw_for, interval, start_at, stop_at, max_count, record, rng):
    """Send raw_for(i) about every `interval` seconds (jittered ±50%) until stop_at or max_count."""
    conn = await Conn(*conn_target).open()
    await _sleep_until(start_at + rng.uniform(0, interval))
    try:
        for i in range(max_count):
            t0 = time.time()
            if t0 >= stop_at:
                break
            status, body = await conn.request(raw_for(i))
            record(t0, time.time(), status, body)
            await asyncio.sleep(max(0.0, interval * rng.uniform(0.5, 1.5) - (time.time() - t0)))
    finally:
        conn.close()


def hall_traffic(spec: dict) -> dict:
    """Child-process entry: clerks press `next` and kiosks issue, each at its own pace.

    spec: targets, hall, service, clerks [[window, token], …], clerk_interval, kiosk_token, kiosks,
    kiosk_interval, seconds, max_per_loop, seed.
    Returns calls [[t_send, t_reply, window, number], …] (200s only), codes and issue counts.
    """
    rng = random.Random(spec.get("seed", 1))
    targets = spec["targets"]
    calls, codes, issued, issue_ms = [], {}, {"ok": 0, "other": 0}, []

    def clerk_record(window):
        def record(t0, t1, status, body):
            codes[status] = codes.get(status, 0) + 1
            if status == 200:
                ticket = json.loads(body)
                calls.append([t0, t1, window, ticket.get("number")])
        return record

    def kiosk_record(t0, t1, status, body):
        issued["ok" if status == 201 else "other"] += 1
        issue_ms.append((t1 - t0) * 1000)

    from .procs import wait_for_start

    async def main():
        start_at = await asyncio.get_running_loop().run_in_executor(None, wait_for_start, spec)
        stop_at = start_at + spec["seconds"]
        tasks = []
        for i, (window, token) in enumerate(spec["clerks"]):
            host, port = targets[i % len(targets)]
            raw = build("POST", f"/api/v1/halls/{spec['hall']}/windows/{window}/next", f"{host}:{port}", token)
            tasks.append(_paced((host, port), lambda _i, raw=raw: raw, spec["clerk_interval"], start_at,
                                stop_at, spec["max_per_loop"], clerk_record(window), rng))
        for k in range(spec.get("kiosks", 0)):
            host, port = targets[k % len(targets)]
            raw = build("POST", f"/api/v1/halls/{spec['hall']}/tickets", f"{host}:{port}", spec["kiosk_token"],
                        {"service": spec["service"], "print": False})
            tasks.append(_paced((host, port), lambda _i, raw=raw: raw, spec["kiosk_interval"], start_at,
                                stop_at, spec["max_per_loop"], kiosk_record, rng))
        results = await asyncio.gather(*tasks, return_exceptions=True)
        return [repr(r) for r in results if isinstance(r, BaseException)]

    errors = run_loop(main())
    return {"calls": calls, "codes": codes, "issued": issued, "issue_ms": issue_ms, "errors": errors}
