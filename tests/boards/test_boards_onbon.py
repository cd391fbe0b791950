"""Onbon BX-5K/6K protocol: golden vectors, escaping, CRC, round trips and the frame splitter."""

import pytest

from boards import onbon
from boards.errors import ChecksumError, FrameError


def test_turn_on_frame_matches_vendor_sdk(golden):
    frame = onbon.encode_packet(onbon.Packet(onbon.WILDCARD_ADDRESS, onbon.turn_on_off(True)))
    assert frame == bytes.fromhex(golden["onbon_turn_on"])


def test_frame_exercising_all_four_escapes_matches_vendor_sdk(golden):
    data = bytes.fromhex(golden["onbon_escapes_frame_data"])
    frame = onbon.encode_packet(onbon.Packet(onbon.WILDCARD_ADDRESS, data))
    assert frame == bytes.fromhex(golden["onbon_escapes_frame"])


@pytest.mark.parametrize("index", [0, 1])
def test_escape_layer_vectors(golden, index):
    vector = golden["onbon_escape_layer"][index]
    body, wire = bytes.fromhex(vector["body"]), bytes.fromhex(vector["wire"])
    assert onbon.wrap(body) == wire
    assert onbon.unwrap(wire) == body


def test_escape_round_trips_every_byte_value():
    body = bytes(range(256)) * 2
    escaped = onbon.escape(body)
    assert not {0xA5, 0x5A} & set(escaped)
    assert onbon.unescape(escaped) == body


@pytest.mark.parametrize("bad", ["A6", "A6 03", "5B 00", "5B", "00 A5 00", "00 5A"])
def test_unescape_rejects_bad_sequences(bad):
    with pytest.raises(FrameError):
        onbon.unescape(bytes.fromhex(bad))


def test_crc16_arc_check_value():
    assert onbon.crc16_arc(b"123456789") == 0xBB3D  # the catalogue check value of CRC-16/ARC
    assert onbon.crc16_arc(b"") == 0


@pytest.mark.parametrize("data", [b"\xa3\x00\x01\x00\x00\x01", bytes(range(256)), b"\xa0\x00"])
def test_packet_round_trip(data):
    packet = onbon.Packet(0x1234, data, src=0x8000, display_mode=1)
    assert onbon.decode_packet(onbon.encode_packet(packet)) == packet


def test_decoder_accepts_any_run_of_a5_and_collapses_trailing_5a(golden):
    frame = bytes.fromhex(golden["onbon_turn_on"])
    assert onbon.decode_packet(b"\xa5" + frame[8:] + b"\x5a\x5a") == onbon.decode_packet(frame)


def test_decode_rejects_corrupted_crc(golden):
    frame = bytearray(bytes.fromhex(golden["onbon_turn_on"]))
    frame[-3] ^= 0x01  # a CRC byte
    with pytest.raises(ChecksumError):
        onbon.decode_packet(bytes(frame))


def test_decode_rejects_corrupted_payload(golden):
    frame = bytearray(bytes.fromhex(golden["onbon_turn_on"]))
    frame[27] = 0x02  # "turn off" instead of "turn on": CRC no longer matches
    with pytest.raises(ChecksumError):
        onbon.decode_packet(bytes(frame))


@pytest.mark.parametrize(
    "frame",
    [b"", b"\xa5\x5a", b"\xa5" * 8 + b"\x01\x02\x5a", b"\x00\x01\x5a", b"\xa5\x01\x02"],
)
def test_decode_rejects_malformed_frames(frame):
    with pytest.raises(FrameError):
        onbon.decode_packet(frame)


def test_decode_rejects_wrong_length_field(golden):
    body = onbon.unwrap(bytes.fromhex(golden["onbon_turn_on"]))
    body = body[:12] + b"\x07\x00" + body[14:-2]
    body += onbon.crc16_arc(body).to_bytes(2, "little")
    with pytest.raises(FrameError, match="length"):
        onbon.decode_packet(onbon.wrap(body))


def test_dynamic_area_defaults_are_the_vendor_sdks():
    area = onbon.DynamicArea(b"x")
    assert (area.area_type, area.area_id, area.line_space, area.run_mode, area.timeout) == (0, 0, 0, 0, 5)
    assert (area.sound_mode, area.align, area.single_line, area.new_line) == (0, 0, 2, 1)
    assert (area.display_mode, area.exit_mode, area.speed, area.hold) == (2, 0, 0, 8)
    assert onbon.DynamicAreaCommand((area,)).reply is True


