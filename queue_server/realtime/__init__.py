"""Live delivery: the Socket.IO namespace clients sync with, and the relay that emits hall events."""

from .namespace import HallNamespace


def register(socketio, hub) -> None:
    socketio.on_namespace(HallNamespace("/", hub))
