"""The uniform printer API: status(), print_bytes() and print_slip(), checking status before and after."""

from __future__ import annotations

import logging
import threading
from typing import Callable, Iterable

from devices.printer.link import Link, LinkError
from devices.printer.render import RenderOptions, render_slip
from devices.printer.slip import Slip
from devices.printer.status import QUERIES, PrinterStatus, read_status

log = logging.getLogger(__name__)


class PrinterConfigError(ValueError):
    """A printer config names an unknown driver, misses a setting, or needs a missing dependency."""


class PrintError(Exception):
    """A slip could not be printed, or may not have been; ``code`` is machine-readable."""

    def __init__(self, code: str, message: str, *, stage: str, status: PrinterStatus | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.stage = stage  # "before" | "during" | "after"
        self.status = status

    def __repr__(self) -> str:
        return f"PrintError({self.code!r}, stage={self.stage!r})"


class Printer:
    """One configured ticket printer: a link opener plus render options.

    What raises and what returns:

    * ``status()`` never raises: a printer that cannot be asked yields a PrinterStatus whose ``error`` says
      why ("unreachable", "timeout", "disconnected", "invalid_reply").
    * ``print_bytes()`` / ``print_slip()`` return the status read after the job when the slip is believed
      printed (``paper_near_end`` may be set: warn staff). Anything else raises PrintError, whose ``stage``
      tells whether paper may have come out: "before" (nothing was sent: retry or use another printer),
      "during" or "after" (the job may be lost or half printed: ask staff; python-escpos #253).
    * Bad configuration raises PrinterConfigError when the printer is made (registry.make_printer).

    A link is opened per job and closed after it, so a printer that was power-cycled or re-plugged
    works again on the next slip without a reconnect loop.
    """

    def __init__(self, name: str, open_link: Callable[[], Link], options: RenderOptions, *,
                 status_timeout: float = 1.0, after_status_timeout: float = 5.0, check_status: bool = True,
                 status_queries: Iterable[int] = QUERIES, backend: object = None) -> None:
        self.name = name
        self.options = options
        self.status_timeout = status_timeout
        # After a job the query waits behind the job's bytes until the printer has buffered them, so it
        # gets longer than a cold status check; still bounded so a dead printer cannot hang the kiosk.
        self.after_status_timeout = after_status_timeout
        self.check_status = check_status
        self.status_queries = tuple(status_queries)
        self.backend = backend  # the fake or simulator behind this printer, for tests and dev tools
        self._open_link = open_link
        self._lock = threading.Lock()  # one job at a time: a 9100 port serves one connection

    def __repr__(self) -> str:
        return f"Printer({self.name!r})"

    def render(self, slip: Slip) -> bytes:
        """Return the ESC/POS bytes this printer would get for ``slip``."""
        return render_slip(slip, self.options)

    def status(self) -> PrinterStatus:
        """Ask the printer for its status; never raises."""
        with self._lock:
            try:
                link = self._open_link()
            except LinkError as exc:
                log.warning("printer %s: %s", self.name, exc)
                return PrinterStatus.failed(exc.code)
            try:
                return self._read_status(link, self.status_timeout)
            finally:
                link.close()

    def print_slip(self, slip: Slip) -> PrinterStatus:
        """Render and print ``slip``; see print_bytes()."""
        return self.print_bytes(self.render(slip))

    def print_bytes(self, data: bytes) -> PrinterStatus:
        """Send one job, checking status before and after; return the after-status or raise PrintError."""
        with self._lock:
            try:
                link = self._open_link()
            except LinkError as exc:
                raise PrintError(exc.code, f"printer {self.name}: {exc}", stage="before") from exc
            try:
                return self._print(link, data)
            finally:
                link.close()

    def _print(self, link: Link, data: bytes) -> PrinterStatus:
        if self.check_status:
            before = self._read_status(link, self.status_timeout)
            self._raise_unless_ok(before, "before")
        try:
            link.write(data)
        except LinkError as exc:
            raise PrintError(exc.code, f"printer {self.name}: {exc}", stage="during") from exc
        if not self.check_status:
            return PrinterStatus.unchecked()
        after = self._read_status(link, self.after_status_timeout)
        self._raise_unless_ok(after, "after")
        if after.paper_near_end:
            log.warning("printer %s: paper near end", self.name)
        log.info("printer %s: printed %d bytes", self.name, len(data))
        return after

    def _read_status(self, link: Link, timeout: float) -> PrinterStatus:
        if not link.supports_status:
            return PrinterStatus.unchecked()
        try:
            return read_status(link, timeout, self.status_queries)
        except LinkError as exc:
            log.warning("printer %s: %s", self.name, exc)
            return PrinterStatus.failed(exc.code)

    def _raise_unless_ok(self, status: PrinterStatus, stage: str) -> None:
        if status.ok:
            return
        assert status.error is not None
        raise PrintError(status.error, f"printer {self.name}: {status.error} ({stage} printing)", stage=stage,
                         status=status)
