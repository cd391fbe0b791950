"""The relay as its own process: web processes with BIANMIN_RELAY=0 still deliver every event."""

import os
import subprocess
import sys
import threading
import time

import pytest
import requests
import socketio

from tests.conftest import DEMO_HALLS, ROOT, auth

pytestmark = pytest.mark.slow


def test_dedicated_relay_process_feeds_web_processes_without_relays(redis, redis_url, accounts, live_server_factory,
                                                                    tmp_path):
    web = live_server_factory(BIANMIN_RELAY="0")
    got = threading.Event()
    calls = []
    sio = socketio.Client(reconnection=False)
    sio.on("ticket_called", lambda e: (calls.append(e), got.set()))
    synced = threading.Event()
    sio.on("synced", lambda e: synced.set())
    env = dict(os.environ, REDIS_URL=redis_url, BIANMIN_HALLS=str(DEMO_HALLS), BIANMIN_VAR=str(tmp_path))
    log = open(tmp_path / "relay.log", "wb")
    relay = subprocess.Popen([sys.executable, "-m", "queue_server.realtime"], env=env, cwd=ROOT, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        sio.connect(web.url, transports=["websocket"], wait_timeout=10)
        sio.emit("sync", {"hall": "demo", "since": None})
        assert synced.wait(10)
        deadline = time.monotonic() + 20
        while not redis.exists("qs:relay:lock") and time.monotonic() < deadline:
            time.sleep(0.05)
        s = requests.Session()
        s.post(f"{web.url}/api/v1/halls/demo/tickets", json={"service": "SB"}, headers=auth(accounts["kiosk"]))
        s.post(f"{web.url}/api/v1/halls/demo/windows/1/open", headers=auth(accounts["clerk1"]))
        assert s.post(f"{web.url}/api/v1/halls/demo/windows/1/next", headers=auth(accounts["clerk1"])).status_code == 200
        assert got.wait(15), (tmp_path / "relay.log").read_text()
        assert calls[0]["ticket"]["number"] == "A001" and len(calls) == 1
    finally:
        sio.disconnect()
        relay.terminate()
        relay.wait(15)
        log.close()
