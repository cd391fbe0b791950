"""When a window counts as absent, and which alerts the hall's figures call for (pure rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .alerts import Alert
from .hall import Hall
from .window import WindowState, WindowStatus


@dataclass(frozen=True)
class Absence:
    """A window to mark away, with the machine-readable cause and the reason people read."""

    window: str
    code: str
    reason: str


def opening_now(hall: Hall, local: datetime) -> bool:
    """True during the hall's opening hours (always, when none are configured)."""
    opening = hall.settings.opening
    return opening is None or opening.contains(local.time())


def find_absences(hall: Hall, statuses: dict[str, WindowStatus], now_ms: int, local: datetime) -> list[Absence]:
    """Windows that should become `away`: lost heartbeat, over-long pause, or rostered but unopened."""
    out = []
    s = hall.settings
    for code, window in hall.windows.items():
        st = statuses.get(code) or WindowStatus(code)
        if st.state is WindowState.OPEN and st.heartbeat_ms and now_ms - st.heartbeat_ms > s.heartbeat_timeout_s * 1000:
            out.append(Absence(code, "heartbeat", f"{s.heartbeat_timeout_s}秒未收到工作人员心跳"))
        elif st.state is WindowState.PAUSED and st.since_ms and now_ms - st.since_ms > s.max_pause_s * 1000:
            out.append(Absence(code, "pause_overrun", f"暂停超过{s.max_pause_s // 60}分钟"))
        elif st.state is WindowState.CLOSED and _rostered_and_late(hall, window.roster, local):
            out.append(Absence(code, "roster", "排班在岗但开门后未签到"))
    return out


def _rostered_and_late(hall: Hall, roster: tuple[int, ...], local: datetime) -> bool:
    opening = hall.settings.opening
    if opening is None or local.isoweekday() not in roster:
        return False
    start_s = opening.start.hour * 3600 + opening.start.minute * 60 + hall.settings.open_grace_s
    now_s = local.hour * 3600 + local.minute * 60 + local.second
    return start_s <= now_s and opening.contains(local.time())


def hall_alerts(hall: Hall, statuses: dict[str, WindowStatus], waiting: dict[str, int],
                oldest_wait_s: dict[str, int], unserved: dict[str, int], ask_b_post: dict[str, str],
                local: datetime) -> list[Alert]:
    """Every alert that should be raised now; any other raised alert of these kinds is cleared."""
    alerts = []
    for code, svc in hall.services.items():
        if oldest_wait_s.get(code, 0) > svc.wait_alert_s:
            alerts.append(Alert("long_wait", "warning",
                                f"{svc.name}有群众已等候{oldest_wait_s[code] // 60}分钟", service=code))
        if svc.warn_waiting and waiting.get(code, 0) > svc.warn_waiting:
            alerts.append(Alert("too_many_waiting", "warning",
                                f"{svc.name}等候{waiting[code]}人，超过预警值{svc.warn_waiting}，建议增开窗口",
                                service=code))
        if code in unserved:
            alerts.append(Alert("service_unserved", "critical",
                                f"{svc.name}暂无窗口可办理，{unserved[code]}人等候", service=code))
    if opening_now(hall, local):
        for code, st in statuses.items():
            if st.state is WindowState.AWAY:
                alerts.append(Alert("window_unattended", "warning",
                                    f"{hall.windows[code].name}无人值守：{st.reason or '暂离'}", window=code))
    for absent, b_window in ask_b_post.items():
        alerts.append(Alert("cover_request", "warning",
                            f"请{hall.windows[b_window].name}（B岗）接管{hall.windows[absent].name}",
                            window=b_window, device=absent))
    return alerts


MANAGED_KINDS = ("long_wait", "too_many_waiting", "service_unserved", "window_unattended", "cover_request")
