"""Which RQ workers and cron schedulers are alive, and which jobs failed (for the dashboard)."""

from __future__ import annotations

from rq import Worker
from rq.cron import CronScheduler
from rq.job import Job
from rq.registry import FailedJobRegistry

from config.settings import QUEUES


def _iso(dt) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None


def health(hub) -> dict:
    """Workers, schedulers and failed jobs, as the dashboard shows them."""
    conn = hub.queue("default").connection
    workers = [{
        "name": w.name,
        "state": w.get_state(),
        "queues": w.queue_names(),
        "last_heartbeat": _iso(w.last_heartbeat),
        "current_job": w.get_current_job_id(),
    } for w in Worker.all(connection=conn)]
    schedulers = []
    for s in CronScheduler.all(conn):
        schedulers.append({"name": s.name, "last_heartbeat": _iso(s.last_heartbeat),
                           "jobs": len(s.get_jobs())})
    failed = []
    for name in QUEUES:
        registry = FailedJobRegistry(name, connection=conn)
        for job_id in registry.get_job_ids()[:20]:
            job = Job.fetch(job_id, connection=conn) if Job.exists(job_id, connection=conn) else None
            if job is None:
                continue
            result = job.latest_result()
            exc = ((result.exc_string if result else None) or "").strip().splitlines()
            failed.append({"id": job_id, "queue": name, "func": job.func_name,
                           "ended_at": _iso(job.ended_at), "error": exc[-1] if exc else None})
    return {"workers": workers, "schedulers": schedulers, "failed": failed,
            "alive": bool(workers), "scheduler_alive": bool(schedulers)}


def requeue_failed(hub) -> int:
    """Put every failed job back on its queue; return how many."""
    conn = hub.queue("default").connection
    count = 0
    for name in QUEUES:
        registry = FailedJobRegistry(name, connection=conn)
        for job_id in registry.get_job_ids():
            registry.requeue(job_id)
            count += 1
    return count

