"""Worker health as the dashboard sees it: live workers, the scheduler, failed jobs and their retry."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import DEMO_HALLS, ROOT, auth

pytestmark = pytest.mark.slow


def test_workers_scheduler_and_failed_jobs_are_visible(client, accounts, hub, redis_url, tmp_path):
    hub.queue("default").enqueue("workers.jobs.scan_hall", "no-such-hall")
    env = dict(os.environ, REDIS_URL=redis_url, BIANMIN_HALLS=str(DEMO_HALLS), BIANMIN_VAR=str(tmp_path))
    # The Procfile's own commands: RQ's CLI with the job code preloaded.
    rq = [sys.executable, "-m", "workers"]
    logs = [open(tmp_path / f"{n}.log", "wb") for n in ("worker", "cron")]
    procs = [subprocess.Popen([*rq, "worker", "--url", redis_url, "default", "reroute"], env=env, cwd=ROOT,
                              stdout=logs[0], stderr=subprocess.STDOUT, start_new_session=True),
             subprocess.Popen([*rq, "cron", "--url", redis_url, "workers.cron"], env=env, cwd=ROOT,
                              stdout=logs[1], stderr=subprocess.STDOUT, start_new_session=True)]
    try:
        deadline = time.monotonic() + 30
        body = {}
        while time.monotonic() < deadline:
            body = client.get("/api/v1/workers", headers=auth(accounts["manager"])).get_json()
            if body["workers"] and body["schedulers"] and body["failed"]:
                break
            time.sleep(0.2)
        assert body["alive"] and body["scheduler_alive"], body
        assert body["failed"][0]["func"] == "workers.jobs.scan_hall"
        assert "NoSuchHall" in (body["failed"][0]["error"] or "")
        assert client.get("/api/v1/workers", headers=auth(accounts["clerk1"])).status_code == 403
        r = client.post("/api/v1/workers/failed/requeue", headers=auth(accounts["manager"]))
        assert r.get_json()["requeued"] >= 1
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(5)
        for f in logs:
            f.close()
