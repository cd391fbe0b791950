"""open_port: every serial port comes from a pyserial URL."""

from __future__ import annotations

import socket

import pytest
import serial

from devices.transport import DEFAULT_BAUDRATE, close_port, open_port


def test_loop_url_echoes_and_defaults_to_9600() -> None:
    port = open_port("loop://", timeout=0.5)
    try:
        assert port.baudrate == DEFAULT_BAUDRATE
        port.write(b"\xff\x68")
        assert port.read(2) == b"\xff\x68"
    finally:
        port.close()


def test_keyword_settings_pass_through() -> None:
    port = open_port("loop://", baudrate=57600, timeout=0.1)
    try:
        assert port.baudrate == 57600
        assert port.timeout == 0.1
    finally:
        port.close()


def test_socket_url_reaches_a_tcp_serial_converter() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = open_port(f"socket://127.0.0.1:{server.getsockname()[1]}", timeout=1)
        conn, _ = server.accept()
        try:
            port.write(b"ping")
            conn.settimeout(2)
            assert conn.recv(4) == b"ping"
            conn.sendall(b"pong")
            assert port.read(4) == b"pong"
        finally:
            conn.close()
            port.close()


def test_missing_device_raises_serial_exception(tmp_path) -> None:
    with pytest.raises(serial.SerialException):
        open_port(str(tmp_path / "ttyNOPE"))


def test_unknown_scheme_is_rejected() -> None:
    with pytest.raises(ValueError):
        open_port("nosuchscheme://x")


def test_close_port_closes_a_reset_socket() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = open_port(f"socket://127.0.0.1:{server.getsockname()[1]}", timeout=0.1)
        conn, _ = server.accept()
        conn.close()  # the converter goes away
        sock = port._socket
        close_port(port)
        assert sock.fileno() == -1 and not port.is_open


def test_close_port_on_loop() -> None:
    port = open_port("loop://")
    close_port(port)
    assert not port.is_open
