"""Issuing and reading the reply's state in one round trip gives what two round trips give."""

import pytest

from queue_server import actions, queries
from queue_server.domain import errors
from queue_server.store import keys


def issue_with_reply(hub, actor, service="SB"):
    return queries.issue_with_reply(
        lambda read: actions.issue_ticket_and_read(hub, actor, "demo", service, read=read), hub, "demo")


def test_one_round_trip_reply_equals_the_separate_read(hub, actors):
    actions.open_window(hub, actors["clerk1"], "demo", "1")  # an open window: the estimate has a rate
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    raw, view = issue_with_reply(hub, actors["kiosk"])
    assert view["number"] == "A002" and view["position"] == 1
    assert "estimate_min" in view or "wait_min" in view or "estimated_wait_s" in view, view
    assert view == queries.staff_ticket(hub, "demo", raw, 1)


def test_reads_see_the_state_after_the_script(hub, redis, actors):
    raw, position, extra = actions.issue_ticket_and_read(
        hub, actors["kiosk"], "demo", "SB", read=lambda pipe: pipe.zcard(keys.waiting("demo", "SB")))
    assert (position, extra) == (0, [1])
    assert redis.hget(keys.ticket("demo", raw["id"]), "number") == "A001"


def test_a_flushed_script_cache_is_reloaded_and_the_ticket_issued_once(hub, redis, actors):
    actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")  # registers the script
    redis.script_flush()
    raw, view = issue_with_reply(hub, actors["kiosk"])
    assert view["number"] == "A002"
    assert redis.zcard(keys.waiting("demo", "SB")) == 2
    assert redis.xlen(keys.events("demo")) == 2


def test_a_refused_issue_raises_its_domain_error_and_changes_nothing(hub, redis, actors):
    redis.set(keys.seq("demo", "20261122", "YB"), 200)
    before = redis.xlen(keys.events("demo"))
    with pytest.raises(errors.QuotaReached):
        issue_with_reply(hub, actors["kiosk"], "YB")
    assert redis.xlen(keys.events("demo")) == before
