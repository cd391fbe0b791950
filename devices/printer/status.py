"""ESC/POS real-time status (DLE EOT n): queries, reply validation and decoding into PrinterStatus."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Iterable, Mapping, Protocol

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"
QUERIES: tuple[int, ...] = (1, 2, 3, 4)

# Every reply byte has bits 1 and 4 set and bits 0 and 7 clear (Epson/Bixolon manuals): 0xx1xx10.
_FIXED_MASK = 0x93
_FIXED_VALUE = 0x12
#: The reply of a printer with nothing to report, for every n.
HEALTHY = 0x12

# n=1 printer status
_N1_OFFLINE = 0x08
# n=2 offline cause
_N2_COVER_OPEN = 0x04
_N2_FEED_BUTTON = 0x08
_N2_PAPER_END_STOP = 0x20
_N2_ERROR = 0x40
# n=3 error cause
_N3_CUTTER = 0x08
_N3_UNRECOVERABLE = 0x20
_N3_AUTO_RECOVERABLE = 0x40
# n=4 paper roll sensor
_N4_NEAR_END = 0x0C
_N4_PAPER_END = 0x60

#: Reply bytes (n=1..4) for the printer states tests and fakes need; also documents what printers send.
STATUS_PRESETS: dict[str, bytes] = {
    "normal": bytes([0x12, 0x12, 0x12, 0x12]),
    "offline": bytes([0x1A, 0x12, 0x12, 0x12]),
    "cover_open": bytes([0x1A, 0x16, 0x12, 0x12]),
    "paper_near_end": bytes([0x12, 0x12, 0x12, 0x1E]),
    "paper_out": bytes([0x1E, 0x32, 0x12, 0x72]),
    "cutter_error": bytes([0x1A, 0x52, 0x1A, 0x12]),
    "unrecoverable": bytes([0x1A, 0x52, 0x32, 0x12]),
}


class StatusLink(Protocol):
    """The part of a printer link that status queries need."""

    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes: ...

    def drain(self) -> None: ...


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer reported, or why it could not be asked.

    ``error`` is None when the printer can print, otherwise a machine code: "timeout", "unreachable",
    "disconnected", "invalid_reply" (could not ask) or "paper_out", "cover_open", "cutter_error",
    "unrecoverable", "error", "offline" (the printer said so). ``paper_near_end`` is a warning, not an error.
    ``checked`` is False for links that cannot report status (a plain file).
    """

    online: bool
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    cutter_error: bool = False
    unrecoverable: bool = False
    recoverable_error: bool = False
    error: str | None = None
    raw: bytes = b""
    checked: bool = True

    @property
    def ok(self) -> bool:
        """Return True when the printer can take a job."""
        return self.error is None

    @classmethod
    def failed(cls, code: str, raw: bytes = b"") -> PrinterStatus:
        """Return the status of a printer that could not be asked (timeout, unreachable, ...)."""
        return cls(online=False, error=code, raw=raw)

    @classmethod
    def unchecked(cls) -> PrinterStatus:
        """Return the status of a link that cannot report one (assumed able to print)."""
        return cls(online=True, checked=False)


def query(n: int) -> bytes:
    """Return the DLE EOT n query bytes."""
    if n not in QUERIES:
        raise ValueError(f"DLE EOT n must be 1..4, got {n}")
    return DLE_EOT + bytes([n])


def is_valid_reply(value: int) -> bool:
    """Return True if a byte has the fixed bit pattern of a DLE EOT reply."""
    return (value & _FIXED_MASK) == _FIXED_VALUE


def decode(replies: bytes | Mapping[int, int]) -> PrinterStatus:
    """Decode replies to n=1..4 (bytes in that order, or a {n: byte} map with gaps) into a status."""
    by_n = dict(zip(QUERIES, replies)) if isinstance(replies, (bytes, bytearray)) else dict(replies)
    raw = bytes(by_n.get(n, HEALTHY) for n in QUERIES)
    if any(not is_valid_reply(b) for b in by_n.values()):
        return PrinterStatus.failed("invalid_reply", raw)
    n1, n2, n3, n4 = raw
    offline = bool(n1 & _N1_OFFLINE) or bool(n2 & (_N2_COVER_OPEN | _N2_FEED_BUTTON))
    flags = dict(
        cover_open=bool(n2 & _N2_COVER_OPEN),
        paper_near_end=bool(n4 & _N4_NEAR_END),
        paper_out=bool(n4 & _N4_PAPER_END) or bool(n2 & _N2_PAPER_END_STOP),
        cutter_error=bool(n3 & _N3_CUTTER),
        unrecoverable=bool(n3 & _N3_UNRECOVERABLE),
        recoverable_error=bool(n3 & _N3_AUTO_RECOVERABLE),
    )
    general_error = bool(n2 & _N2_ERROR)
    # The most specific, most actionable cause wins: staff can fix paper or a cover, not "offline".
    if flags["paper_out"]:
        error: str | None = "paper_out"
    elif flags["cover_open"]:
        error = "cover_open"
    elif flags["cutter_error"]:
        error = "cutter_error"
    elif flags["unrecoverable"]:
        error = "unrecoverable"
    elif flags["recoverable_error"] or general_error:
        error = "error"
    elif offline:
        error = "offline"
    else:
        error = None
    return PrinterStatus(online=not offline and error is None, error=error, raw=raw, **flags)


def read_status(link: StatusLink, timeout: float, queries: Iterable[int] = QUERIES) -> PrinterStatus:
    """Ask the printer DLE EOT n for each n and decode; a silent printer yields error "timeout".

    Stops at the first unanswered query, so a silent printer costs one ``timeout``, not four. Link errors
    propagate to the caller, which knows whether the link is still usable.
    """
    link.drain()  # drop stale bytes (late replies, ASB) so each reply lines up with its query
    replies: dict[int, int] = {}
    for n in queries:
        link.write(query(n))
        got = link.read(1, timeout)
        if not got:
            log.warning("printer did not answer DLE EOT %d within %.1fs", n, timeout)
            return PrinterStatus.failed("timeout", bytes(replies.values()))
        replies[n] = got[0]
    return decode(replies)
