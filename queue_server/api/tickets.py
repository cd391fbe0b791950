"""Issuing, reading, listing, transferring and cancelling tickets."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from redis.exceptions import RedisError

from .. import actions, queries
from ..domain import access
from ..domain.errors import InvalidInput, NoSuchTicket
from ..domain.ticket import TicketStatus
from .auth import authenticated, current_actor, hub
from .body import json_body, text_field

bp = Blueprint("tickets", __name__)


@bp.post("/halls/<hall>/tickets")
@authenticated
def issue(hall):
    """Take a ticket for a service (kiosk, gateway or staff)."""
    hub().hall(hall)
    body = json_body()
    service = text_field(body, "service", max_len=32)
    priority = body.get("priority", "normal")
    if not isinstance(priority, str):
        raise InvalidInput("priority 只能是 normal 或 green", field="priority")
    channel = text_field(body, "channel", max_len=16, required=False)
    actor = current_actor()
    raw, view = queries.issue_with_reply(
        lambda read: actions.issue_ticket_and_read(hub(), actor, hall, service, priority, channel, read=read),
        hub(), hall)
    if actor.role == "device" and actor.device_kind == "kiosk" and body.get("print", True) is not False:
        # The ticket is issued and acknowledged first; printing is a job that cannot undo it, and a
        # failure to even queue the slip must not turn an issued ticket into an error reply.
        try:
            view["print_status"] = actions.request_print(hub(), actor, hall, raw["id"])
        except RedisError:
            view["print_status"] = "failed"
    response = jsonify(view)
    response.status_code = 201
    response.headers["Location"] = f"/api/v1/halls/{hall}/tickets/{raw['id']}"
    return response


@bp.get("/halls/<hall>/tickets/<ticket_id>")
def show(hall, ticket_id):
    """One ticket by its unguessable id; no login, for the resident's phone page."""
    view = queries.get_ticket(hub(), hall, ticket_id, public=False)
    if view is None:
        raise NoSuchTicket("没有这个号", ticket=ticket_id)
    return jsonify(view)


@bp.get("/halls/<hall>/tickets")
@authenticated
def index(hall):
    """Today's tickets in one status (default waiting, in call order), optionally for one service."""
    access.require_staff(current_actor(), hub().hall(hall).code)
    status = request.args.get("status", "waiting")
    try:
        TicketStatus(status)
    except ValueError:
        raise InvalidInput(f"未知状态 {status!r}", field="status") from None
    service = request.args.get("service") or None
    window = request.args.get("window") or None
    if window and status == "waiting" and not service:
        return jsonify(queries.waiting_tickets(hub(), hall, window=window))
    return jsonify(queries.tickets_by_status(hub(), hall, status, service))


@bp.post("/halls/<hall>/tickets/<ticket_id>/transfer")
@authenticated
def transfer(hall, ticket_id):
    """A manager moves a ticket to another service, keeping its number and place."""
    body = json_body()
    service = text_field(body, "service", max_len=32)
    raw, position = actions.transfer_ticket(hub(), current_actor(), hall, ticket_id, service)
    return jsonify(queries.staff_ticket(hub(), hall, raw, position))


@bp.post("/halls/<hall>/tickets/<ticket_id>/cancel")
@authenticated
def cancel(hall, ticket_id):
    """Staff cancel a waiting or called ticket."""
    body = json_body(optional=True)
    raw = actions.cancel_ticket(hub(), current_actor(), hall, ticket_id, body.get("reason"))
    return jsonify(queries.staff_ticket(hub(), hall, raw))


@bp.post("/halls/<hall>/tickets/<ticket_id>/print")
@authenticated
def reprint(hall, ticket_id):
    """Print a ticket's slip again on a kiosk's printer."""
    body = json_body(optional=True)
    kiosk = text_field(body, "kiosk", max_len=64, required=False)
    status = actions.request_print(hub(), current_actor(), hall, ticket_id, kiosk)
    return jsonify({"ticket_id": ticket_id, "print_status": status}), 202
