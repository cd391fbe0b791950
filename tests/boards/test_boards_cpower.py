"""C-Power CP5200 protocol: golden vector, escaping, checksum, round trips and the frame splitter."""

import pytest

from boards import cpower
from boards.errors import ChecksumError, FrameError


def test_pure_text_matches_vendor_document_example_2(golden):
    item = cpower.PureText(b"abc\rcba")  # window 0, effect 0, align 1, speed 0, stay 3, font 2, red
    frame = cpower.encode_packet(cpower.Packet(1, cpower.encode_pure_text(item)))
    assert frame == bytes.fromhex(golden["cpower_pure_text_example_2"])


def test_golden_frame_decodes_back(golden):
    packet = cpower.decode_packet(bytes.fromhex(golden["cpower_pure_text_example_2"]))
    assert (packet.card_id, packet.flag, packet.packet_type, packet.is_reply) == (1, 1, 0x68, False)
    item = cpower.decode_pure_text(packet.data)
    assert item == cpower.PureText(b"abc\rcba")
    assert item.stay_s == 3  # the one big-endian field: 00 03


@pytest.mark.parametrize(
    ("body", "wire"),
    [("A5", "AA 05"), ("AE", "AA 0E"), ("AA", "AA 0A"), ("00 A5 AE AA 01", "00 AA 05 AA 0E AA 0A 01")],
)
def test_escape_vectors(body, wire):
    assert cpower.escape(bytes.fromhex(body)) == bytes.fromhex(wire)
    assert cpower.unescape(bytes.fromhex(wire)) == bytes.fromhex(body)


@pytest.mark.parametrize("bad", ["AA", "AA 01", "00 A5", "AE"])
def test_unescape_rejects_bad_sequences(bad):
    with pytest.raises(FrameError):
        cpower.unescape(bytes.fromhex(bad))


def test_checksum_wraps_at_16_bits():
    assert cpower.checksum(b"\xff" * 258) == (255 * 258) & 0xFFFF
    assert cpower.checksum(b"") == 0


def test_escaped_bytes_in_checksum_and_payload_round_trip():
    # Payload and checksum both contain bytes that need escaping.
    packet = cpower.Packet(0xA5, bytes((0x12, 0xAE, 0xAA, 0xA5)) + bytes(range(200)), flag=0)
    wire = cpower.encode_packet(packet)
    assert wire.count(0xA5) == 1 and wire.count(0xAE) == 1
    assert cpower.decode_packet(wire) == packet


@pytest.mark.parametrize(
    "item",
    [
        cpower.PureText("请到3号窗口".encode("gbk"), window=2, effect=6, align=5, speed=9, stay_s=300, font=1,
                        color=(0, 255, 0)),
        cpower.PureText(b""),
    ],
)
def test_pure_text_round_trip(item):
    assert cpower.decode_pure_text(cpower.encode_pure_text(item)) == item


def test_pure_text_rejects_nul_and_out_of_range():
    with pytest.raises(FrameError):
        cpower.encode_pure_text(cpower.PureText(b"a\x00b"))
    with pytest.raises(FrameError):
        cpower.encode_pure_text(cpower.PureText(b"a", stay_s=70000))
    with pytest.raises(FrameError):
        cpower.decode_pure_text(b"\x12\x00")
    with pytest.raises(FrameError):
        cpower.decode_pure_text(cpower.encode_pure_text(cpower.PureText(b"ab"))[:-1])


def test_windows_round_trip_and_limits():
    windows = [(0, 0, 64, 16), (64, 0, 128, 16)]
    data = cpower.encode_windows(windows)
    assert data[:2] == b"\x01\x02" and data[2:10] == bytes.fromhex("0000 0000 0040 0010")  # big-endian
    assert cpower.decode_windows(data) == windows
    with pytest.raises(FrameError):
        cpower.encode_windows([])
    with pytest.raises(FrameError):
        cpower.decode_windows(data[:-1])


def test_reply_packet_round_trip():
    wire = cpower.encode_packet(cpower.reply_packet(7, cpower.RETURN_CHECKSUM))
    packet = cpower.decode_packet(wire)
    assert (packet.card_id, packet.flag, packet.packet_type, packet.is_reply) == (7, 1, 0xE8, True)


def test_decode_rejects_bad_checksum_length_and_type(golden):
    frame = bytearray(bytes.fromhex(golden["cpower_pure_text_example_2"]))
    frame[-3] ^= 0x01
    with pytest.raises(ChecksumError):
        cpower.decode_packet(bytes(frame))
    body = bytearray(cpower.unescape(bytes.fromhex(golden["cpower_pure_text_example_2"])[1:-1]))
    body[5] = 0x14  # length field one too big
    with pytest.raises(FrameError, match="length"):
        cpower.decode_packet(b"\xa5" + cpower.escape(bytes(body)) + b"\xae")
    odd = cpower.encode_packet(cpower.Packet(1, b"\x12", packet_type=0x33))
    with pytest.raises(FrameError, match="packet type"):
        cpower.decode_packet(odd)
    with pytest.raises(FrameError):
        cpower.decode_packet(b"\xa5\x68\xae")


def test_splitter_byte_by_byte_with_garbage(golden):
    frame = bytes.fromhex(golden["cpower_pure_text_example_2"])
    reply = cpower.encode_packet(cpower.reply_packet(1))
    stream = b"\x00zz" + frame + b"\xae\xae junk" + reply + b"\x01"
    splitter = cpower.CPowerSplitter()
    out = []
    for byte in stream:
        out += splitter.feed(bytes((byte,)))
    assert out == [frame, reply]


def test_splitter_restarts_on_a_new_start_code(golden):
    frame = bytes.fromhex(golden["cpower_pure_text_example_2"])
    splitter = cpower.CPowerSplitter()
    assert splitter.feed(frame[:10] + frame) == [frame]
    assert splitter.dropped == 1
    assert splitter.feed(b"\xa5" + b"\x01" * (cpower.MAX_BODY + 1)) == []
    assert splitter.dropped == 2
