"""SIGKILL the web server and Redis mid-load: every acknowledged ticket is still there afterwards."""

import json
import threading
import time

import pytest
import requests

from queue_server.embedded import EmbeddedRedis
from queue_server.hub import connect
from queue_server.store import keys
from queue_server.store.accounts import Accounts
from tests.conftest import LiveServer, auth

pytestmark = pytest.mark.slow


def test_acknowledged_tickets_survive_kill_9_of_everything(tmp_path):
    server_redis = EmbeddedRedis(tmp_path / "data", appendonly=True, fsync="always")
    server_redis.start()
    try:
        _load_kill_and_check(server_redis, tmp_path)
    finally:
        server_redis.stop()


def _load_kill_and_check(server_redis, tmp_path):
    client = connect(server_redis.url)
    kiosk = Accounts(client).add_device("kiosk", hall="demo", kind="kiosk")
    client.close()
    web = LiveServer(server_redis.url, tmp_path)
    acked, lock, stop = [], threading.Lock(), threading.Event()

    def kiosk_loop(service):
        session = requests.Session()
        for _ in range(5000):  # bounded; the kill ends it much sooner
            if stop.is_set():
                return
            try:
                r = session.post(f"{web.url}/api/v1/halls/demo/tickets", json={"service": service},
                                 headers=auth(kiosk), timeout=3)
            except requests.RequestException:
                return
            if r.status_code == 201:
                with lock:
                    acked.append(r.json())

    threads = [threading.Thread(target=kiosk_loop, args=(s,)) for s in ("SB", "SB", "ZM", "WJ")]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while len(acked) < 150 and time.monotonic() < deadline:
        time.sleep(0.01)
    # Kill both while the kiosks are still sending.
    server_redis.kill()
    web.kill()
    stop.set()
    for t in threads:
        t.join(10)
    assert len(acked) >= 150

    restarted = EmbeddedRedis(tmp_path / "data", port=server_redis.port, appendonly=True, fsync="always")
    restarted.start()
    try:
        r = connect(restarted.url)
        numbers = {}
        for ticket in acked:
            stored = r.hgetall(keys.ticket("demo", ticket["id"]))
            assert stored, f"acknowledged ticket {ticket['number']} lost"
            assert stored["number"] == ticket["number"] and stored["status"] == "waiting"
            numbers.setdefault(stored["service"], []).append(stored["number"])
        for service, nums in numbers.items():
            assert len(nums) == len(set(nums)), f"{service} numbers were reused"
        logged = {json.loads(f["data"])["ticket"]["id"] for _, f in r.xrange(keys.events("demo"))
                  if f["type"] == "ticket_issued"}
        assert {t["id"] for t in acked} <= logged, "every acknowledged ticket has its event"
        waiting = set(r.zrange(keys.waiting("demo", "SB"), 0, -1))
        assert {t["id"] for t in acked if t["service"] == "SB"} <= waiting
        web2 = LiveServer(restarted.url, tmp_path)
        try:
            after = requests.post(f"{web2.url}/api/v1/halls/demo/tickets", json={"service": "SB"},
                                  headers=auth(kiosk), timeout=5).json()
            highest = max(int(n[1:]) for n in numbers["SB"])
            assert int(after["number"][1:]) > highest
        finally:
            web2.stop()
        r.close()
    finally:
        restarted.stop()
