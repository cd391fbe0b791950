"""The 21-key caller (呼叫器) and evaluator (评价器) protocol ``FF 68 L L 68 ADDR CMD DATA… SUM 16`` (§3.1).

L counts ADDR..DATA (sent twice); SUM = (ADDR + CMD + DATA) mod 256. Framing is fed bytes, so no port is needed."""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from typing import Callable

import serial.threaded

log = logging.getLogger(__name__)

START = b"\xff\x68"
MID = 0x68
END = 0x16
CMD_KEY = 0x01  # [GUESS] what keypads put in CMD; the host accepts any CMD except 0x11 as a key frame
CMD_EVAL_ACK = 0x01
CMD_DISPLAY = 0x02
CMD_BEEP = 0x03
CMD_EVALUATOR = 0x11
BLANK = 0x0A  # a blank digit on the keypad display

#: Keypad → host frames carry 1..3 data bytes (L 3..5); the reference host drops anything longer.
HOST_MAX_LEN = 5
#: Host → keypad frames: beep has no data (L 2), display has six digits (L 8).
DEVICE_MAX_LEN = 8


class KeyAction(str, Enum):
    """What a keypad key asks the queue to do."""

    NEXT = "next"  # 叫号
    RECALL = "recall"  # 重呼
    EVALUATE = "evaluate"  # 评价: ask the resident to rate
    PAUSE = "pause"  # 暂停/等候
    TRANSFER = "transfer"  # 转移
    CANCEL = "cancel"  # 取消
    NO_SHOW = "no_show"  # 6+确认: 弃号
    HANG = "hang"  # 0+确认: 挂起
    CALLBACK = "callback"  # 3+确认: 回呼
    CONFIRM = "confirm"  # 确认 with any other digits: left to the caller


KEY_CODES: dict[int, KeyAction] = {
    0x0C: KeyAction.NEXT,
    0x0D: KeyAction.RECALL,
    0x0B: KeyAction.EVALUATE,
    0x12: KeyAction.PAUSE,
    0x13: KeyAction.TRANSFER,
    0x0E: KeyAction.CANCEL,
}
KEY_CONFIRM = 0x0F
CONFIRM_DIGITS: dict[str, KeyAction] = {"6": KeyAction.NO_SHOW, "0": KeyAction.HANG, "3": KeyAction.CALLBACK}


@dataclass(frozen=True)
class Frame:
    """One well-formed frame."""

    address: int
    cmd: int
    data: bytes = b""

    @property
    def checksum(self) -> int:
        """Return SUM: (ADDR + CMD + DATA) mod 256."""
        return (self.address + self.cmd + sum(self.data)) & 0xFF

    def encode(self) -> bytes:
        """Return the frame's bytes."""
        length = 2 + len(self.data)
        if not (0 <= self.address <= 0xFF and 0 <= self.cmd <= 0xFF and length <= 0xFF):
            raise ValueError("address, cmd and length must fit in one byte")
        return START + bytes([length, length, MID, self.address, self.cmd]) + self.data + bytes(
            [self.checksum, END])


@dataclass(frozen=True)
class KeypadCommand:
    """A key press on caller keypad ``address``; ``digits`` were typed before the key."""

    address: int
    action: KeyAction
    digits: str = ""


@dataclass(frozen=True)
class EvaluatorRating:
    """A rating from evaluator ``address``; the raw value's meaning is per device model (configure it)."""

    address: int
    rating: int


