"""Health, halls, their services and windows."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .. import queries
from ..domain import access
from .auth import current_actor, hub

bp = Blueprint("halls", __name__)


@bp.get("/health")
def health():
    """Report whether the server and Redis answer."""
    try:
        hub().redis.ping()
        return jsonify({"status": "ok", "redis": "ok"})
    except Exception:  # any failure to reach Redis is "unavailable", never a crash
        response = jsonify({"status": "degraded", "redis": "unavailable"})
        response.status_code = 503
        return response


@bp.get("/halls")
def halls():
    """List the halls this server runs."""
    return jsonify([{"code": h.code, "name": h.name, "timezone": h.timezone} for h in hub().halls.values()])


@bp.get("/halls/<hall>")
def hall_detail(hall):
    """One hall with its services' guides and its windows (static configuration)."""
    h = hub().hall(hall)
    return jsonify({
        "code": h.code, "name": h.name, "timezone": h.timezone, "notices": list(h.notices),
        "services": [{"code": s.code, "name": s.name, "prefix": s.prefix, "daily_quota": s.daily_quota,
                      "hours": [str(r) for r in s.hours], "guide": s.guide.as_dict()}
                     for s in h.services.values()],
        "windows": [{"code": w.code, "name": w.name, "services": list(w.services), "backup": list(w.backup),
                     "comprehensive": w.comprehensive} for w in h.windows.values()],
    })


@bp.get("/halls/<hall>/services")
def services(hall):
    """Services with their waiting counts and whether they take tickets now."""
    return jsonify(queries.services(hub(), hall))


@bp.get("/halls/<hall>/windows")
def windows(hall):
    """Windows with state, staff and current ticket; staff of the hall see ticket ids."""
    h = hub().hall(hall)
    actor = current_actor(required=False)
    public = True
    if actor is not None:
        try:
            access.require_hall(actor, h.code)
            public = False
        except Exception:
            public = True
    return jsonify(queries.windows(hub(), h.code, public=public))


@bp.get("/halls/<hall>/snapshot")
def snapshot(hall):
    """The same snapshot a display receives over Socket.IO (public view)."""
    return jsonify(queries.snapshot(hub(), hall, public=True))
