"""Exceptions raised by the board drivers, encoders and bus workers."""


class BoardError(Exception):
    """Base class for every error raised by the boards package."""


class FrameError(BoardError, ValueError):
    """A byte frame is malformed (bad framing, escape, length or field)."""


class ChecksumError(FrameError):
    """A frame's CRC or checksum does not match its content."""


class CharsetError(BoardError, ValueError):
    """A text contains characters the board's font ROM cannot draw."""


class ConfigError(BoardError, ValueError):
    """A board or bus configuration value is invalid."""


class UnknownDriver(ConfigError, LookupError):
    """No driver is registered under the requested name."""
