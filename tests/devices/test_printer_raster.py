"""draw_slip and qr_image: the raster slip and the QR picture."""

from __future__ import annotations

import dataclasses

import pytest
import qrcode

from devices.printer.raster import draw_slip, qr_image
from devices.printer.render import DEFAULT_FONT


@pytest.mark.parametrize("width", [384, 576])
def test_slip_image_is_paper_wide_black_and_white(slip, width: int) -> None:
    img = draw_slip(slip, width, DEFAULT_FONT)
    assert img.mode == "1" and img.width == width
    assert {value for _, value in img.getcolors()} == {0, 255}


def test_qr_matches_the_qrcode_library() -> None:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data("https://x.cn/t/1")
    code.make(fit=True)
    matrix = code.get_matrix()
    img = qr_image("https://x.cn/t/1", module=3)
    assert img.size == (len(matrix) * 3, len(matrix) * 3)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            assert img.getpixel((x * 3 + 1, y * 3 + 1)) == (0 if dark else 255)


def test_long_url_qr_still_fits_58mm(slip) -> None:
    long = dataclasses.replace(slip, qr_url="https://bm.example.cn/t/" + "x" * 200)
    assert draw_slip(long, 384, DEFAULT_FONT, qr_module=8).width == 384


def test_huge_number_is_shrunk_to_fit(slip) -> None:
    wide = dataclasses.replace(slip, number="VIP-A0123456")
    img = draw_slip(wide, 384, DEFAULT_FONT)
    assert img.width == 384
    # the number row must not be clipped: the margins stay white
    assert all(img.getpixel((x, y)) == 255 for x in (0, 383) for y in range(img.height))


def test_without_optional_parts(slip) -> None:
    bare = dataclasses.replace(slip, qr_url=None, materials=(), windows=None, notice=None, wait_minutes=None)
    assert draw_slip(bare, 576, DEFAULT_FONT).height < draw_slip(slip, 576, DEFAULT_FONT).height
