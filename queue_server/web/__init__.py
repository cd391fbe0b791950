"""Browser pages (kiosk, clerk, display, dashboard, phone page, LED board views) and their static assets."""

from flask import Blueprint

# Not /static: the Flask app keeps its own (empty) /static route, which would shadow ours.
bp = Blueprint("web", __name__, static_folder="static", static_url_path="/assets", template_folder="templates")

# Imported for their routes on `bp`; kept below the blueprint they decorate.
from . import ledview, pages, qr, translate  # noqa: E402,F401


def register(app):
    translate.install(app)
    app.register_blueprint(bp)
