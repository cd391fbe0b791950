"""Fan-out micro-bench: `python -m bench.fanout` (env N events, D displays, GAP seconds, RELAY web|process).

D displays on one web process; N ticket_issued events appended straight through the issue script, GAP
apart, so nothing but the relay and the fan-out runs. Prints the server's CPU per recipient (its idle
CPU subtracted) and append → display percentiles: the per-recipient figures in docs/performance.md.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from pathlib import Path

from . import system
from .latency import collect, connect_displays
from .stats import cpu_seconds, summary


def cpu(pids: list[int]) -> float:
    return sum(cpu_seconds(p) for p in pids)


def main() -> None:
    from config.halls import load_halls
    from queue_server.domain.policy import business_day
    from queue_server.domain.ticket import Priority
    from queue_server.hub import connect
    from queue_server.store.scripts import Scripts
    from queue_server.store.writer import HallWriter

    events, displays = int(os.environ.get("N", 60)), int(os.environ.get("D", 500))
    gap = float(os.environ.get("GAP", 0.2))
    folder = Path(tempfile.mkdtemp(prefix="bianmin-fanout-"))
    redis = system.RedisServer(folder, fsync="everysec")
    url = redis.start()
    halls = system.write_halls(folder / "halls")
    system.seed_accounts(url)
    web = system.WebServer(url, folder, halls, relay=os.environ.get("RELAY", "web"))
    try:
        system.wait_relay_leader(url, [web])
        children, connected = connect_displays([web], displays, 2, events=("ticket_issued",))
        print(f"{connected['connected']} displays connected, {connected['failed']} failed")
        time.sleep(3)
        pids = web.pids()
        c0, t0 = cpu(pids), time.time()
        time.sleep(5)
        idle = (cpu(pids) - c0) / (time.time() - t0)
        hall = load_halls(str(halls))["lobby"]
        writer = HallWriter(Scripts(connect(url)), hall, maxlen=20000, recent_cap=20)
        sent = []
        c0, t0 = cpu(pids), time.time()
        for _ in range(events):
            at = time.time()
            now = int(at * 1000)
            _, _, raw = writer.issue(ticket_id=secrets.token_urlsafe(12), service="S", day=business_day(hall, now),
                                     priority=Priority.NORMAL, now_ms=now, actor="kiosk:fanout", channel="kiosk")
            sent.append((at, raw["number"]))
            time.sleep(gap)
        time.sleep(1)
        used = cpu(pids) - c0 - idle * (time.time() - t0)
        arrivals, _ = collect(children)
        each, last = [], []
        for at, number in sent:
            times = arrivals.get(number, [])
            each += [(t - at) * 1000 for t in times]
            if times:
                last.append((max(times) - at) * 1000)
        messages = events * connected["connected"]
        print(f"idle server CPU {idle * 100:.1f} %; {used / messages * 1e6:.1f} µs of server CPU per recipient; "
              f"receipts {len(each)} of {messages}")
        print("append → each display ms", summary(each))
        print("append → last display ms", summary(last))
    finally:
        web.stop()
        redis.stop()


if __name__ == "__main__":
    main()
