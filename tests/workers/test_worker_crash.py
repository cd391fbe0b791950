"""A real RQ worker whose work-horse is SIGKILLed mid-job: state stays consistent and the retry completes."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import Queue, Retry
from rq.job import Job, JobStatus

from queue_server.store import keys
from tests.conftest import DEMO_HALLS, ROOT

pytestmark = pytest.mark.slow


def test_killed_work_horse_leaves_consistent_state_and_retry_completes(redis, redis_url, tmp_path):
    import redis as redis_lib
    raw = redis_lib.Redis.from_url(redis_url)
    pid_file = tmp_path / "horse.pid"
    job = Queue("reroute", connection=raw).enqueue(
        "tests.workers.fixtures.slow_reroute", "demo", str(pid_file), retry=Retry(max=2), job_timeout=120)
    env = dict(os.environ, REDIS_URL=redis_url, BIANMIN_HALLS=str(DEMO_HALLS), BIANMIN_VAR=str(tmp_path))
    log = open(tmp_path / "worker.log", "wb")
    worker = subprocess.Popen([str(Path(sys.executable).parent / "rq"), "worker", "--url", redis_url, "reroute"],
                              env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pid_file.exists(), (tmp_path / "worker.log").read_text()
        time.sleep(0.2)
        os.kill(int(pid_file.read_text()), signal.SIGKILL)
        # Consistent mid-job state: the first step happened completely, with its one event.
        assert redis.hgetall(keys.reroutes("demo")) == {"SB": "6"}
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            status = Job.fetch(job.id, connection=raw).get_status()
            if status == JobStatus.FINISHED:
                break
            time.sleep(0.1)
        assert status == JobStatus.FINISHED, (tmp_path / "worker.log").read_text()
        assert redis.hgetall(keys.reroutes("demo")) == {"SB": "6", "YB": "6", "MZ": "6"}
        events = [json.loads(f["data"])["service"] for _, f in redis.xrange(keys.events("demo"))
                  if f["type"] == "tickets_rerouted"]
        assert events == ["SB", "YB", "MZ"], "the retry moved nothing twice"
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(5)
        log.close()
        raw.close()