class FrameError(ValueError):
    """Bytes that are not a well-formed frame; ``reason`` is a short machine code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode_frame(raw: bytes, min_len: int = 3, max_len: int = HOST_MAX_LEN) -> Frame:
    """Decode one complete frame or raise FrameError."""
    if len(raw) < 9 or raw[:2] != START:
        raise FrameError("short" if len(raw) < 9 else "start")
    length = raw[2]
    if raw[3] != length or raw[4] != MID:
        raise FrameError("header")
    if not min_len <= length <= max_len:
        raise FrameError("length")
    if len(raw) != length + 7:
        raise FrameError("size")
    if raw[-1] != END:
        raise FrameError("end")
    frame = Frame(raw[5], raw[6], bytes(raw[7:-2]))
    if frame.checksum != raw[-2]:
        raise FrameError("checksum")
    return frame


class FrameSplitter:
    """Split a byte stream into frames; garbage and garbled frames are dropped and counted, never returned.

    On any defect it skips one byte and searches for the next ``FF 68``, so a frame hidden behind garbage
    or a corrupted length byte is still found.
    """

    def __init__(self, min_len: int = 3, max_len: int = HOST_MAX_LEN) -> None:
        self.min_len = min_len
        self.max_len = max_len
        self.garbled = 0
        self.reasons: Counter[str] = Counter()
        self.noise_bytes = 0  # bytes outside any frame
        self._buf = bytearray()
        self._last_data = 0.0

    def feed(self, data: bytes, now: float | None = None) -> list[Frame]:
        """Add received bytes; return the frames completed by them."""
        self._buf.extend(data)
        self._last_data = time.monotonic() if now is None else now
        frames: list[Frame] = []
        while True:
            start = self._buf.find(START)
            if start < 0:
                # Keep a trailing FF: it may be the first half of the next start marker.
                keep = 1 if self._buf.endswith(START[:1]) else 0
                self.noise_bytes += len(self._buf) - keep
                del self._buf[: len(self._buf) - keep]
                return frames
            self.noise_bytes += start
            del self._buf[:start]
            if len(self._buf) < 5:
                return frames
            length = self._buf[2]
            if self._buf[3] != length or self._buf[4] != MID or not self.min_len <= length <= self.max_len:
                self._reject("header" if self._buf[3] != length or self._buf[4] != MID else "length")
                continue
            size = length + 7
            if len(self._buf) < size:
                return frames  # partial frame: wait for the rest
            try:
                frames.append(decode_frame(bytes(self._buf[:size]), self.min_len, self.max_len))
            except FrameError as exc:
                self._reject(exc.reason)
                continue
            del self._buf[:size]

    def expire(self, gap: float, now: float | None = None) -> bool:
        """Drop a partial frame older than ``gap`` seconds (the sender stopped mid-frame); count it."""
        now = time.monotonic() if now is None else now
        if self._buf.startswith(START) and now - self._last_data >= gap:
            self._reject("truncated")
            self.noise_bytes += len(self._buf)
            self._buf.clear()
            return True
        return False

    @property
    def pending(self) -> int:
        """Return how many received bytes wait for the rest of a frame."""
        return len(self._buf)

    def _reject(self, reason: str) -> None:
        self.garbled += 1
        self.reasons[reason] += 1
        log.debug("dropped garbled keypad frame (%s): %s", reason, bytes(self._buf[:16]).hex(" "))
        del self._buf[:1]


def interpret(frame: Frame) -> KeypadCommand | EvaluatorRating | None:
    """Map a frame from a keypad or evaluator to what it asks for; None for keys the host does not use."""
    if frame.cmd == CMD_EVALUATOR:
        return EvaluatorRating(frame.address, frame.data[0]) if frame.data else None
    if not frame.data:
        return None
    key, typed = frame.data[-1], frame.data[:-1]
    if any(d > 9 for d in typed):
        return None
    digits = "".join(str(d) for d in typed)
    if key == KEY_CONFIRM:
        return KeypadCommand(frame.address, CONFIRM_DIGITS.get(digits, KeyAction.CONFIRM), digits)
    action = KEY_CODES.get(key)
    return KeypadCommand(frame.address, action, digits) if action else None


def ack_for(frame: Frame) -> bytes:
    """Return the host's acknowledgement: the frame echoed, with CMD 0x01 for evaluator frames."""
    if frame.cmd == CMD_EVALUATOR:
        return Frame(frame.address, CMD_EVAL_ACK, frame.data).encode()
    return frame.encode()


def _digit_codes(text: str) -> list[int]:
    digits = [int(c) for c in text if c.isdigit()][-3:]
    return [BLANK] * (3 - len(digits)) + digits


