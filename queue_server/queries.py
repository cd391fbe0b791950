"""Read models: tickets with live position and estimate, services, windows and the hall snapshot."""

from __future__ import annotations

from .domain import policy
from .domain.events import iso, ticket_view, window_view
from .domain.hall import Hall
from .domain.ticket import TicketStatus
from .domain.window import WindowStatus
from .hub import Hub


class HallView:
    """A consistent-enough read of one hall at one moment, reused for several tickets."""

    def __init__(self, hub: Hub, hall_code: str):
        self.hub = hub
        self.hall: Hall = hub.hall(hall_code)
        self.reader = hub.reader(self.hall.code)
        self.now = hub.now_ms()
        self.day = policy.business_day(self.hall, self.now)
        self._windows = None
        self._reroutes = None
        self._stats = None
        self._staff_names = None

    def _load(self) -> None:
        """Read whatever of windows, reroutes and day stats is still missing, in one round trip.

        A ticket's estimate needs all three; reading them together saves two round trips per view
        (the issue endpoint's reply is built from one).
        """
        windows, reroutes, stats = self.reader.view_state(
            self.day, windows=self._windows is None, reroutes=self._reroutes is None, stats=self._stats is None)
        if windows is not None:
            self._windows = windows
        if reroutes is not None:
            self._reroutes = reroutes
        if stats is not None:
            self._stats = stats

    def seed(self, windows: dict, reroutes: dict, stats: dict) -> None:
        """Use state already read (in the same round trip as a change) instead of reading it again."""
        self._windows, self._reroutes, self._stats = windows, reroutes, stats

    @property
    def windows(self) -> dict[str, dict]:
        if self._windows is None:
            self._load()
        return self._windows

    @property
    def reroutes(self) -> dict[str, str]:
        if self._reroutes is None:
            self._load()
        return self._reroutes

    @property
    def stats(self) -> dict[str, int]:
        if self._stats is None:
            self._load()
        return self._stats

    def staff_name(self, username: str) -> str | None:
        """Display name of a staff member (cached per view)."""
        if not username:
            return None
        if self._staff_names is None:
            self._staff_names = {}
        if username not in self._staff_names:
            user = self.hub.accounts.user(username)
            self._staff_names[username] = (user or {}).get("name") or username
        return self._staff_names[username]

    def prefetch_staff_names(self) -> None:
        """Read the display names of every window's staffer in one round trip (a 20-window hall's
        snapshot otherwise reads 20 accounts one by one, for every display that syncs)."""
        if self._staff_names is None:
            self._staff_names = {}
        missing = [u for u in dict.fromkeys(raw.get("staff", "") for raw in self.windows.values())
                   if u and u not in self._staff_names]
        if not missing:
            return
        for username, name in self.hub.accounts.display_names(missing).items():
            self._staff_names[username] = name

    def callable_windows(self, service: str) -> list[str]:
        return policy.callable_windows(self.hall, service, self.reroutes)

    def open_count(self, service: str) -> int:
        statuses = {c: WindowStatus.from_raw(c, raw) for c, raw in self.windows.items()}
        return policy.serving_now(statuses, self.callable_windows(service))

    def avg_service_s(self, service: str) -> float:
        svc = self.hall.service(service)
        return policy.average_service_s(svc, self.stats.get(f"{service}:served", 0),
                                        self.stats.get(f"{service}:handle_ms", 0))

    def ticket(self, raw: dict, *, public: bool, position: int | None = None) -> dict:
        """The API view of a raw ticket, with position and estimate while it waits."""
        estimate = None
        if raw.get("status") == TicketStatus.WAITING.value:
            if position is None:
                position = self.reader.position(raw["service"], raw["id"])
            if position is not None:
                estimate = policy.estimate_wait_s(position, self.avg_service_s(raw["service"]),
                                                  self.open_count(raw["service"]))
        else:
            position = None
        return ticket_view(raw, self.hall, public=public, position=position, estimated_wait_s=estimate,
                           windows=self.callable_windows(raw["service"]))

    def window(self, code: str, *, public: bool) -> dict:
        raw = dict(self.windows.get(code) or {})
        return window_view(code, raw, self.hall, public=public, staff_name=self.staff_name(raw.get("staff", "")))

    def services(self) -> list[dict]:
        """Every service with how many wait and whether it takes tickets now."""
        counts = self.reader.counts()
        issued = self.reader.issued_today(self.day)
        out = []
        for svc in self.hall.services.values():
            left = policy.quota_left(svc, issued[svc.code])
            in_hours = policy.within_hours(self.hall, svc, self.now)
            reason = None if in_hours else "outside_hours"
            if left == 0:
                reason = "quota_reached"
            waiting = counts[svc.code]
            out.append({
                "code": svc.code,
                "name": svc.name,
                "prefix": svc.prefix,
                "waiting": waiting,
                "accepting": reason is None,
                "closed_reason": reason,
                "quota_left": left,
                "hours": [str(r) for r in svc.hours],
                "estimated_wait_s": policy.estimate_wait_s(waiting, self.avg_service_s(svc.code),
                                                           self.open_count(svc.code)),
                "windows": self.callable_windows(svc.code),
                "open_windows": self.open_count(svc.code),
            })
        return out


