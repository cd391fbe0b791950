"""AB岗: absence detection, rerouting to the B post, to the 综合窗口, the no-window alert, and restore."""

import json
import threading

from queue_server import actions, queries
from queue_server.store import keys
from workers import jobs


def events_of(redis, etype):
    return [json.loads(f["data"]) | {"actor": f["actor"]} for _, f in redis.xrange(keys.events("demo"))
            if f["type"] == etype]


def issue(hub, actors, service, n):
    return [actions.issue_ticket(hub, actors["kiosk"], "demo", service)[0] for _ in range(n)]


def test_lost_heartbeat_marks_away_and_asks_the_b_post(hub, redis, actors, clock):
    actions.open_window(hub, actors["clerk1"], "demo", "1")   # window 1: SB, A post clerk1, B post clerk2
    actions.open_window(hub, actors["clerk2"], "demo", "2")   # window 2: YB
    sb = issue(hub, actors, "SB", 3)
    clock.advance(30)
    actions.heartbeat(hub, actors["clerk2"], "demo", "2")
    assert jobs.scan_hall("demo", hub)["marked_away"] == []
    clock.advance(20)  # window 1 silent for 50 s > the demo's 45 s
    actions.heartbeat(hub, actors["clerk2"], "demo", "2")
    result = jobs.scan_hall("demo", hub)
    assert result["marked_away"] == ["1"] and result["ask_b_post"] == {"1": "2"}
    window = redis.hgetall(keys.window("demo", "1"))
    assert window["state"] == "away" and window["reason_code"] == "heartbeat"
    away = [f for _, f in redis.xrange(keys.events("demo")) if f["type"] == "window_away"]
    assert len(away) == 1 and away[0]["actor"] == "system"
    alerts = hub.reader("demo").alerts()
    assert alerts["cover_request:2"]["message"] == "请2号窗口（B岗）接管1号窗口"
    # One tap by the B post takes window 1's services at window 2, keeping everyone's order.
    assert actions.cover_window(hub, actors["clerk2"], "demo", "2", "1") == ["SB"]
    rerouted = events_of(redis, "tickets_rerouted")
    assert rerouted[-1]["service"] == "SB" and rerouted[-1]["to_window"] == "2"
    assert rerouted[-1]["tickets"] == [t["number"] for t in sb]
    yb = issue(hub, actors, "YB", 1)
    called = [actions.call_next(hub, actors["clerk2"], "demo", "2")["number"] for _ in range(4)]
    assert called == [sb[0]["number"], sb[1]["number"], sb[2]["number"], yb[0]["number"]]
    assert queries.get_ticket(hub, "demo", sb[0]["id"], public=False)["windows"] == ["1", "2"]


def test_no_b_post_goes_to_the_comprehensive_window_then_back(hub, redis, actors, clock):
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    actions.open_window(hub, actors["clerk3"], "demo", "6")   # 6号综合窗口: backup SB, YB, MZ, TD
    sb = issue(hub, actors, "SB", 2)
    zm = issue(hub, actors, "ZM", 1)
    actions.mark_away(hub, actors["clerk1"], "demo", "1", "去档案室取材料")
    result = jobs.scan_hall("demo", hub)
    assert result["reroute"] == {"SB": "6"}
    assert hub.reader("demo").reroutes() == {"SB": "6"}
    rerouted = events_of(redis, "tickets_rerouted")
    assert rerouted == [rerouted[0]] and rerouted[0]["from_window"] == "1" and rerouted[0]["actor"] == "system"
    assert rerouted[0]["reason"].startswith("1号窗口暂离")
    # Original issue order among the 综合窗口's own tickets.
    assert actions.call_next(hub, actors["clerk3"], "demo", "6")["number"] == sb[0]["number"]
    # The A post comes back: routing returns to normal and SB's waiting resident goes back to window 1.
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    jobs.scan_hall("demo", hub)
    assert hub.reader("demo").reroutes() == {}
    restored = events_of(redis, "tickets_rerouted")[-1]
    assert restored["restored"] is True and restored["from_window"] == "6" and restored["tickets"] == [sb[1]["number"]]
    assert actions.call_next(hub, actors["clerk3"], "demo", "6")["number"] == zm[0]["number"]
    assert actions.call_next(hub, actors["clerk1"], "demo", "1")["number"] == sb[1]["number"]


