"""Printer links: TCP 9100, serial URLs, files and the USB guard."""

from __future__ import annotations

import time

import pytest

from devices.printer.link import FileLink, LinkError, SerialLink, SocketLink, usb_is_usable
from devices.printer.status import read_status


def test_refused_port_is_unreachable(refused_port: int) -> None:
    started = time.monotonic()
    with pytest.raises(LinkError) as err:
        SocketLink("127.0.0.1", refused_port, connect_timeout=1.0, write_timeout=1.0)
    assert err.value.code == "unreachable"
    assert time.monotonic() - started < 1.5


def test_socket_read_times_out_with_empty_bytes(fake_printer) -> None:
    printer = fake_printer(silent=True)
    link = SocketLink(*printer.address, connect_timeout=1.0, write_timeout=1.0)
    try:
        started = time.monotonic()
        assert link.read(1, 0.1) == b""
        assert time.monotonic() - started < 1.0
    finally:
        link.close()


def test_socket_closed_by_printer_is_disconnected(fake_printer) -> None:
    printer = fake_printer(drop_after=3)
    link = SocketLink(*printer.address, connect_timeout=1.0, write_timeout=1.0)
    try:
        link.write(b"ABCDEF")
        with pytest.raises(LinkError) as err:
            for _ in range(50):  # the reset may surface on a later read or write
                link.write(b"\x10\x04\x01")
                link.read(1, 0.1)
        assert err.value.code == "disconnected"
    finally:
        link.close()


def test_socket_writes_reach_the_printer(fake_printer, wait_until) -> None:
    printer = fake_printer()
    link = SocketLink(*printer.address, connect_timeout=1.0, write_timeout=1.0)
    try:
        link.write(b"hello\n")
        link.drain()
    finally:
        link.close()
    assert wait_until(lambda: printer.received == b"hello\n")


def test_serial_link_over_socket_url_reads_status(fake_printer) -> None:
    printer = fake_printer("paper_near_end")
    host, port = printer.address
    link = SerialLink(f"socket://{host}:{port}", write_timeout=1.0)
    try:
        status = read_status(link, timeout=1.0)
    finally:
        link.close()
    assert status.ok and status.paper_near_end


def test_serial_link_to_missing_device_is_unreachable(tmp_path) -> None:
    with pytest.raises(LinkError) as err:
        SerialLink(str(tmp_path / "ttyUSB9"), write_timeout=1.0)
    assert err.value.code == "unreachable"


def test_serial_link_over_closed_socket_is_disconnected(fake_printer) -> None:
    printer = fake_printer(drop_after=0)
    host, port = printer.address
    link = SerialLink(f"socket://{host}:{port}", write_timeout=1.0)
    try:
        with pytest.raises(LinkError) as err:
            for _ in range(50):
                link.write(b"\x10\x04\x01")
                link.read(1, 0.1)
        assert err.value.code == "disconnected"
    finally:
        link.close()


def test_file_link_appends_and_cannot_read(tmp_path) -> None:
    path = tmp_path / "lp0"
    for chunk in (b"one", b"two"):
        link = FileLink(path)
        try:
            link.write(chunk)
            link.drain()
            with pytest.raises(LinkError):
                link.read(1, 0.1)
        finally:
            link.close()
    assert path.read_bytes() == b"onetwo"
    assert not FileLink.supports_status


def test_file_link_to_missing_folder_is_unreachable(tmp_path) -> None:
    with pytest.raises(LinkError) as err:
        FileLink(tmp_path / "no" / "such" / "lp0")
    assert err.value.code == "unreachable"


def test_usb_guard_reports_a_bool() -> None:
    assert usb_is_usable() in (True, False)
