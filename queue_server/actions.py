"""Every state change of a hall goes through a function here (HTTP, Socket.IO, keypads and workers alike).

Each checks who acts, applies the pure rules, and runs one atomic script that also appends the event.
"""

from __future__ import annotations

import json
import secrets

from .domain import access, policy
from .domain.access import SYSTEM, Actor
from .domain.alerts import Alert
from .domain.events import iso
from .domain.errors import Conflict, Forbidden, InvalidInput, NoCurrentTicket, NoSuchTicket, WindowNotOpen
from .domain.ticket import Priority
from .domain.window import WindowState
from . import jobs
from .hub import Hub
from .store.scripts import Changed

# A ticket moving under a manager's transfer or cancel twice in a row is a busy hall, not a bug.
RETRIES = 3
REASON_MAX = 200
NOTICE_MAX = 200


def _priority(value) -> Priority:
    try:
        return Priority(value or "normal")
    except ValueError:
        raise InvalidInput("priority 只能是 normal 或 green", field="priority") from None


def _reason(value, *, required: bool) -> str:
    if value is None or value == "":
        if required:
            raise InvalidInput("请填写原因", field="reason")
        return ""
    if not isinstance(value, str) or len(value) > REASON_MAX:
        raise InvalidInput(f"原因应为不超过{REASON_MAX}字的文字", field="reason")
    return value.strip()


def issue_ticket(hub: Hub, actor: Actor, hall_code: str, service: str, priority="normal",
                 channel: str | None = None) -> tuple[dict, int]:
    """Issue a ticket for a service; return (raw ticket, people ahead)."""
    raw, position, _ = issue_ticket_and_read(hub, actor, hall_code, service, priority, channel,
                                             read=lambda pipe: None)
    return raw, position


def issue_ticket_and_read(hub: Hub, actor: Actor, hall_code: str, service: str, priority="normal",
                          channel: str | None = None, *, read) -> tuple[dict, int, list]:
    """issue_ticket, plus `read(pipeline)`'s reads in the same round trip; also returns their replies."""
    hall = hub.hall(hall_code)
    access.require_issuer(actor, hall.code)
    svc = hall.service(service)
    prio = _priority(priority)
    now = hub.now_ms()
    policy.check_ticketing_hours(hall, svc, now)
    _, position, raw, extra = hub.writer(hall.code).issue_and_read(
        read, ticket_id=secrets.token_urlsafe(12), service=svc.code, day=policy.business_day(hall, now),
        priority=prio, now_ms=now, actor=actor.label,
        channel=channel or ("kiosk" if actor.role == "device" else "staff"),
    )
    return raw, position, extra


def _at_window(hub: Hub, actor: Actor, hall_code: str, window: str):
    """Check the actor may operate the window; return (hall, required staff, writer, now, day)."""
    hall = hub.hall(hall_code)
    staff = access.window_staff(actor, hall.code)
    hall.window(window)
    now = hub.now_ms()
    return hall, staff, hub.writer(hall.code), now, policy.business_day(hall, now)


def call_next(hub: Hub, actor: Actor, hall_code: str, window: str) -> dict | None:
    """Finish what the window holds and call the next ticket; None when nobody waits."""
    _, staff, writer, now, day = _at_window(hub, actor, hall_code, window)
    _, raw = writer.call_next(window=window, now_ms=now, day=day, actor=actor.label, staff=staff)
    return raw


def recall(hub: Hub, actor: Actor, hall_code: str, window: str) -> dict:
    """Announce the window's called ticket again."""
    _, staff, writer, now, _ = _at_window(hub, actor, hall_code, window)
    _, raw = writer.recall(window=window, now_ms=now, actor=actor.label, staff=staff)
    return raw


def start_service(hub: Hub, actor: Actor, hall_code: str, window: str) -> dict:
    """Mark the called resident as being served."""
    _, staff, writer, now, _ = _at_window(hub, actor, hall_code, window)
    _, raw = writer.start(window=window, now_ms=now, actor=actor.label, staff=staff)
    return raw


