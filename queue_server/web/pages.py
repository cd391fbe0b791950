"""The five screens and the start page: thin routes that render a template; the pages do the rest live."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from .. import queries
from ..domain.errors import NoSuchHall
from . import bp


def hub():
    return current_app.extensions["bianmin"]


def _page(template: str, hall_code: str | None = None, status: int = 200, **context):
    hall = None
    if hall_code is not None:
        try:
            hall = hub().hall(hall_code)
        except NoSuchHall:
            return render_template("not_found.html", what="hall", code=hall_code), 404
    return render_template(template, hall=hall, **context), status


@bp.get("/")
def index():
    """A start page linking every screen of every hall, for set-up and for newcomers."""
    return render_template("index.html", halls=list(hub().halls.values()))


@bp.get("/kiosk/<hall>")
def kiosk(hall):
    """Self-service ticket kiosk (touch screen, device token set once in its protected settings)."""
    return _page("kiosk.html", hall)


@bp.get("/clerk")
def clerk():
    """Clerk tablet: log in, sign in at a window, call and serve."""
    return _page("clerk.html", halls=list(hub().halls.values()))


@bp.get("/display/<hall>")
def display(hall):
    """Lobby display with voice calling."""
    return _page("display.html", hall)


@bp.get("/dashboard/<hall>")
def dashboard(hall):
    """Manager dashboard."""
    return _page("dashboard.html", hall)


@bp.get("/t/<ticket_id>")
def phone(ticket_id):
    """The resident's phone page from the ticket's QR code.

    The QR carries ?hall=; a bare /t/<id> (typed from a slip) is found by asking each hall, which is cheap
    because halls per server are few and the id is unguessable.
    """
    hall_code = request.args.get("hall")
    if hall_code:
        return _page("phone.html", hall_code, ticket_id=ticket_id)
    for code in hub().halls:
        if queries.get_ticket(hub(), code, ticket_id, public=True) is not None:
            return redirect(url_for("web.phone", ticket_id=ticket_id, hall=code))
    return render_template("not_found.html", what="ticket", code=""), 404
