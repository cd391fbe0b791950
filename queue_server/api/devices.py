"""Endpoints for device gateways: printer registration, print outcomes, hardware state, ratings."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .. import actions
from ..domain import access
from .auth import authenticated, current_actor, hub
from .body import json_body, text_field

bp = Blueprint("devices", __name__)


@bp.post("/halls/<hall>/devices/printers")
@authenticated
def register_printer(hall):
    """Register which printer prints a kiosk's tickets."""
    body = json_body()
    actions.register_printer(hub(), current_actor(), hall, body.get("kiosk"), body.get("printer"))
    return jsonify({"kiosk": body["kiosk"], "printer": body["printer"]})


@bp.post("/halls/<hall>/tickets/<ticket_id>/print-status")
@authenticated
def print_status(hall, ticket_id):
    """A gateway reports how printing a slip went."""
    body = json_body()
    actions.report_print(hub(), current_actor(), hall, ticket_id, text_field(body, "status", max_len=16),
                         body.get("message") or "", text_field(body, "printer", max_len=64, required=False) or "")
    return jsonify({"ticket_id": ticket_id, "status": body["status"]})


@bp.post("/halls/<hall>/devices/status")
@authenticated
def device_status(hall):
    """A gateway reports a device's hardware state (online, errors, paper)."""
    body = json_body()
    actions.report_device_status(hub(), current_actor(), hall, body.get("device"), body.get("status"))
    return jsonify({"device": body["device"]})


@bp.get("/halls/<hall>/devices")
@authenticated
def devices(hall):
    """Hardware state of the hall's devices (staff)."""
    access.require_staff(current_actor(), hub().hall(hall).code)
    return jsonify(hub().reader(hall).devices())


@bp.post("/halls/<hall>/windows/<window>/rating")
@authenticated
def rating(hall, window):
    """Record a resident's 好差评 rating for the ticket the window served last."""
    body = json_body()
    ticket_id = actions.rate_service(hub(), current_actor(), hall, window, body.get("rating"),
                                     body.get("channel", "evaluator"))
    return jsonify({"ticket_id": ticket_id, "rating": body["rating"]}), 201
