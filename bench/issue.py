"""(1) Ticket issue throughput over HTTP, next to the direct-Lua ceiling on the same Redis."""

from __future__ import annotations

import secrets
import statistics
import time

from . import httpload
from .procs import run_all, wait_for_start
from .stats import CpuMeter, summary

# Seconds between the last client process reporting ready and the common start.
LEAD_S = 0.3


def _lua_hall(halls_dir: str):
    """The `issue` hall under another code, so the relay (which tails only configured halls) ignores it."""
    from dataclasses import replace

    from config.halls import load_halls

    return replace(load_halls(halls_dir)["issue"], code="issue-lua")


def lua_clients(spec: dict) -> dict:
    """Child-process entry: call issue_ticket directly, through HallWriter (sync) or pipelined.

    The sync mode goes through the product's own HallWriter.issue -> Scripts.run, i.e. exactly the
    KEYS/ARGV the API uses; the pipelined mode sends the same script with the same KEYS/ARGV in
    batches of spec['batch'] EVALSHAs.
    """
    from queue_server.domain.policy import business_day
    from queue_server.domain.ticket import ORDER_SPAN, Priority
    from queue_server.hub import connect
    from queue_server.store import keys
    from queue_server.store.scripts import Scripts, source
    from queue_server.store.writer import HallWriter

    if spec.get("relayed"):  # the real `issue` hall, whose stream the relay tails
        from config.halls import load_halls

        hall = load_halls(spec["halls_dir"])["issue"]
    else:
        hall = _lua_hall(spec["halls_dir"])
    redis = connect(spec["redis_url"])
    writer = HallWriter(Scripts(redis), hall, maxlen=20000, recent_cap=20)
    prio = Priority.NORMAL
    svc = hall.service("S")
    lat, done = [], 0
    cpu0 = time.process_time()
    redis.ping()
    start_at = wait_for_start(spec)
    stop_at = start_at + spec["seconds"]
    while time.time() < start_at:
        time.sleep(0.0005)
    if spec["mode"] == "sync":
        while done < spec["max_calls"]:
            t0 = time.time()
            if t0 >= stop_at:
                break
            now = int(t0 * 1000)
            writer.issue(ticket_id=secrets.token_urlsafe(12), service="S", day=business_day(hall, now),
                         priority=prio, now_ms=now, actor="kiosk:bench", channel="kiosk")
            lat.append((time.time() - t0) * 1000)
            done += 1
    else:
        script = redis.register_script(source("issue_ticket"))
        h = hall.code
        while done < spec["max_calls"]:
            t0 = time.time()
            if t0 >= stop_at:
                break
            now = int(t0 * 1000)
            day = business_day(hall, now)
            pipe = redis.pipeline(transaction=False)
            for _ in range(spec["batch"]):
                tid = secrets.token_urlsafe(12)
                script(keys=[keys.seq(h, day, "S"), keys.issue_order(h), keys.ticket(h, tid), keys.waiting(h, "S"),
                             keys.day_index(h, day), keys.day_stats(h, day), keys.events(h)],
                       args=[str(a) for a in (tid, "S", svc.prefix, day, prio.value, prio.rank, now, 0,
                                              "kiosk:bench", "kiosk", 20000, ORDER_SPAN)], client=pipe)
            replies = pipe.execute()
            assert all(r[0] == "ok" for r in replies), replies[:1]
            lat.append((time.time() - t0) * 1000)
            done += spec["batch"]
    redis.close()
    return {"calls": done, "lat": lat, "cpu_s": time.process_time() - cpu0}


def run_lua(ctx, mode: str, procs: int, seconds: float, batch: int = 50) -> dict:
    specs = [{"redis_url": ctx.redis.url, "halls_dir": str(ctx.halls), "mode": mode, "batch": batch,
              "seconds": seconds, "max_calls": 10_000_000} for _ in range(procs)]
    meter = CpuMeter({"redis": [ctx.redis.pid] if ctx.redis.pid else []})
    results = run_metered(lua_clients, specs, meter, seconds)
    cpu = meter.used
    calls = sum(r["calls"] for r in results)
    return {"per_s": round(calls / seconds, 1), "calls": calls, "redis_cpu_pct": round(100 * cpu["redis"] / seconds),
            "machine_cpu_pct": round(100 * cpu["machine"] / seconds),
            "client_cpu_pct": round(100 * sum(r["cpu_s"] for r in results) / seconds)}