def test_b_post_that_does_not_answer_is_passed_over(hub, actors, clock):
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    actions.open_window(hub, actors["clerk2"], "demo", "2")
    actions.open_window(hub, actors["clerk3"], "demo", "6")
    issue(hub, actors, "SB", 1)
    actions.mark_away(hub, actors["clerk1"], "demo", "1", "暂离")
    assert jobs.scan_hall("demo", hub)["ask_b_post"] == {"1": "2"}
    clock.advance(121)
    for w, c in (("2", "clerk2"), ("6", "clerk3")):
        actions.heartbeat(hub, actors[c], "demo", w)
    result = jobs.scan_hall("demo", hub)
    assert result["reroute"] == {"SB": "6"}
    assert "cover_request:2" not in hub.reader("demo").alerts()


def test_no_open_window_raises_an_alert_naming_the_service(hub, redis, actors):
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    issue(hub, actors, "SB", 4)
    actions.mark_away(hub, actors["clerk1"], "demo", "1", "暂离")
    result = jobs.scan_hall("demo", hub)
    assert result["unserved"] == {"SB": 4}
    alert = hub.reader("demo").alerts()["service_unserved:SB"]
    assert alert["severity"] == "critical" and "社会保障" in alert["message"] and "4人" in alert["message"]
    services = {s["code"]: s for s in queries.services(hub, "demo")}
    assert services["SB"]["open_windows"] == 0
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    jobs.scan_hall("demo", hub)
    assert "service_unserved:SB" not in hub.reader("demo").alerts()


def test_pause_overrun_and_roster(hub, redis, actors, clock):
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    actions.pause_window(hub, actors["clerk1"], "demo", "1", "午休")
    clock.advance(24 * 3600 + 1801)
    marked = jobs.scan_hall("demo", hub)["marked_away"]
    # 10:30 on Monday: the windows are rostered Mon-Fri and 2-6 are unopened past 08:30 + 10 min.
    assert set(marked) == {"1", "2", "3", "4", "5", "6"}
    assert redis.hget(keys.window("demo", "1"), "reason_code") == "pause_overrun"
    assert redis.hget(keys.window("demo", "3"), "reason_code") == "roster"
    assert "window_unattended:3" in hub.reader("demo").alerts()


def test_two_workers_at_once_move_nothing_twice(hub, redis, actors):
    from config.halls import load_halls
    from queue_server.hub import Hub, connect
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    actions.open_window(hub, actors["clerk3"], "demo", "6")
    issue(hub, actors, "SB", 3)
    actions.mark_away(hub, actors["clerk1"], "demo", "1", "暂离")
    hubs = [Hub(hub.settings, load_halls(hub.settings.halls_dir), connect(hub.settings.redis_url), clock=hub.clock)
            for _ in range(4)]
    barrier = threading.Barrier(len(hubs))

    def worker(h):
        barrier.wait(10)
        for _ in range(5):
            jobs.scan_hall("demo", h)

    threads = [threading.Thread(target=worker, args=(h,)) for h in hubs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(events_of(redis, "tickets_rerouted")) == 1
    assert len([1 for _, f in redis.xrange(keys.events("demo")) if f["type"] == "alert_raised"]) == \
        len(hub.reader("demo").alerts())


def test_heartbeat_brings_a_window_back(hub, redis, actors, clock):
    actions.open_window(hub, actors["clerk1"], "demo", "1")
    clock.advance(100)
    jobs.scan_hall("demo", hub)
    assert redis.hget(keys.window("demo", "1"), "state") == "away"
    assert actions.heartbeat(hub, actors["clerk1"], "demo", "1") == "open"


def test_near_turn_notices_once_and_call_the_sms_adapter(hub, redis, actors, monkeypatch):
    from workers import sms
    sent = sms.LoggingSms()
    monkeypatch.setattr(sms, "get_sender", lambda name="logging": sent)
    issue(hub, actors, "SB", 5)
    told = jobs.scan_hall("demo", hub)["near_turn"]
    assert told == ["A001", "A002", "A003"]
    assert jobs.scan_hall("demo", hub)["near_turn"] == []
    assert len(sent.sent) == 3 and "前面还有0人" in sent.sent[0][1]
    near = [f for _, f in redis.xrange(keys.events("demo")) if f["type"] == "ticket_near_turn"]
    assert len(near) == 3
