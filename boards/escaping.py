"""Byte stuffing shared by the board protocols: each reserved byte travels as a two-byte pair."""

from __future__ import annotations

from .errors import FrameError


class Escaping:
    """A protocol's escape table: `pairs` maps each reserved byte to the two bytes sent for it."""

    def __init__(self, pairs: dict[int, bytes], delimiters: tuple[int, ...]):
        self._escapes = pairs
        self._unescapes = {(p[0], p[1]): b for b, p in pairs.items()}
        self._leaders = {p[0] for p in pairs.values()}
        self._delimiters = delimiters

    def escape(self, body: bytes) -> bytes:
        """Replace every reserved byte by its pair."""
        return b"".join(self._escapes.get(b, bytes((b,))) for b in body)

    def unescape(self, body: bytes) -> bytes:
        """Undo escape(); raise FrameError on a dangling or unknown pair, or a bare delimiter."""
        out = bytearray()
        i = 0
        while i < len(body):
            byte = body[i]
            if byte in self._leaders:
                if i + 1 >= len(body) or (byte, body[i + 1]) not in self._unescapes:
                    raise FrameError(f"bad escape sequence at offset {i}: {body[i:i + 2].hex(' ')}")
                out.append(self._unescapes[(byte, body[i + 1])])
                i += 2
            elif byte in self._delimiters:
                raise FrameError(f"unescaped delimiter {byte:02X} at offset {i}")
            else:
                out.append(byte)
                i += 1
        return bytes(out)


class DelimitedSplitter:
    """Split a byte stream into frames between a start and an end byte, skipping noise in between.

    A start byte inside a frame restarts it (the cut frame is counted as dropped), and so does a body
    that grows past `max_body`. Subclasses say how a complete body is framed for the decoder.
    """

    start: int
    end: int
    max_body: int

    def __init__(self) -> None:
        self._body: bytearray | None = None  # None: between frames, skipping noise
        self.dropped = 0

    def frame(self, body: bytes) -> bytes:
        """Return the frame handed to the decoder for a complete body."""
        raise NotImplementedError

    def feed(self, data: bytes) -> list[bytes]:
        """Consume data and return every frame it completes."""
        frames = []
        for byte in data:
            if byte == self.start:
                if self._body:
                    self.dropped += 1  # a new frame began before this one ended
                self._body = bytearray()
            elif self._body is None:
                continue
            elif byte == self.end:
                if self._body:  # an empty body is a repeated end byte
                    frames.append(self.frame(bytes(self._body)))
                self._body = None
            elif len(self._body) >= self.max_body:
                self.dropped += 1
                self._body = None
            else:
                self._body.append(byte)
        return frames
