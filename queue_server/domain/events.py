"""The event schema: turns stream entries and stored hashes into what clients receive.

Lua appends raw hashes; this module is the one place that decides field names, ISO times and what a
public (unauthenticated) subscriber may see.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from .hall import Hall
from .mask import mask_name

EVENT_TYPES = (
    "ticket_issued",
    "ticket_called",
    "ticket_updated",
    "window_updated",
    "window_away",
    "tickets_rerouted",
    "ticket_near_turn",
    "day_closed",
    "ticket_rated",
    "notice_posted",
    "notices_cleared",
    "alert_raised",
    "alert_cleared",
    "device_status",
    "print_status",
)


# Event fields public subscribers must not receive.
PRIVATE_KEYS = ("ticket_id",)


def iso(ms, tz: str) -> str | None:
    """ISO-8601 with the hall's offset, or None for an unset time."""
    ms = int(float(ms or 0))
    if not ms:
        return None
    return _iso_second(ms // 1000, tz)


@lru_cache(maxsize=4096)
def _iso_second(second: int, tz: str) -> str:
    # Times are shown to the second, and one event carries several of them (issued, called, the
    # event's own ts) that mostly fall in the same few seconds: the relay formats each event twice,
    # so caching by second saves most of the time zone conversions.
    return datetime.fromtimestamp(second, ZoneInfo(tz)).isoformat(timespec="seconds")


def _int(value) -> int:
    return int(float(value or 0))


def ticket_view(raw: dict, hall: Hall, *, public: bool, position=None, estimated_wait_s=None,
                windows=None) -> dict:
    """The API/event shape of a ticket; the public view drops the id, which grants page access."""
    tz = hall.timezone
    view = {
        "id": raw.get("id"),
        "number": raw.get("number"),
        "service": raw.get("service"),
        "status": raw.get("status"),
        "priority": raw.get("priority") or "normal",
        "position": position,
        "estimated_wait_s": estimated_wait_s,
        "window": raw.get("window") or None,
        "issued_at": iso(raw.get("issued_ms"), tz),
        "called_at": iso(raw.get("called_ms"), tz),
        "finished_at": iso(raw.get("finished_ms"), tz),
    }
    if windows is not None:
        view["windows"] = windows
    if raw.get("origin") and raw.get("origin") != raw.get("service"):
        view["origin_service"] = raw.get("origin")
    if public:
        del view["id"]
    else:
        view["calls"] = _int(raw.get("calls"))
        view["started_at"] = iso(raw.get("started_ms"), tz)
        view["channel"] = raw.get("channel") or None
    return view


def window_view(code: str, raw: dict, hall: Hall, *, public: bool, staff_name: str | None = None) -> dict:
    """The API/event shape of a window, with its current ticket summarised."""
    window = hall.window(code)
    current = None
    if raw.get("current"):
        current = {
            "number": raw.get("current_number"),
            "service": raw.get("current_service"),
            "status": raw.get("current_status"),
            "since": iso(raw.get("current_since_ms"), hall.timezone),
        }
        if not public:
            current["id"] = raw.get("current")
    staff = (staff_name or raw.get("staff")) if raw.get("staff") else None
    view = {
        "code": code,
        "name": window.name,
        "services": list(window.services),
        "state": raw.get("state") or "closed",
        # Public screens show staff on duty as 张*, like any other name.
        "staff": mask_name(staff) if (public and staff) else staff,
        "current": current,
        "reason": raw.get("reason") or None,
        "since": iso(raw.get("since_ms"), hall.timezone),
    }
    if window.backup:
        view["backup"] = list(window.backup)
    return view


def event_data(fields: dict) -> dict:
    """The decoded payload of a stream entry (decode once when building several views of it)."""
    return json.loads(fields.get("data") or "{}")


def event_view(entry_id: str, fields: dict, hall: Hall, *, public: bool,
               staff_names: dict[str, str] | None = None, data: dict | None = None) -> dict:
    """Build the client event for one stream entry (`data`: its payload, if already decoded)."""
    if data is None:
        data = event_data(fields)
    event = {
        "id": entry_id,
        "type": fields["type"],
        "hall": hall.code,
        "ts": iso(fields.get("ts"), hall.timezone),
    }
    if not public:
        event["actor"] = fields.get("actor") or None
    staff_names = staff_names or {}
    # The ticket first and its window next: readers (and log greps) find the event's subject at once.
    order = {"ticket": 0, "window": 1}
    for key, value in sorted(data.items(), key=lambda kv: order.get(kv[0], 2)):
        if key == "finished":
            event["finished"] = ticket_view(value, hall, public=public)
        elif key == "ticket":
            pos = value.get("position")
            position = _int(pos) if pos not in (None, "") else None
            event["ticket"] = ticket_view(value, hall, public=public, position=position)
        elif key == "window":
            code = value.get("code")
            event["window"] = window_view(code, value, hall, public=public,
                                          staff_name=staff_names.get(value.get("staff") or ""))
        elif key == "tickets" and not value:
            event["tickets"] = []  # Lua's cjson writes an empty list as {}
        elif key in PRIVATE_KEYS and public:
            continue  # a ticket id grants access to its phone page; lobby screens never get one
        else:
            event[key] = value
    if event["type"] == "ticket_called" and "ticket" in event:
        code = event["ticket"].get("window")
        if code in hall.windows:
            event["window_name"] = hall.windows[code].name
    return event
