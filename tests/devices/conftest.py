"""Shared fixtures for the device tests: slips, fake printers and a bounded wait."""

from __future__ import annotations

import socket
import time
from typing import Callable, Iterator

import pytest

from devices.printer.fake_network import FakeNetworkPrinter
from devices.printer.slip import Slip


@pytest.fixture
def slip() -> Slip:
    """A typical slip with every optional part filled in."""
    return Slip(
        hall_name="城关镇便民服务中心",
        number="A012",
        service_name="社保业务办理",
        people_ahead=3,
        wait_minutes=15,
        issued_at="2024-05-06 09:30",
        qr_url="https://bm.example.cn/t/7Kq2",
        materials=("身份证原件", "户口本（原件及复印件）"),
        windows="3号、5号窗口",
        notice="过号请重新取号",
    )


@pytest.fixture
def wait_until() -> Callable[..., bool]:
    """Poll ``predicate`` until it is true or ``timeout`` seconds passed; return its last value."""

    def wait(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return bool(predicate())

    return wait


@pytest.fixture
def fake_printer() -> Iterator[Callable[..., FakeNetworkPrinter]]:
    """Start FakeNetworkPrinters on loopback; all are stopped after the test."""
    started: list[FakeNetworkPrinter] = []

    def start(*args: object, **kw: object) -> FakeNetworkPrinter:
        printer = FakeNetworkPrinter(*args, **kw).start()  # type: ignore[arg-type]
        started.append(printer)
        return printer

    yield start
    for printer in started:
        printer.stop()


@pytest.fixture
def refused_port() -> int:
    """Return a loopback port that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def network_config(printer: FakeNetworkPrinter, **extra: object) -> dict[str, object]:
    """Return a "network" printer config pointing at ``printer``."""
    host, port = printer.address
    return {"driver": "network", "host": host, "port": port, "status_timeout": 0.5, **extra}


@pytest.fixture
def net_cfg() -> Callable[..., dict[str, object]]:
    """Build a "network" driver config for a fake printer."""
    return network_config
