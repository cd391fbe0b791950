"""The fake board driver: one readable ASCII line per frame, for testing the layers above the drivers.

Frames: ``SHOW <address> <effect> <hold_s> <reply 0|1> <JSON lines>`` and ``ACK|NACK <address>``; address 0 broadcasts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import ClassVar

from boards.charset import check_charset
from boards.config import BoardConfig
from boards.driver import EFFECTS, Command, DisplayDriver, Reply
from boards.errors import ConfigError, FrameError

BROADCAST = 0
MAX_LINE = 16 * 1024


class LineSplitter:
    """Split a byte stream at newlines, skipping empty lines."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.dropped = 0

    def feed(self, data: bytes) -> list[bytes]:
        """Consume data and return each complete line, newline included."""
        self._buffer += data
        *complete, rest = self._buffer.split(b"\n")
        self._buffer = bytearray(rest)
        if len(self._buffer) > MAX_LINE:
            self.dropped += 1
            self._buffer.clear()
        return [bytes(line) + b"\n" for line in complete if line.strip()]


def _fields(frame: bytes, count: int) -> list[str]:
    try:
        text = frame.decode("ascii")
    except UnicodeDecodeError:
        raise FrameError(f"fake frame is not ASCII: {frame[:40]!r}") from None
    if not text.endswith("\n"):
        raise FrameError("fake frame must end with a newline")
    parts = text.strip().split(" ", count - 1)
    if len(parts) != count:
        raise FrameError(f"fake frame needs {count} fields: {text.strip()!r}")
    return parts


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise FrameError(f"not an integer: {value!r}") from None


class FakeDriver(DisplayDriver):
    """Trivial protocol with the same contract as the vendor drivers."""

    name: ClassVar[str] = "fake"
    default_effect: ClassVar[str] = "static"
    default_hold_s: ClassVar[float] = 5.0
    default_baudrate: ClassVar[int] = 9600

    def encode_show(
        self,
        cfg: BoardConfig,
        lines: Sequence[str],
        *,
        effect: str | None = None,
        hold_s: float | None = None,
        want_reply: bool = True,
    ) -> bytes:
        """Return a SHOW line."""
        for line in lines:
            check_charset(line, cfg.charset)
        hold = self.default_hold_s if hold_s is None else hold_s
        if hold < 0:
            raise ConfigError(f"hold time must not be negative, got {hold}")
        payload = json.dumps(list(lines), ensure_ascii=True)
        return f"SHOW {cfg.address} {self.check_effect(effect)} {hold:g} {int(want_reply)} {payload}\n".encode()

    def encode_clear(self, cfg: BoardConfig, *, want_reply: bool = True) -> bytes:
        """Return a SHOW line with no lines."""
        return self.encode_show(cfg, [], effect="static", want_reply=want_reply)

    def splitter(self) -> LineSplitter:
        """Return a fresh newline splitter."""
        return LineSplitter()

    def decode_reply(self, frame: bytes) -> Reply:
        """Decode an ACK or NACK line."""
        verb, address = _fields(frame, 2)
        if verb not in ("ACK", "NACK"):
            raise FrameError(f"not a reply: {verb!r}")
        return Reply(_int(address), verb == "ACK", 0 if verb == "ACK" else 1, frame)

    def broadcast_address(self) -> int:
        """Return 0, the address every fake board accepts."""
        return BROADCAST

    def decode_command(self, frame: bytes) -> Command:
        """Decode a SHOW line."""
        verb, address, effect, hold, reply, payload = _fields(frame, 6)
        if verb != "SHOW" or effect not in EFFECTS or reply not in ("0", "1"):
            raise FrameError(f"bad fake command: {frame!r}")
        try:
            lines = json.loads(payload)
            hold_s = float(hold)
        except ValueError:
            raise FrameError(f"bad fake command: {frame!r}") from None
        if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
            raise FrameError(f"fake lines must be a JSON list of strings: {payload!r}")
        return Command(_int(address), "show", reply == "1", tuple(lines), effect, hold_s)

    def encode_reply(self, address: int, *, ok: bool = True) -> bytes:
        """Return an ACK or NACK line."""
        return f"{'ACK' if ok else 'NACK'} {address}\n".encode()
