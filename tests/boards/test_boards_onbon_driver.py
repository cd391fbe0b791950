"""Onbon driver: board text to A3 06 frames with the vendor defaults, replies, and board-side decoding."""

import pytest

from boards import onbon
from boards.config import BoardConfig
from boards.errors import ChecksumError, CharsetError, ConfigError, FrameError
from boards.onbon_driver import NEWLINE, OnbonBx5kDriver, OnbonBx6kDriver

# Built from GOLDEN_VECTORS.md's SDK-default table, not captured from the SDK: a regression vector.
# Its 80-byte length matches the SDK-generated "\C1A001 请到3号窗口" frame the hardware brief reports.
CALL_FRAME_64X16_WILDCARD = (
    "A5 A5 A5 A5 A5 A5 A5 A5 FE FF 00 80 00 00 00 00 00 00 FE 02 37 00 A3 06 01 00 00 00 01 2E 00 00 00 00 00 "
    "00 08 00 10 00 00 00 00 05 00 00 00 00 02 01 02 00 00 08 13 00 00 00 5C 43 31 41 30 30 31 20 C7 EB B5 BD "
    "33 BA C5 B4 B0 BF DA 7F 85 5A"
)


def cfg(**kw):
    values = {"driver": "onbon_bx5k", "address": 1, "width": 64, "height": 16} | kw
    return BoardConfig(**values)


@pytest.fixture
def driver():
    return OnbonBx5kDriver()


def area_of(frame):
    return onbon.decode_dynamic_area(onbon.decode_packet(frame).data).areas[0]


def test_call_frame_with_sdk_defaults(driver):
    frame = driver.encode_show(cfg(address=0xFFFE), ["\\C1A001 请到3号窗口"])
    assert frame == bytes.fromhex(CALL_FRAME_64X16_WILDCARD)
    assert len(frame) == 80


def test_x_and_width_are_sent_in_8_pixel_units_on_5k(driver):
    area = area_of(driver.encode_show(cfg(x=16, y=8, width=128, height=32), ["a"]))
    assert (area.x, area.y, area.width, area.height) == (2, 8, 16, 32)  # y and h stay in pixels


def test_6k_sends_pixels():
    area = area_of(OnbonBx6kDriver().encode_show(cfg(driver="onbon_bx6k", x=4, width=60), ["a"]))
    assert (area.x, area.width) == (4, 60)


def test_5k_rejects_geometry_it_cannot_express(driver):
    with pytest.raises(ConfigError, match="multiples of 8"):
        driver.encode_show(cfg(width=60), ["a"])
    with pytest.raises(ConfigError, match="multiples of 8"):
        driver.encode_show(cfg(x=3), ["a"])


@pytest.mark.parametrize(
    ("effect", "mode"), [("static", 1), ("type", 2), ("left", 3), ("right", 4), ("up", 5), ("down", 6), (None, 2)]
)
def test_effects_map_to_display_modes(driver, effect, mode):
    assert area_of(driver.encode_show(cfg(), ["a"], effect=effect)).display_mode == mode


def test_hold_is_sent_in_half_seconds(driver):
    assert area_of(driver.encode_show(cfg(), ["a"])).hold == 8
    assert area_of(driver.encode_show(cfg(), ["a"], hold_s=2.5)).hold == 5
    with pytest.raises(ConfigError):
        driver.encode_show(cfg(), ["a"], hold_s=0.3)
    with pytest.raises(ConfigError):
        driver.encode_show(cfg(), ["a"], hold_s=200)
    with pytest.raises(ConfigError, match="unknown effect"):
        driver.encode_show(cfg(), ["a"], effect="spin")


def test_lines_are_joined_with_the_newline_escape(driver):
    area = area_of(driver.encode_show(cfg(), ["A012", "请到3号窗口"]))
    assert area.text == b"A012" + NEWLINE + "请到3号窗口".encode("gbk")


