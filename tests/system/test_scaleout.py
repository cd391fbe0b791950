"""Events reach Socket.IO clients connected to another web process, through Redis."""

import threading

import pytest
import requests
import socketio

from tests.conftest import auth

pytestmark = pytest.mark.slow


class Display:
    """A real Socket.IO client that syncs like a lobby display and records calls."""

    def __init__(self, url, token=None):
        self.calls = []
        self.synced = threading.Event()
        self.got_call = threading.Event()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("synced", lambda data: self.synced.set())
        self.sio.on("ticket_called", self._on_call)
        self.sio.connect(url, transports=["websocket"], auth={"token": token} if token else None, wait_timeout=10)
        self.sio.emit("sync", {"hall": "demo", "since": None})

    def _on_call(self, event):
        self.calls.append(event)
        self.got_call.set()

    def close(self):
        self.sio.disconnect()


def test_call_through_one_process_reaches_displays_on_both(redis, accounts, live_server_factory):
    a, b = live_server_factory(), live_server_factory()
    displays = [Display(a.url), Display(b.url)]
    try:
        for d in displays:
            assert d.synced.wait(10)
        s = requests.Session()
        assert s.post(f"{a.url}/api/v1/halls/demo/tickets", json={"service": "SB"},
                      headers=auth(accounts["kiosk"])).status_code == 201
        s.post(f"{a.url}/api/v1/halls/demo/windows/1/open", headers=auth(accounts["clerk1"]))
        r = s.post(f"{a.url}/api/v1/halls/demo/windows/1/next", headers=auth(accounts["clerk1"]))
        assert r.status_code == 200
        for d in displays:
            assert d.got_call.wait(15), "display on each process receives the call"
            event = d.calls[0]
            assert event["ticket"]["number"] == "A001" and event["ticket"]["window"] == "1"
            assert event["window_name"] == "1号窗口" and event["type"] == "ticket_called"
        # Only one relay leads: each display got the call once.
        assert [len(d.calls) for d in displays] == [1, 1]
    finally:
        for d in displays:
            d.close()
