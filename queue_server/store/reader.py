"""Reads of a hall's live state; nothing here writes."""

from __future__ import annotations

import json

from ..domain.hall import Hall
from . import keys
from .scripts import Scripts


class HallReader:
    """Read helpers for one hall, batching round trips with pipelines."""

    def __init__(self, redis, scripts: Scripts, hall: Hall):
        self.redis = redis
        self.scripts = scripts
        self.hall = hall

    @property
    def code(self) -> str:
        return self.hall.code

    def ticket(self, ticket_id: str) -> dict | None:
        """The raw ticket hash, or None."""
        raw = self.redis.hgetall(keys.ticket(self.code, ticket_id))
        return raw or None

    def tickets(self, ids: list[str]) -> list[dict]:
        """Raw ticket hashes in the order of `ids`, skipping any that vanished."""
        pipe = self.redis.pipeline(transaction=False)
        for tid in ids:
            pipe.hgetall(keys.ticket(self.code, tid))
        return [raw for raw in pipe.execute() if raw]

    def windows(self) -> dict[str, dict]:
        """Raw state of every window, by code."""
        pipe = self.redis.pipeline(transaction=False)
        codes = list(self.hall.windows)
        for code in codes:
            pipe.hgetall(keys.window(self.code, code))
        return dict(zip(codes, pipe.execute()))

    def view_state(self, day: str, *, windows: bool = True, reroutes: bool = True,
                   stats: bool = True) -> tuple[dict | None, dict | None, dict | None]:
        """(windows, reroutes, day stats) in one round trip; a part not asked for comes back None."""
        pipe = self.redis.pipeline(transaction=False)
        parse = self.queue_view_state(pipe, day, windows=windows, reroutes=reroutes, stats=stats)
        return parse(pipe.execute())

    def queue_view_state(self, pipe, day: str, *, windows: bool = True, reroutes: bool = True,
                         stats: bool = True):
        """Queue view_state's reads on `pipe`; return the function that turns their replies into its result."""
        codes = list(self.hall.windows) if windows else []
        for code in codes:
            pipe.hgetall(keys.window(self.code, code))
        if reroutes:
            pipe.hgetall(keys.reroutes(self.code))
        if stats:
            pipe.hgetall(keys.day_stats(self.code, day))

        def parse(replies: list) -> tuple[dict | None, dict | None, dict | None]:
            out_windows = dict(zip(codes, replies[:len(codes)])) if windows else None
            rest = list(replies[len(codes):])
            out_reroutes = rest.pop(0) if reroutes else None
            out_stats = {k: int(v) for k, v in rest.pop(0).items()} if stats else None
            return out_windows, out_reroutes, out_stats
        return parse

    def window(self, code: str) -> dict:
        """Raw state of one window (empty = never opened)."""
        return self.redis.hgetall(keys.window(self.code, code))

    def waiting_ids(self, service: str, limit: int = -1) -> list[str]:
        """Ids waiting for a service, in call order."""
        end = -1 if limit < 0 else limit - 1
        return self.redis.zrange(keys.waiting(self.code, service), 0, end)

    def waiting_entries(self, services: list[str]) -> list[tuple[float, str]]:
        """(score, id) of everyone waiting for any of `services`, merged into call order."""
        pipe = self.redis.pipeline(transaction=False)
        for s in services:
            pipe.zrange(keys.waiting(self.code, s), 0, -1, withscores=True)
        merged = [(score, tid) for rows in pipe.execute() for tid, score in rows]
        return sorted(merged)

    def position(self, service: str, ticket_id: str) -> int | None:
        """People ahead of a waiting ticket in its service."""
        return self.redis.zrank(keys.waiting(self.code, service), ticket_id)

    def counts(self) -> dict[str, int]:
        """How many wait for each service."""
        pipe = self.redis.pipeline(transaction=False)
        codes = list(self.hall.services)
        for code in codes:
            pipe.zcard(keys.waiting(self.code, code))
        return dict(zip(codes, pipe.execute()))

    def issued_today(self, day: str) -> dict[str, int]:
        """Tickets issued today per service (the quota counters)."""
        codes = list(self.hall.services)
        values = self.redis.mget([keys.seq(self.code, day, c) for c in codes])
        return {c: int(v or 0) for c, v in zip(codes, values)}

    def day_stats(self, day: str) -> dict[str, int]:
        """The day's counters as 'SERVICE:field' -> int."""
        return {k: int(v) for k, v in self.redis.hgetall(keys.day_stats(self.code, day)).items()}

    def reroutes(self) -> dict[str, str]:
        """Services currently rerouted, to the window taking them."""
        return self.redis.hgetall(keys.reroutes(self.code))

    def notices(self) -> list[str]:
        """Marquee notices posted by managers, newest first."""
        return self.redis.lrange(keys.notices(self.code), 0, -1)

    def printer_for(self, kiosk: str) -> str | None:
        """The printer registered for a kiosk, if any."""
        return self.redis.hget(keys.printers(self.code), kiosk)

    def devices(self) -> dict[str, dict]:
        """Hardware state reported by gateways, by device id."""
        return {k: json.loads(v) for k, v in self.redis.hgetall(keys.devices_state(self.code)).items()}

    def alerts(self) -> dict[str, dict]:
        """Alerts currently raised, by key."""
        return {k: json.loads(v) for k, v in self.redis.hgetall(keys.alerts(self.code)).items()}

    def day_ticket_ids(self, day: str) -> list[str]:
        """Ids of the day's tickets in issue order."""
        return self.redis.zrange(keys.day_index(self.code, day), 0, -1)

    def snapshot(self, recent: int) -> dict:
        """The hall's live state read atomically, with the last event id it includes."""
        h = self.code
        codes = list(self.hall.windows)
        services = list(self.hall.services)
        reply = self.scripts.run(
            "snapshot",
            [keys.events(h), keys.recent_calls(h), keys.reroutes(h), keys.notices(h)]
            + [keys.window(h, c) for c in codes] + [keys.waiting(h, s) for s in services],
            [len(codes), recent],
        )
        last_id, recent_calls, reroutes, notices, windows, counts = reply
        return {
            "last_event_id": last_id or None,
            "recent_calls": [json.loads(r) for r in recent_calls],
            "reroutes": {reroutes[i]: reroutes[i + 1] for i in range(0, len(reroutes), 2)},
            "notices": notices,
            "windows": {c: {w[i]: w[i + 1] for i in range(0, len(w), 2)} for c, w in zip(codes, windows)},
            "counts": dict(zip(services, counts)),
        }
