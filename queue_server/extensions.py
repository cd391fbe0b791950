"""Process-wide extension objects, bound to the app in create_app (deferred init_app)."""

from flask_socketio import SocketIO

socketio = SocketIO()