def finish(hub: Hub, actor: Actor, hall_code: str, window: str) -> dict:
    """Close the window's ticket as done."""
    return _close_current(hub, actor, hall_code, window, "done")


def no_show(hub: Hub, actor: Actor, hall_code: str, window: str) -> dict:
    """Close the window's called ticket as a no-show."""
    return _close_current(hub, actor, hall_code, window, "no_show")


def _close_current(hub, actor, hall_code, window, outcome):
    _, staff, writer, now, day = _at_window(hub, actor, hall_code, window)
    _, raw = writer.close_current(window=window, now_ms=now, day=day, actor=actor.label, staff=staff,
                                  outcome=outcome)
    return raw


def transfer_current(hub: Hub, actor: Actor, hall_code: str, window: str, service) -> tuple[dict, int]:
    """Send the window's ticket to another service, keeping its number and place."""
    hall = hub.hall(hall_code)
    staff = access.window_staff(actor, hall.code)
    hall.window(window)
    target = hall.service(service).code
    reader, writer = hub.reader(hall.code), hub.writer(hall.code)
    for _ in range(RETRIES):
        current = reader.window(window).get("current")
        if not current:
            raise NoCurrentTicket("窗口当前没有在办的号")
        try:
            _, position, raw = writer.transfer(ticket_id=current, service=target, held_by=window,
                                               now_ms=hub.now_ms(), actor=actor.label, staff=staff)
            return raw, position
        except Changed:
            continue
    raise Conflict("该号状态正在变化，请重试")


def transfer_ticket(hub: Hub, actor: Actor, hall_code: str, ticket_id: str, service) -> tuple[dict, int]:
    """A manager moves any waiting or called ticket to another service."""
    hall = hub.hall(hall_code)
    access.require_manager(actor, hall.code)
    target = hall.service(service).code
    reader, writer = hub.reader(hall.code), hub.writer(hall.code)
    for _ in range(RETRIES):
        raw = reader.ticket(ticket_id)
        if raw is None:
            raise NoSuchTicket("没有这个号")
        held_by = raw.get("window", "") if raw.get("status") in ("called", "serving") else ""
        try:
            _, position, raw = writer.transfer(ticket_id=ticket_id, service=target, held_by=held_by,
                                               now_ms=hub.now_ms(), actor=actor.label, staff="")
            return raw, position
        except Changed:
            continue
    raise Conflict("该号状态正在变化，请重试")


def cancel_ticket(hub: Hub, actor: Actor, hall_code: str, ticket_id: str, reason=None) -> dict:
    """Cancel a waiting or called ticket (staff of the hall)."""
    hall = hub.hall(hall_code)
    access.require_staff(actor, hall.code)
    why = _reason(reason, required=False)
    reader, writer = hub.reader(hall.code), hub.writer(hall.code)
    for _ in range(RETRIES):
        raw = reader.ticket(ticket_id)
        if raw is None:
            raise NoSuchTicket("没有这个号")
        held_by = raw.get("window", "") if raw.get("status") in ("called", "serving") else ""
        now = hub.now_ms()
        try:
            _, raw = writer.cancel(ticket_id=ticket_id, held_by=held_by, now_ms=now,
                                   day=policy.business_day(hall, now), actor=actor.label, reason=why)
            return raw
        except Changed:
            continue
    raise Conflict("该号状态正在变化，请重试")


def open_window(hub: Hub, actor: Actor, hall_code: str, window: str, staff=None) -> dict:
    """Sign in at a window: a clerk for themself, a manager for themself or a named clerk."""
    hall = hub.hall(hall_code)
    access.window_staff(actor, hall.code)
    hall.window(window)
    if actor.role == "clerk" or not staff:
        who = actor.name
    else:
        if not isinstance(staff, str) or not hub.accounts.user(staff):
            raise InvalidInput("没有这个工作人员", field="staff")
        who = staff
    _, raw = hub.writer(hall.code).open_window(window=window, staff=who, now_ms=hub.now_ms(), actor=actor.label)
    jobs.reroute_soon(hub, hall.code)
    return raw


