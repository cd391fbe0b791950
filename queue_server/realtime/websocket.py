"""Lean websocket frames for Socket.IO's broadcasts: every lobby display gets every event.

engine.io writes each outgoing packet through simple-websocket, which builds the frame with
wsproto's general machinery (events, extensions, per-message deflate when the browser offers it).
A hall event goes to every display, so that cost is paid once per display per event, serially, and
the last display waits for all of them. Here an outgoing message is framed directly (one unmasked
FIN frame, RFC 6455 §5.2), and per-message deflate is not negotiated: events are a few hundred bytes
on a hall's LAN, and compressing each one again for each display would cost more than it saves.
The handshake, incoming frames, pings and closing stay with simple-websocket and wsproto.
"""

from __future__ import annotations

import struct

from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI

TEXT, BINARY = 0x81, 0x82  # FIN bit + opcode


def frame(message: str | bytes) -> bytes:
    """One complete, unmasked server-to-client websocket frame holding `message`."""
    if isinstance(message, str):
        first, payload = TEXT, message.encode()
    else:
        first, payload = BINARY, bytes(message)
    n = len(payload)
    if n < 126:
        header = bytes((first, n))
    elif n < 65536:
        header = struct.pack("!BBH", first, 126, n)
    else:
        header = struct.pack("!BBQ", first, 127, n)
    return header + payload


class LeanFrames:
    """Mixin for engine.io's simple-websocket wrapper: no deflate offer accepted, direct frames out."""

    def __call__(self, environ, start_response):
        # Without the offer wsproto accepts no extension, so every frame is plain on both sides.
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return super().__call__(environ, start_response)

    def send(self, message):
        ws = self.ws
        if not ws.connected:
            raise OSError("websocket closed")  # what engine.io's writer expects from a closed socket
        data = frame(message)
        # send() first: gevent's sendall() asks the kernel for the buffer size on every call.
        sent = ws.sock.send(data)
        if sent < len(data):
            ws.sock.sendall(data[sent:])


def use_lean_frames(eio_server) -> bool:
    """Make this engine.io server use lean frames; False if its websocket is not simple-websocket's."""
    base = eio_server._async.get("websocket")
    if base is None or not isinstance(base, type) or not issubclass(base, SimpleWebSocketWSGI):
        return False  # e.g. gevent-websocket is installed and engine.io uses it instead
    if issubclass(base, LeanFrames):
        return True
    lean = type(f"Lean{base.__name__}", (LeanFrames, base), {"__doc__": LeanFrames.__doc__})
    # A copy: the driver's table is shared by every engine.io server in the process.
    eio_server._async = {**eio_server._async, "websocket": lean}
    return True
