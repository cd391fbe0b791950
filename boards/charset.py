"""Text encoding for LED boards: GBK bytes plus a check against a board's font ROM charset."""

from __future__ import annotations

import functools

from boards.errors import CharsetError

CHARSETS = ("gb2312", "gbk")
WIRE_ENCODING = "gbk"
"""Every board gets GBK bytes: identical to GB2312 for its range, and Python's gb2312
codec wrongly rejects "·" and "—", which GB2312 font ROMs do contain (brief §1.5)."""


@functools.cache
def _gb2312_repertoire() -> frozenset[str]:
    """Return the characters whose GBK bytes fall on a GB2312 code point."""
    chars = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                bytes((lead, trail)).decode("gb2312")
            except UnicodeDecodeError:
                continue  # an unassigned GB2312 cell: the ROM has no glyph there
            chars.add(bytes((lead, trail)).decode(WIRE_ENCODING))
    return frozenset(chars)


def _gbk_drawable(char: str) -> bool:
    """Tell whether a GBK font ROM has a glyph for one character."""
    if " " <= char <= "~":
        return True
    if 0xE000 <= ord(char) <= 0xF8FF:
        return False  # GBK user-defined areas map to the Private Use Area: no glyphs
    try:
        encoded = char.encode(WIRE_ENCODING)
    except UnicodeEncodeError:
        return False
    # Python's gbk maps a few characters to single bytes >= 0x80 that no font ROM draws.
    return len(encoded) == 2


def _drawable(char: str, charset: str) -> bool:
    if charset == "gbk":
        return _gbk_drawable(char)
    return " " <= char <= "~" or char in _gb2312_repertoire()


def unsupported_chars(text: str, charset: str = "gbk") -> list[str]:
    """Return the distinct characters of text that the charset cannot draw, in order."""
    if charset not in CHARSETS:
        raise CharsetError(f"unknown board charset {charset!r}; expected one of {', '.join(CHARSETS)}")
    bad: list[str] = []
    for char in text:
        if char not in bad and not _drawable(char, charset):
            bad.append(char)
    return bad


def check_charset(text: str, charset: str = "gbk") -> None:
    """Raise CharsetError naming every character of text the board's charset lacks."""
    bad = unsupported_chars(text, charset)
    if bad:
        listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in bad)
        raise CharsetError(f"text {text!r} has characters a {charset.upper()} board cannot show: {listed}")


def encode_text(text: str, charset: str = "gbk") -> bytes:
    """Check text against the board charset and return its GBK bytes."""
    check_charset(text, charset)
    return text.encode(WIRE_ENCODING)


def decode_text(data: bytes) -> str:
    """Decode GBK bytes from a frame, replacing undecodable bytes."""
    return data.decode(WIRE_ENCODING, errors="replace")
