"""Draw a whole Slip as one black-and-white Pillow image, for printers without a Chinese font ROM."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from devices.printer.render import info_lines
from devices.printer.slip import Slip

_MARGIN = 8
_GAP = 8


@lru_cache(maxsize=32)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """Load (once) the CJK TrueType font at ``size`` pixels."""
    return ImageFont.truetype(path, size)


def qr_image(data: str, module: int, border: int = 2) -> Image.Image:
    """Return ``data`` as a QR code image (mode "L", black on white), ``module`` pixels per module."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=module, border=border)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the border
    size = len(matrix)
    img = Image.new("L", (size, size), 255)
    img.putdata([0 if dark else 255 for row in matrix for dark in row])
    return img.resize((size * module, size * module), Image.Resampling.NEAREST)


def _wrap_px(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for ch in paragraph:
            if line and font.getlength(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


class _Canvas:
    """A growing list of drawing steps, laid out top to bottom, then painted once the height is known."""

    def __init__(self, width: int, font_path: str) -> None:
        self.width = width
        self.font_path = font_path
        self.y = _MARGIN
        self.steps: list[tuple[int, object]] = []

    def text(self, text: str, size: int, align: str = "center", bold: bool = False) -> None:
        font = load_font(self.font_path, size)
        usable = self.width - 2 * _MARGIN
        for part in _wrap_px(text, font, usable):
            self.steps.append((self.y, ("text", part, font, align, bold)))
            self.y += int(size * 1.25)

    def fit_text(self, text: str, size: int) -> None:
        """Draw one line as large as ``size`` allows, shrinking it until it fits the paper."""
        usable = self.width - 2 * _MARGIN
        while size > 24 and load_font(self.font_path, size).getlength(text) > usable:
            size -= 8
        self.text(text, size, bold=True)

    def rule(self) -> None:
        self.steps.append((self.y + _GAP // 2, ("rule",)))
        self.y += _GAP

    def image(self, img: Image.Image) -> None:
        self.steps.append((self.y, ("image", img)))
        self.y += img.height + _GAP

    def paint(self) -> Image.Image:
        out = Image.new("L", (self.width, self.y + _MARGIN), 255)
        draw = ImageDraw.Draw(out)
        for y, step in self.steps:
            kind = step[0]
            if kind == "text":
                _, text, font, align, bold = step
                w = font.getlength(text)
                x = {"left": _MARGIN, "center": (self.width - w) / 2, "right": self.width - _MARGIN - w}[align]
                draw.text((x, y), text, font=font, fill=0, stroke_width=1 if bold else 0, stroke_fill=0)
            elif kind == "rule":
                draw.line((_MARGIN, y, self.width - _MARGIN, y), fill=0, width=2)
            else:
                img = step[1]
                out.paste(img, ((self.width - img.width) // 2, y))
        # Threshold rather than dither: anti-aliased glyph edges would otherwise print as speckles.
        return out.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)


def draw_slip(slip: Slip, width: int, font_path: str, qr_module: int = 6) -> Image.Image:
    """Draw ``slip`` as a ``width``-pixel-wide mode "1" image (black = print)."""
    base = 24 if width >= 512 else 22  # a 24-dot glyph matches the printers' own Chinese font
    c = _Canvas(width, font_path)
    c.text(slip.hall_name, base + 12, bold=True)
    c.rule()
    c.text("您的号码", base)
    c.fit_text(slip.number, width // 4)
    c.text(slip.service_name, base + 12, bold=True)
    for text in info_lines(slip):
        c.text(text, base)
    if slip.qr_url:
        qr = qr_image(slip.qr_url, qr_module)
        if qr.width > width - 2 * _MARGIN:  # a long URL must still fit 58 mm paper
            qr = qr_image(slip.qr_url, max(1, qr_module * (width - 2 * _MARGIN) // qr.width))
        c.image(qr)
        c.text("扫码查看排队进度", base)
    if slip.materials:
        c.rule()
        c.text("请备齐以下材料（一次性告知）：", base, align="left")
        for i, item in enumerate(slip.materials, 1):
            c.text(f"{i}. {item}", base, align="left")
    c.rule()
    c.text(f"取号时间：{slip.issued_at}", base)
    if slip.notice:
        c.text(slip.notice, base)
    return c.paint()
