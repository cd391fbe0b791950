"""Bus transports: every port is a pyserial URL opened here, plus the reconnect backoff schedule."""

from __future__ import annotations

import termios
from collections.abc import Iterator

import serial

POLL_S = 0.05  # port read timeout: how long a blocked read waits before re-checking stop()
WRITE_TIMEOUT_S = 2.0  # a write that cannot drain (peer gone, flow control stuck) counts as unplugged

# What an unplugged or vanished port raises: pyserial wraps most errors, but not tcflush's termios.error.
IO_ERRORS = (serial.SerialException, OSError, termios.error)


def open_port(url: str, baudrate: int) -> serial.SerialBase:
    """Open a bus from a pyserial URL: /dev/ttyUSB0, socket://host:port, loop://, a pty path."""
    return serial.serial_for_url(url, baudrate=baudrate, timeout=POLL_S, write_timeout=WRITE_TIMEOUT_S)


def backoff(initial: float, maximum: float) -> Iterator[float]:
    """Yield reconnect delays: initial, doubling each time, capped at maximum."""
    delay = initial
    while True:
        yield delay
        delay = min(delay * 2, maximum)
