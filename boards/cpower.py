"""C-Power CP5200-family "external calls" serial protocol: framing, checksum, escaping, CC=0x12, no I/O.

Layout from the vendor document transcribed in arturas88/led-controller-sdk (HARDWARE_BRIEF §1.2 B).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from boards.errors import ChecksumError, FrameError
from boards.escaping import DelimitedSplitter, Escaping

START = 0xA5
END = 0xAE
ESCAPE = 0xAA
PACKET_SEND = 0x68
PACKET_REPLY = 0xE8  # 0x68 | 0x80; firmware before app 3.3 answers 0x68, so match on the low 7 bits
CARD_TYPE = 0x32
PROTOCOL_EXTERNAL_CALLS = 0x7B
GROUP_ADDRESS = 0xFF  # every card accepts it "unconditionally"
CC_SPLIT_WINDOWS = 0x01
CC_PURE_TEXT = 0x12
RETURN_OK, RETURN_CHECKSUM, RETURN_SEQUENCE = 0x00, 0x01, 0x02
MAX_BODY = 16 * 1024  # bounds memory if the line carries noise

_ESCAPING = Escaping({0xA5: b"\xaa\x05", 0xAE: b"\xaa\x0e", 0xAA: b"\xaa\x0a"}, (START, END))
_HEAD = struct.Struct("<BBBBBHBB")  # type, card type, card id, protocol, flag, length, packet no, last packet


def checksum(data: bytes) -> int:
    """Return the 16-bit wrap-around byte sum of data."""
    return sum(data) & 0xFFFF


def escape(body: bytes) -> bytes:
    """Escape A5, AE and AA between the start and end codes."""
    return _ESCAPING.escape(body)


def unescape(body: bytes) -> bytes:
    """Undo escape(); raise FrameError on a dangling or unknown escape pair."""
    return _ESCAPING.unescape(body)


@dataclass(frozen=True)
class Packet:
    """One serial packet. flag is the ack request (0/1) on sends and the return code on replies."""

    card_id: int
    data: bytes  # CC (command sub-code) followed by its data
    flag: int = 1
    packet_type: int = PACKET_SEND
    packet_no: int = 0
    last_packet: int = 0
    card_type: int = CARD_TYPE
    protocol: int = PROTOCOL_EXTERNAL_CALLS

    @property
    def is_reply(self) -> bool:
        """Tell whether the packet travels card-to-host (high bit of the packet type)."""
        return bool(self.packet_type & 0x80)


def encode_packet(packet: Packet) -> bytes:
    """Return the escaped wire frame for a packet."""
    try:
        body = _HEAD.pack(
            packet.packet_type, packet.card_type, packet.card_id, packet.protocol, packet.flag,
            len(packet.data), packet.packet_no, packet.last_packet,
        ) + packet.data
    except struct.error as exc:
        raise FrameError(f"packet field out of range: {exc}") from None
    body += struct.pack("<H", checksum(body))
    return bytes((START,)) + escape(body) + bytes((END,))


def decode_packet(frame: bytes) -> Packet:
    """Parse and checksum-verify a wire frame; raise FrameError or ChecksumError."""
    if len(frame) < 2 or frame[0] != START or frame[-1] != END:
        raise FrameError("frame must start with A5 and end with AE")
    body = unescape(frame[1:-1])
    if len(body) < _HEAD.size + 2:
        raise FrameError(f"frame body too short: {len(body)} bytes")
    ptype, card_type, card_id, protocol, flag, length, packet_no, last_packet = _HEAD.unpack_from(body)
    if length != len(body) - _HEAD.size - 2:
        raise FrameError(f"length field {length} does not match {len(body) - _HEAD.size - 2} data bytes")
    (received,) = struct.unpack_from("<H", body, len(body) - 2)
    if received != checksum(body[:-2]):
        raise ChecksumError(f"checksum {received:04X} != computed {checksum(body[:-2]):04X}")
    if ptype & 0x7F != PACKET_SEND:
        raise FrameError(f"unknown packet type {ptype:02X}")
    return Packet(card_id, body[_HEAD.size:-2], flag, ptype, packet_no, last_packet, card_type, protocol)


@dataclass(frozen=True)
class PureText:
    """CC=0x12 "send pure text to window"; defaults are the vendor document's example 2."""

    text: bytes  # GBK, lines separated by CR; must not contain NUL (the terminator)
    window: int = 0
    effect: int = 0  # 0 draw (appear at once)
    align: int = 1  # bits 0-1 horizontal (1 = centre), bits 2-3 vertical
    speed: int = 0
    stay_s: int = 3  # u16 big-endian, unlike every other multi-byte field
    font: int = 2  # size code 2 = 16 px
    color: tuple[int, int, int] = (0xFF, 0x00, 0x00)


def encode_pure_text(item: PureText) -> bytes:
    """Return CC + data of a pure-text command."""
    if b"\x00" in item.text:
        raise FrameError("pure text must not contain NUL bytes")
    try:
        return struct.pack(
            ">BBBBBHB3B", CC_PURE_TEXT, item.window, item.effect, item.align, item.speed, item.stay_s,
            item.font, *item.color,
        ) + item.text + b"\x00"
    except struct.error as exc:
        raise FrameError(f"pure text field out of range: {exc}") from None


def decode_pure_text(data: bytes) -> PureText:
    """Parse CC + data of a pure-text command; raise FrameError if malformed."""
    if len(data) < 12 or data[0] != CC_PURE_TEXT:
        raise FrameError(f"not a pure text command: {data[:12].hex(' ')}")
    _, window, effect, align, speed, stay, font, r, g, b = struct.unpack_from(">BBBBBHB3B", data)
    if data[-1] != 0 or b"\x00" in data[11:-1]:
        raise FrameError("pure text must end at its single NUL terminator")
    return PureText(data[11:-1], window, effect, align, speed, stay, font, (r, g, b))


def encode_windows(windows: list[tuple[int, int, int, int]]) -> bytes:
    """Return CC + data of a "divide display window" command; each window is (x, y, w, h) in pixels."""
    if not 1 <= len(windows) <= 8:
        raise FrameError(f"a card has 1 to 8 windows, got {len(windows)}")
    try:
        return bytes((CC_SPLIT_WINDOWS, len(windows))) + b"".join(struct.pack(">4H", *w) for w in windows)
    except struct.error as exc:
        raise FrameError(f"window geometry out of range: {exc}") from None


def decode_windows(data: bytes) -> list[tuple[int, int, int, int]]:
    """Parse CC + data of a "divide display window" command."""
    if len(data) < 2 or data[0] != CC_SPLIT_WINDOWS or len(data) != 2 + 8 * data[1]:
        raise FrameError(f"not a window division command: {data.hex(' ')}")
    return [struct.unpack_from(">4H", data, 2 + 8 * i) for i in range(data[1])]


def reply_packet(card_id: int, code: int = RETURN_OK, cc: int = CC_PURE_TEXT) -> Packet:
    """Return the packet a card sends back: return code in the flag byte, the CC echoed."""
    return Packet(card_id, bytes((cc,)), flag=code, packet_type=PACKET_REPLY)


class CPowerSplitter(DelimitedSplitter):
    """Split a byte stream into frames: A5 starts one (restarting any partial frame), AE ends it."""

    start, end, max_body = START, END, MAX_BODY

    def frame(self, body: bytes) -> bytes:
        return bytes((START,)) + body + bytes((END,))
