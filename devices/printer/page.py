"""The decoded printout model: pages of text lines, QR codes, pictures and feeds, as a printer produces them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from PIL import Image


@dataclass
class Run:
    """Text printed with one set of attributes."""

    text: str
    width: int = 1
    height: int = 1
    bold: bool = False


@dataclass
class TextLine:
    """One printed line (ended by LF), possibly wider than the paper."""

    runs: list[Run]
    align: str = "left"

    @property
    def text(self) -> str:
        """Return the line's text without attributes."""
        return "".join(r.text for r in self.runs)


@dataclass
class QrCode:
    """A QR code printed with GS ( k."""

    data: str
    module: int = 3
    ec: str = "L"
    align: str = "left"


@dataclass
class Picture:
    """A bit image (GS v 0, GS ( L or ESC *), mode "1" with black = printed."""

    image: Image.Image
    align: str = "left"
    column_mode: bool = False


@dataclass
class Feed:
    """Blank paper: ``dots`` of feed, or ``lines`` text lines."""

    dots: int = 0
    lines: int = 0


Block = Union[TextLine, QrCode, Picture, Feed]


@dataclass
class Page:
    """What came out between two cuts."""

    blocks: list[Block] = field(default_factory=list)
    cut: str | None = None  # "full" | "partial" | None when the stream ended without a cut

    @property
    def lines(self) -> list[str]:
        """Return the text of every printed line."""
        return [b.text for b in self.blocks if isinstance(b, TextLine)]

    @property
    def text(self) -> str:
        """Return the page's text, one line per printed line."""
        return "\n".join(self.lines)

    @property
    def qr_codes(self) -> list[str]:
        """Return the data of every printed QR code."""
        return [b.data for b in self.blocks if isinstance(b, QrCode)]

    @property
    def pictures(self) -> list[Picture]:
        """Return every printed bit image."""
        return [b for b in self.blocks if isinstance(b, Picture)]

    @property
    def largest_text(self) -> str:
        """Return the text printed in the largest type (the ticket number on a slip), or ""."""
        runs = [r for b in self.blocks if isinstance(b, TextLine) for r in b.runs if r.text.strip()]
        if not runs:
            return ""
        return max(runs, key=lambda r: r.width * r.height).text.strip()
