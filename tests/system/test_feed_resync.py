"""A Python hall feed (the device agent's) survives a web server restart: every call made while it was
down arrives exactly once after it reconnects, and nothing is applied twice."""

import time

import pytest

from devices.hallfeed import HallFeed
from queue_server import actions

pytestmark = pytest.mark.slow


def test_feed_catches_up_after_the_server_dies(hub, redis, actors, accounts, live_server_factory, tmp_path):
    first = live_server_factory()
    feed = HallFeed(first.url, "demo", accounts["gateway"]).start()
    try:
        assert feed.synced.wait(15)
        actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
        actions.open_window(hub, actors["clerk1"], "demo", "1")
        actions.call_next(hub, actors["clerk1"], "demo", "1")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not any(e["type"] == "ticket_called" for e in feed.applied):
            time.sleep(0.05)
        first.kill()
        # While no web server runs, the hall goes on (a second process, a worker, or the API of another node).
        for _ in range(3):
            actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
        for _ in range(3):
            actions.call_next(hub, actors["clerk1"], "demo", "1")
        live_server_factory(port=first.port)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and feed.last_event_id != hub.events.last_id("demo"):
            time.sleep(0.1)
        assert feed.last_event_id == hub.events.last_id("demo")
        calls = [e["ticket"]["number"] for e in feed.applied if e["type"] == "ticket_called"]
        assert calls == ["A001", "A002", "A003", "A004"]
        ids = [e["id"] for e in feed.applied]
        assert len(ids) == len(set(ids))
        window = next(w for w in feed.state["windows"] if w["code"] == "1")
        assert window["current"]["number"] == "A004"
    finally:
        feed.stop()
