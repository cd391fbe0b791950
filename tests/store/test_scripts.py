"""Each Lua script against a real Redis: state and event change together, or not at all."""

import json

import pytest

from queue_server import actions
from queue_server.domain import errors
from queue_server.store import keys


def events(redis, hall="demo"):
    return [(eid, f) for eid, f in redis.xrange(keys.events(hall))]


def test_issue_numbers_per_service_and_appends_event(hub, redis, actors):
    a, _ = actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    b, _ = actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    c, _ = actions.issue_ticket(hub, actors["kiosk"], "demo", "YB")
    assert (a["number"], b["number"], c["number"]) == ("A001", "A002", "B001")
    log = events(redis)
    assert [f["type"] for _, f in log] == ["ticket_issued"] * 3
    assert json.loads(log[0][1]["data"])["ticket"]["id"] == a["id"]
    assert log[0][1]["actor"] == "device:kiosk"


def test_numbering_restarts_at_local_midnight(hub, actors, clock):
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    clock.advance(14 * 3600)  # 10:00 + 14 h = 00:00 next day in Shanghai
    t, _ = actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    assert t["number"] == "A001" and t["day"] == "20261123"


def test_quota_refuses_without_changing_anything(hub, redis, actors):
    redis.set(keys.seq("demo", "20261122", "YB"), 200)
    before = redis.xlen(keys.events("demo"))
    with pytest.raises(errors.QuotaReached):
        actions.issue_ticket(hub, actors["kiosk"], "demo", "YB")
    assert redis.xlen(keys.events("demo")) == before
    assert redis.zcard(keys.waiting("demo", "YB")) == 0


def test_outside_hours_refused(hub, actors, clock):
    clock.advance(2 * 3600)  # 12:00: TD takes tickets 08:30-11:30 and 14:00-17:00
    with pytest.raises(errors.OutsideHours):
        actions.issue_ticket(hub, actors["kiosk"], "demo", "TD")


def test_call_order_green_first_then_issue_time_across_services(hub, actors):
    k = actors["kiosk"]
    zm1, _ = actions.issue_ticket(hub, k, "demo", "ZM")
    wj1, _ = actions.issue_ticket(hub, k, "demo", "WJ")
    zm2, _ = actions.issue_ticket(hub, k, "demo", "ZM")
    green, _ = actions.issue_ticket(hub, actors["manager"], "demo", "WJ", "green")
    actions.open_window(hub, actors["clerk1"], "demo", "6")
    order = [actions.call_next(hub, actors["clerk1"], "demo", "6")["number"] for _ in range(4)]
    assert order == [green["number"], zm1["number"], wj1["number"], zm2["number"]]
    assert actions.call_next(hub, actors["clerk1"], "demo", "6") is None


def test_next_finishes_the_held_ticket_first(hub, redis, actors):
    t1, _ = actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    actions.call_next(hub, actors["clerk1"], "demo", "1")
    actions.call_next(hub, actors["clerk1"], "demo", "1")
    assert redis.hget(keys.ticket("demo", t1["id"]), "status") == "done"
    log = events(redis)
    # One event per press: the call carries the ticket it finished.
    assert [f["type"] for _, f in log][-2:] == ["ticket_called", "ticket_called"]
    data = json.loads(log[-1][1]["data"])
    assert data["finished"]["id"] == t1["id"] and data["finished"]["status"] == "done"
    assert data["finished_previous_status"] == "called"
    # With nobody left, the press only finishes: a ticket_updated.
    assert actions.call_next(hub, actors["clerk1"], "demo", "1") is None
    assert [f["type"] for _, f in events(redis)][-1] == "ticket_updated"


def test_backup_services_are_called_only_while_rerouted(hub, redis, actors):
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    actions.open_window(hub, actors["clerk1"], "demo", "2")  # window 2: YB, backup SB
    assert actions.call_next(hub, actors["clerk1"], "demo", "2") is None
    redis.hset(keys.reroutes("demo"), "SB", "2")
    assert actions.call_next(hub, actors["clerk1"], "demo", "2")["number"] == "A001"


def test_window_must_be_open_and_held_by_the_clerk(hub, actors):
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    with pytest.raises(errors.WindowNotOpen):
        actions.call_next(hub, actors["clerk1"], "demo", "1")
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    with pytest.raises(errors.Forbidden):
        actions.call_next(hub, actors["clerk2"], "demo", "1")
    with pytest.raises(errors.WindowHeld):
        actions.open_window(hub, actors["clerk2"], "demo", "1")
    with pytest.raises(errors.StaffElsewhere):
        actions.open_window(hub, actors["clerk1"], "demo", "2")
    actions.pause_window(hub, actors["clerk1"], "demo", "1", "午休")
    with pytest.raises(errors.WindowNotOpen):
        actions.call_next(hub, actors["clerk1"], "demo", "1")
    actions.resume_window(hub, actors["clerk1"], "demo", "1")
    assert actions.call_next(hub, actors["clerk1"], "demo", "1")["number"] == "A001"


