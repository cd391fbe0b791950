"""KeypadBus: one thread owning one caller/evaluator serial bus — read, ack, dispatch, drive displays."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable

import serial

from devices.keypad.protocol import (
    EvaluatorRating,
    KeypadCommand,
    KeypadProtocol,
    beep_frame,
    display_frame,
    waiting_frame,
)
from devices.transport import close_port, open_port

log = logging.getLogger(__name__)

# At 9600 baud a 10-byte frame takes ~10 ms on the wire; a sender silent for 100 ms mid-frame has given up.
_FRAME_GAP_S = 0.1
# Short reads keep stop() and partial-frame expiry responsive; the CPU cost of waking 20×/s is nil.
_READ_TIMEOUT_S = 0.05


@dataclass(frozen=True)
class BusStats:
    """Counters since the bus started."""

    connected: bool
    frames: int
    commands: int
    ratings: int
    unknown: int
    repeats: int
    acks: int
    garbled: int
    frames_sent: int
    echo_bytes: int
    reconnects: int


class KeypadBus:
    """Own the serial bus at ``url``: ack every valid frame and call ``on_command`` / ``on_rating``.

    Callbacks run on the bus thread, after the ack went out: keep them short (enqueue work elsewhere).
    If the port fails or disappears the bus closes it and reopens it with exponential backoff. Set
    ``local_echo`` when the adapter hears its own transmissions (2-wire RS-485 without echo cancel,
    loop://), so our acks and display frames are not read back as keypad frames.
    """

    def __init__(self, url: str, *, on_command: Callable[[KeypadCommand], None] | None = None,
                 on_rating: Callable[[EvaluatorRating], None] | None = None, baudrate: int = 9600,
                 local_echo: bool = False, repeat_window: float = 0.3, backoff: tuple[float, float] = (0.2, 10.0),
                 port_options: dict[str, Any] | None = None, name: str | None = None) -> None:
        self.url = url
        self.name = name or f"keypad-bus:{url}"
        self.local_echo = local_echo
        self.protocol = KeypadProtocol(on_command, on_rating, repeat_window=repeat_window)
        self._baudrate = baudrate
        self._port_options = dict(port_options or {})
        self._backoff = backoff
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._write_lock = threading.Lock()
        self._port: serial.SerialBase | None = None
        self._echo = bytearray()
        self._frames_sent = 0
        self._echo_bytes = 0
        self._reconnects = 0
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    # ---- lifecycle ----

    def start(self) -> KeypadBus:
        """Start the bus thread; it opens the port (and keeps retrying if it cannot)."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and close the port."""
        self._stop.set()
        with self._write_lock:
            port = self._port
        if port is not None and hasattr(port, "cancel_read"):
            try:
                port.cancel_read()
            except (serial.SerialException, OSError):
                pass
        if self._thread.is_alive():
            self._thread.join(timeout)

    def __enter__(self) -> KeypadBus:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_connected(self, timeout: float) -> bool:
        """Wait until the port is open; return False on timeout."""
        return self._connected.wait(timeout)

    @property
    def connected(self) -> bool:
        """Return True while the port is open."""
        return self._connected.is_set()

    @property
    def stats(self) -> BusStats:
        """Return the bus counters."""
        c = self.protocol.counts
        return BusStats(
            connected=self.connected,
            frames=c["commands"] + c["ratings"] + c["unknown"] + c["repeats"],
            commands=c["commands"], ratings=c["ratings"], unknown=c["unknown"], repeats=c["repeats"],
            acks=c["acks"], garbled=self.protocol.splitter.garbled, frames_sent=self._frames_sent,
            echo_bytes=self._echo_bytes, reconnects=self._reconnects,
        )

    # ---- host → keypad ----

    def show_number(self, address: int, number: str) -> bool:
        """Show ticket ``number`` (its last three digits) on keypad ``address``; False if the bus is down."""
        return self.send(display_frame(address, number))

    def show_waiting(self, address: int, count: int) -> bool:
        """Show the waiting count on keypad ``address``; False if the bus is down."""
        return self.send(waiting_frame(address, count))

    def beep(self, address: int) -> bool:
        """Make keypad ``address`` beep; False if the bus is down."""
        return self.send(beep_frame(address))

    def send(self, frame: bytes) -> bool:
        """Write one frame; return False (and log) instead of raising when the bus is down."""
        try:
            self.write(frame)
        except (serial.SerialException, OSError) as exc:
            log.warning("%s: cannot send %s: %s", self.name, frame.hex(" "), exc)
            return False
        with self._write_lock:
            self._frames_sent += 1
        return True

    def write(self, data: bytes) -> None:
        """Write bytes to the bus (the protocol's transport API); raise SerialException if it is down."""
        with self._write_lock:
            if self._port is None:
                raise serial.SerialException("keypad bus is not connected")
            if self.local_echo:
                self._echo += data
            self._port.write(data)

    # ---- bus thread ----

    def _run(self) -> None:
        delay = self._backoff[0]
        while not self._stop.is_set():
            try:
                port = open_port(self.url, baudrate=self._baudrate, timeout=_READ_TIMEOUT_S, write_timeout=1.0,
                                 **self._port_options)
            except (serial.SerialException, OSError, ValueError) as exc:
                log.warning("%s: cannot open port (%s); retrying in %.1fs", self.name, exc, delay)
                self._stop.wait(delay)
                delay = min(delay * 2, self._backoff[1])
                continue
            delay = self._backoff[0]
            try:
                self._serve(port)
            except (serial.SerialException, OSError) as exc:
                if not self._stop.is_set():
                    self._reconnects += 1
                    log.warning("%s: port failed (%s); reopening", self.name, exc)
                    self._stop.wait(delay)
            except Exception:  # never let the thread die silently: a dead bus means no calls at all
                log.exception("%s: unexpected error; reopening the port", self.name)
                self._reconnects += 1
                self._stop.wait(delay)

    def _serve(self, port: serial.SerialBase) -> None:
        with self._write_lock:
            self._port = port
            self._echo.clear()
        self._connected.set()
        self.protocol.connection_made(self)
        log.info("%s: connected", self.name)
        try:
            while not self._stop.is_set():
                data = port.read(port.in_waiting or 1)
                if data:
                    data = self._strip_echo(bytes(data))
                    if data:
                        self.protocol.data_received(data)
                else:
                    self.protocol.splitter.expire(_FRAME_GAP_S)
        finally:
            self._connected.clear()
            with self._write_lock:
                self._port = None
            self.protocol.connection_lost(None)
            close_port(port)

    def _strip_echo(self, data: bytes) -> bytes:
        with self._write_lock:
            if not self._echo:
                return data
            n = 0
            while n < len(data) and n < len(self._echo) and data[n] == self._echo[n]:
                n += 1
            if n < len(data) and n < len(self._echo):
                self._echo.clear()  # the bus said something else: stop expecting the rest of our echo
            else:
                del self._echo[:n]
            self._echo_bytes += n
            return data[n:]
