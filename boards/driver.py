"""DisplayDriver: the pure, I/O-free interface every LED board protocol implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from boards.config import BoardConfig
from boards.errors import ConfigError

EFFECTS = ("static", "type", "left", "right", "up", "down")
"""Entry effects every driver maps onto its vendor codes: appear at once, type out, move in."""


@dataclass(frozen=True)
class Reply:
    """A board's answer to one frame: ok means ACK; code is the vendor's status byte."""

    address: int
    ok: bool
    code: int
    raw: bytes = b""


@dataclass(frozen=True)
class Command:
    """A host-to-board frame as a board understands it (what the simulator acts on)."""

    address: int
    kind: str  # "show" | "setup" | "power" | "clear" | "other"
    want_reply: bool
    lines: tuple[str, ...] = ()
    effect: str | None = None
    hold_s: float | None = None


class FrameSplitter(Protocol):
    """Incremental framer: feed any chunk of bytes, get back the complete frames."""

    def feed(self, data: bytes) -> list[bytes]:
        """Consume data and return every frame it completes."""
        ...


class DisplayDriver(ABC):
    """One LED board protocol: encodes host frames, decodes replies (and, for simulators, commands)."""

    name: ClassVar[str]
    default_effect: ClassVar[str]  # the vendor SDK's default entry effect
    default_hold_s: ClassVar[float]  # the vendor SDK's default stay time
    default_baudrate: ClassVar[int]

    @abstractmethod
    def encode_show(
        self,
        cfg: BoardConfig,
        lines: Sequence[str],
        *,
        effect: str | None = None,
        hold_s: float | None = None,
        want_reply: bool = True,
    ) -> bytes:
        """Return the frame that makes the board show lines (None: vendor default effect/hold)."""

    @abstractmethod
    def encode_clear(self, cfg: BoardConfig, *, want_reply: bool = True) -> bytes:
        """Return the frame that blanks the board's text area."""

    def encode_setup(self, cfg: BoardConfig, *, want_reply: bool = True) -> list[bytes]:
        """Return frames a board needs after power-up or reconnect before it can show text."""
        return []

    @abstractmethod
    def splitter(self) -> FrameSplitter:
        """Return a fresh incremental frame splitter for this protocol."""

    @abstractmethod
    def decode_reply(self, frame: bytes) -> Reply:
        """Decode a board-to-host frame; raise FrameError if it is not a valid reply."""

    @abstractmethod
    def broadcast_address(self) -> int | None:
        """Return the address every board accepts, or None if the protocol has none."""

    @abstractmethod
    def decode_command(self, frame: bytes) -> Command:
        """Decode a host-to-board frame; raise FrameError (or ChecksumError) if invalid."""

    @abstractmethod
    def encode_reply(self, address: int, *, ok: bool = True) -> bytes:
        """Return the ACK (or NACK) frame a board at address sends back."""

    def check_effect(self, effect: str | None) -> str:
        """Return effect, or the vendor default for None; raise ConfigError if unknown."""
        if effect is None:
            return self.default_effect
        if effect not in EFFECTS:
            raise ConfigError(f"unknown effect {effect!r}; expected one of {', '.join(EFFECTS)}")
        return effect

    def check_hold(self, hold_s: float | None, *, step: float, maximum: int) -> int:
        """Return hold_s in vendor units of step seconds (None: vendor default)."""
        seconds = self.default_hold_s if hold_s is None else hold_s
        units = round(seconds / step)
        if seconds < 0 or units > maximum or abs(units * step - seconds) > 1e-6:
            raise ConfigError(
                f"hold time {seconds!r} s is not a multiple of {step} s between 0 and {maximum * step:g} s"
            )
        return units
