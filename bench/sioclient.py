"""Lobby displays as raw asyncio Socket.IO clients: thousands per process at a few µs per message.

python-socketio's AsyncClient costs about 100 µs of CPU per received message (STACK_CEILINGS.md §3),
which on 2 shared cores would slow the server being measured. This client speaks just enough of
Engine.IO 4 / Socket.IO 5 over a websocket (RFC 6455) to do what a lobby display does: connect
anonymously, `sync` {hall, since: null}, wait for `snapshot` and `synced`, answer pings, and note the
arrival time of every `ticket_called` (by ticket number). It is a real client of the real endpoint:
the server cannot tell it from a browser's socket.io-client on the websocket transport.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import os
import re
import time

def run_loop(coro):
    """Run a client process's loop on uvloop when installed (the `bench` extra): a load generator
    that costs less CPU leaves more of the shared cores to the server being measured."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


NUMBER = re.compile(rb'"number":\s*"([^"]+)"')
EVENT_MS = re.compile(rb'"id":\s*"(\d+)-')


def _frame(text: str) -> bytes:
    """A masked client text frame."""
    payload = text.encode()
    n = len(payload)
    if n < 126:
        head = bytes([0x81, 0x80 | n])
    elif n < 65536:
        head = bytes([0x81, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x81, 0x80 | 127]) + n.to_bytes(8, "big")
    key = os.urandom(4)
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes((key * (n // 4 + 1))[:n], "big")).to_bytes(n, "big") \
        if n else b""
    return head + key + masked


PONG = _frame("3")


class Display(asyncio.Protocol):
    """One lobby display: handshake, sync, then record ticket_called arrivals in `sink`."""

    def __init__(self, host: str, port: int, hall: str, sink: dict, events: tuple[bytes, ...], done: asyncio.Future):
        self.host, self.port, self.hall = host, port, hall
        self.sink = sink  # number (bytes) -> list of arrival times, shared by the process's displays
        self.events = events
        self.done = done  # resolved when synced (True) or failed (exception)
        self.transport = None
        self.buf = bytearray()
        self.upgraded = False
        self.synced = False
        self.closed = False
        self.fragments: list[bytes] = []

    def connection_made(self, transport):
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write((
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n").encode())

    def connection_lost(self, exc):
        self.closed = True
        if not self.done.done():
            self.done.set_exception(ConnectionError(f"closed before sync: {exc!r}"))

    def _fail(self, why: str):
        if not self.done.done():
            self.done.set_exception(ConnectionError(why))
        self.transport.close()

    def data_received(self, data):
        now = time.time()
        buf = self.buf
        buf += data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            if not buf.startswith(b"HTTP/1.1 101"):
                return self._fail(bytes(buf[:200]).decode(errors="replace"))
            del buf[:end + 4]
            self.upgraded = True
        while len(buf) >= 2:
            b0, b1 = buf[0], buf[1]
            n, off = b1 & 0x7F, 2
            if n == 126:
                if len(buf) < 4:
                    return
                n, off = int.from_bytes(buf[2:4], "big"), 4
            elif n == 127:
                if len(buf) < 10:
                    return
                n, off = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < off + n:
                return
            payload = bytes(buf[off:off + n])
            del buf[:off + n]
            opcode = b0 & 0x0F
            if opcode == 0x9:  # websocket ping
                self.transport.write(bytes([0x8A, 0x80]) + b"\0\0\0\0")
                continue
            if opcode == 0x8:
                self.transport.close()
                return
            if not b0 & 0x80:  # a fragment; keep until the final one
                self.fragments.append(payload)
                continue
            if self.fragments:
                payload = b"".join(self.fragments) + payload
                self.fragments = []
            self._packet(payload, now)

    def _packet(self, p: bytes, now: float):
        kind = p[:1]
        if kind == b"4":  # Engine.IO message carrying a Socket.IO packet
            sio = p[1:2]
            if sio == b"2":
                if self.synced:
                    for name in self.events:
                        if p.startswith(name, 2):
                            m = NUMBER.search(p)
                            number = m.group(1) if m else b"?"
                            times = self.sink.get(number)
                            if times is None:
                                times = self.sink[number] = []
                                # The stream entry id is Redis's clock when the script appended the event.
                                e = EVENT_MS.search(p)
                                if e:
                                    self.sink[b"@" + number] = [int(e.group(1)) / 1000]
                            times.append(now)
                            return
                    return
                if p.startswith(b'["synced"', 2):
                    self.synced = True
                    if not self.done.done():
                        self.done.set_result(True)
            elif sio == b"0":
                self.transport.write(_frame('42["sync",{"hall":"%s","since":null}]' % self.hall))
            elif sio == b"4":
                self._fail(p.decode(errors="replace"))
        elif kind == b"2":
            self.transport.write(PONG)
        elif kind == b"0":
            self.transport.write(_frame("40"))
        elif kind == b"1":
            self.transport.close()


def display_clients(spec: dict, pipe) -> None:
    """Child-process entry: open spec['count'] displays, report, wait for 'stop', report arrivals.

    spec: targets [[host, port], …] (displays spread round-robin), hall, count, concurrency (handshakes
    at once), connect_timeout, events (names to record, default ticket_called).
    Messages on `pipe`: -> {"connected", "failed", "connect_s", "errors"}; <- "stop" (or "reset" to
    forget arrivals so far); -> {"arrivals": {number: [t, …]}, "still_open"}.
    """
    from .stats import raise_nofile

    raise_nofile(spec["count"] + 1000)

    async def main():
        loop = asyncio.get_running_loop()
        sink: dict = {}
        events = tuple(f'["{name}"'.encode() for name in spec.get("events", ["ticket_called"]))
        gate = asyncio.Semaphore(spec.get("concurrency", 50))
        displays: list[Display] = []
        errors: dict[str, int] = {}

        async def one(i):
            host, port = spec["targets"][(spec.get("offset", 0) + i) % len(spec["targets"])]
            async with gate:
                done = loop.create_future()
                try:
                    _, proto = await loop.create_connection(
                        lambda: Display(host, port, spec["hall"], sink, events, done), host, port)
                    displays.append(proto)
                    await asyncio.wait_for(done, spec.get("connect_timeout", 60))
                    return True
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    key = type(exc).__name__ + ": " + str(exc)[:80]
                    errors[key] = errors.get(key, 0) + 1
                    return False

        t0 = time.time()
        ok = await asyncio.gather(*(one(i) for i in range(spec["count"])))
        # A display process only accumulates arrival times until it reports; the cyclic collector's
        # pauses would stamp arrivals late and count as the server's latency, so it is off from here on.
        gc.collect()
        gc.freeze()
        gc.disable()
        pipe.send({"connected": sum(ok), "failed": len(ok) - sum(ok), "connect_s": round(time.time() - t0, 3),
                   "errors": errors})
        while True:
            fut = loop.create_future()
            loop.add_reader(pipe.fileno(), lambda: fut.done() or fut.set_result(pipe.recv()))
            try:
                cmd = await asyncio.wait_for(fut, spec.get("max_wait_s", 900))
            except asyncio.TimeoutError:
                cmd = "stop"
            finally:
                loop.remove_reader(pipe.fileno())
                # uvloop leaves a watched fd non-blocking; the report below may be larger than the pipe.
                os.set_blocking(pipe.fileno(), True)
            if cmd == "reset":
                sink.clear()
                pipe.send({"still_open": sum(1 for d in displays if d.synced and not d.closed)})
                continue
            break
        still_open = sum(1 for d in displays if d.synced and not d.closed)
        pipe.send({"arrivals": {k.decode(): v for k, v in sink.items()}, "still_open": still_open})
        for d in displays:
            if d.transport is not None:
                d.transport.close()
        await asyncio.sleep(0.2)

    run_loop(main())
