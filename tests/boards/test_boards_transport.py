"""Transports: ports come from pyserial URLs; reconnect delays back off exponentially to a cap."""

import itertools

import pytest
import serial

from boards.transport import POLL_S, backoff, open_port


def test_backoff_doubles_up_to_the_cap():
    assert list(itertools.islice(backoff(0.5, 4.0), 6)) == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_open_port_uses_the_url_and_short_timeouts():
    port = open_port("loop://", 57600)
    try:
        assert (port.baudrate, port.timeout) == (57600, POLL_S)
        port.write(b"\xa5\x5a")
        assert port.read(2) == b"\xa5\x5a"
    finally:
        port.close()


@pytest.mark.parametrize("url", ["/nonexistent/ttyUSB9", "socket://127.0.0.1:1"])
def test_unreachable_ports_raise_serial_exceptions(url):
    with pytest.raises(serial.SerialException):
        open_port(url, 9600)
