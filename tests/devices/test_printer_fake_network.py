"""FakeNetworkPrinter: a loopback 9100 printer that records bytes and answers status as told."""

from __future__ import annotations

import socket
import time

import pytest

from devices.printer.fake_network import FakeNetworkPrinter
from devices.printer.status import STATUS_PRESETS, query


def ask(conn: socket.socket, n: int, timeout: float = 1.0) -> bytes:
    conn.sendall(query(n))
    conn.settimeout(timeout)
    try:
        return conn.recv(1)
    except socket.timeout:
        return b""


@pytest.mark.parametrize("preset", sorted(STATUS_PRESETS))
def test_answers_each_query_with_the_preset(fake_printer, preset: str) -> None:
    printer = fake_printer(preset)
    with socket.create_connection(printer.address, timeout=2) as conn:
        assert b"".join(ask(conn, n) for n in (1, 2, 3, 4)) == STATUS_PRESETS[preset]
    assert printer.queries == [1, 2, 3, 4]


def test_custom_bytes_and_set_status(fake_printer) -> None:
    printer = fake_printer(bytes([0x12, 0x12, 0x12, 0x1E]))
    with socket.create_connection(printer.address, timeout=2) as conn:
        assert ask(conn, 4) == b"\x1e"
        printer.set_status("paper_out")
        assert ask(conn, 4) == b"\x72"


def test_bad_status_is_refused() -> None:
    with pytest.raises(ValueError):
        FakeNetworkPrinter(b"\x12")
    with pytest.raises(KeyError):
        FakeNetworkPrinter("on fire")


def test_records_every_byte_and_decodes_pages(fake_printer) -> None:
    printer = fake_printer()
    with socket.create_connection(printer.address, timeout=2) as conn:
        conn.sendall(b"\x1b@hello\n\x1dV\x00")
    pages = printer.wait_for_pages(1)
    assert printer.received == b"\x1b@hello\n\x1dV\x00"
    assert pages[0].lines == ["hello"]


def test_silent_printer_never_answers(fake_printer) -> None:
    printer = fake_printer(silent=True)
    with socket.create_connection(printer.address, timeout=2) as conn:
        started = time.monotonic()
        assert ask(conn, 1, timeout=0.2) == b""
        assert time.monotonic() - started < 1.5
    assert printer.queries == [1]


def test_drop_after_resets_the_connection(fake_printer) -> None:
    printer = fake_printer(drop_after=5)
    with socket.create_connection(printer.address, timeout=2) as conn:
        conn.sendall(b"0123456789")
        with pytest.raises((ConnectionResetError, BrokenPipeError)):
            for _ in range(50):
                if not ask(conn, 1, timeout=0.1):
                    raise ConnectionResetError("closed")  # EOF instead of RST is also a drop
    assert printer.received == b"01234"


def test_queries_hidden_in_image_data_are_not_answered(fake_printer) -> None:
    printer = fake_printer()
    with socket.create_connection(printer.address, timeout=2) as conn:
        conn.sendall(b"\x1dv0\x00\x03\x00\x01\x00" + query(1))
        assert ask(conn, 2) == b"\x12"  # the only reply is to the real query
    assert printer.queries == [2]


def test_stop_closes_open_connections() -> None:
    printer = FakeNetworkPrinter().start()
    conn = socket.create_connection(printer.address, timeout=2)
    try:
        conn.sendall(b"x")
        printer.stop()
        conn.settimeout(2)
        try:
            assert conn.recv(1) == b""
        except ConnectionResetError:
            pass  # closed with our byte still unread: the kernel resets instead of a clean EOF
    finally:
        conn.close()
