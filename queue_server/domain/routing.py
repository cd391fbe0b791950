"""AB岗 routing rules: which window takes the residents of an absent window, decided as a pure plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from .hall import Hall
from .window import WindowState, WindowStatus


@dataclass
class RoutePlan:
    """What to change: services to reroute or restore, B posts to ask, services nobody can serve."""

    reroute: dict[str, str] = field(default_factory=dict)
    restore: list[str] = field(default_factory=list)
    ask_b_post: dict[str, str] = field(default_factory=dict)
    unserved: dict[str, int] = field(default_factory=dict)
    reason: dict[str, str] = field(default_factory=dict)


def _open(statuses: dict[str, WindowStatus], code: str) -> bool:
    s = statuses.get(code)
    return s is not None and s.state is WindowState.OPEN


def _absent(statuses: dict[str, WindowStatus], code: str) -> bool:
    s = statuses.get(code)
    return s is not None and s.state is WindowState.AWAY


def candidates(hall: Hall, service: str, statuses: dict[str, WindowStatus]) -> list[str]:
    """Open windows able to take `service` as a backup: 综合窗口 first, then in the hall's order."""
    able = [w for w in hall.windows.values() if service in w.backup and _open(statuses, w.code)]
    able.sort(key=lambda w: (not w.comprehensive, list(hall.windows).index(w.code)))
    return [w.code for w in able]


def plan_routes(hall: Hall, statuses: dict[str, WindowStatus], reroutes: dict[str, str],
                staff_at: dict[str, str], waiting: dict[str, int], now_ms: int) -> RoutePlan:
    """Decide the routing for every service given the windows' states.

    A service keeps its normal routing while any primary window is open. When its primary windows
    are absent, the B post of the absent window is asked first (if signed in at another open window)
    and given `b_post_wait_s` to take over; after that, or with no B post, the service goes to the
    first open window listing it as a backup. With no such window the service is unserved.
    """
    plan = RoutePlan()
    for service in hall.services:
        primaries = hall.windows_serving(service)
        current = reroutes.get(service)
        if any(_open(statuses, w.code) for w in primaries):
            if current:
                plan.restore.append(service)
            continue
        absent = [w for w in primaries if _absent(statuses, w.code)]
        if not absent:
            # Closed normally (not absent): the hall chose not to serve it now; undo any old reroute.
            if current and not _open(statuses, current):
                plan.restore.append(service)
            continue
        if current and _open(statuses, current):
            continue
        window = absent[0]
        b_post_window = staff_at.get(window.staff_b or "")
        away_for = (now_ms - statuses[window.code].since_ms) / 1000
        if b_post_window and b_post_window != window.code and _open(statuses, b_post_window):
            if away_for < hall.settings.b_post_wait_s:
                plan.ask_b_post[window.code] = b_post_window
                continue
        able = candidates(hall, service, statuses)
        if able:
            plan.reroute[service] = able[0]
            plan.reason[service] = f"{window.name}暂离，{hall.services[service].name}业务改由其他窗口办理"
        else:
            if current:
                plan.restore.append(service)
            if waiting.get(service, 0) > 0:
                plan.unserved[service] = waiting[service]
    return plan
