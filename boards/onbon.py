"""Onbon BX-5K/6K font-card (字库卡) protocol: framing, CRC, escaping and commands, no I/O.

Layout from the vendor's bx.k.java SDK (HARDWARE_BRIEF §1.2 A); golden vectors in GOLDEN_VECTORS.md.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from boards.errors import ChecksumError, FrameError
from boards.escaping import DelimitedSplitter, Escaping

START = 0xA5
END = 0x5A
PREAMBLE = bytes([START]) * 8  # the SDK sends eight; receivers accept any run of A5
WILDCARD_ADDRESS = 0xFFFE  # 5K "any screen" address: every board accepts it
HOST_ADDRESS = 0x8000
DEVICE_ANY = 0xFE
PROTOCOL_VERSION = 0x02
HEADER_LEN = 14
CRC_LEN = 2
MAX_BODY = 16 * 1024  # far above any text frame; bounds memory if the line carries noise

GROUP_REPLY = 0xA0
ACK, NACK = 0x00, 0x01
GROUP_SCREEN = 0xA3
CMD_TURN_ON_OFF = 0x00
CMD_DYNAMIC_AREA = 0x06
CMD_CLEAR_SCREEN = 0x10

_ESCAPING = Escaping({0xA5: b"\xa6\x02", 0xA6: b"\xa6\x01", 0x5A: b"\x5b\x02", 0x5B: b"\x5b\x01"}, (START, END))


def crc16_arc(data: bytes) -> int:
    """Return CRC-16/ARC (poly 0xA001 reflected, init 0, no xorout) of data."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def escape(body: bytes) -> bytes:
    """Escape A5, A6, 5A and 5B so the body cannot contain a frame delimiter."""
    return _ESCAPING.escape(body)


def unescape(body: bytes) -> bytes:
    """Undo escape(); raise FrameError on a dangling or unknown escape pair."""
    return _ESCAPING.unescape(body)


def wrap(body: bytes) -> bytes:
    """Return preamble + escaped body + end byte."""
    return PREAMBLE + escape(body) + bytes((END,))


def unwrap(frame: bytes) -> bytes:
    """Strip the A5 run and the 5A end from a frame and unescape the body."""
    if not frame or frame[0] != START or frame[-1] != END:
        raise FrameError("frame must start with A5 and end with 5A")
    return unescape(frame.lstrip(bytes((START,))).rstrip(bytes((END,))))


@dataclass(frozen=True)
class Packet:
    """One frame's header fields and data; data starts with cmd group, cmd, reply flag."""

    dst: int
    data: bytes
    src: int = HOST_ADDRESS
    device_type: int = DEVICE_ANY
    version: int = PROTOCOL_VERSION
    display_mode: int = 0
    crc_mode: int = 0
    reserved: bytes = b"\x00\x00\x00"


def encode_packet(packet: Packet) -> bytes:
    """Return the escaped wire frame for a packet."""
    try:
        header = struct.pack(
            "<HH3sBBBBBH", packet.dst, packet.src, packet.reserved, 0,  # option 0: no barcode
            packet.crc_mode, packet.display_mode, packet.device_type, packet.version, len(packet.data),
        )
    except struct.error as exc:
        raise FrameError(f"packet field out of range: {exc}") from None
    body = header + packet.data
    return wrap(body + struct.pack("<H", crc16_arc(body)))


def decode_packet(frame: bytes) -> Packet:
    """Parse and CRC-check a wire frame; raise FrameError or ChecksumError."""
    body = unwrap(frame)
    if len(body) < HEADER_LEN + CRC_LEN:
        raise FrameError(f"frame body too short: {len(body)} bytes")
    dst, src, reserved, option, crc_mode, display_mode, device_type, version, data_len = struct.unpack_from(
        "<HH3sBBBBBH", body
    )
    if option != 0:
        raise FrameError(f"barcode option {option:02X} is not supported")
    if data_len != len(body) - HEADER_LEN - CRC_LEN:
        raise FrameError(f"data length field {data_len} does not match {len(body) - HEADER_LEN - CRC_LEN} bytes")
    (crc,) = struct.unpack_from("<H", body, len(body) - CRC_LEN)
    if crc != crc16_arc(body[:-CRC_LEN]):
        raise ChecksumError(f"CRC {crc:04X} != computed {crc16_arc(body[:-CRC_LEN]):04X}")
    return Packet(dst, body[HEADER_LEN:-CRC_LEN], src, device_type, version, display_mode, crc_mode, reserved)


@dataclass(frozen=True)
class DynamicArea:
    """One dynamic (RAM-only) text area; defaults are the vendor SDK's (GOLDEN_VECTORS.md).

    x and width are in the card's units: 8-pixel columns on 5K, pixels on 6K.
    """

    text: bytes
    x: int = 0
    y: int = 0
    width: int = 0
    height: int = 0
    area_type: int = 0x00
    area_id: int = 0
    line_space: int = 0
    run_mode: int = 0  # 0: loop the dynamic data
    timeout: int = 5  # seconds, only used by run modes 2, 3 and 5
    sound_mode: int = 0  # 0 none; 1 speak text; 2 speak sound_text (-YY cards)
    sound_person: int = 0
    sound_repeat: int = 0
    sound_volume: int = 5
    sound_speed: int = 5
    sound_text: bytes = b""
    align: int = 0
    single_line: int = 0x02  # multi-line
    new_line: int = 0x01  # manual line breaks
    display_mode: int = 0x02  # quick type-out
    exit_mode: int = 0
    speed: int = 0
    hold: int = 8  # units of 0.5 s


@dataclass(frozen=True)
class DynamicAreaCommand:
    """The A3 06 command: delete some areas, then (re)define and fill others."""

    areas: tuple[DynamicArea, ...]
    reply: bool = True
    process_mode: int = 0
    delete_ids: tuple[int, ...] = ()
    r2: int = 0


