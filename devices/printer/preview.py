"""Draw a decoded ESC/POS Page as a paper-width image, the way a thermal printer lays it out."""

from __future__ import annotations

import unicodedata

from PIL import Image, ImageDraw, ImageOps

from devices.printer.page import Feed, Page, Picture, QrCode, Run, TextLine
from devices.printer.raster import load_font, qr_image

# Font A cells: 12×24 dots for ASCII, 24×24 for Chinese; a text line advances 30 dots (≈ 1/6 inch).
_CELL_W, _CELL_H, _LINE_GAP = 12, 24, 6
_MARGIN = 8


def _cell_width(ch: str, run: Run) -> int:
    wide = unicodedata.east_asian_width(ch) in ("W", "F")
    return (2 * _CELL_W if wide else _CELL_W) * run.width


def _x_for(align: str, content: int, width: int) -> int:
    if align == "center":
        return max(0, (width - content) // 2)
    if align == "right":
        return max(0, width - content)
    return 0


class _Layout:
    """Place blocks top to bottom; paint once the page height is known."""

    def __init__(self, width: int, font_path: str) -> None:
        self.width = width
        self.font_path = font_path
        self.y = _MARGIN
        self.glyphs: list[tuple[int, int, str, Run]] = []  # x, y, char, run
        self.images: list[tuple[int, int, Image.Image]] = []

    def text(self, line: TextLine) -> None:
        # Wrap like the printer: a character that does not fit starts a new row.
        rows: list[list[tuple[str, Run, int]]] = [[]]
        used = 0
        for run in line.runs:
            for ch in run.text:
                w = _cell_width(ch, run)
                if used + w > self.width and rows[-1]:
                    rows.append([])
                    used = 0
                rows[-1].append((ch, run, w))
                used += w
        for row in rows:
            height = max((_CELL_H * run.height for _, run, _ in row), default=_CELL_H)
            x = _x_for(line.align, sum(w for _, _, w in row), self.width)
            for ch, run, w in row:
                # Characters of a smaller run sit on the baseline of the tallest one, as on paper.
                self.glyphs.append((x, self.y + height - _CELL_H * run.height, ch, run))
                x += w
            self.y += height + _LINE_GAP

    def image(self, img: Image.Image, align: str) -> None:
        img = img.convert("L")
        if img.width > self.width:
            img = img.crop((0, 0, self.width, img.height))
        self.images.append((_x_for(align, img.width, self.width), self.y, img))
        self.y += img.height

    def paint(self) -> Image.Image:
        out = Image.new("L", (self.width, self.y + _MARGIN), 255)
        for x, y, img in self.images:
            out.paste(img, (x, y))
        draw = ImageDraw.Draw(out)
        for x, y, ch, run in self.glyphs:
            if not ch.strip():
                continue
            font = load_font(self.font_path, _CELL_H * run.height)
            natural = _cell_width(ch, Run("", run.height, run.height))
            box = (natural, _CELL_H * run.height)
            if run.width == run.height:
                gx = x + (natural - font.getlength(ch)) / 2
                draw.text((gx, y), ch, font=font, fill=0, stroke_width=int(run.bold), stroke_fill=0)
                continue
            # Unequal GS ! width/height: draw at the natural aspect, then stretch like the print head does.
            glyph = Image.new("L", box, 255)
            ImageDraw.Draw(glyph).text(((natural - font.getlength(ch)) / 2, 0), ch, font=font, fill=0,
                                       stroke_width=int(run.bold), stroke_fill=0)
            glyph = glyph.resize((_cell_width(ch, run), box[1]))
            out.paste(0, (x, y, x + glyph.width, y + glyph.height), ImageOps.invert(glyph))
        return out


def render_page(page: Page, width: int, font_path: str) -> Image.Image:
    """Return ``page`` drawn on paper ``width`` dots wide (mode "L", black on white)."""
    layout = _Layout(width, font_path)
    for block in page.blocks:
        if isinstance(block, TextLine):
            layout.text(block)
        elif isinstance(block, QrCode):
            layout.image(qr_image(block.data, max(1, block.module)), block.align)
        elif isinstance(block, Picture):
            layout.image(block.image, block.align)
        elif isinstance(block, Feed):
            layout.y += block.dots + block.lines * (_CELL_H + _LINE_GAP)
    return layout.paint()
