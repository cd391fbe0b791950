"""EscposDecoder: text, sizes, Chinese mode, QR, images, cuts and status queries from a byte stream."""

from __future__ import annotations

from devices.printer.decoder import EscposDecoder
from devices.printer.page import Feed, Picture, QrCode, TextLine
from devices.printer.render import RenderOptions, render_slip

ESC, GS, FS = b"\x1b", b"\x1d", b"\x1c"


def decode(data: bytes, chunk: int | None = None, **kw) -> EscposDecoder:
    d = EscposDecoder(**kw)
    if chunk is None:
        d.feed(data)
    else:
        for i in range(0, len(data), chunk):
            d.feed(data[i:i + chunk])
    d.finish()
    return d


def test_rendered_slip_decodes_to_its_text(slip) -> None:
    pages = decode(render_slip(slip, RenderOptions())).pages
    assert len(pages) == 1 and pages[0].cut == "full"
    page = pages[0]
    assert page.largest_text == "A012"
    for text in ("城关镇便民服务中心", "社保业务办理", "前面还有 3 人", "1. 身份证原件", "取号时间：2024-05-06 09:30"):
        assert text in page.lines
    assert page.qr_codes == [slip.qr_url]


def test_byte_by_byte_equals_whole(slip) -> None:
    data = render_slip(slip, RenderOptions())
    assert decode(data, chunk=1).pages == decode(data).pages


def test_sizes_alignment_and_bold() -> None:
    data = (ESC + b"@" + ESC + b"a\x01" + GS + b"!\x33" + b"A1" + GS + b"!\x00" + b"x\n"
            + ESC + b"a\x02" + ESC + b"E\x01" + b"R\n"
            + ESC + b"!\x30" + b"D\n")
    lines = [b for b in decode(data).pages[0].blocks if isinstance(b, TextLine)]
    assert [(ln.text, ln.align) for ln in lines] == [("A1x", "center"), ("R", "right"), ("D", "right")]
    assert [(r.text, r.width, r.height) for r in lines[0].runs] == [("A1", 4, 4), ("x", 1, 1)]
    assert lines[1].runs[0].bold
    assert (lines[2].runs[0].width, lines[2].runs[0].height) == (2, 2)


def test_chinese_mode_decodes_gb18030_and_kanji_size() -> None:
    data = FS + b"&" + FS + b"W\x01" + "号窗口¥".encode("gb18030") + FS + b"." + b"!\n"
    line = decode(data).pages[0].blocks[0]
    assert line.text == "号窗口¥!"
    assert (line.runs[0].width, line.runs[0].height) == (2, 2)


def test_high_bytes_outside_chinese_mode_use_the_code_page() -> None:
    # What python-escpos text()'s heuristic sends (GB18030 without FS &) prints as code-page garbage.
    data = "号".encode("gb18030") + b"\n"
    assert decode(data).pages[0].lines == ["号".encode("gb18030").decode("cp437")]
    assert decode(data, text_codec="gb18030").pages[0].lines == ["号"]


def test_qr_store_and_print() -> None:
    payload = b"https://x.cn/t/1"
    n = len(payload) + 3
    data = (ESC + b"a\x01" + GS + b"(k\x04\x001A2\x00" + GS + b"(k\x03\x001C\x05" + GS + b"(k\x03\x001E3"
            + GS + b"(k" + bytes([n, 0]) + b"1P0" + payload + GS + b"(k\x03\x001Q0")
    qr = decode(data).pages[0].blocks[0]
    assert qr == QrCode("https://x.cn/t/1", module=5, ec="H", align="center")


def test_gs_v_0_raster_image() -> None:
    data = GS + b"v0\x00\x02\x00\x03\x00" + bytes([0xFF, 0x00, 0x80, 0x01, 0x00, 0x00])
    pic = decode(data).pages[0].blocks[0]
    assert isinstance(pic, Picture) and pic.image.size == (16, 3)
    px = pic.image.load()
    assert px[0, 0] == 0 and px[7, 0] == 0 and px[8, 0] == 255  # black where bits are set
    assert px[0, 1] == 0 and px[15, 1] == 0 and px[1, 1] == 255
    assert all(px[x, 2] == 255 for x in range(16))


def test_status_query_inside_image_data_is_not_a_query() -> None:
    queries: list[int] = []
    data = GS + b"v0\x00\x03\x00\x01\x00" + b"\x10\x04\x01" + b"\x10\x04\x02"
    decode(data, on_status_query=queries.append)
    assert queries == [2]


def test_gs_paren_l_graphics() -> None:
    body = b"0p0\x01\x011" + bytes([10, 0, 2, 0]) + bytes([0xFF, 0xC0, 0x00, 0x00])
    data = GS + b"(L" + bytes([len(body), 0]) + body + GS + b"(L\x02\x0002"
    pic = decode(data).pages[0].blocks[0]
    assert pic.image.size == (10, 2)
    assert pic.image.getpixel((9, 0)) == 0 and pic.image.getpixel((0, 1)) == 255


def test_esc_star_column_image_is_upright() -> None:
    # Two 24-dot columns: the first has only its top dot, the second only its bottom dot.
    data = ESC + b"*\x21\x02\x00" + bytes([0x80, 0, 0, 0, 0, 0x01]) + b"\n"
    page = decode(data).pages[0]
    pic = page.blocks[0]
    assert pic.image.size == (2, 24)
    assert pic.image.getpixel((0, 0)) == 0 and pic.image.getpixel((1, 23)) == 0
    assert pic.image.getpixel((0, 23)) == 255
    assert len(page.blocks) == 1  # the LF after a stripe adds no blank line


def test_cuts_split_pages_and_finish_flushes_the_rest() -> None:
    d = EscposDecoder()
    d.feed(b"one\n" + GS + b"V\x01" + b"two\n" + GS + b"VA\x03" + b"three")
    assert [(p.lines, p.cut) for p in d.pages] == [(["one"], "partial"), (["two"], "full")]
    last = d.finish()
    assert last is not None and last.lines == ["three"] and last.cut is None
    assert d.finish() is None


def test_feeds_and_blank_lines() -> None:
    blocks = decode(b"a\n\n" + ESC + b"d\x03" + ESC + b"J\x10").pages[0].blocks
    assert blocks[1:] == [Feed(lines=1), Feed(lines=3), Feed(dots=16)]


def test_status_queries_are_reported_at_once() -> None:
    queries: list[int] = []
    d = EscposDecoder(on_status_query=queries.append)
    d.feed(b"\x10\x04")
    assert queries == []
    d.feed(b"\x01\x10\x04\x04")
    assert queries == [1, 4]


def test_unknown_commands_are_counted_and_skipped() -> None:
    d = decode(ESC + b"\x7f" + b"ok\n" + GS + b"\x7e" + FS + b"\x7d")
    assert d.pages[0].lines == ["ok"]
    assert d.unknown == {"ESC 7F": 1, "GS 7E": 1, "FS 7D": 1}


def test_barcode_and_tabs() -> None:
    data = GS + b"k\x04A12\x00" + GS + b"kI\x03X12" + ESC + b"D\x08\x10\x00" + b"a\tb\n"
    assert decode(data).pages[0].lines == ["[barcode A12]", "[barcode X12]", "a    b"]


def test_raster_slip_decodes_to_one_picture(slip) -> None:
    page = decode(render_slip(slip, RenderOptions(mode="raster", width_dots=384))).pages[0]
    assert page.lines == [] and page.largest_text == ""
    assert [p.image.width for p in page.pictures] == [384]
