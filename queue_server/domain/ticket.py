"""Tickets: their states, priority classes, numbers and call-order scores."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class TicketStatus(str, Enum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class Priority(str, Enum):
    GREEN = "green"
    NORMAL = "normal"

    @property
    def rank(self) -> int:
        """Lower ranks are called first: the green channel before everyone else."""
        return 0 if self is Priority.GREEN else 1


HELD = (TicketStatus.CALLED, TicketStatus.SERVING)
CLOSED = (TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED)

# A call-order score is rank * ORDER_SPAN + the hall-wide issue counter; a double holds it exactly
# while the counter stays under 10^12, which no hall reaches.
ORDER_SPAN = 10**12


def order_score(priority: Priority, issue_seq: int) -> int:
    """Score that sorts by priority class first, then by issue order across all services."""
    return priority.rank * ORDER_SPAN + issue_seq


def format_number(prefix: str, seq: int) -> str:
    """Prefix plus at least three digits: A001 … A999, then A1000."""
    return f"{prefix}{seq:03d}"


@dataclass(frozen=True)
class Ticket:
    """A ticket as stored; times are epoch milliseconds (0 = not yet)."""

    id: str
    number: str
    service: str
    status: TicketStatus
    priority: Priority
    issued_ms: int
    called_ms: int = 0
    started_ms: int = 0
    finished_ms: int = 0
    window: str = ""
    calls: int = 0
    origin: str = ""
    channel: str = ""
    day: str = ""

    @classmethod
    def from_raw(cls, raw: dict) -> "Ticket":
        """Build from a Redis hash (all values strings)."""
        def num(key):
            value = raw.get(key) or 0
            return int(float(value))

        return cls(
            id=raw["id"],
            number=raw["number"],
            service=raw["service"],
            status=TicketStatus(raw["status"]),
            priority=Priority(raw.get("priority") or "normal"),
            issued_ms=num("issued_ms"),
            called_ms=num("called_ms"),
            started_ms=num("started_ms"),
            finished_ms=num("finished_ms"),
            window=raw.get("window") or "",
            calls=num("calls"),
            origin=raw.get("origin") or raw["service"],
            channel=raw.get("channel") or "",
            day=raw.get("day") or "",
        )
