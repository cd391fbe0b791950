"""The manager's live dashboard: per-service and per-window figures, alerts and the day by hour."""

from __future__ import annotations

from .domain import policy
from .domain.events import iso
from .hub import Hub
from .queries import HallView


def _avg(total_ms: int, count: int) -> float | None:
    return round(total_ms / count / 1000, 1) if count else None


def dashboard(hub: Hub, hall_code: str) -> dict:
    """Everything the dashboard shows, computed from today's tickets and counters."""
    view = HallView(hub, hall_code)
    hall, now, stats = view.hall, view.now, view.stats
    tickets = view.reader.tickets(view.reader.day_ticket_ids(view.day))
    # Waiting tickets from earlier days (延时服务 past midnight) still count as waiting.
    waiting_ids = {tid for _, tid in view.reader.waiting_entries(list(hall.services))}
    known = {t["id"] for t in tickets}
    tickets += view.reader.tickets([tid for tid in waiting_ids if tid not in known])

    services = []
    for svc in hall.services.values():
        waiting = [t for t in tickets if t["service"] == svc.code and t["status"] == "waiting"]
        oldest = min((int(t["issued_ms"]) for t in waiting), default=None)
        served = stats.get(f"{svc.code}:served", 0)
        called = stats.get(f"{svc.code}:called", 0)
        services.append({
            "code": svc.code, "name": svc.name, "waiting": len(waiting),
            "longest_wait_s": (now - oldest) // 1000 if oldest else 0,
            "issued_today": stats.get(f"{svc.code}:issued", 0),
            "served_today": served,
            "no_show_today": stats.get(f"{svc.code}:no_show", 0),
            "avg_wait_s": _avg(stats.get(f"{svc.code}:wait_ms", 0), called),
            "avg_service_s": _avg(stats.get(f"{svc.code}:handle_ms", 0), served),
            "open_windows": view.open_count(svc.code),
            "wait_alert_s": svc.wait_alert_s,
            "warn_waiting": svc.warn_waiting,
        })

    windows = []
    for code in hall.windows:
        w = view.window(code, public=False)
        raw = view.windows.get(code) or {}
        since = int(float(raw.get("current_since_ms") or 0))
        w["current_for_s"] = (now - since) // 1000 if raw.get("current") and since else None
        state_since = int(float(raw.get("since_ms") or 0))
        w["state_for_s"] = (now - state_since) // 1000 if state_since else None
        w["served_today"] = stats.get(f"window:{code}:served", 0)
        windows.append(w)

    hours: dict[int, dict] = {}
    for t in tickets:
        hour = policy.local_now(hall, int(t["issued_ms"])).hour
        bucket = hours.setdefault(hour, {"hour": hour, "arrivals": 0, "served": 0, "wait_ms": 0, "called": 0})
        bucket["arrivals"] += 1
        if t.get("status") == "done":
            bucket["served"] += 1
        if int(float(t.get("called_ms") or 0)):
            bucket["called"] += 1
            bucket["wait_ms"] += int(float(t["called_ms"])) - int(t["issued_ms"])
    hourly = [{"hour": h, "arrivals": b["arrivals"], "served": b["served"],
               "avg_wait_s": _avg(b["wait_ms"], b["called"])} for h, b in sorted(hours.items())]

    return {
        "hall": hall.code,
        "hall_name": hall.name,
        "generated_at": iso(now, hall.timezone),
        "services": services,
        "windows": windows,
        "alerts": sorted(view.reader.alerts().values(), key=lambda a: a.get("since") or ""),
        "hourly": hourly,
        "reroutes": view.reroutes,
    }