def get_ticket(hub: Hub, hall_code: str, ticket_id: str, *, public: bool) -> dict | None:
    """One ticket with live position, or None."""
    view = HallView(hub, hall_code)
    raw = view.reader.ticket(ticket_id) if isinstance(ticket_id, str) and len(ticket_id) <= 64 else None
    return view.ticket(raw, public=public) if raw else None


def staff_ticket(hub: Hub, hall_code: str, raw: dict, position: int | None = None) -> dict:
    """The staff view of a ticket a script just returned (position when the script knew it)."""
    return HallView(hub, hall_code).ticket(raw, public=False, position=position)


def issue_with_reply(issue, hub: Hub, hall_code: str) -> tuple[dict, dict]:
    """Run `issue(read)` (actions.issue_ticket_and_read) with the reads its reply needs in the same
    round trip; return (raw ticket, staff view with position and estimate)."""
    view = HallView(hub, hall_code)
    parse = None

    def read(pipe) -> None:
        nonlocal parse
        parse = view.reader.queue_view_state(pipe, view.day)

    raw, position, replies = issue(read)
    view.seed(*parse(replies))
    return raw, view.ticket(raw, public=False, position=position)


def waiting_tickets(hub: Hub, hall_code: str, service: str | None = None, window: str | None = None) -> list[dict]:
    """Waiting tickets in call order, for one service, one window's services, or the whole hall."""
    view = HallView(hub, hall_code)
    if service:
        services = [view.hall.service(service).code]
    elif window:
        w = view.hall.window(window)
        services = list(w.services) + [s for s in view.hall.services
                                       if s not in w.services and view.reroutes.get(s) == window]
    else:
        services = list(view.hall.services)
    entries = view.reader.waiting_entries(services)
    raws = view.reader.tickets([tid for _, tid in entries])
    positions: dict[str, int] = {}
    out = []
    for raw in raws:
        svc = raw["service"]
        positions[svc] = positions.get(svc, -1) + 1
        out.append(view.ticket(raw, public=False, position=positions[svc]))
    return out


def tickets_by_status(hub: Hub, hall_code: str, status: str, service: str | None = None) -> list[dict]:
    """Today's tickets in a given status (waiting ones in call order)."""
    if status == "waiting":
        return waiting_tickets(hub, hall_code, service=service)
    view = HallView(hub, hall_code)
    if service:
        view.hall.service(service)
    ids = view.reader.day_ticket_ids(view.day)
    raws = [r for r in view.reader.tickets(ids) if r.get("status") == status
            and (not service or r.get("service") == service)]
    return [view.ticket(r, public=False) for r in raws]


def services(hub: Hub, hall_code: str) -> list[dict]:
    return HallView(hub, hall_code).services()


def windows(hub: Hub, hall_code: str, *, public: bool) -> list[dict]:
    view = HallView(hub, hall_code)
    view.prefetch_staff_names()
    return [view.window(code, public=public) for code in view.hall.windows]


def snapshot(hub: Hub, hall_code: str, *, public: bool) -> dict:
    """The hall's state for a display joining or resyncing, with the last event it includes."""
    view = HallView(hub, hall_code)
    hall = view.hall
    snap = view.reader.snapshot(max(hall.settings.recent_calls, 10))
    view._windows = snap["windows"]
    view._reroutes = snap["reroutes"]
    svcs = []
    for s in view.services():
        s["waiting"] = snap["counts"][s["code"]]
        svcs.append(s)
    view.prefetch_staff_names()
    recent = []
    for call in snap["recent_calls"]:
        w = hall.windows.get(call.get("window"))
        recent.append({
            "number": call.get("number"),
            "service": call.get("service"),
            "window": call.get("window"),
            "window_name": w.name if w else call.get("window"),
            "recall": bool(call.get("recall")),
            "ts": iso(call.get("ts"), hall.timezone),
        })
    return {
        "hall": hall.code,
        "hall_name": hall.name,
        "last_event_id": snap["last_event_id"],
        "services": svcs,
        "windows": [view.window(code, public=public) for code in hall.windows],
        "recent_calls": recent,
        "reroutes": snap["reroutes"],
        "notices": list(snap["notices"]) + list(hall.notices),
        "config_notices": list(hall.notices),
        # Alerts name services and windows, never residents; a reloaded tablet must see a takeover request.
        "alerts": sorted(view.reader.alerts().values(), key=lambda a: a.get("since") or ""),
    }