def test_dynamic_area_layout():
    command = onbon.DynamicAreaCommand((onbon.DynamicArea(b"AB", x=1, y=2, width=8, height=16),))
    assert onbon.encode_dynamic_area(command) == bytes.fromhex(
        "A3 06 01 00 00"  # group, cmd, reply requested, process mode, reserved
        "00 01 1D 00"  # no areas deleted, one area of 29 bytes
        "00 0100 0200 0800 1000"  # type, x, y, w, h (u16 LE)
        "00 00 00 0500 00"  # id, line space, run mode, timeout 5 s, no sound
        "00 00 02 01 02 00 00 08"  # ext len, align, multi-line, manual newline, type-out, exit, speed, hold
        "02000000 4142"  # text length u32 LE, text
    )


@pytest.mark.parametrize(
    "command",
    [
        onbon.DynamicAreaCommand((onbon.DynamicArea("请到3号窗口".encode("gbk"), x=2, width=8, height=16),)),
        onbon.DynamicAreaCommand((), reply=False, process_mode=1, delete_ids=(1, 2)),
        onbon.DynamicAreaCommand(
            (
                onbon.DynamicArea(b"a", area_id=0, display_mode=3, hold=20),
                onbon.DynamicArea(b"", area_id=1, sound_mode=1, sound_person=3, sound_repeat=2),
                onbon.DynamicArea(b"b", area_id=2, sound_mode=2, sound_text="请".encode("gbk"), sound_volume=9),
            )
        ),
    ],
)
def test_dynamic_area_round_trip(command):
    assert onbon.decode_dynamic_area(onbon.encode_dynamic_area(command)) == command


def test_dynamic_area_rejects_truncated_and_trailing_data():
    data = onbon.encode_dynamic_area(onbon.DynamicAreaCommand((onbon.DynamicArea(b"abc"),)))
    with pytest.raises(FrameError):
        onbon.decode_dynamic_area(data[:-1])
    with pytest.raises(FrameError):
        onbon.decode_dynamic_area(data + b"\x00")
    with pytest.raises(FrameError):
        onbon.decode_dynamic_area(onbon.turn_on_off())


def test_dynamic_area_field_out_of_range_is_a_frame_error():
    with pytest.raises(FrameError):
        onbon.encode_dynamic_area(onbon.DynamicAreaCommand((onbon.DynamicArea(b"", width=70000),)))


def test_command_helpers():
    assert onbon.turn_on_off(False, reply=False) == bytes.fromhex("A3 00 00 00 00 02")
    assert onbon.clear_screen() == bytes.fromhex("A3 10 01 00 00")


def test_response_round_trip_and_padding():
    nack = onbon.Response(onbon.GROUP_REPLY, onbon.NACK, error=3, payload=b"\x09")
    assert onbon.decode_response(onbon.encode_response(nack)) == nack
    assert onbon.decode_response(b"\xa0\x00") == onbon.Response(0xA0, 0x00)
    with pytest.raises(FrameError):
        onbon.decode_response(b"\xa0")


def test_splitter_byte_by_byte(golden):
    frames = [bytes.fromhex(golden["onbon_turn_on"]), bytes.fromhex(golden["onbon_escapes_frame"])]
    splitter = onbon.OnbonSplitter()
    out = []
    for byte in b"".join(frames):
        out += splitter.feed(bytes((byte,)))
    assert out == frames


def test_splitter_skips_garbage_between_frames_and_normalises_preamble(golden):
    frame = bytes.fromhex(golden["onbon_escapes_frame"])
    short = b"\xa5\xa5" + frame[8:]  # a sender may use a shorter A5 run
    stream = b"\x00\x13garbage" + frame + b"\x5a\x5a\xff" + short + b"noise"
    assert onbon.OnbonSplitter().feed(stream) == [frame, frame]


def test_splitter_drops_a_frame_cut_short_by_a_new_one(golden):
    frame = bytes.fromhex(golden["onbon_turn_on"])
    splitter = onbon.OnbonSplitter()
    assert splitter.feed(frame[:20] + frame) == [frame]
    assert splitter.dropped == 1


def test_splitter_bounds_a_runaway_frame():
    splitter = onbon.OnbonSplitter()
    assert splitter.feed(b"\xa5" + b"\x01" * (onbon.MAX_BODY + 10) + b"\x5a") == []
    assert splitter.dropped == 1
