"""render_slip: exact ESC/POS bytes in native mode, one raster image of the paper width in raster mode."""

from __future__ import annotations

import re

import pytest

from devices.printer.render import (
    FS_CHINESE_OFF,
    FS_CHINESE_ON,
    RenderOptions,
    display_width,
    encode_text,
    render_slip,
    size_command,
    wrap,
)
from devices.printer.slip import Slip

ESC, GS, FS = b"\x1b", b"\x1d", b"\x1c"


def cjk(text: str) -> bytes:
    return FS + b"&" + text.encode("gb18030") + FS + b"."


def native_qr(data: bytes, module: int) -> bytes:
    n = len(data) + 3
    return (GS + b"(k\x04\x00" + b"1A2\x00"  # model 2
            + GS + b"(k\x03\x00" + b"1C" + bytes([module])  # module size
            + GS + b"(k\x03\x00" + b"1E1"  # error correction M
            + GS + b"(k" + bytes([n & 0xFF, n >> 8]) + b"1P0" + data  # store
            + GS + b"(k\x03\x00" + b"1Q0")  # print


def raster_commands(data: bytes) -> list[tuple[int, int, int]]:
    """Return (offset, width_bytes, height) of every GS v 0 command, checking each payload fits."""
    found = []
    for m in re.finditer(re.escape(GS + b"v0"), data):
        head = data[m.end():m.end() + 5]
        wb, h = head[1] | head[2] << 8, head[3] | head[4] << 8
        assert len(data) >= m.end() + 5 + wb * h
        found.append((m.start(), wb, h))
    return found


# ---- text encoding ----

def test_ascii_is_sent_plain() -> None:
    assert encode_text("A012") == b"A012"


def test_chinese_is_gb18030_between_fs_and_fs_dot() -> None:
    assert encode_text("社保业务") == b"\x1c\x26\xc9\xe7\xb1\xa3\xd2\xb5\xce\xf1\x1c\x2e"


@pytest.mark.parametrize("text", ["（３）号窗口", "（３）", "·", "¥12", "䶮", "喆堃"])
def test_text_the_escpos_heuristic_garbles_is_exact_gb18030(text: str) -> None:
    assert encode_text(text) == FS_CHINESE_ON + text.encode("gb18030") + FS_CHINESE_OFF


def test_control_characters_cannot_inject_commands() -> None:
    assert encode_text("A\x1bd\x09B") == b"A d B"
    assert encode_text("号\x1dV\x00") == cjk("号 V ")


def test_size_command() -> None:
    assert size_command(1) == GS + b"!\x00"
    assert size_command(2) == GS + b"!\x11"
    assert size_command(4) == GS + b"!\x33"
    assert size_command(8) == GS + b"!\x77"
    with pytest.raises(ValueError):
        size_command(9)


def test_display_width_and_wrap() -> None:
    assert display_width("A012") == 4
    assert display_width("社保A") == 5
    assert wrap("一二三四五", 4) == ["一二", "三四", "五"]
    assert wrap("ab\ncd", 10) == ["ab", "cd"]


# ---- native mode ----

@pytest.fixture
def native(slip: Slip) -> bytes:
    return render_slip(slip, RenderOptions(width_dots=576))


def test_native_starts_with_init_and_centering(native: bytes) -> None:
    assert native.startswith(ESC + b"@" + ESC + b"a\x01")


def test_native_number_in_4x4_type(native: bytes) -> None:
    assert GS + b"!\x33" + b"A012\n" + GS + b"!\x00" in native


def test_native_larger_number_scale(slip: Slip) -> None:
    out = render_slip(slip, RenderOptions(number_scale=6))
    assert GS + b"!\x55" + b"A012\n" in out


def test_native_chinese_lines_are_wrapped_in_fs_commands(native: bytes, slip: Slip) -> None:
    assert GS + b"!\x11" + cjk("社保业务办理") + b"\n" + GS + b"!\x00" in native
    assert cjk("前面还有 3 人") + b"\n" in native
    assert cjk("预计等候约 15 分钟") + b"\n" in native
    assert cjk("请留意 3号、5号窗口") + b"\n" in native
    assert cjk("取号时间：2024-05-06 09:30") + b"\n" in native
    assert cjk("过号请重新取号") + b"\n" in native


def test_native_never_sends_high_bytes_outside_chinese_mode(native: bytes) -> None:
    outside = re.sub(re.escape(FS_CHINESE_ON) + b".*?" + re.escape(FS_CHINESE_OFF), b"", native, flags=re.S)
    # Only QR payload bytes (ASCII here) and commands remain: nothing that a code page could garble.
    assert all(b < 0x80 for b in outside)


