"""21-key caller framing: golden display vector, key map, acks, and a splitter that never acts on garbage."""

from __future__ import annotations

import pytest

from devices.keypad.protocol import (
    EvaluatorRating,
    Frame,
    FrameError,
    FrameSplitter,
    KeyAction,
    KeypadCommand,
    KeypadProtocol,
    ack_for,
    beep_frame,
    decode_frame,
    display_frame,
    interpret,
    key_frame,
    rating_frame,
    waiting_frame,
)


def hexb(text: str) -> bytes:
    return bytes.fromhex(text)


# ---- golden vector and host → keypad frames ----

@pytest.mark.parametrize("addr", [0x01, 0x03, 0x10, 0xFE])
def test_display_golden_vector(addr: int) -> None:
    # GOLDEN_VECTORS.md: FF 68 08 08 68 ADDR 02 0A 0A 0A 00 00 01 SUM 16, SUM = (ADDR+CMD+DATA) mod 256
    checksum = (addr + 0x02 + 0x0A * 3 + 0x00 + 0x00 + 0x01) % 256
    expected = hexb("FF 68 08 08 68") + bytes([addr]) + hexb("02 0A 0A 0A 00 00 01") + bytes([checksum, 0x16])
    assert display_frame(addr, "001") == expected
    assert display_frame(addr, "A001") == expected


def test_display_uses_the_last_three_digits_and_blank_padding() -> None:
    assert display_frame(3, "A012")[7:13] == hexb("0A 0A 0A 00 01 02")
    assert display_frame(3, "B1203")[7:13] == hexb("0A 0A 0A 02 00 03")
    assert display_frame(3, "C5")[7:13] == hexb("0A 0A 0A 0A 0A 05")


def test_waiting_count_sits_left_and_is_capped() -> None:
    assert waiting_frame(3, 12)[7:13] == hexb("00 01 02 0A 0A 0A")
    assert waiting_frame(3, 5000)[7:13] == hexb("09 09 09 0A 0A 0A")


def test_beep_frame() -> None:
    assert beep_frame(5) == hexb("FF 68 02 02 68 05 03 08 16")


# ---- encode / decode ----

def test_frame_round_trip() -> None:
    frame = Frame(0x21, 0x01, b"\x06\x0f")
    raw = frame.encode()
    assert raw == hexb("FF 68 04 04 68 21 01 06 0F 37 16")
    assert decode_frame(raw) == frame


def test_checksum_wraps_mod_256() -> None:
    assert Frame(0xFF, 0x11, b"\x05").checksum == (0xFF + 0x11 + 0x05) % 256


@pytest.mark.parametrize("raw,reason", [
    ("FF 68 03 03 68 01 01 0C 00 16", "checksum"),
    ("FF 68 03 04 68 01 01 0C 0E 16", "header"),
    ("FF 68 03 03 67 01 01 0C 0E 16", "header"),
    ("FF 68 02 02 68 01 01 02 16", "length"),
    ("FF 68 06 06 68 01 01 01 02 03 0C 14 16", "length"),
    ("FF 68 03 03 68 01 01 0C 0E 17", "end"),
    ("FF 68 03 03 68 01 01 0C 0E 00 16", "size"),
    ("FF 67 03 03 68 01 01 0C 0E 16", "start"),
    ("FF 68 03", "short"),
])
def test_decode_rejects_garbled_frames(raw: str, reason: str) -> None:
    with pytest.raises(FrameError) as err:
        decode_frame(hexb(raw))
    assert err.value.reason == reason


def test_encode_refuses_out_of_range_values() -> None:
    with pytest.raises(ValueError):
        Frame(256, 1, b"").encode()


# ---- key map ----

@pytest.mark.parametrize("code,action", [(0x0C, KeyAction.NEXT), (0x0D, KeyAction.RECALL),
                                         (0x0B, KeyAction.EVALUATE), (0x12, KeyAction.PAUSE),
                                         (0x13, KeyAction.TRANSFER), (0x0E, KeyAction.CANCEL)])
