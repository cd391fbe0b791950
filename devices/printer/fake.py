"""The "fake" printer driver: an in-memory printer with scriptable status and failures, for tests."""

from __future__ import annotations

import threading

from devices.printer.decoder import EscposDecoder
from devices.printer.page import Page
from devices.printer.link import LinkError
from devices.printer.status import DLE_EOT, STATUS_PRESETS

#: What ``fail_after_write`` may name besides a status preset.
FAILURES = ("silent", "disconnected", "unreachable")


class FakePrinter:
    """Collects every job in memory and answers DLE EOT from ``status`` (a preset name or 4 bytes).

    ``fail_after_write`` changes the printer once a job was written, to a status preset (e.g. "paper_out")
    or to "silent", "disconnected" (the job's link breaks) or "unreachable" (later opens fail).
    """

    def __init__(self, status: str | bytes = "normal", *, silent: bool = False, unreachable: bool = False,
                 fail_after_write: str | None = None) -> None:
        if fail_after_write is not None and fail_after_write not in FAILURES + tuple(STATUS_PRESETS):
            raise ValueError(f"unknown failure {fail_after_write!r}")
        self._lock = threading.Lock()
        self.silent = silent
        self.unreachable = unreachable
        self.disconnected = False
        self.fail_after_write = fail_after_write
        self.jobs: list[bytes] = []
        self.queries: list[int] = []
        self.opens = 0
        self.set_status(status)

    def set_status(self, status: str | bytes) -> None:
        """Answer later queries with this preset or these four reply bytes."""
        replies = STATUS_PRESETS[status] if isinstance(status, str) else bytes(status)
        if len(replies) != 4:
            raise ValueError("status needs one reply byte for each n = 1..4")
        self.replies = replies

    def open(self) -> FakeLink:
        """Open a link for one job, failing like an unplugged printer when ``unreachable``."""
        with self._lock:
            if self.unreachable:
                raise LinkError("unreachable", "fake printer is unreachable")
            self.opens += 1
            self.disconnected = False
        return FakeLink(self)

    @property
    def pages(self) -> list[Page]:
        """Return the jobs decoded into pages."""
        decoder = EscposDecoder()
        for job in self.jobs:
            decoder.feed(job)
        decoder.finish()
        return decoder.pages

    def _after_write(self) -> None:
        failure, self.fail_after_write = self.fail_after_write, None
        if failure == "silent":
            self.silent = True
        elif failure == "disconnected":
            self.disconnected = True
        elif failure == "unreachable":
            self.unreachable = self.disconnected = True
        elif failure is not None:
            self.set_status(failure)


class FakeLink:
    """One job's link to a FakePrinter."""

    supports_status = True

    def __init__(self, printer: FakePrinter) -> None:
        self._printer = printer
        self._pending = bytearray()

    def write(self, data: bytes) -> None:
        p = self._printer
        with p._lock:
            if p.disconnected:
                raise LinkError("disconnected", "fake printer dropped the connection")
            if len(data) == 3 and data.startswith(DLE_EOT):
                p.queries.append(data[2])
                if not p.silent and 1 <= data[2] <= 4:
                    self._pending += p.replies[data[2] - 1 : data[2]]
                return
            p.jobs.append(bytes(data))
            p._after_write()

    def read(self, size: int, timeout: float) -> bytes:
        with self._printer._lock:
            if self._printer.disconnected:
                raise LinkError("disconnected", "fake printer dropped the connection")
            out = bytes(self._pending[:size])
            del self._pending[:size]
        return out  # a silent fake returns at once: tests need no real waiting

    def drain(self) -> None:
        self._pending.clear()

    def close(self) -> None:
        pass
