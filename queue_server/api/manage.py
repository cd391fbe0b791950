"""Manager and kiosk extras: the dashboard, marquee notices and requests for a guide."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .. import actions, reports, workers_health
from ..domain import access
from ..domain.errors import Forbidden
from .auth import authenticated, current_actor, hub
from .body import json_body

bp = Blueprint("manage", __name__)


@bp.get("/halls/<hall>/dashboard")
@authenticated
def dashboard(hall):
    """Live figures for the manager's dashboard."""
    access.require_manager(current_actor(), hub().hall(hall).code)
    return jsonify(reports.dashboard(hub(), hall))


@bp.post("/halls/<hall>/notices")
@authenticated
def post_notice(hall):
    """Post a marquee notice."""
    body = json_body()
    actions.post_notice(hub(), current_actor(), hall, body.get("text"))
    response = jsonify({"notices": hub().reader(hall).notices()})
    response.status_code = 201
    return response


@bp.delete("/halls/<hall>/notices")
@authenticated
def clear_notices(hall):
    """Remove the posted notices."""
    actions.clear_notices(hub(), current_actor(), hall)
    return jsonify({"notices": []})


@bp.post("/halls/<hall>/help")
@authenticated
def help_request(hall):
    """A kiosk asks for a guide (人工帮办): raises an alert on the dashboard."""
    body = json_body(optional=True)
    actions.request_help(hub(), current_actor(), hall, body.get("kiosk"))
    return jsonify({"status": "notified"}), 202


@bp.get("/workers")
@authenticated
def workers():
    """Background workers, the cron scheduler and failed jobs."""
    actor = current_actor()
    if actor.role not in ("admin", "manager"):
        raise Forbidden("仅限大厅管理员")
    return jsonify(workers_health.health(hub()))


@bp.post("/workers/failed/requeue")
@authenticated
def requeue_failed():
    """Retry every failed job now."""
    actor = current_actor()
    if actor.role not in ("admin", "manager"):
        raise Forbidden("仅限大厅管理员")
    return jsonify({"requeued": workers_health.requeue_failed(hub())})
