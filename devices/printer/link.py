"""Printer links: the byte pipes (TCP 9100, serial URL, USB, file) a Printer writes jobs and status queries to."""

from __future__ import annotations

import logging
import select
import socket
from pathlib import Path
from typing import Any, Protocol

import serial

from devices.transport import close_port, open_port

log = logging.getLogger(__name__)


class LinkError(Exception):
    """A link failed; ``code`` is "unreachable" (could not open), "disconnected", "timeout" or "io"."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Link(Protocol):
    """A byte pipe to one printer, opened per job and closed after it."""

    supports_status: bool

    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes:
        """Return up to ``size`` bytes, or b"" if none came within ``timeout`` seconds."""
        ...

    def drain(self) -> None:
        """Discard anything already received."""
        ...

    def close(self) -> None: ...


class SocketLink:
    """A raw TCP connection to a network printer (port 9100, "JetDirect")."""

    supports_status = True

    def __init__(self, host: str, port: int, connect_timeout: float, write_timeout: float) -> None:
        try:
            self._sock = socket.create_connection((host, port), timeout=connect_timeout)
        except OSError as exc:
            raise LinkError("unreachable", f"cannot connect to printer {host}:{port}: {exc}") from exc
        # sendall's timeout covers the whole job (Python >= 3.5), so it must allow for a slow printer
        # draining a big raster, while status reads get their own short timeout.
        self._sock.settimeout(write_timeout)
        self._name = f"{host}:{port}"

    def write(self, data: bytes) -> None:
        try:
            self._sock.sendall(data)
        except socket.timeout as exc:
            raise LinkError("timeout", f"printer {self._name} stopped taking data") from exc
        except OSError as exc:
            raise LinkError("disconnected", f"printer {self._name} dropped the connection: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        try:
            ready, _, _ = select.select([self._sock], [], [], timeout)
            if not ready:
                return b""
            data = self._sock.recv(size)
        except OSError as exc:
            raise LinkError("disconnected", f"printer {self._name} dropped the connection: {exc}") from exc
        if not data:
            raise LinkError("disconnected", f"printer {self._name} closed the connection")
        return data

    def drain(self) -> None:
        while True:
            ready, _, _ = select.select([self._sock], [], [], 0)
            if not ready:
                return
            try:
                if not self._sock.recv(4096):
                    return  # EOF: the next read reports it
            except OSError:
                return

    def close(self) -> None:
        self._sock.close()


class SerialLink:
    """A serial printer (or a serial-to-Ethernet converter) reached through a pyserial URL."""

    supports_status = True

    def __init__(self, url: str, write_timeout: float, **port_kw: Any) -> None:
        try:
            self._port = open_port(url, timeout=0, write_timeout=write_timeout, **port_kw)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise LinkError("unreachable", f"cannot open printer port {url}: {exc}") from exc
        self._url = url

    def write(self, data: bytes) -> None:
        try:
            self._port.write(data)
            self._port.flush()
        except serial.SerialTimeoutException as exc:
            raise LinkError("timeout", f"printer on {self._url} stopped taking data") from exc
        except (serial.SerialException, OSError) as exc:
            raise LinkError("disconnected", f"printer on {self._url} went away: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        try:
            self._port.timeout = timeout
            return bytes(self._port.read(size))
        except (serial.SerialException, OSError) as exc:
            raise LinkError("disconnected", f"printer on {self._url} went away: {exc}") from exc

    def drain(self) -> None:
        try:
            self._port.reset_input_buffer()
        except (serial.SerialException, OSError) as exc:
            raise LinkError("disconnected", f"printer on {self._url} went away: {exc}") from exc

    def close(self) -> None:
        close_port(self._port)


class FileLink:
    """A write-only path: a device node such as /dev/usb/lp0, or a file that collects jobs."""

    supports_status = False

    def __init__(self, path: str | Path) -> None:
        try:
            self._file = open(path, "ab")  # noqa: SIM115 - closed in close()
        except OSError as exc:
            raise LinkError("unreachable", f"cannot open {path}: {exc}") from exc
        self._path = path

    def write(self, data: bytes) -> None:
        try:
            self._file.write(data)
            self._file.flush()
        except OSError as exc:
            raise LinkError("io", f"cannot write {self._path}: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        raise LinkError("io", "a file link cannot be read")

    def drain(self) -> None:
        pass

    def close(self) -> None:
        self._file.close()


class UsbLink:
    """A USB printer through python-escpos ``Usb`` (needs pyusb; check ``usb_is_usable()`` first)."""

    supports_status = True

    def __init__(self, vendor_id: int, product_id: int, timeout_ms: int, in_ep: int, out_ep: int) -> None:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Usb

        self._usb = Usb(vendor_id, product_id, timeout=timeout_ms, in_ep=in_ep, out_ep=out_ep)
        try:
            self._usb.open()
        except DeviceNotFoundError as exc:
            raise LinkError("unreachable", str(exc)) from exc

    def write(self, data: bytes) -> None:
        try:
            self._usb._raw(data)
        except Exception as exc:  # pyusb raises usb.core.USBError, which we cannot import without pyusb
            raise LinkError("disconnected", f"USB write failed: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        try:
            return bytes(self._usb._read())[:size]
        except Exception as exc:  # USBTimeoutError is a USBError too: treat every read failure as silence
            log.debug("USB status read failed: %s", exc)
            return b""

    def drain(self) -> None:
        pass  # USB reads are request/response: nothing arrives unasked

    def close(self) -> None:
        self._usb.close()


def usb_is_usable() -> bool:
    """Return True when pyusb is installed, so a UsbLink can be opened."""
    from escpos.printer import Usb

    return bool(Usb.is_usable())
