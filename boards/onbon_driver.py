"""DisplayDriver for Onbon BX-5K/6K font cards: board text in one dynamic area (RAM, not flash)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import ClassVar

from boards import onbon
from boards.charset import decode_text, encode_text
from boards.config import BoardConfig
from boards.driver import Command, DisplayDriver, Reply
from boards.errors import ConfigError, FrameError

DISPLAY_MODES = {"static": 0x01, "type": 0x02, "left": 0x03, "right": 0x04, "up": 0x05, "down": 0x06}
_EFFECTS = {code: name for name, code in DISPLAY_MODES.items()}

NEWLINE = b"\\n"
"""Manual line break inside area text. [GUESS] The card's in-band escapes are backslash
sequences (\\C1 = red); the SDK docs say a break "must be inserted" without showing the
bytes. Verify on hardware; single-line boards never send it."""

_AREA_OPTIONS = {f.name for f in dataclasses.fields(onbon.DynamicArea)} - {"text", "x", "y", "width", "height"}


class OnbonBx5kDriver(DisplayDriver):
    """BX-5K: x and width travel in 8-pixel units, as the vendor SDK sends them."""

    name: ClassVar[str] = "onbon_bx5k"
    default_effect: ClassVar[str] = "type"  # SDK display mode 0x02, quick type-out
    default_hold_s: ClassVar[float] = 4.0  # SDK hold 8 x 0.5 s
    default_baudrate: ClassVar[int] = 57600  # every SDK example opens the port at 57600
    units_of_8: ClassVar[bool] = True

    def _area(self, cfg: BoardConfig, text: bytes, effect: str | None, hold_s: float | None) -> onbon.DynamicArea:
        x, width = cfg.x, cfg.width
        if self.units_of_8:
            if x % 8 or width % 8:
                raise ConfigError(f"{self.name}: x ({x}) and width ({width}) must be multiples of 8 pixels")
            x, width = x // 8, width // 8
        area = onbon.DynamicArea(
            text, x=x, y=cfg.y, width=width, height=cfg.height,
            display_mode=DISPLAY_MODES[self.check_effect(effect)],
            hold=self.check_hold(hold_s, step=0.5, maximum=255),
        )
        unknown = set(cfg.options) - _AREA_OPTIONS
        if unknown:
            raise ConfigError(f"{self.name}: unknown options {sorted(unknown)}; known: {sorted(_AREA_OPTIONS)}")
        return dataclasses.replace(area, **cfg.options)

    def _check_address(self, address: int) -> None:
        if not 0 <= address <= 0xFFFF:
            raise ConfigError(f"{self.name}: address must be 0..65535, got {address}")

    def encode_show(
        self,
        cfg: BoardConfig,
        lines: Sequence[str],
        *,
        effect: str | None = None,
        hold_s: float | None = None,
        want_reply: bool = True,
    ) -> bytes:
        """Return an A3 06 frame putting lines in dynamic area 0 of the board."""
        self._check_address(cfg.address)
        text = NEWLINE.join(encode_text(line, cfg.charset) for line in lines)
        command = onbon.DynamicAreaCommand((self._area(cfg, text, effect, hold_s),), reply=want_reply)
        try:
            return onbon.encode_packet(onbon.Packet(cfg.address, onbon.encode_dynamic_area(command)))
        except FrameError as exc:
            raise ConfigError(f"{self.name}: {exc}") from None

    def encode_clear(self, cfg: BoardConfig, *, want_reply: bool = True) -> bytes:
        """Return an empty dynamic area; A3 10 would also wipe the card's stored program."""
        return self.encode_show(cfg, [], effect="static", want_reply=want_reply)

    def splitter(self) -> onbon.OnbonSplitter:
        """Return a fresh A5...5A frame splitter."""
        return onbon.OnbonSplitter()

    def decode_reply(self, frame: bytes) -> Reply:
        """Decode an A0 00 (ACK) / A0 01 (NACK) response frame."""
        packet = onbon.decode_packet(frame)
        response = onbon.decode_response(packet.data)
        if response.group != onbon.GROUP_REPLY:
            raise FrameError(f"not an ACK/NACK response: {response.group:02X} {response.cmd:02X}")
        # [GUESS] the board answers from its own address to the host's; accept either order.
        address = packet.src if packet.src != onbon.HOST_ADDRESS else packet.dst
        return Reply(address, response.cmd == onbon.ACK, response.cmd, frame)

    def broadcast_address(self) -> int:
        """Return the 5K wildcard screen address."""
        return onbon.WILDCARD_ADDRESS

    def decode_command(self, frame: bytes) -> Command:
        """Decode a host frame the way a card would (dynamic area 0 is the board text)."""
        packet = onbon.decode_packet(frame)
        data = packet.data
        if len(data) < 3:
            raise FrameError(f"command data too short: {data.hex(' ')}")
        want_reply = data[2] == 1
        if (data[0], data[1]) == (onbon.GROUP_SCREEN, onbon.CMD_DYNAMIC_AREA):
            areas = onbon.decode_dynamic_area(data).areas
            if not areas:
                return Command(packet.dst, "other", want_reply)
            area = areas[0]
            lines = tuple(decode_text(t) for t in area.text.split(NEWLINE)) if area.text else ()
            effect = _EFFECTS.get(area.display_mode, f"mode{area.display_mode:02X}")
            return Command(packet.dst, "show", want_reply, lines, effect, area.hold * 0.5)
        kinds = {onbon.CMD_TURN_ON_OFF: "power", onbon.CMD_CLEAR_SCREEN: "clear"}
        kind = kinds.get(data[1], "other") if data[0] == onbon.GROUP_SCREEN else "other"
        return Command(packet.dst, kind, want_reply)

    def encode_reply(self, address: int, *, ok: bool = True) -> bytes:
        """Return the ACK (A0 00) or NACK (A0 01) frame a card at address sends."""
        response = onbon.Response(onbon.GROUP_REPLY, onbon.ACK if ok else onbon.NACK)
        return onbon.encode_packet(
            onbon.Packet(onbon.HOST_ADDRESS, onbon.encode_response(response), src=address)
        )


class OnbonBx6kDriver(OnbonBx5kDriver):
    """BX-6K font cards: same protocol, but x and width are sent in pixels."""

    name: ClassVar[str] = "onbon_bx6k"
    units_of_8: ClassVar[bool] = False
