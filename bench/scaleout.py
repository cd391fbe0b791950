"""(4) Scale-out: issuing with one and two web processes; worker jobs with one and two RQ workers."""

from __future__ import annotations

import time

from . import issue
from .system import rq_workers


def http(ctx, one, two, *, conns=32, seconds=5.0, repeats=1, log=print) -> dict:
    out = {"fsync": ctx.redis.fsync(), "conns": conns}
    for label, servers in (("1 web process", [one]), ("2 web processes", [one, two])):
        log(f"  issuing with {label}, {conns} clients …")
        out[label] = issue.median_run(lambda: issue.run_http(ctx, servers, conns, seconds), repeats)
    base = out["1 web process"]["per_s"]
    out["speedup"] = round(out["2 web processes"]["per_s"] / base, 2) if base else None
    return out


def _enqueue(redis_url: str, func: str, hall: str, n: int, tag: str) -> list[str]:
    from redis import Redis
    from rq import Queue

    conn = Redis.from_url(redis_url)
    queue = Queue("default", connection=conn)
    ids = []
    for i in range(n):
        job = queue.enqueue(func, hall, job_id=f"bench-{tag}-{i}", result_ttl=3600, failure_ttl=3600, job_timeout=60)
        ids.append(job.id)
    conn.close()
    return ids


def _timings(redis_url: str, ids: list[str]) -> dict:
    from redis import Redis
    from rq.job import Job

    conn = Redis.from_url(redis_url)
    jobs = [j for j in Job.fetch_many(ids, connection=conn) if j is not None]
    done = [j for j in jobs if j.get_status() == "finished"]
    failed = [j for j in jobs if j.get_status() == "failed"]
    conn.close()
    if not done:
        return {"finished": 0, "failed": len(failed)}
    start = min(j.started_at for j in done)
    end = max(j.ended_at for j in done)
    span = (end - start).total_seconds()
    per_job = sorted((j.ended_at - j.started_at).total_seconds() * 1000 for j in done)
    return {"finished": len(done), "failed": len(failed), "span_s": round(span, 3),
            "per_s": round(len(done) / span, 1) if span > 0 else None,
            "job_ms_p50": round(per_job[len(per_job) // 2], 1), "job_ms_max": round(per_job[-1], 1)}


def workers(ctx, *, jobs=200, counts=(1, 2), funcs=("workers.jobs.scan_hall", "workers.jobs.reroute_hall"),
            classes=(None,), simple_jobs=None, timeout=300, log=print) -> dict:
    """Queue `jobs` jobs, then let n burst workers (the Procfile's `python -m workers worker`) drain them.

    classes: None is RQ's default Worker (forks a work horse per job, as the Procfile runs it);
    "rq.worker.SimpleWorker" runs jobs in the worker process itself, for comparison.
    """
    out = {}
    for worker_class in classes:
        kind = "fork" if worker_class is None else worker_class.rsplit(".", 1)[1]
        count = jobs if worker_class is None else (simple_jobs or jobs)
        for func in funcs:
            short = func.rsplit(".", 1)[1]
            for n in counts:
                log(f"  {count} × {short} with {n} RQ worker(s) ({kind}) …")
                out[f"{short} × {n} ({kind})"] = _drain(ctx, func, short, n, count, worker_class, kind, timeout)
    return out


def _drain(ctx, func, short, n, jobs, worker_class, kind, timeout) -> dict:
    tag = f"{short}-{n}-{kind}-{time.monotonic_ns()}"
    ids = _enqueue(ctx.redis.url, func, "demo", jobs, tag)
    t0 = time.time()
    procs = rq_workers(ctx.redis.url, ctx.folder, ctx.halls, n, worker_class=worker_class)
    for p in procs:
        try:
            p.wait(timeout)
        except Exception:  # noqa: BLE001 - a stuck worker is killed and reported by the counts
            p.kill()
            p.wait(10)
    wall = time.time() - t0
    r = _timings(ctx.redis.url, ids)
    r["wall_s_with_startup"] = round(wall, 2)
    return dict(r, workers=n, jobs=jobs, func=short, worker=kind)
