"""The sync/snapshot/replay protocol and the relay, through the Socket.IO test client."""

import time

import pytest

from queue_server import actions, queries
from queue_server.domain.events import event_view
from queue_server.domain.replay import UnknownEvent, apply_event
from queue_server.extensions import socketio
from queue_server.realtime.relay import Relay


def received(client, name=None):
    msgs = client.get_received()
    return [m for m in msgs if name is None or m["name"] == name]


def test_sync_without_since_sends_snapshot(app, hub, actors):
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    c = socketio.test_client(app)
    c.emit("sync", {"hall": "demo", "since": None})
    msgs = received(c)
    assert [m["name"] for m in msgs] == ["snapshot", "synced"]
    snap = msgs[0]["args"][0]
    assert set(snap) >= {"hall", "last_event_id", "services", "windows", "recent_calls"}
    assert snap["last_event_id"] == hub.events.last_id("demo")
    assert next(s for s in snap["services"] if s["code"] == "SB")["waiting"] == 1


def test_sync_with_since_replays_exactly_the_missed_events(app, hub, actors):
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    since = hub.events.last_id("demo")
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    actions.call_next(hub, actors["clerk1"], "demo", "1")
    c = socketio.test_client(app)
    c.emit("sync", {"hall": "demo", "since": since})
    msgs = received(c)
    assert [m["name"] for m in msgs] == ["ticket_issued", "window_updated", "ticket_called", "synced"]
    called = msgs[2]["args"][0]
    assert called["ticket"]["number"] == "A001" and called["ticket"]["window"] == "1"
    assert called["window_name"] == "1号窗口" and called["hall"] == "demo"
    assert "id" not in called["ticket"], "public subscribers get no ticket ids"
    ids = [m["args"][0]["id"] for m in msgs[:-1]]
    assert ids == sorted(ids) and msgs[-1]["args"][0]["last_event_id"] == ids[-1]


def test_trimmed_or_foreign_since_falls_back_to_snapshot(app, hub, redis, actors):
    from queue_server.store import keys
    for _ in range(5):
        actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    first = hub.events.first_id("demo")
    redis.xtrim(keys.events("demo"), maxlen=2, approximate=False)
    c = socketio.test_client(app)
    c.emit("sync", {"hall": "demo", "since": first})
    assert received(c)[0]["name"] == "snapshot"
    c.emit("sync", {"hall": "demo", "since": "99999999999999-0"})
    assert received(c)[0]["name"] == "snapshot"


def test_bad_sync_requests_get_an_error_not_a_crash(app):
    c = socketio.test_client(app)
    c.emit("sync", {"hall": "nope", "since": None})
    err = received(c, "sync_error")[0]["args"][0]["error"]
    assert err["code"] == "no_such_hall"
    c.emit("sync", {"hall": "demo", "since": "drop table"})
    assert received(c, "sync_error")[0]["args"][0]["error"]["code"] == "invalid"
    c.emit("sync", "nonsense")
    assert received(c, "sync_error")


def test_wrong_token_is_refused_and_staff_see_ids(app, hub, accounts, actors):
    bad = socketio.test_client(app, auth={"token": "forged"})
    assert not bad.is_connected()
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    since = hub.events.first_id("demo")
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    staff = socketio.test_client(app, auth={"token": accounts["clerk1"]})
    staff.emit("sync", {"hall": "demo", "since": since})
    issued = received(staff, "ticket_issued")[0]["args"][0]
    assert issued["ticket"]["id"] and issued["actor"] == "device:kiosk"
    other = socketio.test_client(app, auth={"token": accounts["other"]})
    other.emit("sync", {"hall": "demo", "since": None})
    assert received(other, "sync_error")[0]["args"][0]["error"]["code"] == "forbidden"


