"""Board text layout: turn window and call state (plain dicts) into the lines a board shows. Pure.

A window is ``{"code", "name", "state", "current": {"number": ...} or None}``; a call is
``{"number", "window", "window_name"}``. States "paused", "away" and "closed" mean no service.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

PAUSED_TEXT = "暂停服务"
OFF_STATES = frozenset({"paused", "away", "closed"})
CALL_ARROW = "→"  # in GB2312 (A1FA), so it draws on every board


def window_name(window: Mapping[str, Any]) -> str:
    """Return the window's display name, falling back to "<code>号窗口"."""
    return str(window.get("name") or f"{window.get('code', '')}号窗口")


def call_text(number: str, name: str) -> str:
    """Return the window-board call text, e.g. "A012 请到3号窗口"."""
    return f"{number} 请到{name}"


def window_lines(window: Mapping[str, Any]) -> list[str]:
    """Return a window board's lines: the call being served, 暂停服务, or the window name."""
    if window.get("state") in OFF_STATES:
        return [PAUSED_TEXT]
    current = window.get("current")
    if current and current.get("number"):
        return [call_text(str(current["number"]), window_name(window))]
    return [window_name(window)]


def call_line(call: Mapping[str, Any]) -> str:
    """Return one strip-board line for a call, e.g. "A012→3号窗口"."""
    name = call.get("window_name") or f"{call.get('window', '')}号窗口"
    return f"{call['number']}{CALL_ARROW}{name}"


def strip_lines(calls: Sequence[Mapping[str, Any]], notices: Iterable[str] = (), *, count: int = 3) -> list[str]:
    """Return a strip/main board's lines: the latest count calls, newest first, then notices.

    calls are in the order they happened (oldest first), as read from the hall event stream.
    """
    latest = list(calls)[-count:] if count > 0 else []
    return [call_line(call) for call in reversed(latest)] + [n for n in notices if n]


def text_columns(text: str) -> int:
    """Return the width of text in half-width columns (CJK and full-width count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def board_columns(width_px: int, font_px: int = 16) -> int:
    """Return how many half-width columns fit a board (a half-width glyph is font_px / 2 wide)."""
    return max(0, width_px // max(1, font_px // 2))


def clip(text: str, columns: int) -> str:
    """Return the longest prefix of text that fits columns, never splitting a wide character."""
    out, used = [], 0
    for char in text:
        used += text_columns(char)
        if used > columns:
            break
        out.append(char)
    return "".join(out)