def display_frame(address: int, number: str) -> bytes:
    """Return the frame showing the last three digits of ticket ``number`` on keypad ``address``."""
    return Frame(address, CMD_DISPLAY, bytes([BLANK] * 3 + _digit_codes(number))).encode()


def waiting_frame(address: int, count: int) -> bytes:
    """Return the frame showing how many people wait (zero-padded, capped at 999) on keypad ``address``."""
    digits = _digit_codes(f"{min(max(count, 0), 999):03d}")
    return Frame(address, CMD_DISPLAY, bytes(digits + [BLANK] * 3)).encode()


def beep_frame(address: int) -> bytes:
    """Return the frame that makes keypad ``address`` beep."""
    return Frame(address, CMD_BEEP).encode()


def key_frame(address: int, key: KeyAction | int, digits: str = "") -> bytes:
    """Return the frame a keypad sends for ``key`` (an action or a raw code) after typing ``digits``."""
    if isinstance(key, KeyAction):
        confirm = {v: k for k, v in CONFIRM_DIGITS.items()}
        if key in confirm:
            digits, code = confirm[key], KEY_CONFIRM
        elif key is KeyAction.CONFIRM:
            code = KEY_CONFIRM
        else:
            code = {v: k for k, v in KEY_CODES.items()}[key]
    else:
        code = key
    return Frame(address, CMD_KEY, bytes(int(d) for d in digits) + bytes([code])).encode()


def rating_frame(address: int, rating: int) -> bytes:
    """Return the frame an evaluator sends for ``rating``."""
    return Frame(address, CMD_EVALUATOR, bytes([rating])).encode()


class KeypadProtocol(serial.threaded.Protocol):
    """Host side: split frames, ack each valid one, and hand commands and ratings to callbacks.

    A frame identical to one acked within ``repeat_window`` seconds from the same address is acked again but
    not acted on: a keypad that missed our ack resends [GUESS], and a doubled "next" would skip a resident.
    """

    def __init__(self, on_command: Callable[[KeypadCommand], None] | None = None,
                 on_rating: Callable[[EvaluatorRating], None] | None = None, *, repeat_window: float = 0.3,
                 max_len: int = HOST_MAX_LEN, clock: Callable[[], float] = time.monotonic) -> None:
        self.on_command = on_command
        self.on_rating = on_rating
        self.repeat_window = repeat_window
        self.splitter = FrameSplitter(max_len=max_len)
        self.transport: object | None = None
        self.counts: Counter[str] = Counter()
        self._clock = clock
        self._last: dict[int, tuple[bytes, float]] = {}

    def connection_made(self, transport: object) -> None:
        """Remember the transport acks are written to (anything with ``write(bytes)``)."""
        self.transport = transport

    def connection_lost(self, exc: BaseException | None) -> None:
        """Forget the transport; a reconnect gets a fresh one."""
        self.transport = None

    def data_received(self, data: bytes) -> None:
        """Handle received bytes: ack and dispatch every complete valid frame."""
        for frame in self.splitter.feed(data, self._clock()):
            self.handle_frame(frame)

    def handle_frame(self, frame: Frame) -> None:
        """Ack one valid frame, then dispatch it unless it is a resend."""
        raw = frame.encode()
        if self.transport is not None:
            self.transport.write(ack_for(frame))  # type: ignore[attr-defined]
            self.counts["acks"] += 1
        now = self._clock()
        last = self._last.get(frame.address)
        self._last[frame.address] = (raw, now)
        if last and last[0] == raw and now - last[1] < self.repeat_window:
            self.counts["repeats"] += 1
            return
        event = interpret(frame)
        if event is None:
            self.counts["unknown"] += 1
            log.info("keypad %d: unused frame cmd=%02X data=%s", frame.address, frame.cmd, frame.data.hex(" "))
            return
        self.counts["ratings" if isinstance(event, EvaluatorRating) else "commands"] += 1
        callback = self.on_rating if isinstance(event, EvaluatorRating) else self.on_command
        if callback is None:
            return
        try:
            callback(event)  # type: ignore[arg-type]
        except Exception:  # a failing handler must not stop the bus: log and carry on with the next frame
            log.exception("keypad handler failed for %s", event)
