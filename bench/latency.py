"""(2) Call-to-display latency: displays on one hall while clerks call and kiosks issue.

The clock starts when a clerk's `next` request is sent and stops when a display has read the
`ticket_called` frame (or when the simulated serial board has received the whole frame). All
processes are on this machine, so time.time() is one clock.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.request

from . import httpload, issue
from .board import board_agent
from .procs import Child, run_all
from .sioclient import display_clients
from .stats import CpuMeter, summary


def post(url: str, token: str, body: dict | None = None) -> tuple[int, dict | None]:
    data = json.dumps(body or {}).encode()
    req = urllib.request.Request(url, data=data, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def open_windows(server, tokens: dict, hall: str = "lobby") -> None:
    for window, token in tokens.items():
        status, body = post(f"{server.url}/api/v1/halls/{hall}/windows/{window}/open", token)
        if status != 200:
            raise RuntimeError(f"cannot open window {window}: {status} {body}")


def pre_issue(redis_url: str, halls_dir: str, count: int, hall: str = "lobby") -> None:
    """Fill the queue through the product's HallWriter, so clerks never run dry during the run."""
    from config.halls import load_halls
    from queue_server.domain.policy import business_day
    from queue_server.domain.ticket import Priority
    from queue_server.hub import connect
    from queue_server.store.scripts import Scripts
    from queue_server.store.writer import HallWriter

    h = load_halls(halls_dir)[hall]
    redis = connect(redis_url)
    writer = HallWriter(Scripts(redis), h, maxlen=20000, recent_cap=20)
    for _ in range(count):
        now = int(time.time() * 1000)
        writer.issue(ticket_id=secrets.token_urlsafe(12), service="S", day=business_day(h, now),
                     priority=Priority.NORMAL, now_ms=now, actor="kiosk:bench-setup", channel="kiosk")
    redis.close()


def connect_displays(servers, count: int, procs: int, hall: str = "lobby", concurrency: int = 32,
                     events=("ticket_called",)) -> tuple[list[Child], dict]:
    """Start `procs` client processes holding `count` displays in total; wait until all report."""
    children = []
    for p in range(procs):
        share = count // procs + (1 if p < count % procs else 0)
        children.append(Child(display_clients, {
            "targets": [s.target for s in servers], "offset": p, "hall": hall, "count": share,
            "concurrency": concurrency, "connect_timeout": 120, "events": list(events)}))
    reports = [c.recv(timeout=300) for c in children]
    total = {"connected": sum(r["connected"] for r in reports), "failed": sum(r["failed"] for r in reports),
             "connect_s": max(r["connect_s"] for r in reports), "errors": {}}
    for r in reports:
        for k, v in r["errors"].items():
            total["errors"][k] = total["errors"].get(k, 0) + v
    return children, total


def collect(children: list[Child]) -> tuple[dict[str, list[float]], int]:
    """Tell display processes to stop; merge their arrivals by ticket number."""
    for c in children:
        c.send("stop")
    arrivals: dict[str, list[float]] = {}
    still_open = 0
    for c in children:
        r = c.recv(timeout=120)
        still_open += r["still_open"]
        for number, times in r["arrivals"].items():
            arrivals.setdefault(number, []).extend(times)
        c.close()
    return arrivals, still_open


