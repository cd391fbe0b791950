"""render_page: a decoded page drawn the way a thermal printer lays it out."""

from __future__ import annotations

from PIL import Image, ImageChops

from devices.printer.page import Feed, Page, Picture, QrCode, Run, TextLine
from devices.printer.preview import render_page
from devices.printer.raster import qr_image
from devices.printer.render import DEFAULT_FONT


def inked(img: Image.Image) -> int:
    return sum(img.convert("L").histogram()[:128])


def test_width_and_blank_page() -> None:
    img = render_page(Page(), 384, DEFAULT_FONT)
    assert img.width == 384 and inked(img) == 0


def test_text_is_drawn_and_bigger_type_uses_more_ink() -> None:
    small = render_page(Page([TextLine([Run("A012")], "center")]), 576, DEFAULT_FONT)
    big = render_page(Page([TextLine([Run("A012", 4, 4)], "center")]), 576, DEFAULT_FONT)
    assert 0 < inked(small) < inked(big)
    assert big.height > small.height


def test_stretched_text_and_chinese() -> None:
    img = render_page(Page([TextLine([Run("号", 2, 1, bold=True), Run("A", 1, 3)])]), 384, DEFAULT_FONT)
    assert inked(img) > 0


def test_long_lines_wrap_instead_of_overflowing() -> None:
    one = render_page(Page([TextLine([Run("一" * 16)])]), 384, DEFAULT_FONT)
    two = render_page(Page([TextLine([Run("一" * 17)])]), 384, DEFAULT_FONT)
    assert two.height == one.height + 30


def test_qr_is_the_real_code_centred() -> None:
    img = render_page(Page([QrCode("https://x.cn/t/1", module=4, align="center")]), 576, DEFAULT_FONT)
    expected = qr_image("https://x.cn/t/1", 4)
    x = (576 - expected.width) // 2
    crop = img.crop((x, 8, x + expected.width, 8 + expected.height))
    assert ImageChops.difference(crop, expected).getbbox() is None


def test_pictures_and_feeds() -> None:
    pic = Image.new("1", (600, 10), 0)  # wider than the paper: cropped, not an error
    img = render_page(Page([Picture(pic), Feed(dots=20), Feed(lines=1)]), 576, DEFAULT_FONT)
    assert img.size == (576, 8 + 10 + 20 + 30 + 8)
    assert img.getpixel((575, 8)) == 0
