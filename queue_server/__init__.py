"""Bianmin queue server: the Flask + Flask-SocketIO application factory."""

from __future__ import annotations

import logging

from flask import Flask

from config.settings import Settings

from .extensions import socketio

log = logging.getLogger(__name__)


def _async_mode(settings: Settings) -> str:
    """gevent when the process was monkey-patched (gunicorn -k gevent), else plain threads."""
    if settings.async_mode:
        return settings.async_mode
    try:
        from gevent import monkey
        if monkey.is_module_patched("socket"):
            return "gevent"
    except ImportError:
        pass
    return "threading"


def create_app(settings: Settings | None = None, hub=None) -> Flask:
    """Build the web app: API, pages, Socket.IO and (when enabled) the event relay."""
    from .hub import Hub  # imported here: config.halls imports the domain package

    settings = settings or Settings.from_env()
    hub = hub or Hub.from_settings(settings)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key or "test",
        # Bodies are tiny JSON documents; anything bigger is a mistake or an attack.
        MAX_CONTENT_LENGTH=64 * 1024,
        JSON_AS_ASCII=False,
        TESTING=settings.testing,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["bianmin"] = hub

    from .api import register as register_api
    register_api(app)
    from .web import register as register_web
    register_web(app)

    socketio.init_app(
        app,
        async_mode=_async_mode(settings),
        message_queue=settings.redis_url if settings.message_queue else None,
        channel="bianmin",
        ping_interval=10,
        ping_timeout=10,
        max_http_buffer_size=64 * 1024,
    )
    from .realtime import register as register_realtime
    register_realtime(socketio, hub)
    if settings.relay:
        from .realtime.relay import start_relay
        start_relay(socketio, hub)
    return app