def test_reply_flag_follows_want_reply(driver):
    assert onbon.decode_packet(driver.encode_show(cfg(), ["a"], want_reply=False)).data[2] == 0


def test_options_override_area_fields(driver):
    area = area_of(driver.encode_show(cfg(options={"area_id": 1, "run_mode": 1, "speed": 3}), ["a"]))
    assert (area.area_id, area.run_mode, area.speed) == (1, 1, 3)
    with pytest.raises(ConfigError, match="unknown options"):
        driver.encode_show(cfg(options={"colour": 2}), ["a"])
    with pytest.raises(ConfigError):
        driver.encode_show(cfg(options={"speed": 300}), ["a"])


def test_charset_and_address_are_checked(driver):
    with pytest.raises(CharsetError):
        driver.encode_show(cfg(charset="gb2312"), ["王喆"])
    with pytest.raises(ConfigError, match="address"):
        driver.encode_show(cfg(address=70000), ["a"])


def test_clear_is_an_empty_static_area(driver):
    area = area_of(driver.encode_clear(cfg()))
    assert (area.text, area.display_mode) == (b"", 1)


@pytest.mark.parametrize(
    "lines", [["A012 请到3号窗口"], ["A012→3号窗口", "B003→5号窗口"], [], ["\\C2绿色"]]
)
@pytest.mark.parametrize("effect", ["static", "up", None])
def test_decode_command_round_trip(driver, lines, effect):
    command = driver.decode_command(driver.encode_show(cfg(address=9), lines, effect=effect, hold_s=1.5))
    assert (command.address, command.kind, command.want_reply) == (9, "show", True)
    assert (list(command.lines), command.effect, command.hold_s) == (lines, effect or "type", 1.5)


def test_decode_command_other_kinds(driver):
    on = onbon.encode_packet(onbon.Packet(3, onbon.turn_on_off()))
    clear = onbon.encode_packet(onbon.Packet(3, onbon.clear_screen(reply=False)))
    ping = onbon.encode_packet(onbon.Packet(3, b"\xa2\x00\x01\x00\x00"))
    assert [driver.decode_command(f).kind for f in (on, clear, ping)] == ["power", "clear", "other"]
    assert driver.decode_command(clear).want_reply is False
    with pytest.raises(FrameError):
        driver.decode_command(onbon.encode_packet(onbon.Packet(3, b"\xa3")))


def test_decode_command_rejects_bad_crc(driver):
    frame = bytearray(driver.encode_show(cfg(), ["a"]))
    frame[30] ^= 0x10
    with pytest.raises(ChecksumError):
        driver.decode_command(bytes(frame))


@pytest.mark.parametrize("ok", [True, False])
def test_reply_round_trip(driver, ok):
    reply = driver.decode_reply(driver.encode_reply(5, ok=ok))
    assert (reply.address, reply.ok, reply.code) == (5, ok, 0 if ok else 1)


def test_reply_response_layout(driver):
    packet = onbon.decode_packet(driver.encode_reply(5))
    assert (packet.dst, packet.src, packet.data) == (onbon.HOST_ADDRESS, 5, bytes.fromhex("A0 00 00 00 00"))


def test_reply_address_accepts_either_header_order(driver):
    frame = onbon.encode_packet(onbon.Packet(5, onbon.encode_response(onbon.Response(0xA0, 0))))
    assert driver.decode_reply(frame).address == 5


def test_host_frames_are_not_replies(driver):
    with pytest.raises(FrameError, match="not an ACK"):
        driver.decode_reply(driver.encode_show(cfg(), ["a"]))  # what loop:// echoes back


def test_broadcast_address_and_defaults(driver):
    assert driver.broadcast_address() == 0xFFFE
    assert (driver.default_effect, driver.default_hold_s, driver.default_baudrate) == ("type", 4.0, 57600)
    assert driver.encode_setup(cfg()) == []
    assert isinstance(driver.splitter(), onbon.OnbonSplitter)
