"""A caller keypad / evaluator simulator on the far end of a pty or any byte pipe: press keys, rate, watch displays."""

from __future__ import annotations

import logging
import os
import select
import threading
import time
import tty
from typing import Callable

from devices.keypad.protocol import (
    BLANK,
    CMD_BEEP,
    CMD_DISPLAY,
    DEVICE_MAX_LEN,
    Frame,
    FrameSplitter,
    KeyAction,
    ack_for,
    decode_frame,
    key_frame,
    rating_frame,
)

log = logging.getLogger(__name__)


class KeypadSimulator:
    """Keypads and evaluators at any addresses, sharing one bus end given as read/write callables.

    It sends frames as real devices do, records what each keypad's display shows, and checks that the
    host acknowledged its frames. ``open_pty()`` gives the ``port_path`` a KeypadBus should open.
    """

    def __init__(self, read: Callable[[float], bytes], write: Callable[[bytes], None],
                 close: Callable[[], None] = lambda: None) -> None:
        self._read = read
        self._write = write
        self._close = close
        self.port_path: str | None = None
        self.splitter = FrameSplitter(min_len=2, max_len=DEVICE_MAX_LEN)
        self.received: list[Frame] = []
        self.displays: dict[int, str] = {}
        self.beeps: dict[int, int] = {}
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="keypad-sim", daemon=True)

    @classmethod
    def open_pty(cls) -> KeypadSimulator:
        """Create a pty pair; the simulator owns the master, ``port_path`` names the slave for the host."""
        master, slave = os.openpty()
        # Raw mode before the host opens the slave: otherwise the line discipline echoes our bytes back
        # and ICRNL turns key code 0x0D (recall) into 0x0A.
        tty.setraw(master)
        tty.setraw(slave)

        def read(timeout: float) -> bytes:
            ready, _, _ = select.select([master], [], [], timeout)
            if not ready:
                return b""
            try:
                return os.read(master, 1024)
            except OSError:  # EIO while no slave is open: nothing to read
                time.sleep(timeout)
                return b""

        def close() -> None:
            os.close(master)
            os.close(slave)

        sim = cls(read, lambda data: _write_all(master, data), close)
        # Holding the slave open keeps the pty alive between host reconnects.
        sim.port_path = os.ttyname(slave)
        return sim

    @classmethod
    def on_port(cls, port: object) -> KeypadSimulator:
        """Attach to an open pyserial port (e.g. ``socket://``); the caller still owns and closes it."""

        def read(timeout: float) -> bytes:
            port.timeout = timeout  # type: ignore[attr-defined]
            return bytes(port.read(port.in_waiting or 1))  # type: ignore[attr-defined]

        return cls(read, port.write)  # type: ignore[attr-defined]

    # ---- lifecycle ----

    def start(self) -> KeypadSimulator:
        """Start reading what the host sends."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the reader and close the pty."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        self._close()

    def __enter__(self) -> KeypadSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- device actions ----

    def press(self, address: int, key: KeyAction | int, digits: str = "") -> bytes:
        """Press ``key`` on keypad ``address`` after typing ``digits``; return the frame sent."""
        return self.send_raw(key_frame(address, key, digits))

    def rate(self, address: int, rating: int) -> bytes:
        """Send ``rating`` from evaluator ``address``; return the frame sent."""
        return self.send_raw(rating_frame(address, rating))

    def send_raw(self, data: bytes) -> bytes:
        """Put arbitrary bytes on the bus (garbage, half frames); return them."""
        self._write(data)
        return data

    # ---- observations ----

    def acked(self, frame: bytes) -> bool:
        """Return True if the host acknowledged ``frame``."""
        expected = decode_frame(frame, 2, DEVICE_MAX_LEN)
        want = decode_frame(ack_for(expected), 2, DEVICE_MAX_LEN)
        with self._cond:
            return want in self.received

    def wait_ack(self, frame: bytes, timeout: float = 2.0) -> bool:
        """Wait until the host acknowledged ``frame``; False on timeout."""
        return self._wait(lambda: self.acked(frame), timeout)

    def display(self, address: int) -> str:
        """Return what keypad ``address`` shows: six characters, blanks as spaces."""
        with self._cond:
            return self.displays.get(address, " " * 6)

    def wait_display(self, address: int, text: str, timeout: float = 2.0) -> bool:
        """Wait until keypad ``address`` shows ``text`` (compared without surrounding blanks)."""
        return self._wait(lambda: self.display(address).strip() == text.strip(), timeout)

    def _wait(self, check: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not check():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    # ---- reader ----

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._read(0.05)
            except Exception:  # a broken bus end: keep the thread quiet, the test sees no acks
                log.exception("keypad simulator: read failed")
                return
            if not data:
                continue
            with self._cond:
                for frame in self.splitter.feed(data):
                    self._apply(frame)
                self._cond.notify_all()

    def _apply(self, frame: Frame) -> None:
        self.received.append(frame)
        if frame.cmd == CMD_DISPLAY and len(frame.data) == 6:
            self.displays[frame.address] = "".join(" " if d == BLANK else str(d % 10) for d in frame.data)
        elif frame.cmd == CMD_BEEP:
            self.beeps[frame.address] = self.beeps.get(frame.address, 0) + 1


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