def run(ctx, servers, *, displays=500, display_procs=2, clerks=20, clerk_interval=1.0, kiosks=10,
        kiosk_interval=1.0, seconds=20.0, board=True, on_start=None, display_servers=None, warmup_s=0.0,
        log=print) -> dict:
    """Run hall traffic against `servers` while displays (on `display_servers`, default the same) listen.

    With warmup_s, the same traffic first runs that long unmeasured (arrivals then forgotten): a lobby's
    screens stay connected for hours, and right after 500 of them connect the web process still has
    its first full garbage collections of their objects ahead of it (docs/performance.md, part 2).
    """
    tokens = {w: t for w, t in list(ctx.tokens["clerks"].items())[:clerks]}
    log(f"  {displays} displays, {clerks} clerks every ~{clerk_interval:g}s, {kiosks} kiosks every "
        f"~{kiosk_interval:g}s, {seconds:g}s …")
    open_windows(servers[0], tokens)
    pre_issue(ctx.redis.url, str(ctx.halls), int(clerks / clerk_interval * (seconds + warmup_s) * 1.3) + 50)
    agent = None
    if board:
        agent = Child(board_agent, {"api_url": servers[0].url, "token": ctx.tokens["gateway"],
                                    "halls_dir": str(ctx.halls), "hall": "lobby", "window": "1"})
    children, connected = connect_displays(display_servers or servers, displays, display_procs)
    board_ready = agent.recv(timeout=60) if agent else None
    time.sleep(0.5)
    spec = {"targets": [s.target for s in servers], "hall": "lobby", "service": "S",
            "clerks": [[w, t] for w, t in tokens.items()], "clerk_interval": clerk_interval,
            "kiosk_token": ctx.tokens["kiosk"]["lobby"], "kiosks": kiosks, "kiosk_interval": kiosk_interval,
            "seconds": seconds, "max_per_loop": int(seconds / 0.05) + 10}
    if warmup_s > 0:
        log(f"  warm-up: {warmup_s:g}s of the same traffic, not measured …")
        run_all(httpload.hall_traffic, [dict(spec, seconds=warmup_s, max_per_loop=int(warmup_s / 0.05) + 10)],
                timeout=warmup_s + 60)
        time.sleep(1.0)
        for c in children:
            c.send("reset")
        for c in children:
            c.recv(timeout=60)
    web = {s.port: s for s in [*servers, *(display_servers or [])]}.values()
    meter = CpuMeter({"server": [p for s in web for p in s.pids()],
                      "redis": [ctx.redis.pid] if ctx.redis.pid else [],
                      "displays": [c.process.pid for c in children]})
    hook = None
    if on_start is not None:  # e.g. start a profiler once the traffic runs
        def hook(start_at):
            threading.Timer(max(0.0, start_at - time.time() + 0.5), on_start).start()
    traffic = issue.run_metered(httpload.hall_traffic, [spec], meter, seconds, on_start=hook)[0]
    time.sleep(1.0)  # let the last calls arrive
    arrivals, still_open = collect(children)
    shown = {}
    if agent:
        agent.send("stop")
        shown = agent.recv(timeout=30)["shown"]
        agent.close()

    lat, per_call_last, missed = [], [], 0
    board_lat, to_event, from_event = [], [], []
    for t_send, _t_reply, window, number in traffic["calls"]:
        times = arrivals.get(number, [])
        missed += max(0, connected["connected"] - len(times))
        if times:
            lat += [(t - t_send) * 1000 for t in times]
            per_call_last.append((max(times) - t_send) * 1000)
            stamp = arrivals.get("@" + number)
            if stamp:
                to_event.append((stamp[0] - t_send) * 1000)
                from_event += [(t - stamp[0]) * 1000 for t in times]
        if window == "1" and number in shown:
            board_lat.append((shown[number] - t_send) * 1000)
    board_calls = sum(1 for c in traffic["calls"] if c[2] == "1")
    cpu = meter.used
    # Each `next` appends one ticket_called (carrying the ticket it finished); each issue appends
    # ticket_issued: all go to every display.
    messages = (len(traffic["calls"]) + traffic["issued"]["ok"]) * connected["connected"]
    return {
        "public_messages": messages,
        "server_us_per_message": round(1e6 * cpu["server"] / messages, 1) if messages else None,
        "displays": connected, "still_open": still_open, "seconds": seconds, "clerks": clerks,
        "clerk_interval_s": clerk_interval, "kiosks": kiosks, "kiosk_interval_s": kiosk_interval,
        "calls": len(traffic["calls"]), "calls_per_s": round(len(traffic["calls"]) / seconds, 1),
        "issued": traffic["issued"], "codes": {str(k): v for k, v in traffic["codes"].items()},
        "errors": traffic["errors"][:3],
        "issue_reply_ms": summary(traffic["issue_ms"]),
        "next_reply_ms": summary([(c[1] - c[0]) * 1000 for c in traffic["calls"]]),
        "display_ms": summary(lat), "all_displays_ms": summary(per_call_last), "missed": missed,
        # Where the time goes: request to the script's XADD (Redis clock, ms), then XADD to each display.
        "send_to_event_ms": summary(to_event), "event_to_display_ms": summary(from_event),
        "board": {"ready": bool(board_ready and board_ready.get("ready")), "calls": board_calls,
                  "shown": len(board_lat), "ms": summary(board_lat)} if agent else None,
        "cpu_pct": {k: round(100 * v / seconds) for k, v in cpu.items()},
    }