def test_native_materials_are_listed_in_order_left_aligned(native: bytes) -> None:
    block = ESC + b"a\x00"
    at = native.index(block)
    first = native.index(cjk("1. 身份证原件"), at)
    second = native.index(cjk("2. 户口本（原件及复印件）"), first)
    assert native.index(ESC + b"a\x01", second) > second
    assert cjk("请备齐以下材料（一次性告知）：") in native[at:first]


def test_native_qr_is_gs_k_with_the_url(native: bytes, slip: Slip) -> None:
    assert native_qr(slip.qr_url.encode(), 6) in native
    assert native.index(native_qr(slip.qr_url.encode(), 6)) < native.index(cjk("扫码查看排队进度"))


def test_native_ends_with_feed_and_full_cut(native: bytes) -> None:
    assert native.endswith(ESC + b"d\x06" + GS + b"V\x00")


def test_partial_cut(slip: Slip) -> None:
    assert render_slip(slip, RenderOptions(cut="partial")).endswith(ESC + b"d\x06" + GS + b"V\x01")


@pytest.mark.parametrize("width,cols", [(384, 32), (576, 48)])
def test_separator_fits_the_paper(slip: Slip, width: int, cols: int) -> None:
    out = render_slip(slip, RenderOptions(width_dots=width))
    assert b"-" * cols + b"\n" in out
    assert b"-" * (cols + 1) not in out


def test_long_hall_name_drops_to_normal_size_on_58mm(slip: Slip) -> None:
    out = render_slip(slip, RenderOptions(width_dots=384))  # 9 characters × 2 columns × 2 > 32 columns
    assert ESC + b"a\x01" + cjk("城关镇便民服务中心") + b"\n" in out
    wide = render_slip(slip, RenderOptions(width_dots=576))
    assert GS + b"!\x11" + cjk("城关镇便民服务中心") + b"\n" in wide


def test_no_qr_without_url(slip: Slip) -> None:
    import dataclasses

    out = render_slip(dataclasses.replace(slip, qr_url=None), RenderOptions())
    assert GS + b"(k" not in out
    assert cjk("扫码查看排队进度") not in out


def test_image_qr_for_printers_without_gs_k(slip: Slip) -> None:
    out = render_slip(slip, RenderOptions(qr_mode="image", width_dots=384))
    assert GS + b"(k" not in out
    commands = raster_commands(out)
    assert len(commands) == 1 and commands[0][1] == 384 // 8  # centred onto the paper width


# ---- raster mode ----

@pytest.mark.parametrize("width", [384, 576])
def test_raster_is_one_image_of_the_paper_width(slip: Slip, width: int) -> None:
    out = render_slip(slip, RenderOptions(mode="raster", width_dots=width))
    assert out.startswith(ESC + b"@" + GS + b"v0")
    commands = raster_commands(out)
    assert commands and all(wb == width // 8 for _, wb, _ in commands)
    assert sum(h for _, _, h in commands) > 400  # the whole slip, maybe split in fragments
    assert FS_CHINESE_ON not in out
    assert out.endswith(ESC + b"d\x06" + GS + b"V\x00")


def test_raster_respects_the_profile_image_limit(slip: Slip) -> None:
    # TM-T88V's profile allows 512 dots: a 576-dot image would raise ImageWidthError in python-escpos.
    out = render_slip(slip, RenderOptions(mode="raster", width_dots=576, profile="TM-T88V"))
    assert {wb for _, wb, _ in raster_commands(out)} == {512 // 8}


def test_raster_payload_is_black_on_white(slip: Slip) -> None:
    out = render_slip(slip, RenderOptions(mode="raster", width_dots=384))
    at, wb, h = raster_commands(out)[0]
    payload = out[at + 8:at + 8 + wb * h]
    inked = sum(bin(b).count("1") for b in payload)
    assert 0.02 < inked / (wb * 8 * h) < 0.5  # text and QR, on mostly white paper


# ---- options ----

def test_options_from_config() -> None:
    assert RenderOptions.from_config({"paper_mm": 58}).width_dots == 384
    assert RenderOptions.from_config({}).width_dots == 576
    assert RenderOptions.from_config({"paper_mm": 58, "width_dots": 512}).width_dots == 512
    opts = RenderOptions.from_config({"mode": "raster", "qr_module": 4, "driver": "fake"})
    assert (opts.mode, opts.qr_module) == ("raster", 4)
    assert RenderOptions().columns == 48


@pytest.mark.parametrize("cfg", [{"paper_mm": 76}, {"width_dots": 100}, {"mode": "pdf"}, {"number_scale": 2},
                                 {"cut": "none"}, {"qr_mode": "svg"}, {"qr_module": 0},
                                 {"profile": "NoSuchPrinter"}])
def test_bad_options_are_refused(cfg: dict) -> None:
    with pytest.raises(ValueError):
        RenderOptions.from_config(cfg)
