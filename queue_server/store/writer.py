"""Hall state changes: one method per Lua script, turning domain arguments into KEYS and ARGV."""

from __future__ import annotations

from ..domain.hall import Hall
from ..domain.ticket import ORDER_SPAN, Priority
from . import keys
from .scripts import Scripts, pairs


class HallWriter:
    """Runs the atomic scripts of one hall; every call appends its event to the hall stream."""

    def __init__(self, scripts: Scripts, hall: Hall, *, maxlen: int, recent_cap: int):
        self.scripts = scripts
        self.hall = hall
        self.maxlen = maxlen
        self.recent_cap = recent_cap

    @property
    def code(self) -> str:
        return self.hall.code

    def issue(self, *, ticket_id, service, day, priority: Priority, now_ms, actor, channel):
        """Issue a ticket; return (event id, position, raw ticket)."""
        reply = self.scripts.run("issue_ticket", *self._issue_call(ticket_id, service, day, priority, now_ms,
                                                                  actor, channel))
        return reply[1], int(reply[2]), pairs(reply[3:])

    def issue_and_read(self, read, *, ticket_id, service, day, priority: Priority, now_ms, actor, channel):
        """issue(), with `read(pipeline)`'s commands sent in the same round trip; adds their replies."""
        reply, extra = self.scripts.run_and_read(
            "issue_ticket", *self._issue_call(ticket_id, service, day, priority, now_ms, actor, channel), read)
        return reply[1], int(reply[2]), pairs(reply[3:]), extra

    def _issue_call(self, ticket_id, service, day, priority: Priority, now_ms, actor, channel):
        svc = self.hall.service(service)
        h = self.code
        return (
            [keys.seq(h, day, service), keys.issue_order(h), keys.ticket(h, ticket_id),
             keys.waiting(h, service), keys.day_index(h, day), keys.day_stats(h, day), keys.events(h)],
            [ticket_id, service, svc.prefix, day, priority.value, priority.rank, now_ms,
             svc.daily_quota or 0, actor, channel, self.maxlen, ORDER_SPAN],
        )

    def call_next(self, *, window, now_ms, day, actor, staff):
        """Call the next ticket; return (event id, raw ticket) or (None, None) when nobody waits."""
        h = self.code
        w = self.hall.window(window)
        # Any service may be rerouted here (a B post covers the absent window's services), so every
        # other service is a candidate that the script calls only while the reroute hash says so.
        services = list(w.services) + [s for s in self.hall.services if s not in w.services]
        reply = self.scripts.run(
            "call_next",
            [keys.window(h, window), keys.events(h), keys.recent_calls(h), keys.day_stats(h, day),
             keys.reroutes(h), keys.ticket_prefix(h)] + [keys.waiting(h, s) for s in services],
            [window, now_ms, actor, staff, self.maxlen, self.recent_cap, len(w.services)] + services,
        )
        if reply[0] == "empty":
            return None, None
        return reply[1], pairs(reply[2:])

    def recall(self, *, window, now_ms, actor, staff):
        """Announce the current ticket again."""
        h = self.code
        reply = self.scripts.run(
            "recall",
            [keys.window(h, window), keys.events(h), keys.recent_calls(h), keys.ticket_prefix(h)],
            [window, now_ms, actor, staff, self.maxlen, self.recent_cap],
        )
        return reply[1], pairs(reply[2:])

    def start(self, *, window, now_ms, actor, staff):
        """Mark the current ticket as being served."""
        h = self.code
        reply = self.scripts.run(
            "start_service",
            [keys.window(h, window), keys.events(h), keys.ticket_prefix(h)],
            [window, now_ms, actor, staff, self.maxlen],
        )
        return reply[1], pairs(reply[2:])

    def close_current(self, *, window, now_ms, day, actor, staff, outcome):
        """Finish the current ticket as done or no_show."""
        h = self.code
        reply = self.scripts.run(
            "close_current",
            [keys.window(h, window), keys.events(h), keys.day_stats(h, day), keys.ticket_prefix(h)],
            [window, now_ms, actor, staff, self.maxlen, outcome],
        )
        return reply[1], pairs(reply[2:])

    def transfer(self, *, ticket_id, service, held_by, now_ms, actor, staff):
        """Move a ticket to another service; raises scripts.Changed if it moved meanwhile."""
        h = self.code
        any_window = held_by or next(iter(self.hall.windows))
        reply = self.scripts.run(
            "transfer",
            [keys.ticket(h, ticket_id), keys.window(h, any_window), keys.events(h),
             keys.waiting_prefix(h)],
            [ticket_id, now_ms, actor, staff, self.maxlen, service, held_by],
        )
        return reply[1], int(reply[2]), pairs(reply[3:])

    def cancel(self, *, ticket_id, held_by, now_ms, day, actor, reason):
        """Cancel a waiting or called ticket; raises scripts.Changed if it moved meanwhile."""
        h = self.code
        any_window = held_by or next(iter(self.hall.windows))
        reply = self.scripts.run(
            "cancel",
            [keys.ticket(h, ticket_id), keys.window(h, any_window), keys.events(h),
             keys.waiting_prefix(h), keys.day_stats(h, day)],
            [ticket_id, now_ms, actor, self.maxlen, held_by, reason],
        )
        return reply[1], pairs(reply[2:])

    def open_window(self, *, window, staff, now_ms, actor):
        """Sign a clerk in at a window."""
        h = self.code
        reply = self.scripts.run(
            "open_window",
            [keys.window(h, window), keys.staff_index(h), keys.events(h)],
            [window, now_ms, actor, staff, self.maxlen],
        )
        return reply[1] or None, pairs(reply[2:])

    def close_window(self, *, window, now_ms, day, actor, staff):
        """Sign the clerk out and close the window."""
        h = self.code
        reply = self.scripts.run(
            "close_window",
            [keys.window(h, window), keys.staff_index(h), keys.events(h), keys.day_stats(h, day),
             keys.ticket_prefix(h), keys.waiting_prefix(h)],
            [window, now_ms, actor, staff, self.maxlen],
        )
        return reply[1] or None, pairs(reply[2:])

    def set_window_state(self, *, window, target, reason, allowed_from, event_type, now_ms, actor, staff,
                         reason_code="manual"):
        """Move a window between open, paused and away."""
        h = self.code
        reply = self.scripts.run(
            "set_window_state",
            [keys.window(h, window), keys.events(h)],
            [window, now_ms, actor, staff, self.maxlen, target, reason, ",".join(allowed_from), event_type,
             reason_code],
        )
        return reply[1] or None, pairs(reply[2:])

    def heartbeat(self, *, window, now_ms, actor, staff):
        """Touch the window's heartbeat; return the window state afterwards."""
        h = self.code
        reply = self.scripts.run("heartbeat", [keys.window(h, window), keys.events(h)],
                                 [window, now_ms, actor, staff, self.maxlen])
        return reply[2]

    def reroute(self, *, service, to_window, from_window, now_ms, actor, reason, listed=50):
        """Route a service to a window ('' restores); return the event id or None if unchanged."""
        h = self.code
        reply = self.scripts.run(
            "reroute",
            [keys.reroutes(h), keys.events(h), keys.waiting(h, service), keys.ticket_prefix(h)],
            [service, to_window, from_window, now_ms, actor, self.maxlen, reason, listed],
        )
        return reply[1] or None

    def near_turn(self, *, service, front, now_ms, actor):
        """Mark and announce the tickets newly within the first `front`; return their ids."""
        h = self.code
        reply = self.scripts.run(
            "near_turn", [keys.waiting(h, service), keys.events(h), keys.ticket_prefix(h)],
            [front, now_ms, actor, self.maxlen, service])
        return reply[1:]

    def post_notice(self, *, text, now_ms, actor, kept=20):
        """Add a marquee notice ('' clears them)."""
        h = self.code
        return self.scripts.run("post_notice", [keys.notices(h), keys.events(h)],
                                [text, now_ms, actor, self.maxlen, kept])[1]

    def set_alert(self, *, key, alert_json, now_ms, actor):
        """Raise (alert_json) or clear ('') an alert; return the event id or None if nothing changed."""
        h = self.code
        reply = self.scripts.run("set_alert", [keys.alerts(h), keys.events(h)],
                                 [key, alert_json, now_ms, actor, self.maxlen])
        return reply[1] or None

    def close_day(self, *, day, summary_json, now_ms, actor):
        """Store a day's figures once; return the event id or None if already closed."""
        h = self.code
        reply = self.scripts.run("close_day", [keys.daily_summary(h, day), keys.events(h)],
                                 [day, summary_json, now_ms, actor, self.maxlen])
        return reply[1] or None

    def report_device(self, *, device, status_json, now_ms, actor):
        """Store a device's state; return the event id or None if unchanged."""
        h = self.code
        return self.scripts.run("report_device", [keys.devices_state(h), keys.events(h)],
                                [device, status_json, now_ms, actor, self.maxlen])[1] or None

    def print_status(self, *, ticket_id, status, message, printer, now_ms, actor):
        """Record a print outcome on the ticket and tell the kiosk."""
        h = self.code
        return self.scripts.run("print_status", [keys.ticket(h, ticket_id), keys.events(h)],
                                [status, message, printer, now_ms, actor, self.maxlen])[1]

    def rate(self, *, window, rating, channel, now_ms, actor):
        """Rate the window's last finished ticket; return its id."""
        h = self.code
        reply = self.scripts.run("rate_service", [keys.window(h, window), keys.events(h), keys.ticket_prefix(h)],
                                 [window, rating, channel, now_ms, actor, self.maxlen])
        return reply[2]

    def register_printer(self, *, kiosk, printer):
        """Remember which printer prints a kiosk's tickets (device configuration, not hall state)."""
        self.scripts.redis.hset(keys.printers(self.code), kiosk, printer)
