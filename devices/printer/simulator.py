"""A simulated, always-healthy ESC/POS printer that saves each cut slip as a PNG, in process or over TCP.

CLI: ``python -m devices.printer.simulator --port 9100 --out var/prints``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from devices.printer.decoder import EscposDecoder
from devices.printer.page import Page
from devices.printer.preview import render_page
from devices.printer.render import DEFAULT_FONT, PAPER_DOTS
from devices.printer.status import HEALTHY
from devices.printer.tcp_server import Connection, TcpServer

log = logging.getLogger(__name__)


@dataclass
class SimulatedPrint:
    """One slip the simulator printed: the decoded page, its picture and where the PNG went."""

    page: Page
    image: Image.Image
    png: Path | None


class PrinterSimulator:
    """A healthy printer that turns every cut page into a PNG under ``out_dir`` (None: keep in memory)."""

    def __init__(self, out_dir: str | Path | None = "var/prints", *, width_dots: int = 576,
                 font_path: str = DEFAULT_FONT, text_codec: str = "cp437") -> None:
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.width_dots = width_dots
        self.font_path = font_path
        self.text_codec = text_codec
        self.prints: list[SimulatedPrint] = []
        self._lock = threading.Lock()

    def session(self) -> SimulatorSession:
        """Start decoding a new byte stream (one connection or one job)."""
        return SimulatorSession(self)

    def link(self) -> SimulatedLink:
        """Open an in-process link, as the "simulated" driver does."""
        return SimulatedLink(self.session())

    def serve(self, host: str = "127.0.0.1", port: int = 9100) -> SimulatorServer:
        """Start a TCP server for this simulator and return it (call ``stop()`` when done)."""
        return SimulatorServer(self, host, port).start()

    def wait_for_prints(self, count: int, timeout: float = 5.0) -> list[SimulatedPrint]:
        """Wait until ``count`` slips were printed (or ``timeout`` passed); return them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.prints) >= count:
                    break
            time.sleep(0.01)
        with self._lock:
            return list(self.prints)

    def _on_page(self, page: Page) -> None:
        image = render_page(page, self.width_dots, self.font_path)
        png = None
        if self.out_dir is not None:
            png = self.out_dir / f"{dt.datetime.now():%Y%m%d-%H%M%S-%f}-{_label(page)}.png"
            try:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                image.save(png)
            except OSError:
                log.exception("simulated printer: cannot save %s", png)
                png = None
            else:
                log.info("simulated printer: slip %s saved to %s", _label(page), png)
        with self._lock:
            self.prints.append(SimulatedPrint(page, image, png))


def _label(page: Page) -> str:
    # The ticket number is the text in the largest type; keep it filename-safe.
    label = re.sub(r"[^A-Za-z0-9-]+", "", page.largest_text)[:16]
    return label or "slip"


class SimulatorSession:
    """One byte stream into the simulator: feed() returns what the printer answers."""

    def __init__(self, sim: PrinterSimulator) -> None:
        self._replies = bytearray()
        self._decoder = EscposDecoder(on_page=sim._on_page, on_status_query=self._on_query,
                                      text_codec=sim.text_codec)

    def _on_query(self, n: int) -> None:
        if 1 <= n <= 4:
            self._replies.append(HEALTHY)

    def feed(self, data: bytes) -> bytes:
        """Decode ``data``; return the status replies it asked for."""
        self._decoder.feed(data)
        out = bytes(self._replies)
        self._replies.clear()
        return out

    def close(self) -> None:
        """End the stream; an uncut page still comes out (as from a printer without a cutter)."""
        self._decoder.finish()


class SimulatedLink:
    """An in-process link to the simulator (the "simulated" driver)."""

    supports_status = True

    def __init__(self, session: SimulatorSession) -> None:
        self._session = session
        self._pending = bytearray()

    def write(self, data: bytes) -> None:
        self._pending += self._session.feed(data)

    def read(self, size: int, timeout: float) -> bytes:
        out = bytes(self._pending[:size])
        del self._pending[:size]
        return out

    def drain(self) -> None:
        self._pending.clear()

    def close(self) -> None:
        self._session.close()


class SimulatorServer:
    """The simulator behind a TCP port, like a network printer's port 9100."""

    def __init__(self, sim: PrinterSimulator, host: str = "127.0.0.1", port: int = 9100) -> None:
        self.simulator = sim
        self._server = TcpServer(self._handle, host, port, name="printer-sim")

    @property
    def address(self) -> tuple[str, int]:
        """Return (host, port) to point a "network" printer at."""
        return self._server.address

    def start(self) -> SimulatorServer:
        """Start listening."""
        self._server.start()
        return self

    def stop(self) -> None:
        """Stop listening and close connections."""
        self._server.stop()

    def __enter__(self) -> SimulatorServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handle(self, conn: Connection) -> None:
        session = self.simulator.session()
        try:
            while data := conn.recv():
                replies = session.feed(data)
                if replies:
                    conn.send(replies)
        finally:
            session.close()


def main(argv: list[str] | None = None) -> int:
    """Run the simulated printer as a TCP server until interrupted."""
    ap = argparse.ArgumentParser(description="Simulated ESC/POS ticket printer (saves slips as PNG).")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9100)
    ap.add_argument("--out", default="var/prints", help="folder for the PNGs")
    ap.add_argument("--paper-mm", type=int, choices=sorted(PAPER_DOTS), default=80)
    ap.add_argument("--width-dots", type=int, help="overrides --paper-mm")
    ap.add_argument("--font", default=DEFAULT_FONT)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sim = PrinterSimulator(args.out, width_dots=args.width_dots or PAPER_DOTS[args.paper_mm], font_path=args.font)
    server = sim.serve(args.host, args.port)
    print(f"simulated printer on {server.address[0]}:{server.address[1]}, slips go to {args.out}/", flush=True)
    done = threading.Event()
    # Process managers (honcho, supervisor) stop services with SIGTERM; Ctrl-C sends SIGINT.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    try:
        while not done.wait(1.0):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
