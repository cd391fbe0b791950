"""(3) Connected screens: how many displays web processes hold, memory per display, and fan-out time."""

from __future__ import annotations

import time

from .latency import collect, connect_displays, open_windows, post, pre_issue
from .stats import CpuMeter, summary


def run(ctx, servers, *, count: int, procs: int, events: int = 5, gap_s: float = 1.5, settle_s: float = 2.0,
        log=print) -> dict:
    """Connect `count` displays spread over `servers`, then have window 1 call `events` tickets."""
    log(f"  {count} displays on {len(servers)} web process(es) from {procs} client processes …")
    clerk = ctx.tokens["clerks"]["1"]
    open_windows(servers[0], {"1": clerk})
    pre_issue(ctx.redis.url, str(ctx.halls), events + 2)
    time.sleep(0.5)
    rss_before = [s.rss() for s in servers]
    meter = CpuMeter({"server": [p for s in servers for p in s.pids()]}).start()
    t0 = time.time()
    # At most 64 handshakes at once in total: redis-py 8's pool raises MaxConnectionsError beyond 100
    # connections, which a burst of concurrent syncs in one gevent worker reaches (see docs/performance.md).
    children, connected = connect_displays(servers, count, procs, concurrency=max(4, 64 // procs))
    connect_s = time.time() - t0
    connect_cpu = meter.stop()["server"]
    time.sleep(settle_s)  # settle: the first pings, buffers, GC
    rss_after = [s.rss() for s in servers]
    calls = []
    try:
        for _ in range(events):
            t_send = time.time()
            status, body = post(f"{servers[0].url}/api/v1/halls/lobby/windows/1/next", clerk)
            if status == 200:
                calls.append((t_send, body["number"]))
            time.sleep(gap_s)
    finally:
        arrivals, still_open = collect(children)
    lat, first, last, missed = [], [], [], 0
    for t_send, number in calls:
        times = arrivals.get(number, [])
        missed += max(0, connected["connected"] - len(times))
        if times:
            lat += [(t - t_send) * 1000 for t in times]
            first.append((min(times) - t_send) * 1000)
            last.append((max(times) - t_send) * 1000)
    n = connected["connected"]
    grown = sum(rss_after) - sum(rss_before)
    return {
        "servers": len(servers), "asked": count, "connected": n, "failed": connected["failed"],
        "errors": connected["errors"], "still_open": still_open, "connect_s": round(connect_s, 2),
        "server_cpu_ms_per_connect": round(1000 * connect_cpu / n, 3) if n else None,
        "rss_before_mb": [round(r / 2**20, 1) for r in rss_before],
        "rss_after_mb": [round(r / 2**20, 1) for r in rss_after],
        "kb_per_display": round(grown / n / 1024, 1) if n else None,
        "events": len(calls), "missed": missed, "latency_ms": summary(lat),
        "first_ms": summary(first), "last_ms": summary(last),
    }