def close_window(hub: Hub, actor: Actor, hall_code: str, window: str) -> dict:
    """Sign out and close the window; a called ticket returns to its place in line."""
    hall, staff, writer, now, day = _at_window(hub, actor, hall_code, window)
    _, raw = writer.close_window(window=window, now_ms=now, day=day, actor=actor.label, staff=staff)
    jobs.reroute_soon(hub, hall.code)
    return raw


def pause_window(hub: Hub, actor: Actor, hall_code: str, window: str, reason) -> dict:
    """Pause an open window with a reason (暂停服务)."""
    return _window_state(hub, actor, hall_code, window, WindowState.PAUSED, _reason(reason, required=True),
                         ("open", "paused"), "window_updated")


def resume_window(hub: Hub, actor: Actor, hall_code: str, window: str) -> dict:
    """Resume a paused window."""
    return _window_state(hub, actor, hall_code, window, WindowState.OPEN, "", ("paused",), "window_updated")


def mark_away(hub: Hub, actor: Actor, hall_code: str, window: str, reason, code: str = "manual") -> dict:
    """Mark a window's staffer absent (暂离); workers then look after its residents."""
    # The system also marks closed rostered windows away; people only mark staffed ones.
    allowed = ("open", "paused", "away", "closed") if actor.role == "system" else ("open", "paused", "away")
    raw = _window_state(hub, actor, hall_code, window, WindowState.AWAY, _reason(reason, required=True),
                        allowed, "window_away", code)
    jobs.reroute_soon(hub, hall_code)
    return raw


def _window_state(hub, actor, hall_code, window, target, reason, allowed_from, event_type, code="manual"):
    _, staff, writer, now, _ = _at_window(hub, actor, hall_code, window)
    _, raw = writer.set_window_state(window=window, target=target.value, reason=reason, allowed_from=allowed_from,
                                     event_type=event_type, now_ms=now, actor=actor.label, staff=staff,
                                     reason_code=code)
    return raw


def heartbeat(hub: Hub, actor: Actor, hall_code: str, window: str) -> str:
    """The clerk's tablet or keypad says the staffer is present; return the window's state."""
    _, staff, writer, now, _ = _at_window(hub, actor, hall_code, window)
    return writer.heartbeat(window=window, now_ms=now, actor=actor.label, staff=staff)


def cover_window(hub: Hub, actor: Actor, hall_code: str, window: str, absent) -> list[str]:
    """The B post takes the absent window's services at their own window with one tap."""
    hall = hub.hall(hall_code)
    staff = access.window_staff(actor, hall.code)
    mine = hall.window(window)
    if not isinstance(absent, str):
        raise InvalidInput("请指明要接管的窗口", field="window")
    other = hall.window(absent)
    if hub.reader(hall.code).window(absent).get("state") != "away":
        raise Conflict(f"{other.name}不是暂离状态，无需接管")
    status = hub.reader(hall.code).window(window)
    if staff and status.get("staff") != staff:
        raise WindowNotOpen("请先在本窗口签到")
    if status.get("state") != "open":
        raise WindowNotOpen("本窗口未开放，不能接管")
    moved = []
    for service in other.services:
        if service in mine.services:
            continue
        event = hub.writer(hall.code).reroute(
            service=service, to_window=window, from_window=absent, now_ms=hub.now_ms(), actor=actor.label,
            reason=f"B岗{mine.name}接管{other.name}")
        if event:
            moved.append(service)
    return moved


