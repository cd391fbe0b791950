"""The print job: render a ticket's slip and print it on one printer, reporting every outcome.

It runs in the device agent's print worker (RQ, one queue per printer). A failure before anything
was sent is retried with backoff; a failure during or after sending is reported, not retried,
because the slip may already be half out of the printer: staff reprint it from the dashboard.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from zoneinfo import ZoneInfo

from rq import get_current_job

from devices.printer import PrintError, Slip, make_printer
from devices.siteconfig import load as load_site
from queue_server import actions, queries
from queue_server.domain.access import SYSTEM
from queue_server.domain.errors import NoSuchTicket
from queue_server.hub import process_hub

log = logging.getLogger(__name__)

MESSAGES = {
    "paper_out": "打印机缺纸", "cover_open": "打印机盖未合上", "offline": "打印机离线",
    "timeout": "打印机无响应", "unreachable": "无法连接打印机",
}


def build_slip(hub, hall_code: str, ticket: dict, public_url: str) -> Slip:
    """What the slip shows, from the ticket's live view and the service guide."""
    hall = hub.hall(hall_code)
    service = hall.service(ticket["service"])
    issued = datetime.fromisoformat(ticket["issued_at"]).astimezone(ZoneInfo(hall.timezone))
    wait = ticket.get("estimated_wait_s")
    windows = "、".join(hall.windows[w].name for w in ticket.get("windows") or [] if w in hall.windows)
    return Slip(
        hall_name=hall.name, number=ticket["number"], service_name=service.name,
        people_ahead=ticket.get("position") or 0,
        wait_minutes=None if wait is None else (wait + 59) // 60,
        issued_at=issued.strftime("%Y-%m-%d %H:%M"),
        qr_url=f"{public_url}/t/{ticket['id']}?hall={hall_code}",
        materials=service.guide.materials, windows=windows or None,
        notice="过号请到服务台重新排队；手机扫码可查看排队进度",
    )


def print_ticket(hall_code: str, ticket_id: str, printer_id: str) -> str:
    """Print one slip; raise to have RQ retry when the printer could not even start."""
    hub = process_hub()
    site = load_site(os.environ["BIANMIN_DEVICES"], hub.hall(hall_code))
    ticket = queries.get_ticket(hub, hall_code, ticket_id, public=False)
    if ticket is None:
        raise NoSuchTicket(ticket_id)
    slip = build_slip(hub, hall_code, ticket, hub.settings.public_url)
    printer = make_printer(site.printer(printer_id))
    job = get_current_job()
    try:
        printer.print_slip(slip)
    except PrintError as exc:
        message = MESSAGES.get(exc.code, str(exc))
        retry = exc.stage == "before" and job is not None and (job.retries_left or 0) > 0
        status = "retrying" if retry else "failed"
        hint = "，正在重试" if retry else "，请记下您的号码，或到服务台补打"
        actions.report_print(hub, SYSTEM, hall_code, ticket_id, status, message + hint, printer_id)
        actions.report_device_status(hub, SYSTEM, hall_code, printer_id,
                                     {"kind": "printer", "online": False, "error": message})
        if retry or exc.stage == "before":
            raise  # RQ retries with backoff; the last failure stays visible in the failed registry
        return "failed"
    actions.report_print(hub, SYSTEM, hall_code, ticket_id, "printed", "已打印", printer_id)
    return "printed"
