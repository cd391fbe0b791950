"""BoardConfig: one LED board's driver, bus, address and geometry, parsed from hall config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from boards.charset import CHARSETS
from boards.errors import ConfigError

_KNOWN_KEYS = {"driver", "transport", "address", "width", "height", "x", "y", "charset", "baudrate", "id", "options"}


@dataclass(frozen=True)
class BoardConfig:
    """Where a board sits and what it can draw; drivers read it, never mutate it."""

    driver: str
    address: int
    width: int
    height: int
    x: int = 0
    y: int = 0
    charset: str = "gbk"  # what the card's font ROM covers (brief §1.5)
    transport: str = ""  # pyserial URL of the bus: /dev/ttyUSB0, socket://host:port, loop://
    baudrate: int | None = None  # None: the driver's usual default
    id: str = ""  # stable key for the agent; defaults to "<transport>#<address>"
    options: Mapping[str, Any] = field(default_factory=dict, hash=False)
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("address", "width", "height", "x", "y"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"board {name} must be a non-negative integer, got {value!r}")
        if self.width == 0 or self.height == 0:
            raise ConfigError(f"board geometry must be non-zero, got {self.width}x{self.height}")
        if self.charset not in CHARSETS:
            raise ConfigError(f"board charset must be one of {', '.join(CHARSETS)}, got {self.charset!r}")
        if self.baudrate is not None and (not isinstance(self.baudrate, int) or self.baudrate <= 0):
            raise ConfigError(f"board baudrate must be a positive integer, got {self.baudrate!r}")
        if not self.id:
            object.__setattr__(self, "id", f"{self.transport}#{self.address}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BoardConfig:
        """Build a config from a hall-config dict; unknown keys are kept in `extra`."""
        missing = [k for k in ("driver", "address", "width", "height") if k not in data]
        if missing:
            raise ConfigError(f"board config {dict(data)!r} is missing {', '.join(missing)}")
        known = {k: v for k, v in data.items() if k in _KNOWN_KEYS}
        extra = {k: v for k, v in data.items() if k not in _KNOWN_KEYS}
        try:
            return cls(**known, extra=extra)
        except TypeError as exc:  # e.g. options given as a list
            raise ConfigError(f"bad board config {dict(data)!r}: {exc}") from None

    def as_dict(self) -> dict[str, Any]:
        """Return the config as a plain JSON-able dict."""
        out = {k: getattr(self, k) for k in sorted(_KNOWN_KEYS)}
        out["options"] = dict(self.options)
        out.update(self.extra)
        return out
