"""A small threaded loopback TCP server that fake and simulated network printers build on."""

from __future__ import annotations

import logging
import socket
import struct
import threading
from typing import Callable

log = logging.getLogger(__name__)

#: How often blocked accept/recv calls wake up to notice stop(); keeps stop() fast without busy-waiting.
_POLL_S = 0.1


class Connection:
    """One accepted client: receive with stop-awareness, send, or abort with a TCP reset."""

    def __init__(self, sock: socket.socket, stopping: threading.Event) -> None:
        self.sock = sock
        self._stopping = stopping
        sock.settimeout(_POLL_S)

    def recv(self, size: int = 4096) -> bytes:
        """Return the next bytes from the client, or b"" once it closed or the server is stopping."""
        while not self._stopping.is_set():
            try:
                return self.sock.recv(size)
            except socket.timeout:
                continue
            except OSError:
                return b""
        return b""

    def send(self, data: bytes) -> None:
        """Send ``data``; a client that went away is not an error here."""
        try:
            self.sock.sendall(data)
        except OSError as exc:
            log.debug("client went away while sending: %s", exc)

    def abort(self) -> None:
        """Drop the connection with a reset, as a printer losing power mid-job does."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.sock.close()


class TcpServer:
    """Accept loopback connections in a thread and run ``handler(conn)`` for each in its own thread."""

    def __init__(self, handler: Callable[[Connection], None], host: str = "127.0.0.1", port: int = 0,
                 name: str = "tcp-server") -> None:
        self._handler = handler
        self._bind = (host, port)
        self._name = name
        self._stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.address: tuple[str, int] = (host, port)

    def start(self) -> TcpServer:
        """Bind, listen and start accepting; ``address`` then holds the real port."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(self._bind)
            listener.listen(8)
        except OSError:
            listener.close()
            raise
        listener.settimeout(_POLL_S)
        self._listener = listener
        self.address = listener.getsockname()[:2]
        self._spawn(self._accept_loop, f"{self._name}-accept")
        log.info("%s listening on %s:%d", self._name, *self.address)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, close every connection and wait for the threads."""
        self._stopping.set()
        with self._lock:
            conns = list(self._conns)
        for sock in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for t in list(self._threads):
            t.join(timeout)
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _spawn(self, target: Callable[..., None], name: str, *args: object) -> None:
        t = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(t)
        t.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                sock, peer = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self._conns.add(sock)
            self._spawn(self._serve, f"{self._name}-conn", sock)

    def _serve(self, sock: socket.socket) -> None:
        try:
            self._handler(Connection(sock, self._stopping))
        except Exception:  # a handler bug must not kill the server or leak into pytest as a thread error
            log.exception("%s: connection handler failed", self._name)
        finally:
            with self._lock:
                self._conns.discard(sock)
            sock.close()