def test_key_codes(code: int, action: KeyAction) -> None:
    assert interpret(decode_frame(key_frame(7, code))) == KeypadCommand(7, action)
    assert key_frame(7, action) == key_frame(7, code)


@pytest.mark.parametrize("digit,action", [("6", KeyAction.NO_SHOW), ("0", KeyAction.HANG),
                                          ("3", KeyAction.CALLBACK), ("5", KeyAction.CONFIRM),
                                          ("", KeyAction.CONFIRM)])
def test_digit_plus_confirm(digit: str, action: KeyAction) -> None:
    raw = Frame(9, 0x01, bytes(int(d) for d in digit) + b"\x0f").encode()
    assert interpret(decode_frame(raw)) == KeypadCommand(9, action, digit)


def test_key_frame_for_confirm_actions_types_the_digit() -> None:
    assert key_frame(9, KeyAction.NO_SHOW) == Frame(9, 0x01, b"\x06\x0f").encode()
    assert key_frame(9, KeyAction.CONFIRM, "42") == Frame(9, 0x01, b"\x04\x02\x0f").encode()


def test_unused_keys_and_odd_frames_mean_nothing() -> None:
    assert interpret(Frame(1, 0x01, b"\x11")) is None  # "一米", unused
    assert interpret(Frame(1, 0x01, b"")) is None
    assert interpret(Frame(1, 0x01, b"\x0a\x0c")) is None  # a non-digit typed before the key
    assert interpret(Frame(1, 0x11, b"")) is None


def test_evaluator_rating_and_its_ack() -> None:
    raw = rating_frame(0x20, 3)
    frame = decode_frame(raw)
    assert interpret(frame) == EvaluatorRating(0x20, 3)
    ack = ack_for(frame)
    # Same frame with CMD 0x11 → 0x01, so SUM drops by 0x10 (the reference host's SUM − 0x10).
    assert ack == raw[:6] + b"\x01" + raw[7:8] + bytes([(raw[8] - 0x10) % 256]) + b"\x16"


def test_key_ack_is_the_echo() -> None:
    raw = key_frame(4, KeyAction.NEXT)
    assert ack_for(decode_frame(raw)) == raw


# ---- splitter ----

def test_splitter_byte_by_byte() -> None:
    stream = key_frame(1, KeyAction.NEXT) + rating_frame(2, 5) + key_frame(3, KeyAction.HANG)
    splitter = FrameSplitter()
    frames = [f for b in stream for f in splitter.feed(bytes([b]))]
    assert [interpret(f) for f in frames] == [KeypadCommand(1, KeyAction.NEXT), EvaluatorRating(2, 5),
                                             KeypadCommand(3, KeyAction.HANG, "0")]
    assert splitter.garbled == 0 and splitter.pending == 0


def test_garbage_between_frames_is_skipped() -> None:
    splitter = FrameSplitter()
    frames = splitter.feed(b"\x00\x12\xff\xff" + key_frame(1, KeyAction.NEXT) + b"\x55" + key_frame(2, 0x0D))
    assert [f.address for f in frames] == [1, 2]
    assert splitter.garbled == 0 and splitter.noise_bytes == 5


def test_garbled_frames_are_counted_and_the_next_good_one_is_found() -> None:
    good = key_frame(5, KeyAction.NEXT)
    bad_sum = bytearray(good)
    bad_sum[-2] ^= 0xFF
    bad_len = bytearray(good)
    bad_len[2] = 0x09
    bad_end = bytearray(good)
    bad_end[-1] = 0x00
    too_long = Frame(5, 0x01, b"\x01\x02\x03\x0c").encode()
    splitter = FrameSplitter()
    frames = splitter.feed(bytes(bad_sum) + bytes(bad_len) + bytes(bad_end) + too_long + good)
    assert frames == [decode_frame(good)]
    assert splitter.garbled == 4
    assert splitter.reasons == {"checksum": 1, "header": 1, "end": 1, "length": 1}