def apply_route(hub: Hub, actor: Actor, hall_code: str, service: str, to_window: str, from_window: str,
                reason: str) -> str | None:
    """Route one service to a window ('' restores normal routing); None when nothing changed."""
    hall = hub.hall(hall_code)
    access.require_manager(actor, hall.code)
    hall.service(service)
    if to_window:
        hall.window(to_window)
    return hub.writer(hall.code).reroute(service=service, to_window=to_window, from_window=from_window,
                                         now_ms=hub.now_ms(), actor=actor.label, reason=reason)


def notify_near_turn(hub: Hub, actor: Actor, hall_code: str, service: str, front: int) -> list[str]:
    """Tell the first `front` residents of a service their turn is near (each once)."""
    hall = hub.hall(hall_code)
    access.require_manager(actor, hall.code)
    return hub.writer(hall.code).near_turn(service=service, front=front, now_ms=hub.now_ms(), actor=actor.label)


def close_day(hub: Hub, actor: Actor, hall_code: str, day: str, summary_json: str) -> str | None:
    """Keep a finished day's figures and record the day as closed (once)."""
    hall = hub.hall(hall_code)
    access.require_manager(actor, hall.code)
    return hub.writer(hall.code).close_day(day=day, summary_json=summary_json, now_ms=hub.now_ms(),
                                           actor=actor.label)


def post_notice(hub: Hub, actor: Actor, hall_code: str, text) -> str:
    """Post a marquee notice for the lobby (manager)."""
    hall = hub.hall(hall_code)
    access.require_manager(actor, hall.code)
    if not isinstance(text, str) or not text.strip() or len(text) > NOTICE_MAX:
        raise InvalidInput(f"公告内容应为1至{NOTICE_MAX}字", field="text")
    return hub.writer(hall.code).post_notice(text=text.strip(), now_ms=hub.now_ms(), actor=actor.label)


def clear_notices(hub: Hub, actor: Actor, hall_code: str) -> str:
    """Remove every posted notice (manager); configured notices stay."""
    hall = hub.hall(hall_code)
    access.require_manager(actor, hall.code)
    return hub.writer(hall.code).post_notice(text="", now_ms=hub.now_ms(), actor=actor.label)


def raise_alert(hub: Hub, actor: Actor, hall_code: str, alert: Alert) -> str | None:
    """Raise an alert once; raising the same alert again appends nothing."""
    hall = hub.hall(hall_code)
    access.require_hall(actor, hall.code)
    stamped = Alert(**{**alert.__dict__, "since": alert.since or iso(hub.now_ms(), hall.timezone)})
    return hub.writer(hall.code).set_alert(key=alert.key, alert_json=stamped.to_json(), now_ms=hub.now_ms(),
                                           actor=actor.label)


def clear_alert(hub: Hub, actor: Actor, hall_code: str, key: str) -> str | None:
    """Clear a raised alert (no event if it was not raised)."""
    hall = hub.hall(hall_code)
    access.require_hall(actor, hall.code)
    return hub.writer(hall.code).set_alert(key=key, alert_json="", now_ms=hub.now_ms(), actor=actor.label)


def request_help(hub: Hub, actor: Actor, hall_code: str, where) -> str | None:
    """A resident at a kiosk asks for a guide (人工帮办)."""
    hall = hub.hall(hall_code)
    access.require_issuer(actor, hall.code)
    place = where if isinstance(where, str) and 0 < len(where) <= 64 else actor.name
    alert = Alert("help_requested", "warning", f"{place} 有群众需要人工帮办", device=place)
    return raise_alert(hub, actor, hall.code, alert)


PRINT_STATES = ("queued", "printed", "retrying", "failed", "no_printer")


