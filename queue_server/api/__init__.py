"""The JSON API under /api/v1: one blueprint per area, errors as {"error": {"code", "message"}}."""

from flask import Flask

from . import auth, devices, errors, halls, manage, openapi, tickets, windows


def register(app: Flask) -> None:
    errors.register(app)
    for module in (halls, auth, tickets, windows, manage, devices, openapi):
        app.register_blueprint(module.bp, url_prefix="/api/v1")
