"""Window (counter) states as the hall sees them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class WindowState(str, Enum):
    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"
    AWAY = "away"


@dataclass(frozen=True)
class WindowStatus:
    """The live state of a window as stored; a window never opened is closed."""

    code: str
    state: WindowState = WindowState.CLOSED
    staff: str = ""
    reason: str = ""
    current: str = ""
    since_ms: int = 0
    current_since_ms: int = 0
    heartbeat_ms: int = 0

    @classmethod
    def from_raw(cls, code: str, raw: dict) -> "WindowStatus":
        def num(key):
            return int(float(raw.get(key) or 0))

        return cls(
            code=code,
            state=WindowState(raw.get("state") or "closed"),
            staff=raw.get("staff") or "",
            reason=raw.get("reason") or "",
            current=raw.get("current") or "",
            since_ms=num("since_ms"),
            current_since_ms=num("current_since_ms"),
            heartbeat_ms=num("heartbeat_ms"),
        )