def test_corrupted_length_swallowing_the_next_frame_resyncs() -> None:
    good = key_frame(6, KeyAction.RECALL)
    broken = bytearray(key_frame(6, KeyAction.NEXT))
    broken[2] = broken[3] = 0x05  # claims two more bytes than it has
    splitter = FrameSplitter()
    frames = splitter.feed(bytes(broken) + good + good)
    assert decode_frame(good) in frames
    assert splitter.garbled >= 1


def test_partial_frame_waits_then_expires() -> None:
    splitter = FrameSplitter()
    raw = key_frame(1, KeyAction.NEXT)
    assert splitter.feed(raw[:6], now=10.0) == []
    assert splitter.pending == 6
    assert not splitter.expire(0.1, now=10.05)
    assert splitter.expire(0.1, now=10.2)
    assert splitter.garbled == 1 and splitter.reasons["truncated"] == 1 and splitter.pending == 0
    assert splitter.feed(raw, now=11.0) == [decode_frame(raw)]


def test_trailing_start_byte_is_kept() -> None:
    splitter = FrameSplitter()
    raw = key_frame(1, KeyAction.NEXT)
    assert splitter.feed(b"\x01\x02" + raw[:1]) == []
    assert splitter.feed(raw[1:]) == [decode_frame(raw)]


# ---- host protocol ----

class Wire:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.sent.append(data)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def host():
    commands: list[KeypadCommand] = []
    ratings: list[EvaluatorRating] = []
    clock = Clock()
    proto = KeypadProtocol(commands.append, ratings.append, clock=clock)
    wire = Wire()
    proto.connection_made(wire)
    return proto, wire, commands, ratings, clock


def test_host_acks_then_dispatches(host) -> None:
    proto, wire, commands, ratings, _ = host
    press, rate = key_frame(1, KeyAction.NEXT), rating_frame(8, 4)
    proto.data_received(press + rate)
    assert wire.sent == [press, ack_for(decode_frame(rate))]
    assert commands == [KeypadCommand(1, KeyAction.NEXT)]
    assert ratings == [EvaluatorRating(8, 4)]
    assert proto.counts["acks"] == 2


def test_host_never_acks_or_acts_on_garbled_frames(host) -> None:
    proto, wire, commands, _, _ = host
    bad = bytearray(key_frame(1, KeyAction.NEXT))
    bad[-2] ^= 1
    for b in bytes(bad):
        proto.data_received(bytes([b]))
    assert wire.sent == [] and commands == []
    assert proto.splitter.garbled == 1


def test_resend_within_the_window_is_acked_but_not_repeated(host) -> None:
    proto, wire, commands, _, clock = host
    press = key_frame(1, KeyAction.NEXT)
    proto.data_received(press)
    clock.now += 0.1
    proto.data_received(press)
    assert len(wire.sent) == 2 and len(commands) == 1
    assert proto.counts["repeats"] == 1
    clock.now += 1.0
    proto.data_received(press)
    assert len(commands) == 2


def test_unused_key_is_acked_without_callback(host) -> None:
    proto, wire, commands, _, _ = host
    proto.data_received(key_frame(1, 0x11))
    assert len(wire.sent) == 1 and commands == []
    assert proto.counts["unknown"] == 1


def test_failing_callback_does_not_break_the_protocol(caplog) -> None:
    def boom(cmd: KeypadCommand) -> None:
        raise RuntimeError("handler bug")

    proto = KeypadProtocol(boom)
    proto.connection_made(Wire())
    proto.data_received(key_frame(1, KeyAction.NEXT) + key_frame(2, KeyAction.NEXT))
    assert proto.counts["commands"] == 2
    assert "keypad handler failed" in caplog.text


def test_without_transport_or_callbacks() -> None:
    proto = KeypadProtocol()
    proto.data_received(key_frame(1, KeyAction.NEXT) + rating_frame(2, 1))
    assert proto.counts["commands"] == 1 and proto.counts["ratings"] == 1 and proto.counts["acks"] == 0
    proto.connection_lost(None)
    assert proto.transport is None
