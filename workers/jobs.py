"""RQ job functions: each takes ids, builds its own Hub when it runs, and calls queue_server.actions.

Every job is idempotent: it re-reads the hall and applies atomic steps that do nothing the second
time, so a retry, a duplicate or two workers at once move nothing twice.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import timedelta

from queue_server import actions
from queue_server.domain import absence, policy
from queue_server.domain.access import SYSTEM
from queue_server.domain.routing import plan_routes
from queue_server.domain.window import WindowState, WindowStatus
from queue_server.hub import process_hub
from queue_server.store import keys

from . import sms

log = logging.getLogger(__name__)


def hub():
    """This process's Hub, built on first use (never at import time)."""
    return process_hub()


def _statuses(h, hall_code):
    return {c: WindowStatus.from_raw(c, raw) for c, raw in h.reader(hall_code).windows().items()}


def reroute_hall(hall_code: str, h=None) -> dict:
    """Plan the hall's AB岗 routing from its windows' states and apply it step by step."""
    h = h or hub()
    hall = h.hall(hall_code)
    reader = h.reader(hall_code)
    statuses = _statuses(h, hall_code)
    staff_at = {s.staff: c for c, s in statuses.items() if s.staff and s.state is WindowState.OPEN}
    plan = plan_routes(hall, statuses, reader.reroutes(), staff_at, reader.counts(), h.now_ms())
    for service, target in plan.reroute.items():
        primary = hall.windows_serving(service)[0].code
        actions.apply_route(h, SYSTEM, hall_code, service, target, primary, plan.reason[service])
    for service in plan.restore:
        actions.apply_route(h, SYSTEM, hall_code, service, "", "", "恢复正常办理")
    return {"reroute": plan.reroute, "restore": plan.restore, "ask_b_post": plan.ask_b_post,
            "unserved": plan.unserved}


def scan_hall(hall_code: str, h=None) -> dict:
    """Mark absent windows away, reroute, raise or clear alerts and send near-turn notices."""
    h = h or hub()
    hall = h.hall(hall_code)
    now = h.now_ms()
    local = policy.local_now(hall, now)
    marked = []
    for a in absence.find_absences(hall, _statuses(h, hall_code), now, local):
        actions.mark_away(h, SYSTEM, hall_code, a.window, a.reason, code=a.code)
        marked.append(a.window)
    result = reroute_hall(hall_code, h)
    _sync_alerts(h, hall_code, result, local)
    told = _near_turn(h, hall_code)
    return {**result, "marked_away": marked, "near_turn": told}


def _sync_alerts(h, hall_code, result, local) -> None:
    hall = h.hall(hall_code)
    reader = h.reader(hall_code)
    waiting = reader.counts()
    oldest = {}
    now = h.now_ms()
    for service in hall.services:
        head = reader.waiting_entries([service])
        issued = [int(t["issued_ms"]) for t in reader.tickets([tid for _, tid in head[:200]])]
        if issued:
            oldest[service] = (now - min(issued)) // 1000
    wanted = absence.hall_alerts(hall, _statuses(h, hall_code), waiting, oldest, result["unserved"],
                                 result["ask_b_post"], local)
    keys = {a.key for a in wanted}
    for alert in wanted:
        actions.raise_alert(h, SYSTEM, hall_code, alert)
    for key, alert in reader.alerts().items():
        if alert.get("kind") in absence.MANAGED_KINDS and key not in keys:
            actions.clear_alert(h, SYSTEM, hall_code, key)


def _near_turn(h, hall_code) -> list[str]:
    hall = h.hall(hall_code)
    sender = sms.get_sender(os.environ.get("BIANMIN_SMS", "logging"))
    told = []
    for service in hall.services:
        ids = actions.notify_near_turn(h, SYSTEM, hall_code, service, hall.settings.near_turn)
        for raw in h.reader(hall_code).tickets(ids):
            position = h.reader(hall_code).position(service, raw["id"]) or 0
            sender.send(raw.get("phone", ""), sms.near_turn_text(hall.name, raw["number"], position))
            told.append(raw["number"])
    return told


def scan_all() -> dict:
    """Scan every hall (the cron entry point)."""
    h = hub()
    return {code: scan_hall(code, h) for code in h.halls}


def rollover(hall_code: str, h=None) -> list[str]:
    """Close out finished days: leftover tickets after the hall's day_close, then keep the figures."""
    h = h or hub()
    hall = h.hall(hall_code)
    now = h.now_ms()
    local = policy.local_now(hall, now)
    today = policy.business_day(hall, now)
    closed = []
    reader = h.reader(hall_code)
    for day in _recent_days(local, 7):
        if day >= today or h.redis.exists(keys.daily_summary(hall_code, day)):
            continue
        ids = reader.day_ticket_ids(day)
        if not ids:
            continue
        tickets = reader.tickets(ids)
        still_open = [t for t in tickets if t["status"] in ("waiting", "called", "serving")]
        if still_open and local.strftime("%H:%M") < hall.settings.day_close and day == _yesterday(local):
            continue  # 延时服务: yesterday's residents are still being served
        for t in still_open:
            if t["status"] == "waiting":
                actions.cancel_ticket(h, SYSTEM, hall_code, t["id"], "日终结转")
        summary = day_summary(hall, reader.day_stats(day), reader.tickets(ids))
        if actions.close_day(h, SYSTEM, hall_code, day, json.dumps(summary, ensure_ascii=False)):
            closed.append(day)
    return closed


def rollover_all() -> dict:
    h = hub()
    return {code: rollover(code, h) for code in h.halls}


def day_summary(hall, stats: dict, tickets: list[dict]) -> dict:
    """The figures kept for a closed day, per service."""
    out = {}
    for code in hall.services:
        mine = [t for t in tickets if t.get("service") == code]
        served = stats.get(f"{code}:served", 0)
        called = stats.get(f"{code}:called", 0)
        out[code] = {
            "issued": stats.get(f"{code}:issued", 0),
            "served": served,
            "no_show": stats.get(f"{code}:no_show", 0),
            "cancelled": sum(1 for t in mine if t["status"] == "cancelled"),
            "avg_wait_s": round(stats.get(f"{code}:wait_ms", 0) / called / 1000, 1) if called else None,
            "avg_service_s": round(stats.get(f"{code}:handle_ms", 0) / served / 1000, 1) if served else None,
        }
    return out


def _recent_days(local, n):
    return sorted({(local - timedelta(days=i)).strftime("%Y%m%d") for i in range(1, n + 1)})


def _yesterday(local):
    return (local - timedelta(days=1)).strftime("%Y%m%d")
