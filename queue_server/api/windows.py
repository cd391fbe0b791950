"""Window operations: open, close, pause, resume, away, and the clerk's call buttons."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .. import actions, queries
from .auth import authenticated, current_actor, hub
from .body import json_body, text_field

bp = Blueprint("windows", __name__)


def window_json(hall: str, code: str):
    return queries.HallView(hub(), hall).window(code, public=False)


@bp.post("/halls/<hall>/windows/<window>/open")
@authenticated
def open_(hall, window):
    """Sign in at the window (a manager may name the clerk)."""
    body = json_body(optional=True)
    actions.open_window(hub(), current_actor(), hall, window, body.get("staff"))
    return jsonify(window_json(hall, window))


@bp.post("/halls/<hall>/windows/<window>/close")
@authenticated
def close(hall, window):
    """Sign out and close the window."""
    actions.close_window(hub(), current_actor(), hall, window)
    return jsonify(window_json(hall, window))


@bp.post("/halls/<hall>/windows/<window>/pause")
@authenticated
def pause(hall, window):
    """Pause the window with a reason."""
    body = json_body()
    actions.pause_window(hub(), current_actor(), hall, window, text_field(body, "reason", max_len=200))
    return jsonify(window_json(hall, window))


@bp.post("/halls/<hall>/windows/<window>/resume")
@authenticated
def resume(hall, window):
    """Resume a paused window."""
    actions.resume_window(hub(), current_actor(), hall, window)
    return jsonify(window_json(hall, window))


@bp.post("/halls/<hall>/windows/<window>/away")
@authenticated
def away(hall, window):
    """Mark the window's staffer absent (暂离)."""
    body = json_body()
    actions.mark_away(hub(), current_actor(), hall, window, text_field(body, "reason", max_len=200))
    return jsonify(window_json(hall, window))


@bp.post("/halls/<hall>/windows/<window>/next")
@authenticated
def call_next(hall, window):
    """Finish the current ticket and call the next; 204 when nobody waits."""
    raw = actions.call_next(hub(), current_actor(), hall, window)
    if raw is None:
        return "", 204
    return jsonify(queries.staff_ticket(hub(), hall, raw))


@bp.post("/halls/<hall>/windows/<window>/recall")
@authenticated
def recall(hall, window):
    """Call the current ticket again."""
    return jsonify(queries.staff_ticket(hub(), hall, actions.recall(hub(), current_actor(), hall, window)))


@bp.post("/halls/<hall>/windows/<window>/start")
@authenticated
def start(hall, window):
    """Start serving the called ticket."""
    return jsonify(queries.staff_ticket(hub(), hall, actions.start_service(hub(), current_actor(), hall, window)))


@bp.post("/halls/<hall>/windows/<window>/finish")
@authenticated
def finish(hall, window):
    """Finish the current ticket."""
    return jsonify(queries.staff_ticket(hub(), hall, actions.finish(hub(), current_actor(), hall, window)))


@bp.post("/halls/<hall>/windows/<window>/no-show")
@authenticated
def no_show(hall, window):
    """Mark the called resident as absent."""
    return jsonify(queries.staff_ticket(hub(), hall, actions.no_show(hub(), current_actor(), hall, window)))


@bp.post("/halls/<hall>/windows/<window>/transfer")
@authenticated
def transfer(hall, window):
    """Send the current ticket to another service."""
    body = json_body()
    service = text_field(body, "service", max_len=32)
    raw, position = actions.transfer_current(hub(), current_actor(), hall, window, service)
    return jsonify(queries.staff_ticket(hub(), hall, raw, position))


@bp.post("/halls/<hall>/windows/<window>/heartbeat")
@authenticated
def heartbeat(hall, window):
    """The clerk's tablet or keypad reports the staffer present."""
    state = actions.heartbeat(hub(), current_actor(), hall, window)
    return jsonify({"window": window, "state": state})


@bp.post("/halls/<hall>/windows/<window>/cover")
@authenticated
def cover(hall, window):
    """The B post takes over an absent window's services at this window (one tap)."""
    body = json_body()
    absent = text_field(body, "window", max_len=32)
    moved = actions.cover_window(hub(), current_actor(), hall, window, absent)
    return jsonify({"window": window, "covering": absent, "services": moved})
