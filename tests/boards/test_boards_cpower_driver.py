"""C-Power driver: board text to CC=0x12 frames, window setup, replies and board-side decoding."""

import pytest

from boards import cpower
from boards.config import BoardConfig
from boards.cpower_driver import CPowerDriver
from boards.errors import ChecksumError, ConfigError, FrameError


def cfg(**kw):
    values = {"driver": "cpower", "address": 1, "width": 64, "height": 16} | kw
    return BoardConfig(**values)


@pytest.fixture
def driver():
    return CPowerDriver()


def text_of(frame):
    return cpower.decode_pure_text(cpower.decode_packet(frame).data)


def test_two_lines_with_defaults_reproduce_the_vendor_example(driver, golden):
    assert driver.encode_show(cfg(), ["abc", "cba"]) == bytes.fromhex(golden["cpower_pure_text_example_2"])


@pytest.mark.parametrize(
    ("effect", "code"), [("static", 0), ("type", 1), ("left", 6), ("right", 7), ("up", 8), ("down", 9), (None, 0)]
)
def test_effects_map_to_vendor_codes(driver, effect, code):
    assert text_of(driver.encode_show(cfg(), ["a"], effect=effect)).effect == code


def test_hold_is_whole_seconds(driver):
    assert text_of(driver.encode_show(cfg(), ["a"], hold_s=10)).stay_s == 10
    with pytest.raises(ConfigError):
        driver.encode_show(cfg(), ["a"], hold_s=1.5)


def test_options(driver):
    item = text_of(driver.encode_show(cfg(options={"color": [0, 255, 0], "font": 1, "window": 2}), ["a"]))
    assert (item.color, item.font, item.window) == ((0, 255, 0), 1, 2)
    with pytest.raises(ConfigError, match="unknown options"):
        driver.encode_show(cfg(options={"area_id": 1}), ["a"])
    with pytest.raises(ConfigError):
        driver.encode_show(cfg(options={"font": 999}), ["a"])


@pytest.mark.parametrize("address", [0, 256])
def test_card_id_range(driver, address):
    with pytest.raises(ConfigError, match="card id"):
        driver.encode_show(cfg(address=address), ["a"])


def test_setup_defines_window_0_as_the_board_area(driver):
    (frame,) = driver.encode_setup(cfg(x=8, y=0, width=128, height=32))
    assert cpower.decode_windows(cpower.decode_packet(frame).data) == [(8, 0, 128, 32)]
    assert driver.decode_command(frame).kind == "setup"


@pytest.mark.parametrize("lines", [["A012 请到3号窗口"], ["A012→3号窗口", "B003→5号窗口"], []])
def test_decode_command_round_trip(driver, lines):
    command = driver.decode_command(driver.encode_show(cfg(address=254), lines, effect="left", hold_s=7))
    assert (command.address, command.kind, command.want_reply) == (254, "show", True)
    assert (list(command.lines), command.effect, command.hold_s) == (lines, "left", 7.0)


def test_decode_command_rejects_replies_bad_checksums_and_unknown(driver):
    with pytest.raises(FrameError):
        driver.decode_command(driver.encode_reply(1))
    frame = bytearray(driver.encode_show(cfg(), ["a"]))
    frame[-3] ^= 1
    with pytest.raises(ChecksumError):
        driver.decode_command(bytes(frame))
    other = cpower.encode_packet(cpower.Packet(1, b"\x06"))
    assert driver.decode_command(other).kind == "other"


@pytest.mark.parametrize("ok", [True, False])
def test_reply_round_trip(driver, ok):
    reply = driver.decode_reply(driver.encode_reply(9, ok=ok))
    assert (reply.address, reply.ok, reply.code) == (9, ok, 0 if ok else 1)


def test_old_firmware_reply_type_68_is_accepted(driver):
    frame = cpower.encode_packet(cpower.Packet(3, b"\x12", flag=0, packet_type=0x68))
    assert driver.decode_reply(frame).ok


def test_own_echo_is_not_a_reply(driver):
    with pytest.raises(FrameError):
        driver.decode_reply(driver.encode_show(cfg(), ["a"]))  # flag 01 must not read as an error code


def test_clear_broadcast_and_defaults(driver):
    assert text_of(driver.encode_clear(cfg())).text == b""
    assert driver.broadcast_address() == 0xFF
    assert (driver.default_effect, driver.default_hold_s, driver.default_baudrate) == ("static", 3.0, 115200)