def test_applying_events_to_a_snapshot_equals_a_fresh_snapshot(hub, actors):
    """zulip's verify_action: snapshot S0, act, apply the events to S0, compare with a new snapshot."""
    k, c1, c2, m = actors["kiosk"], actors["clerk1"], actors["clerk2"], actors["manager"]
    actions.issue_ticket(hub, k, "demo", "SB")
    s0 = queries.snapshot(hub, "demo", public=True)
    t2, _ = actions.issue_ticket(hub, k, "demo", "SB")
    t3, _ = actions.issue_ticket(hub, k, "demo", "YB")
    actions.issue_ticket(hub, m, "demo", "ZM", "green")
    actions.open_window(hub, c1, "demo", "1")
    actions.open_window(hub, c2, "demo", "6")
    actions.call_next(hub, c1, "demo", "1")
    actions.recall(hub, c1, "demo", "1")
    actions.start_service(hub, c1, "demo", "1")
    actions.call_next(hub, c1, "demo", "1")
    actions.transfer_current(hub, c1, "demo", "1", "ZM")
    actions.call_next(hub, c2, "demo", "6")
    actions.no_show(hub, c2, "demo", "6")
    actions.transfer_ticket(hub, m, "demo", t3["id"], "SB")
    actions.cancel_ticket(hub, m, "demo", t3["id"])
    actions.pause_window(hub, c2, "demo", "6", "培训")
    actions.call_next(hub, c1, "demo", "1")
    actions.close_window(hub, c1, "demo", "1")
    hall = hub.hall("demo")
    state = s0
    for entry_id, fields in hub.events.after("demo", s0["last_event_id"]):
        state = apply_event(state, event_view(entry_id, fields, hall, public=True))
    fresh = queries.snapshot(hub, "demo", public=True)

    def comparable(s):
        return ({x["code"]: x["waiting"] for x in s["services"]},
                {w["code"]: (w["state"], w["staff"], w["current"], w["reason"]) for w in s["windows"]},
                [(r["number"], r["window"], r["recall"]) for r in s["recent_calls"]],
                s["last_event_id"])
    assert comparable(state) == comparable(fresh)
    assert t2["number"] == "A002"


def test_unknown_event_types_are_refused():
    with pytest.raises(UnknownEvent):
        apply_event({"last_event_id": None, "services": [], "windows": [], "recent_calls": []},
                    {"id": "1-0", "type": "mystery"})


def test_relay_streams_live_events_to_public_and_staff_rooms(app, hub, accounts, actors):
    display = socketio.test_client(app)
    display.emit("sync", {"hall": "demo", "since": None})
    staff = socketio.test_client(app, auth={"token": accounts["manager"]})
    staff.emit("sync", {"hall": "demo", "since": None})
    display.get_received(), staff.get_received()
    relay = Relay(socketio, hub)
    thread = socketio.start_background_task(relay.run)
    try:
        deadline = time.monotonic() + 10
        while not relay.leading and time.monotonic() < deadline:
            time.sleep(0.02)
        actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
        deadline = time.monotonic() + 10
        got_public, got_staff = [], []
        while time.monotonic() < deadline and not (got_public and got_staff):
            got_public += received(display, "ticket_issued")
            got_staff += received(staff, "ticket_issued")
            time.sleep(0.05)
        assert got_public and got_staff
        assert "id" not in got_public[0]["args"][0]["ticket"]
        assert got_staff[0]["args"][0]["ticket"]["id"]
    finally:
        relay.stop()
        thread.join(5)


def test_public_subscribers_get_no_ticket_ids_in_print_events_and_snapshots_carry_alerts(app, hub, actors):
    from queue_server.domain.alerts import Alert
    t, _ = actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    actions.report_print(hub, actors["system"], "demo", t["id"], "printed", "已打印", "p1")
    actions.raise_alert(hub, actors["system"], "demo", Alert("cover_request", "warning", "请2号窗口接管1号窗口",
                                                              window="2", device="1"))
    c = socketio.test_client(app)
    c.emit("sync", {"hall": "demo", "since": hub.events.first_id("demo")})
    printed = received(c, "print_status")[0]["args"][0]
    assert "ticket_id" not in printed and printed["number"] == "A001"
    snap = queries.snapshot(hub, "demo", public=False)
    assert [a["key"] for a in snap["alerts"]] == ["cover_request:2"]
    s0 = dict(snap)
    actions.clear_alert(hub, actors["system"], "demo", "cover_request:2")
    state = s0
    for entry_id, fields in hub.events.after("demo", s0["last_event_id"]):
        state = apply_event(state, event_view(entry_id, fields, hub.hall("demo"), public=False))
    assert state["alerts"] == []