def run_http(ctx, servers, conns: int, seconds: float, hall: str = "issue") -> dict:
    """conns keep-alive connections (spread over up to 2 client processes and over `servers`)."""
    nprocs = 1 if conns == 1 else 2
    specs = []
    for p in range(nprocs):
        share = conns // nprocs + (1 if p < conns % nprocs else 0)
        specs.append({"targets": [s.target for s in servers], "offset": p, "conns": share,
                      "token": ctx.tokens["kiosk"][hall], "hall": hall, "service": "S", "seconds": seconds,
                      "max_per_conn": 10_000_000})
    server_pids = [p for s in servers for p in s.pids()]
    meter = CpuMeter({"server": server_pids, "redis": [ctx.redis.pid] if ctx.redis.pid else []})
    # Start the meter when the clients start sending, not while they are being spawned.
    results = run_metered(httpload.issue_clients, specs, meter, seconds)
    ok = sum(r["ok"] for r in results)
    codes: dict = {}
    for r in results:
        for k, v in r["codes"].items():
            codes[str(k)] = codes.get(str(k), 0) + v
    lat = [x for r in results for x in r["lat"]]
    errors = [e for r in results for e in r["errors"]]
    cpu = meter.used
    return {"conns": conns, "per_s": round(ok / seconds, 1), "ok": ok, "codes": codes, "errors": errors[:3],
            "latency_ms": summary(lat),
            "server_cpu_pct": round(100 * cpu["server"] / seconds),
            "machine_cpu_pct": round(100 * cpu["machine"] / seconds),
            "redis_cpu_pct": round(100 * cpu["redis"] / seconds),
            "server_cpu_ms_per_ticket": round(1000 * cpu["server"] / ok, 3) if ok else None}


def run_metered(func, specs, meter, seconds, on_start=None):
    """Run func over specs in child processes; meter CPU over [start, start + seconds]."""
    import threading

    def measure(start_at):
        time.sleep(max(0.0, start_at - time.time()))
        meter.start()
        time.sleep(seconds)
        meter.stop()

    threads = []

    def started(start_at):
        t = threading.Thread(target=measure, args=(start_at,), daemon=True)
        t.start()
        threads.append(t)
        if on_start is not None:
            on_start(start_at)

    results = run_all(func, specs, timeout=seconds + 120, on_start=started, lead_s=LEAD_S)
    for t in threads:
        t.join(seconds + 5)
    return results


def median_run(fn, repeats: int):
    """Run fn() `repeats` times; return the run with the median rate, with all rates attached."""
    runs = [fn() for _ in range(repeats)]
    rates = [r["per_s"] for r in runs]
    med = statistics.median_low(rates)
    best = next(r for r in runs if r["per_s"] == med)
    return dict(best, runs=rates)


def relay_rate(ctx, count: int, log=print) -> dict:
    """How fast the relay emits: append `count` events through the script in pipelines of 50 (faster
    than the relay), then time until the relay has emitted them all."""
    from .system import wait_relay

    wait_relay(ctx.redis.url)
    log(f"  relay: {count} events appended directly, timing the relay's catch-up …")
    spec = {"redis_url": ctx.redis.url, "halls_dir": str(ctx.halls), "mode": "pipeline", "batch": 50,
            "seconds": 120, "max_calls": count, "relayed": True}
    t0 = []
    run_all(lua_clients, [spec], timeout=180, on_start=lambda start_at: t0.append(start_at), lead_s=0.1)
    appended = time.time() - t0[0]
    drained = wait_relay(ctx.redis.url)
    total = time.time() - t0[0]
    return {"events": count, "append_s": round(appended, 2), "behind_after_append": drained["backlog"],
            "caught_up_s": round(total, 2), "events_per_s": round(count / total, 1)}


def run(ctx, servers, *, levels=(1, 8, 32), fsyncs=("always", "everysec"), seconds=5.0, repeats=3,
        lua_procs=8, relay_events=0, log=print) -> dict:
    """HTTP issuing at each concurrency and fsync mode, with the Lua ceiling on the same Redis."""
    out = {"seconds": seconds, "repeats": repeats, "modes": {}}
    modes = list(fsyncs) if ctx.redis.embedded else [ctx.redis.fsync()]
    for mode in modes:
        if ctx.redis.embedded:
            ctx.redis.set_fsync(mode)
        log(f"  appendfsync {ctx.redis.fsync()}: direct Lua …")
        lua = {
            "1 client": median_run(lambda: run_lua(ctx, "sync", 1, seconds), repeats),
            f"{lua_procs} processes": median_run(lambda: run_lua(ctx, "sync", lua_procs, seconds), repeats),
            "1 client, pipeline 50": median_run(lambda: run_lua(ctx, "pipeline", 1, seconds), repeats),
        }
        ceiling = max(v["per_s"] for v in lua.values())
        http = {}
        for n in levels:
            log(f"  appendfsync {mode}: HTTP with {n} clients …")
            r = median_run(lambda: run_http(ctx, servers, n, seconds), repeats)
            same = lua["1 client"]["per_s"] if n == 1 else lua[f"{lua_procs} processes"]["per_s"]
            r["ratio_to_ceiling"] = round(r["per_s"] / ceiling, 3) if ceiling else None
            r["ratio_to_lua_same_concurrency"] = round(r["per_s"] / same, 3) if same else None
            http[str(n)] = r
        out["modes"][mode] = {"lua": lua, "ceiling": ceiling, "http": http}
    from .system import wait_relay

    out["relay_after_bursts"] = wait_relay(ctx.redis.url)
    if relay_events:
        out["relay"] = relay_rate(ctx, relay_events, log=log)
    return out
