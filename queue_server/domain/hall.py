"""The static definition of a hall: its services (with their guides) and windows (with their AB posts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time


@dataclass(frozen=True)
class TimeRange:
    """A daily period such as 08:30-11:30, local to the hall."""

    start: time
    end: time

    def contains(self, t: time) -> bool:
        return self.start <= t < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class ServiceGuide:
    """The 办事指南 of a service: what a resident must know before coming to the window."""

    legal_basis: str = ""
    materials: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    promised_time: str = ""
    fee: str = ""

    def as_dict(self) -> dict:
        return {
            "legal_basis": self.legal_basis,
            "materials": list(self.materials),
            "steps": list(self.steps),
            "promised_time": self.promised_time,
            "fee": self.fee,
        }


@dataclass(frozen=True)
class Service:
    """A business a resident takes a ticket for; numbers are its prefix plus a daily sequence."""

    code: str
    name: str
    prefix: str
    daily_quota: int | None = None
    hours: tuple[TimeRange, ...] = ()
    guide: ServiceGuide = field(default_factory=ServiceGuide)
    # Used for estimates until the day has real service times to average.
    avg_service_s: int = 300
    wait_alert_s: int = 1800
    warn_waiting: int | None = None


@dataclass(frozen=True)
class Window:
    """A counter; `services` are primary in preference order, `backup` only while rerouted to it."""

    code: str
    name: str
    services: tuple[str, ...]
    backup: tuple[str, ...] = ()
    staff_a: str | None = None
    staff_b: str | None = None
    comprehensive: bool = False
    # ISO weekdays (1 = Monday) on which the window must be staffed during opening hours.
    roster: tuple[int, ...] = ()

    @property
    def all_services(self) -> tuple[str, ...]:
        return self.services + tuple(s for s in self.backup if s not in self.services)


@dataclass(frozen=True)
class HallSettings:
    """Per-hall thresholds; defaults suit a town hall."""

    heartbeat_timeout_s: int = 90
    max_pause_s: int = 1800
    open_grace_s: int = 600
    near_turn: int = 3
    recent_calls: int = 10
    opening: TimeRange | None = None
    # How long a B post has to take over with one tap before residents are rerouted automatically.
    b_post_wait_s: int = 120
    # Tickets of a previous day still open at this local time are closed out and the day is summed up.
    day_close: str = "03:00"


@dataclass(frozen=True)
class Hall:
    """A service hall: services and windows by code, in the order the config lists them."""

    code: str
    name: str
    timezone: str = "Asia/Shanghai"
    services: dict[str, Service] = field(default_factory=dict)
    windows: dict[str, Window] = field(default_factory=dict)
    settings: HallSettings = field(default_factory=HallSettings)
    notices: tuple[str, ...] = ()
    source: str = ""

    def service(self, code: str) -> Service:
        from .errors import NoSuchService

        try:
            return self.services[code]
        except (KeyError, TypeError):
            raise NoSuchService(f"no service {code!r} in hall {self.code}", service=code) from None

    def window(self, code: str) -> Window:
        from .errors import NoSuchWindow

        try:
            return self.windows[code]
        except (KeyError, TypeError):
            raise NoSuchWindow(f"no window {code!r} in hall {self.code}", window=code) from None

    def windows_serving(self, service: str) -> list[Window]:
        """Windows for which `service` is primary, in config order."""
        return [w for w in self.windows.values() if service in w.services]