def test_recall_start_finish_and_no_show(hub, redis, actors):
    c = actors["clerk1"]
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    actions.open_window(hub, c, "demo", "1")
    t = actions.call_next(hub, c, "demo", "1")
    assert actions.recall(hub, c, "demo", "1")["calls"] == "2"
    assert actions.start_service(hub, c, "demo", "1")["status"] == "serving"
    with pytest.raises(errors.WrongTicketState):
        actions.recall(hub, c, "demo", "1")
    with pytest.raises(errors.WrongTicketState):
        actions.no_show(hub, c, "demo", "1")
    assert actions.finish(hub, c, "demo", "1")["status"] == "done"
    with pytest.raises(errors.NoCurrentTicket):
        actions.finish(hub, c, "demo", "1")
    actions.call_next(hub, c, "demo", "1")
    assert actions.no_show(hub, c, "demo", "1")["status"] == "no_show"
    stats = hub.reader("demo").day_stats("20261122")
    assert stats["SB:served"] == 1 and stats["SB:no_show"] == 1 and stats["SB:called"] == 2
    assert redis.hget(keys.ticket("demo", t["id"]), "status") == "done"


def test_transfer_keeps_number_and_place_by_issue_time(hub, actors):
    k, c = actors["kiosk"], actors["clerk1"]
    early, _ = actions.issue_ticket(hub, k, "demo", "SB")
    actions.issue_ticket(hub, k, "demo", "YB")
    actions.issue_ticket(hub, k, "demo", "YB")
    actions.open_window(hub, c, "demo", "1")
    actions.call_next(hub, c, "demo", "1")
    moved, position = actions.transfer_current(hub, c, "demo", "1", "YB")
    assert moved["number"] == early["number"] == "A001"
    assert moved["service"] == "YB" and moved["status"] == "waiting" and position == 0
    actions.open_window(hub, actors["clerk2"], "demo", "2")
    assert actions.call_next(hub, actors["clerk2"], "demo", "2")["number"] == "A001"


def test_manager_transfer_and_cancel_of_waiting_tickets(hub, redis, actors):
    t, _ = actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    u, _ = actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    with pytest.raises(errors.Forbidden):
        actions.transfer_ticket(hub, actors["clerk1"], "demo", t["id"], "YB")
    moved, _ = actions.transfer_ticket(hub, actors["manager"], "demo", t["id"], "YB")
    assert moved["service"] == "YB"
    assert redis.zscore(keys.waiting("demo", "YB"), t["id"]) is not None
    assert redis.zscore(keys.waiting("demo", "SB"), t["id"]) is None
    cancelled = actions.cancel_ticket(hub, actors["clerk1"], "demo", u["id"], "不办了")
    assert cancelled["status"] == "cancelled"
    assert redis.zcard(keys.waiting("demo", "SB")) == 0
    with pytest.raises(errors.WrongTicketState):
        actions.cancel_ticket(hub, actors["clerk1"], "demo", u["id"])


def test_cancel_called_ticket_frees_window(hub, redis, actors):
    t, _ = actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    actions.call_next(hub, actors["clerk1"], "demo", "1")
    actions.cancel_ticket(hub, actors["manager"], "demo", t["id"])
    assert redis.hget(keys.window("demo", "1"), "current") == ""


def test_close_window_returns_called_ticket_to_its_place(hub, redis, actors):
    k, c = actors["kiosk"], actors["clerk1"]
    first, _ = actions.issue_ticket(hub, k, "demo", "SB")
    actions.issue_ticket(hub, k, "demo", "SB")
    actions.open_window(hub, c, "demo", "1")
    actions.call_next(hub, c, "demo", "1")
    actions.close_window(hub, c, "demo", "1")
    assert redis.hget(keys.ticket("demo", first["id"]), "status") == "waiting"
    assert redis.zrange(keys.waiting("demo", "SB"), 0, 0) == [first["id"]]
    assert redis.hget(keys.staff_index("demo"), "clerk1") is None
    actions.open_window(hub, actors["clerk2"], "demo", "1")


def test_failed_actions_append_no_event(hub, redis, actors):
    before = redis.xlen(keys.events("demo"))
    for call in (lambda: actions.call_next(hub, actors["clerk1"], "demo", "1"),
                 lambda: actions.recall(hub, actors["manager"], "demo", "1"),
                 lambda: actions.resume_window(hub, actors["manager"], "demo", "1")):
        with pytest.raises(errors.BianminError):
            call()
    assert redis.xlen(keys.events("demo")) == before


def test_snapshot_script_reads_state_and_last_event(hub, actors):
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    actions.call_next(hub, actors["clerk1"], "demo", "1")
    snap = hub.reader("demo").snapshot(10)
    assert snap["last_event_id"] == hub.events.last_id("demo")
    assert snap["counts"]["SB"] == 0
    assert snap["windows"]["1"]["current_number"] == "A001"
    assert snap["recent_calls"][0]["number"] == "A001"
