"""DLE EOT status: queries, reply validation, decoding every state, and bounded reads."""

from __future__ import annotations

import time

import pytest

from devices.printer.link import SocketLink
from devices.printer.status import (
    STATUS_PRESETS,
    PrinterStatus,
    decode,
    is_valid_reply,
    query,
    read_status,
)


class ScriptedLink:
    """A link answering each query from a list of reply bytes (None = stay silent)."""

    supports_status = True

    def __init__(self, replies: list[int | None]) -> None:
        self.replies = list(replies)
        self.written: list[bytes] = []
        self._next: bytes = b""
        self.drained = 0

    def write(self, data: bytes) -> None:
        self.written.append(data)
        reply = self.replies.pop(0) if self.replies else None
        self._next = b"" if reply is None else bytes([reply])

    def read(self, size: int, timeout: float) -> bytes:
        out, self._next = self._next, b""
        return out

    def drain(self) -> None:
        self.drained += 1


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_query_bytes(n: int) -> None:
    assert query(n) == bytes([0x10, 0x04, n])


@pytest.mark.parametrize("n", [0, 5])
def test_query_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        query(n)


@pytest.mark.parametrize("value,valid", [(0x12, True), (0x16, True), (0x1A, True), (0x72, True), (0x7E, True),
                                         (0x00, False), (0xFF, False), (0x13, False), (0x92, False),
                                         (0x02, False), (0x10, False)])
def test_reply_pattern(value: int, valid: bool) -> None:
    assert is_valid_reply(value) is valid


EXPECTED = {
    "normal": dict(online=True, error=None),
    "offline": dict(online=False, error="offline"),
    "cover_open": dict(online=False, cover_open=True, error="cover_open"),
    "paper_near_end": dict(online=True, paper_near_end=True, error=None),
    "paper_out": dict(online=False, paper_out=True, error="paper_out"),
    "cutter_error": dict(online=False, cutter_error=True, error="cutter_error"),
    "unrecoverable": dict(online=False, unrecoverable=True, error="unrecoverable"),
}


@pytest.mark.parametrize("preset", sorted(STATUS_PRESETS))
def test_decode_every_preset(preset: str) -> None:
    status = decode(STATUS_PRESETS[preset])
    want = {"cover_open": False, "paper_near_end": False, "paper_out": False, "cutter_error": False,
            "unrecoverable": False, **EXPECTED[preset]}
    for key, value in want.items():
        assert getattr(status, key) == value, key
    assert status.ok is (want["error"] is None)
    assert status.raw == STATUS_PRESETS[preset]
    assert status.checked


def test_paper_end_alone_in_n4_is_paper_out() -> None:
    assert decode(bytes([0x12, 0x12, 0x12, 0x72])).error == "paper_out"


def test_paper_end_stop_in_n2_is_paper_out() -> None:
    assert decode(bytes([0x1A, 0x32, 0x12, 0x12])).error == "paper_out"


def test_feed_button_held_is_offline() -> None:
    assert decode(bytes([0x12, 0x1A, 0x12, 0x12])).error == "offline"


def test_auto_recoverable_error() -> None:
    status = decode(bytes([0x1A, 0x52, 0x52, 0x12]))
    assert status.recoverable_error and status.error == "error"


def test_paper_out_outranks_cover_and_offline() -> None:
    assert decode(bytes([0x1A, 0x36, 0x12, 0x72])).error == "paper_out"


@pytest.mark.parametrize("replies", [bytes([0x00, 0x12, 0x12, 0x12]), bytes([0x12, 0x12, 0x12, 0xFF]),
                                     bytes([0x13, 0x12, 0x12, 0x12])])
def test_invalid_pattern_is_not_trusted(replies: bytes) -> None:
    status = decode(replies)
    assert status.error == "invalid_reply" and not status.online and not status.ok


def test_decode_mapping_with_gaps_assumes_healthy_for_unasked() -> None:
    status = decode({1: 0x12, 4: 0x1E})
    assert status.ok and status.paper_near_end
    assert status.raw == bytes([0x12, 0x12, 0x12, 0x1E])


def test_failed_and_unchecked_constructors() -> None:
    assert PrinterStatus.failed("timeout") == PrinterStatus(online=False, error="timeout")
    unchecked = PrinterStatus.unchecked()
    assert unchecked.ok and not unchecked.checked


def test_read_status_asks_each_n_after_draining() -> None:
    link = ScriptedLink([0x12, 0x12, 0x12, 0x1E])
    status = read_status(link, timeout=0.1)
    assert link.written == [query(1), query(2), query(3), query(4)]
    assert link.drained == 1
    assert status.ok and status.paper_near_end


def test_read_status_stops_at_the_first_silence() -> None:
    link = ScriptedLink([0x12, None, 0x12, 0x12])
    status = read_status(link, timeout=0.1)
    assert status.error == "timeout" and not status.online
    assert link.written == [query(1), query(2)]


def test_read_status_with_chosen_queries() -> None:
    link = ScriptedLink([0x12, 0x72])
    status = read_status(link, timeout=0.1, queries=(1, 4))
    assert link.written == [query(1), query(4)]
    assert status.error == "paper_out"


def test_read_status_invalid_reply() -> None:
    assert read_status(ScriptedLink([0x12, 0xFF, 0x12, 0x12]), 0.1).error == "invalid_reply"


def test_silent_network_printer_times_out_within_the_timeout(fake_printer) -> None:
    printer = fake_printer(silent=True)
    link = SocketLink(*printer.address, connect_timeout=1.0, write_timeout=1.0)
    try:
        started = time.monotonic()
        status = read_status(link, timeout=0.2)
        elapsed = time.monotonic() - started
    finally:
        link.close()
    assert status.error == "timeout"
    assert 0.15 <= elapsed < 2.0


@pytest.mark.parametrize("preset", sorted(STATUS_PRESETS))
def test_network_printer_in_every_state(fake_printer, preset: str) -> None:
    printer = fake_printer(preset)
    link = SocketLink(*printer.address, connect_timeout=1.0, write_timeout=1.0)
    try:
        assert read_status(link, timeout=1.0) == decode(STATUS_PRESETS[preset])
    finally:
        link.close()