def register_printer(hub: Hub, actor: Actor, hall_code: str, kiosk, printer) -> None:
    """A gateway says which of its printers prints a kiosk's tickets."""
    hall = hub.hall(hall_code)
    _require_gateway(actor, hall.code)
    for name, value in (("kiosk", kiosk), ("printer", printer)):
        if not isinstance(value, str) or not 0 < len(value) <= 64:
            raise InvalidInput(f"缺少或无效的 {name}", field=name)
    hub.writer(hall.code).register_printer(kiosk=kiosk, printer=printer)


def request_print(hub: Hub, actor: Actor, hall_code: str, ticket_id: str, kiosk: str | None = None) -> str:
    """Queue a ticket's slip on the printer of the kiosk (a failed print never affects the ticket)."""
    hall = hub.hall(hall_code)
    access.require_issuer(actor, hall.code)
    if hub.reader(hall.code).ticket(ticket_id) is None:
        raise NoSuchTicket("没有这个号")
    kiosk = kiosk or (actor.name if actor.role == "device" else None)
    printer = hub.reader(hall.code).printer_for(kiosk) if kiosk else None
    if not printer:
        report_print(hub, SYSTEM, hall.code, ticket_id, "no_printer", "未连接打印机，请记下您的号码", "")
        return "no_printer"
    jobs.print_soon(hub, hall.code, printer, ticket_id)
    report_print(hub, SYSTEM, hall.code, ticket_id, "queued", "正在打印", printer)
    return "queued"


def report_print(hub: Hub, actor: Actor, hall_code: str, ticket_id: str, status: str, message: str,
                 printer: str) -> str:
    """Record how printing went, for the kiosk and the dashboard."""
    hall = hub.hall(hall_code)
    if actor.role != "system":
        _require_gateway(actor, hall.code)
    if status not in PRINT_STATES:
        raise InvalidInput("未知的打印状态", field="status")
    return hub.writer(hall.code).print_status(ticket_id=ticket_id, status=status, message=str(message)[:200],
                                              printer=printer, now_ms=hub.now_ms(), actor=actor.label)


def report_device_status(hub: Hub, actor: Actor, hall_code: str, device, status) -> str | None:
    """A gateway reports a device's hardware state; faults raise a dashboard alert, recovery clears it."""
    hall = hub.hall(hall_code)
    _require_gateway(actor, hall.code)
    if not isinstance(device, str) or not 0 < len(device) <= 64:
        raise InvalidInput("缺少设备编号", field="device")
    if not isinstance(status, dict):
        raise InvalidInput("status 应为对象", field="status")
    text = json.dumps(status, ensure_ascii=False, sort_keys=True)
    if len(text) > 4096:
        raise InvalidInput("设备状态过大", field="status")
    event = hub.writer(hall.code).report_device(device=device, status_json=text, now_ms=hub.now_ms(),
                                                actor=actor.label)
    problem = status.get("error") if status.get("online", True) else (status.get("error") or "离线")
    alert = Alert("device", "warning", f"设备 {device}：{problem}", device=device)
    if problem:
        raise_alert(hub, SYSTEM, hall.code, alert)
    else:
        clear_alert(hub, SYSTEM, hall.code, alert.key)
    return event


def rate_service(hub: Hub, actor: Actor, hall_code: str, window: str, rating, channel="evaluator") -> str:
    """Record a 好差评 rating (1-5) for the ticket the window finished last; one rating per ticket."""
    hall = hub.hall(hall_code)
    access.require_hall(actor, hall.code)
    hall.window(window)
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise InvalidInput("评价应为1到5的整数", field="rating")
    if not isinstance(channel, str) or len(channel) > 32:
        raise InvalidInput("无效的评价渠道", field="channel")
    return hub.writer(hall.code).rate(window=window, rating=rating, channel=channel, now_ms=hub.now_ms(),
                                      actor=actor.label)


def _require_gateway(actor: Actor, hall: str) -> None:
    access.require_hall(actor, hall)
    if not (actor.role in ("admin", "system") or (actor.role == "device" and actor.device_kind == "gateway")):
        raise Forbidden("仅限设备网关")