def _encode_area(area: DynamicArea) -> bytes:
    out = struct.pack(
        "<BHHHHBBBHB", area.area_type, area.x, area.y, area.width, area.height,
        area.area_id, area.line_space, area.run_mode, area.timeout, area.sound_mode,
    )
    if area.sound_mode in (1, 2):
        out += bytes(((area.sound_repeat << 4) & 0xF0 | area.sound_person & 0x0F, area.sound_volume, area.sound_speed))
    if area.sound_mode == 2:
        out += struct.pack("<I", len(area.sound_text)) + area.sound_text
    out += struct.pack(
        "<BBBBBBBBI", 0,  # extended parameter length: none
        area.align, area.single_line, area.new_line, area.display_mode, area.exit_mode, area.speed, area.hold,
        len(area.text),
    )
    return out + area.text


def encode_dynamic_area(command: DynamicAreaCommand) -> bytes:
    """Return the data field of an A3 06 dynamic-area command."""
    try:
        out = bytes((GROUP_SCREEN, CMD_DYNAMIC_AREA, int(command.reply), command.process_mode, command.r2))
        out += bytes((len(command.delete_ids), *command.delete_ids)) + bytes((len(command.areas),))
        for area in command.areas:
            encoded = _encode_area(area)
            out += struct.pack("<H", len(encoded)) + encoded
    except (struct.error, ValueError) as exc:
        raise FrameError(f"dynamic area field out of range: {exc}") from None
    return out


class _Reader:
    """Sequential little-endian reader that raises FrameError when data runs out."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple:
        """Unpack the next fields described by a struct format."""
        size = struct.calcsize("<" + fmt)
        if self.pos + size > len(self.data):
            raise FrameError(f"truncated field at offset {self.pos}")
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += size
        return values

    def raw(self, size: int) -> bytes:
        """Return the next size bytes."""
        if self.pos + size > len(self.data):
            raise FrameError(f"truncated data at offset {self.pos}: want {size} bytes")
        self.pos += size
        return self.data[self.pos - size:self.pos]


def _decode_area(data: bytes) -> DynamicArea:
    r = _Reader(data)
    area_type, x, y, w, h, area_id, line_space, run_mode, timeout, sound_mode = r.take("BHHHHBBBHB")
    sound = {}
    if sound_mode in (1, 2):
        pr, volume, speed = r.take("BBB")
        sound = {"sound_person": pr & 0x0F, "sound_repeat": pr >> 4, "sound_volume": volume, "sound_speed": speed}
    if sound_mode == 2:
        sound["sound_text"] = r.raw(r.take("I")[0])
    (ext_len,) = r.take("B")
    r.raw(ext_len)  # extended parameters (type setting): we never send them
    align, single, new_line, mode, exit_mode, speed, hold, text_len = r.take("BBBBBBBI")
    text = r.raw(text_len)
    if r.pos != len(data):
        raise FrameError(f"{len(data) - r.pos} trailing bytes after area text")
    return DynamicArea(
        text, x, y, w, h, area_type, area_id, line_space, run_mode, timeout, sound_mode, align=align,
        single_line=single, new_line=new_line, display_mode=mode, exit_mode=exit_mode, speed=speed, hold=hold, **sound,
    )


def decode_dynamic_area(data: bytes) -> DynamicAreaCommand:
    """Parse the data field of an A3 06 command; raise FrameError if malformed."""
    r = _Reader(data)
    group, cmd, reply, process_mode, r2, del_count = r.take("BBBBBB")
    if (group, cmd) != (GROUP_SCREEN, CMD_DYNAMIC_AREA):
        raise FrameError(f"not a dynamic area command: {group:02X} {cmd:02X}")
    delete_ids = tuple(r.raw(del_count))
    (area_count,) = r.take("B")
    areas = tuple(_decode_area(r.raw(r.take("H")[0])) for _ in range(area_count))
    if r.pos != len(data):
        raise FrameError(f"{len(data) - r.pos} trailing bytes after areas")
    return DynamicAreaCommand(areas, bool(reply), process_mode, delete_ids, r2)


def turn_on_off(on: bool = True, *, reply: bool = True) -> bytes:
    """Return the data field of A3 00 (force the screen on or off)."""
    return bytes((GROUP_SCREEN, CMD_TURN_ON_OFF, int(reply), 0, 0, 0x01 if on else 0x02))


def clear_screen(*, reply: bool = True) -> bytes:
    """Return the data field of A3 10 (clear the whole screen)."""
    return bytes((GROUP_SCREEN, CMD_CLEAR_SCREEN, int(reply), 0, 0))


@dataclass(frozen=True)
class Response:
    """A board's response data: group, cmd (A0 00 ACK / A0 01 NACK), error and extra payload."""

    group: int
    cmd: int
    error: int = 0
    r0: int = 0
    r1: int = 0
    payload: bytes = b""


def encode_response(response: Response) -> bytes:
    """Return the data field of a board response."""
    return bytes((response.group, response.cmd, response.error, response.r0, response.r1)) + response.payload


def decode_response(data: bytes) -> Response:
    """Parse a board response data field (short ones get zero padding)."""
    if len(data) < 2:
        raise FrameError(f"response data too short: {data.hex(' ')}")
    head = data[:5].ljust(5, b"\x00")
    return Response(head[0], head[1], head[2], head[3], head[4], data[5:])


class OnbonSplitter(DelimitedSplitter):
    """Split a byte stream into frames: any run of A5 starts one, 5A ends it."""

    start, end, max_body = START, END, MAX_BODY

    def frame(self, body: bytes) -> bytes:
        return PREAMBLE + body + bytes((END,))  # normalised to an 8-byte preamble
