"""Apply events to a snapshot: how every client (display, agent, tests) keeps its copy of the hall current."""

from __future__ import annotations

import copy

RECENT_KEPT = 10


class UnknownEvent(ValueError):
    """An event type this client does not understand; it should resync by snapshot."""


def _service(state: dict, code: str | None) -> dict | None:
    for svc in state["services"]:
        if svc["code"] == code:
            return svc
    return None


def _bump(state: dict, code: str | None, delta: int) -> None:
    svc = _service(state, code)
    if svc is not None:
        svc["waiting"] = max(0, svc["waiting"] + delta)


def _put_window(state: dict, window: dict | None) -> None:
    if not window:
        return
    for i, w in enumerate(state["windows"]):
        if w["code"] == window["code"]:
            state["windows"][i] = window
            return
    state["windows"].append(window)


def apply_event(state: dict, event: dict) -> dict:
    """Return a new state with `event` applied; events at or before last_event_id are ignored."""
    last = state.get("last_event_id")
    if last and _key(event["id"]) <= _key(last):
        return state
    state = copy.deepcopy(state)
    etype = event["type"]
    ticket = event.get("ticket") or {}
    previous = event.get("previous_status")
    if etype == "ticket_issued":
        _bump(state, ticket.get("service"), +1)
    elif etype == "ticket_called":
        if previous == "waiting":
            _bump(state, ticket.get("service"), -1)
        state["recent_calls"].insert(0, {
            "number": ticket.get("number"), "service": ticket.get("service"), "window": ticket.get("window"),
            "window_name": event.get("window_name"), "recall": bool(event.get("recall")), "ts": event.get("ts"),
        })
        del state["recent_calls"][RECENT_KEPT:]
        _put_window(state, event.get("window"))
    elif etype == "ticket_updated":
        was_waiting = previous == "waiting"
        now_waiting = ticket.get("status") == "waiting"
        old_service = event.get("from_service") or ticket.get("service")
        if was_waiting:
            _bump(state, old_service, -1)
        if now_waiting:
            _bump(state, ticket.get("service"), +1)
        _put_window(state, event.get("window"))
    elif etype in ("window_updated", "window_away"):
        _put_window(state, event.get("window"))
    elif etype == "tickets_rerouted":
        reroutes = state.setdefault("reroutes", {})
        if event.get("to_window"):
            reroutes[event["service"]] = event["to_window"]
        else:
            reroutes.pop(event.get("service"), None)
    elif etype == "notice_posted":
        state.setdefault("notices", []).insert(0, event.get("text"))
    elif etype == "notices_cleared":
        state["notices"] = [n for n in state.get("notices", []) if n in state.get("config_notices", [])]
    elif etype in ("alert_raised", "alert_cleared"):
        alert = event.get("alert") or {}
        alerts = [a for a in state.get("alerts", []) if a.get("key") != alert.get("key")]
        if etype == "alert_raised":
            alerts.append(alert)
        state["alerts"] = alerts
    elif etype in ("device_status", "print_status", "ticket_near_turn",
                   "day_closed", "ticket_rated"):
        pass
    else:
        raise UnknownEvent(etype)
    state["last_event_id"] = event["id"]
    return state


def _key(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)
