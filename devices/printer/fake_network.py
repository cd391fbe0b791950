"""A fake network (port 9100) printer for tests: records bytes, answers DLE EOT with chosen status bytes."""

from __future__ import annotations

import logging
import threading
import time

from devices.printer.decoder import EscposDecoder
from devices.printer.page import Page
from devices.printer.status import STATUS_PRESETS
from devices.printer.tcp_server import Connection, TcpServer

log = logging.getLogger(__name__)


class FakeNetworkPrinter:
    """A loopback TCP printer whose status, silence and mid-job failures tests choose.

    ``status`` is a preset name from ``STATUS_PRESETS`` or four reply bytes (n=1..4). ``silent`` keeps it
    from answering status queries; ``drop_after`` resets the connection once it has received that many
    bytes, like a printer switched off mid-job.
    """

    def __init__(self, status: str | bytes = "normal", *, silent: bool = False, drop_after: int | None = None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self._lock = threading.Lock()
        self._received = bytearray()
        self.pages: list[Page] = []
        self.queries: list[int] = []
        self.connections = 0
        self.silent = silent
        self.drop_after = drop_after
        self.set_status(status)
        self._server = TcpServer(self._handle, host, port, name="fake-printer")

    # ---- control ----

    def start(self) -> FakeNetworkPrinter:
        """Start listening; see ``address``."""
        self._server.start()
        return self

    def stop(self) -> None:
        """Close the listener and every connection."""
        self._server.stop()

    def __enter__(self) -> FakeNetworkPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        """Return (host, port) to connect to."""
        return self._server.address

    def set_status(self, status: str | bytes) -> None:
        """Answer later DLE EOT queries with this preset or these four bytes."""
        replies = STATUS_PRESETS[status] if isinstance(status, str) else bytes(status)
        if len(replies) != 4:
            raise ValueError("status needs one reply byte for each n = 1..4")
        self._replies = replies

    # ---- observation ----

    @property
    def received(self) -> bytes:
        """Return every byte received so far, status queries included."""
        with self._lock:
            return bytes(self._received)

    def wait_for_pages(self, count: int, timeout: float = 5.0) -> list[Page]:
        """Wait until ``count`` cut pages arrived (or ``timeout`` passed); return the pages."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.pages) >= count:
                    break
            time.sleep(0.01)
        with self._lock:
            return list(self.pages)

    # ---- serving ----

    def _handle(self, conn: Connection) -> None:
        with self._lock:
            self.connections += 1
        decoder = EscposDecoder(on_page=self._on_page, on_status_query=lambda n: self._answer(conn, n))
        got = 0
        while True:
            data = conn.recv()
            if not data:
                break
            if self.drop_after is not None and got + len(data) > self.drop_after:
                data = data[: self.drop_after - got]
                self._record(decoder, data)
                log.info("fake printer: dropping the connection after %d bytes", self.drop_after)
                conn.abort()
                return
            got += len(data)
            self._record(decoder, data)
        decoder.finish()

    def _record(self, decoder: EscposDecoder, data: bytes) -> None:
        with self._lock:
            self._received.extend(data)
        decoder.feed(data)

    def _on_page(self, page: Page) -> None:
        with self._lock:
            self.pages.append(page)

    def _answer(self, conn: Connection, n: int) -> None:
        with self._lock:
            self.queries.append(n)
        if self.silent or not 1 <= n <= 4:
            return
        conn.send(self._replies[n - 1 : n])
