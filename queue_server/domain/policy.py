"""Pure rules: who may take a ticket when, which windows call a service, how long a resident waits."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from .errors import OutsideHours
from .hall import Hall, Service
from .window import WindowState, WindowStatus


def local_now(hall: Hall, now_ms: int) -> datetime:
    """The hall's wall-clock time at `now_ms`."""
    return datetime.fromtimestamp(now_ms / 1000, ZoneInfo(hall.timezone))


def business_day(hall: Hall, now_ms: int) -> str:
    """The hall's local date as YYYYMMDD: numbering restarts at local midnight."""
    return _local_date(hall.timezone, now_ms // 60_000)


@lru_cache(maxsize=4096)
def _local_date(timezone: str, utc_minute: int) -> str:
    # Every request asks; the date cannot change within a UTC minute (offsets are whole minutes).
    return datetime.fromtimestamp(utc_minute * 60, ZoneInfo(timezone)).strftime("%Y%m%d")


def within_hours(hall: Hall, service: Service, now_ms: int) -> bool:
    """True when the service's ticketing hours include now (no hours configured = always)."""
    if not service.hours:
        return True
    t = local_now(hall, now_ms).time()
    return any(r.contains(t) for r in service.hours)


def check_ticketing_hours(hall: Hall, service: Service, now_ms: int) -> None:
    """Raise OutsideHours naming the service's hours when a ticket cannot be taken now."""
    if not within_hours(hall, service, now_ms):
        hours = ", ".join(str(r) for r in service.hours)
        raise OutsideHours(
            f"{service.name} 取号时间为 {hours}", service=service.code, hours=hours
        )


def quota_left(service: Service, issued_today: int) -> int | None:
    """Tickets still available today, or None when the service has no quota."""
    if service.daily_quota is None:
        return None
    return max(0, service.daily_quota - issued_today)


def callable_windows(hall: Hall, service: str, reroutes: dict[str, str]) -> list[str]:
    """Windows that may call `service` now: its primary windows plus the one it is rerouted to."""
    codes = [w.code for w in hall.windows_serving(service)]
    extra = reroutes.get(service)
    if extra and extra not in codes:
        codes.append(extra)
    return codes


def serving_now(statuses: dict[str, WindowStatus], codes: list[str]) -> int:
    """How many of the given windows are open to call."""
    return sum(1 for c in codes if c in statuses and statuses[c].state is WindowState.OPEN)


def average_service_s(service: Service, served: int, total_service_ms: int) -> float:
    """Today's mean handling time once a few tickets were served, else the configured figure."""
    # Three finished tickets is where today's mean starts to beat the configured guess.
    if served >= 3 and total_service_ms > 0:
        return total_service_ms / served / 1000
    return float(service.avg_service_s)


def estimate_wait_s(position: int, avg_service_s: float, open_windows: int) -> int:
    """People ahead times mean handling time, shared across the windows calling the service."""
    return int(round(position * avg_service_s / max(1, open_windows)))
