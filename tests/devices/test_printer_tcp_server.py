"""TcpServer: loopback accept loop with per-connection threads and a clean stop."""

from __future__ import annotations

import socket

from devices.printer.tcp_server import Connection, TcpServer


def test_echo_and_stop() -> None:
    def echo(conn: Connection) -> None:
        while data := conn.recv():
            conn.send(data.upper())

    server = TcpServer(echo).start()
    try:
        assert server.address[1] != 0
        with socket.create_connection(server.address, timeout=2) as c:
            c.sendall(b"abc")
            assert c.recv(3) == b"ABC"
    finally:
        server.stop()


def test_handler_errors_are_logged_not_raised(caplog) -> None:
    def boom(conn: Connection) -> None:
        raise RuntimeError("handler bug")

    server = TcpServer(boom, name="boom").start()
    try:
        with socket.create_connection(server.address, timeout=2) as c:
            c.settimeout(2)
            assert c.recv(1) == b""  # the server closed the connection
    finally:
        server.stop()
    assert "connection handler failed" in caplog.text


def test_bind_failure_closes_the_socket() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        server = TcpServer(lambda conn: None, port=port)
        try:
            server.start()
        except OSError:
            pass
        else:  # SO_REUSEADDR may allow it on some kernels; then it must still stop cleanly
            server.stop()
