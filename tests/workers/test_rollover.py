"""The day's rollover: numbering restarts at midnight, 延时服务 goes on, then the day is closed and summed up."""

import json

from queue_server import actions
from queue_server.store import keys
from workers import jobs


def test_rollover_waits_for_late_service_then_closes_the_day_once(hub, redis, actors, clock):
    k, c = actors["kiosk"], actors["clerk1"]
    actions.open_window(hub, c, "demo", "1")
    first, _ = actions.issue_ticket(hub, k, "demo", "SB")
    late, _ = actions.issue_ticket(hub, k, "demo", "SB")
    actions.call_next(hub, c, "demo", "1")
    clock.advance(300)
    actions.finish(hub, c, "demo", "1")
    clock.advance(14 * 3600 + 60)  # 00:06 the next day: numbering restarts, yesterday is not over
    assert actions.issue_ticket(hub, k, "demo", "SB")[0]["number"] == "A001"
    assert jobs.rollover("demo", hub) == []  # 延时服务: A002 still waits
    clock.advance(3 * 3600)  # 03:06: past day_close, leftovers are closed out and the day summed up
    assert jobs.rollover("demo", hub) == ["20261122"]
    assert redis.hget(keys.ticket("demo", late["id"]), "status") == "cancelled"
    summary = json.loads(redis.get(keys.daily_summary("demo", "20261122")))
    assert summary["SB"]["issued"] == 2 and summary["SB"]["served"] == 1 and summary["SB"]["cancelled"] == 1
    assert summary["SB"]["avg_service_s"] == 300.0
    closed = [json.loads(f["data"]) for _, f in redis.xrange(keys.events("demo")) if f["type"] == "day_closed"]
    assert len(closed) == 1 and closed[0]["day"] == "20261122"
    assert jobs.rollover("demo", hub) == []  # idempotent
    assert first["number"] == "A001"


def test_late_service_that_finishes_closes_the_day_early(hub, redis, actors, clock):
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    clock.advance(14 * 3600 + 60)
    assert jobs.rollover("demo", hub) == []
    actions.call_next(hub, actors["clerk1"], "demo", "1")  # served after midnight
    actions.finish(hub, actors["clerk1"], "demo", "1")
    assert jobs.rollover("demo", hub) == ["20261122"]
