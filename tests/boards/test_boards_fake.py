"""Fake driver: readable line frames with the same contract as the vendor drivers."""

import pytest

from boards.config import BoardConfig
from boards.errors import CharsetError, ConfigError, FrameError
from boards.fake import FakeDriver, LineSplitter


def cfg(**kw):
    return BoardConfig(**({"driver": "fake", "address": 3, "width": 64, "height": 16} | kw))


@pytest.fixture
def driver():
    return FakeDriver()


def test_show_frame_is_one_readable_line(driver):
    frame = driver.encode_show(cfg(), ["A012 请到3号窗口"], effect="left", hold_s=2)
    assert frame == b'SHOW 3 left 2 1 ["A012 \\u8bf7\\u52303\\u53f7\\u7a97\\u53e3"]\n'


@pytest.mark.parametrize("lines", [["a", "b c"], [], ["请 | 到\\C1"]])
def test_round_trip(driver, lines):
    command = driver.decode_command(driver.encode_show(cfg(), lines, want_reply=False))
    assert (command.address, command.kind, command.want_reply) == (3, "show", False)
    assert (list(command.lines), command.effect, command.hold_s) == (lines, "static", 5.0)


def test_clear_and_replies(driver):
    assert driver.decode_command(driver.encode_clear(cfg())).lines == ()
    assert driver.encode_reply(3) == b"ACK 3\n"
    reply = driver.decode_reply(b"NACK 4\n")
    assert (reply.address, reply.ok, reply.code) == (4, False, 1)
    assert driver.broadcast_address() == 0


@pytest.mark.parametrize(
    "frame", [b"ACK\n", b"HELLO 3\n", b"ACK x\n", b"ACK 3", "ACK 三\n".encode()],
)
def test_bad_replies(driver, frame):
    with pytest.raises(FrameError):
        driver.decode_reply(frame)


@pytest.mark.parametrize(
    "frame",
    [b"SHOW 3 spin 1 1 []\n", b"SHOW 3 static x 1 []\n", b"SHOW 3 static 1 2 []\n", b"SHOW 3 static 1 1 [1]\n",
     b"SHOW 3 static 1 1 {\n", b"ACK 3\n"],
)
def test_bad_commands(driver, frame):
    with pytest.raises(FrameError):
        driver.decode_command(frame)


def test_checks_like_a_real_driver(driver):
    with pytest.raises(CharsetError):
        driver.encode_show(cfg(charset="gb2312"), ["喆"])
    with pytest.raises(ConfigError):
        driver.encode_show(cfg(), ["a"], hold_s=-1)
    with pytest.raises(ConfigError):
        driver.encode_show(cfg(), ["a"], effect="blink")


def test_line_splitter_byte_by_byte_skips_blank_lines():
    splitter = LineSplitter()
    out = []
    for byte in b"\n\nACK 1\n  \nNACK 2\nACK":
        out += splitter.feed(bytes((byte,)))
    assert out == [b"ACK 1\n", b"NACK 2\n"]
    assert splitter.feed(b" 3\n") == [b"ACK 3\n"]
