"""Charset checks: which characters a GB2312 or GBK font ROM can draw, and GBK text bytes."""

import pytest

from boards.charset import check_charset, decode_text, encode_text, unsupported_chars
from boards.errors import CharsetError


def test_common_hall_text_passes_both_charsets():
    for charset in ("gb2312", "gbk"):
        check_charset("A012 请到3号窗口 暂停服务 →（３）", charset)


@pytest.mark.parametrize("char", ["·", "—"])
def test_gb2312_accepts_characters_pythons_gb2312_codec_rejects(char):
    with pytest.raises(UnicodeEncodeError):
        char.encode("gb2312")
    check_charset(f"张{char}三", "gb2312")
    assert encode_text(char, "gb2312") == char.encode("gbk")


@pytest.mark.parametrize("char", ["喆", "堃", "昇", "镕", "玥", "赟"])
def test_name_characters_outside_gb2312_need_a_gbk_board(char):
    check_charset(char, "gbk")
    with pytest.raises(CharsetError):
        check_charset(char, "gb2312")


@pytest.mark.parametrize("char", ["䶮", "¥", "€", "😀", "\ue000", "\t"])
def test_characters_no_board_draws(char):
    for charset in ("gb2312", "gbk"):
        assert unsupported_chars(char, charset) == [char]


def test_error_names_every_offending_character_once():
    with pytest.raises(CharsetError) as info:
        check_charset("王喆喆与䶮A", "gb2312")
    message = str(info.value)
    assert "'喆' (U+5586)" in message and "'䶮' (U+4DAE)" in message
    assert message.count("U+5586") == 1
    assert "GB2312" in message


def test_unknown_charset_is_an_error():
    with pytest.raises(CharsetError, match="unknown board charset"):
        check_charset("a", "big5")


def test_encode_text_gives_gbk_bytes_and_checks_first():
    assert encode_text("号A") == b"\xba\xc5A"
    with pytest.raises(CharsetError):
        encode_text("¥12")


def test_decode_text_replaces_garbage():
    assert decode_text(b"\xba\xc5A") == "号A"
    assert decode_text(b"\xff") == "\ufffd"
