"""Bianmin queue server: the Flask + Flask-SocketIO application factory."""

from __future__ import annotations

import logging

from flask import Flask, abort
from flask.sessions import SessionInterface

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


def _message_queue(settings: Settings) -> dict:
    """Socket.IO options for the Redis message queue every web process and the relay share."""
    if not settings.message_queue:
        # Said explicitly: the SocketIO object is process-wide and keeps options between init_app calls.
        return {"client_manager": None}
    from .realtime.messagequeue import message_queue
    return {"client_manager": message_queue(settings.redis_url, write_only=False)}


class SocketIOOnItsPath:
    """Send only /socket.io/ through Socket.IO's middleware; every other request straight to Flask.

    The middleware copies the environ and defines a class on every request it sees, even the ones it
    only passes on (about 5 % of the CPU of an API request); API calls and pages do not need it.
    """

    def __init__(self, socketio_middleware, flask_wsgi_app, path: str = "/socket.io"):
        self.socketio_middleware = socketio_middleware
        self.flask_wsgi_app = flask_wsgi_app
        self.path = path

    def __call__(self, environ, start_response):
        if (environ.get("PATH_INFO") or "").startswith(self.path):
            return self.socketio_middleware(environ, start_response)
        return self.flask_wsgi_app(environ, start_response)


def _served_by_engineio():
    """Never reached: SocketIOOnItsPath hands /socket.io/ to engine.io before Flask routes anything."""
    abort(404)


class NoCookieSessions(SessionInterface):
    """Never open or save a cookie session: every caller authenticates with a bearer token."""

    def open_session(self, app, request):
        # None makes Flask use its null session, so no signer is derived on every request.
        return None

    def save_session(self, app, session, response):
        return None


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
    app.session_interface = NoCookieSessions()
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
        **_message_queue(settings),
        ping_interval=10,
        ping_timeout=10,
        max_http_buffer_size=64 * 1024,
        manage_session=False,  # no cookie sessions (see NoCookieSessions)
    )
    from .realtime.websocket import use_lean_frames
    from .realtime.writerqueue import use_patient_queue
    use_lean_frames(socketio.server.eio)
    use_patient_queue(socketio.server.eio)
    app.wsgi_app = SocketIOOnItsPath(app.wsgi_app, app.wsgi_app.wsgi_app)
    # Flask-SocketIO runs every socket event inside a request context for the socket's /socket.io/
    # URL. Without a rule there, each context records a NotFound whose traceback is a reference cycle:
    # garbage for the cyclic collector on every connect and event, which lengthened its full pauses.
    # Werkzeug matches websocket requests only to rules that say so, hence one rule for each transport.
    app.add_url_rule("/socket.io/", endpoint="socketio_polling", view_func=_served_by_engineio)
    app.add_url_rule("/socket.io/", endpoint="socketio_websocket", view_func=_served_by_engineio, websocket=True)
    from .realtime import register as register_realtime
    register_realtime(socketio, hub)
    if settings.relay:
        from .realtime.relay import start_relay
        start_relay(socketio, hub)
    return app
