"""Browser pages (kiosk, clerk, display, dashboard, phone page) and their static assets."""

from flask import Blueprint, redirect

bp = Blueprint("web", __name__, static_folder="static", static_url_path="/static", template_folder="templates")


@bp.get("/")
def index():
    return redirect("/api/v1/halls")


def register(app):
    app.register_blueprint(bp)
