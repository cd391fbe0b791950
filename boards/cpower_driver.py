"""DisplayDriver for C-Power CP5200-family cards: board text through CC=0x12 into window 0."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import ClassVar

from boards import cpower
from boards.charset import decode_text, encode_text
from boards.config import BoardConfig
from boards.driver import Command, DisplayDriver, Reply
from boards.errors import ConfigError, FrameError

EFFECT_CODES = {"static": 0, "type": 1, "left": 6, "right": 7, "up": 8, "down": 9}
"""Vendor effect codes: 0 draw, 1 open from left (closest to typing out), 6-9 move left/right/up/down."""
_EFFECTS = {code: name for name, code in EFFECT_CODES.items()}
LINE_BREAK = b"\r"  # the vendor example separates lines with CR ("abc\rcba")
_TEXT_OPTIONS = {"window", "align", "speed", "font", "color"}


class CPowerDriver(DisplayDriver):
    """C-Power "external calls": one text window per card, defined on (re)connect with CC=0x01."""

    name: ClassVar[str] = "cpower"
    default_effect: ClassVar[str] = "static"  # vendor example 2: effect 0 (draw)
    default_hold_s: ClassVar[float] = 3.0  # vendor example 2: stay 3 s
    default_baudrate: ClassVar[int] = 115200  # the document's own "115200, 8, N, 1" format string

    def _check_address(self, address: int) -> None:
        if not 1 <= address <= 0xFF:
            raise ConfigError(f"{self.name}: card id must be 1..254 (or 255 for the group), got {address}")

    def _frame(self, cfg: BoardConfig, data: bytes, want_reply: bool) -> bytes:
        self._check_address(cfg.address)
        try:
            return cpower.encode_packet(cpower.Packet(cfg.address, data, flag=int(want_reply)))
        except FrameError as exc:
            raise ConfigError(f"{self.name}: {exc}") from None

    def encode_show(
        self,
        cfg: BoardConfig,
        lines: Sequence[str],
        *,
        effect: str | None = None,
        hold_s: float | None = None,
        want_reply: bool = True,
    ) -> bytes:
        """Return a CC=0x12 pure-text frame with lines separated by CR."""
        options = dict(cfg.options)
        unknown = set(options) - _TEXT_OPTIONS
        if unknown:
            raise ConfigError(f"{self.name}: unknown options {sorted(unknown)}; known: {sorted(_TEXT_OPTIONS)}")
        if "color" in options:
            options["color"] = tuple(options["color"])
        item = cpower.PureText(
            LINE_BREAK.join(encode_text(line, cfg.charset) for line in lines),
            effect=EFFECT_CODES[self.check_effect(effect)],
            stay_s=self.check_hold(hold_s, step=1.0, maximum=0xFFFF),
        )
        try:
            data = cpower.encode_pure_text(dataclasses.replace(item, **options))
        except (FrameError, TypeError) as exc:
            raise ConfigError(f"{self.name}: {exc}") from None
        return self._frame(cfg, data, want_reply)

    def encode_clear(self, cfg: BoardConfig, *, want_reply: bool = True) -> bytes:
        """Return a pure-text frame with no text."""
        return self.encode_show(cfg, [], effect="static", want_reply=want_reply)

    def encode_setup(self, cfg: BoardConfig, *, want_reply: bool = True) -> list[bytes]:
        """Return the CC=0x01 frame that makes the board's area window 0 (0x12 needs a window)."""
        return [self._frame(cfg, cpower.encode_windows([(cfg.x, cfg.y, cfg.width, cfg.height)]), want_reply)]

    def splitter(self) -> cpower.CPowerSplitter:
        """Return a fresh A5...AE frame splitter."""
        return cpower.CPowerSplitter()

    def decode_reply(self, frame: bytes) -> Reply:
        """Decode a return packet (type E8, or 68 from old firmware, carrying a return code)."""
        packet = cpower.decode_packet(frame)
        if packet.packet_type == cpower.PACKET_SEND and len(packet.data) > 1:
            raise FrameError("a host command, not a card reply")  # e.g. our own echo on loop://
        return Reply(packet.card_id, packet.flag == cpower.RETURN_OK, packet.flag, frame)

    def broadcast_address(self) -> int:
        """Return the group card id every card accepts."""
        return cpower.GROUP_ADDRESS

    def decode_command(self, frame: bytes) -> Command:
        """Decode a host frame the way a card would."""
        packet = cpower.decode_packet(frame)
        if packet.is_reply or not packet.data:
            raise FrameError("not a host command")
        want_reply = bool(packet.flag & 1)
        if packet.data[0] == cpower.CC_PURE_TEXT:
            item = cpower.decode_pure_text(packet.data)
            lines = tuple(decode_text(t) for t in item.text.split(LINE_BREAK)) if item.text else ()
            effect = _EFFECTS.get(item.effect, f"effect{item.effect}")
            return Command(packet.card_id, "show", want_reply, lines, effect, float(item.stay_s))
        if packet.data[0] == cpower.CC_SPLIT_WINDOWS:
            cpower.decode_windows(packet.data)
            return Command(packet.card_id, "setup", want_reply)
        return Command(packet.card_id, "other", want_reply)

    def encode_reply(self, address: int, *, ok: bool = True) -> bytes:
        """Return the return packet a card sends: code 00 ok, 01 (checksum error) otherwise."""
        code = cpower.RETURN_OK if ok else cpower.RETURN_CHECKSUM
        return cpower.encode_packet(cpower.reply_packet(address, code))
