"""Serial transports: the one place a serial port is opened, from a pyserial URL.

URLs: ``/dev/ttyUSB0``, ``socket://host:port`` (serial-to-Ethernet converters), ``loop://`` and pty paths in tests.
"""

from __future__ import annotations

import logging
from typing import Any

import serial

log = logging.getLogger(__name__)

#: 9600 8N1 is what the 21-key callers and most serial ticket printers ship with (HARDWARE_BRIEF §3.1).
DEFAULT_BAUDRATE = 9600


def open_port(url: str, **kw: Any) -> serial.SerialBase:
    """Open the serial port named by a pyserial URL; pass pyserial keyword settings through."""
    kw.setdefault("baudrate", DEFAULT_BAUDRATE)
    log.debug("opening serial port %s (%s)", url, kw)
    return serial.serial_for_url(url, **kw)


def close_port(port: serial.SerialBase) -> None:
    """Close a port opened by ``open_port``, including a ``socket://`` port whose peer reset it.

    pyserial 3.5's socket handler skips ``socket.close()`` when ``shutdown()`` fails (ENOTCONN after a
    reset), leaking the descriptor; close the socket ourselves so dropped converters do not pile up fds.
    """
    sock = getattr(port, "_socket", None)
    try:
        port.close()
    finally:
        if sock is not None:
            sock.close()
