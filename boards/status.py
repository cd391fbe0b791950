"""Health snapshots of boards and buses, as shown on the dashboard."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BoardStatus:
    """One board's health: online is None until the first answer (or give-up) is seen."""

    id: str
    address: int
    online: bool | None = None
    last_error: str | None = None
    last_ack: float | None = None  # time.time() of the last ACK
    frames_sent: int = 0
    acks: int = 0
    failures: int = 0  # deliveries given up after all retries
    pending: bool = False  # content is waiting to be (re)sent
    lines: tuple[str, ...] = ()  # what the board last acknowledged

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict."""
        out = dataclasses.asdict(self)
        out["lines"] = list(self.lines)
        return out


@dataclass
class BusStatus:
    """One bus's connection state plus a copy of its boards' status."""

    url: str
    driver: str
    connected: bool = False
    reconnects: int = 0  # successful re-opens after the port was lost
    last_error: str | None = None
    boards: dict[int, BoardStatus] = field(default_factory=dict)

    def copy(self) -> BusStatus:
        """Return a deep copy safe to hand to another thread."""
        boards = {a: dataclasses.replace(b) for a, b in self.boards.items()}
        return dataclasses.replace(self, boards=boards)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict (boards as a list ordered by address)."""
        out = {k: getattr(self, k) for k in ("url", "driver", "connected", "reconnects", "last_error")}
        out["boards"] = [self.boards[a].as_dict() for a in sorted(self.boards)]
        return out
