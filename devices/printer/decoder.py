"""Incremental ESC/POS decoder: a printer byte stream in, pages of text, QR codes and images out."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Callable

from PIL import Image

from devices.printer.page import Block, Feed, Page, Picture, QrCode, Run, TextLine

log = logging.getLogger(__name__)

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10

# Arguments after "ESC x" / "GS x" / "FS x" for fixed-length commands; variable ones are parsed below.
_ESC_ARGS = {0x40: 0, 0x21: 1, 0x2D: 1, 0x45: 1, 0x47: 1, 0x4D: 1, 0x52: 1, 0x74: 1, 0x56: 1, 0x7B: 1,
             0x20: 1, 0x32: 0, 0x33: 1, 0x61: 1, 0x64: 1, 0x4A: 1, 0x55: 1, 0x72: 1, 0x25: 1, 0x42: 2,
             0x70: 3, 0x24: 2, 0x5C: 2, 0x63: 2, 0x69: 0, 0x6D: 0, 0x4C: 0, 0x53: 0, 0x54: 1, 0x3D: 1,
             0x3C: 0, 0x65: 1}
_GS_ARGS = {0x21: 1, 0x42: 1, 0x48: 1, 0x4C: 2, 0x57: 2, 0x68: 1, 0x77: 1, 0x66: 1, 0x61: 1, 0x72: 1,
            0x62: 1, 0x49: 1, 0x50: 2, 0x24: 2, 0x5C: 2, 0x5E: 3, 0x45: 1, 0x54: 1, 0x2F: 1, 0x3A: 0}
_FS_ARGS = {0x26: 0, 0x2E: 0, 0x21: 1, 0x2D: 1, 0x57: 1, 0x43: 1, 0x53: 2, 0x70: 2}
_QR_EC = {48: "L", 49: "M", 50: "Q", 51: "H"}


def _raster_image(width_bytes: int, height: int, data: bytes) -> Image.Image:
    # ESC/POS raster: 1 = print (black); Pillow mode "1": 1 = white, so invert.
    return Image.frombytes("1", (width_bytes * 8, height), bytes(b ^ 0xFF for b in data))


class EscposDecoder:
    """Feed it bytes in any chunking; it reports status queries at once and pages at each cut.

    Length-prefixed payloads (images, QR data) are consumed whole, so a 10 04 01 inside raster data is
    not mistaken for a DLE EOT query — the mistake a naive byte scan makes.
    """

    def __init__(self, on_page: Callable[[Page], None] | None = None,
                 on_status_query: Callable[[int], None] | None = None, text_codec: str = "cp437") -> None:
        self.on_page = on_page
        self.on_status_query = on_status_query
        self.text_codec = text_codec  # for bytes >= 0x80 outside FS & (Chinese printers may auto-enable it)
        self.pages: list[Page] = []
        self.unknown: Counter[str] = Counter()
        self._buf = bytearray()
        self._page = Page()
        self._runs: list[Run] = []
        self._text = bytearray()
        self._qr_data = b""
        self._qr = {"module": 3, "ec": "L"}
        self._graphic: Image.Image | None = None
        self._reset_modes()

    def _reset_modes(self) -> None:
        self.align = "left"
        self.width = self.height = 1
        self.kanji_width = self.kanji_height = 1
        self.bold = False
        self.kanji = False

    # ---- public --------------------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Decode as much of ``data`` (plus any earlier partial command) as is complete."""
        self._buf.extend(data)
        pos = 0
        while pos < len(self._buf):
            used = self._step(pos)
            if used == 0:
                break  # incomplete command: wait for more bytes
            pos += used
        del self._buf[:pos]

    def finish(self) -> Page | None:
        """End the stream: emit what was printed since the last cut as an uncut page, if anything."""
        self._end_line(force=False)
        if self._page.blocks:
            return self._emit(cut=None)
        return None

    # ---- text state ----------------------------------------------------------------------------------

    def _flush_text(self) -> None:
        if not self._text:
            return
        codec = "gb18030" if self.kanji else self.text_codec
        text = bytes(self._text).decode(codec, errors="replace").replace("\t", "    ")
        w, h = self.width, self.height
        if self.kanji:
            w, h = max(w, self.kanji_width), max(h, self.kanji_height)
        self._runs.append(Run(text, w, h, self.bold))
        self._text.clear()

    def _end_line(self, force: bool = True) -> None:
        self._flush_text()
        if self._runs:
            self._page.blocks.append(TextLine(self._runs, self.align))
            self._runs = []
        elif force:
            last = self._page.blocks[-1] if self._page.blocks else None
            # ESC * stripes end with LF, which only prints the stripe: no blank line after it.
            if not (isinstance(last, Picture) and last.column_mode):
                self._page.blocks.append(Feed(lines=1))

    def _emit(self, cut: str | None) -> Page:
        page, self._page = self._page, Page()
        page.cut = cut
        self.pages.append(page)
        if self.on_page:
            self.on_page(page)
        return page

    def _block(self, block: Block) -> None:
        self._end_line(force=False)
        self._page.blocks.append(block)

    # ---- parsing -------------------------------------------------------------------------------------

    def _step(self, pos: int) -> int:
        """Decode one command or text byte at ``pos``; return bytes used, 0 if incomplete."""
        buf = self._buf
        b = buf[pos]
        if b >= 0x20:
            self._text.append(b)
            return 1
        if b == 0x0A:
            self._end_line()
            return 1
        if b == 0x09:
            self._text.append(b)
            return 1
        if b not in (ESC, GS, FS, DLE):
            return 1  # CR, NUL, BEL, FF...: nothing visible on a slip
        if pos + 1 >= len(buf):
            return 0
        if b != DLE:  # real-time commands do not end a text run
            self._flush_text()
        return {ESC: self._esc, GS: self._gs, FS: self._fs, DLE: self._dle}[b](pos, buf[pos + 1])

    def _need(self, pos: int, n: int) -> bytes | None:
        return bytes(self._buf[pos:pos + n]) if pos + n <= len(self._buf) else None

    def _dle(self, pos: int, cmd: int) -> int:
        if cmd == 0x04:  # DLE EOT n: real-time status
            arg = self._need(pos + 2, 1)
            if arg is None:
                return 0
            if self.on_status_query:
                self.on_status_query(arg[0])
            return 3
        if cmd == 0x05:  # DLE ENQ n
            return 3 if self._need(pos + 2, 1) else 0
        if cmd == 0x14:  # DLE DC4 fn a b
            return 5 if self._need(pos + 2, 3) else 0
        return 1  # a lone DLE byte

    def _esc(self, pos: int, cmd: int) -> int:
        if cmd == 0x2A:  # ESC * m nL nH d...: column bit image
            head = self._need(pos + 2, 3)
            if head is None:
                return 0
            m, cols = head[0], head[1] | head[2] << 8
            rows = 24 if m in (32, 33) else 8
            data = self._need(pos + 5, cols * rows // 8)
            if data is None:
                return 0
            img = Image.frombytes("1", (rows, cols), bytes(b ^ 0xFF for b in data))
            img = img.transpose(Image.Transpose.TRANSPOSE)  # each column's bytes run top to bottom
            self._block(Picture(img, self.align, column_mode=True))
            return 5 + len(data)
        if cmd == 0x44:  # ESC D n1..nk NUL: tab stops
            end = self._buf.find(0, pos + 2)
            return 0 if end < 0 else end - pos + 1
        n = _ESC_ARGS.get(cmd)
        if n is None:
            self.unknown[f"ESC {cmd:02X}"] += 1
            return 2
        args = self._need(pos + 2, n)
        if args is None:
            return 0
        if cmd == 0x40:
            self._end_line(force=False)
            self._reset_modes()
        elif cmd == 0x21:
            self.bold = bool(args[0] & 0x08)
            self.height = 2 if args[0] & 0x10 else 1
            self.width = 2 if args[0] & 0x20 else 1
        elif cmd in (0x45, 0x47):
            self.bold = bool(args[0] & 1)
        elif cmd == 0x61:
            self.align = {0: "left", 1: "center", 2: "right"}.get(args[0] % 48, "left")
        elif cmd == 0x64:
            self._block(Feed(lines=args[0]))
        elif cmd == 0x4A:
            self._block(Feed(dots=args[0]))
        elif cmd in (0x69, 0x6D):
            self._cut("full" if cmd == 0x69 else "partial")
        return 2 + n

    def _gs(self, pos: int, cmd: int) -> int:
        if cmd == 0x56:  # GS V m [n]
            m = self._need(pos + 2, 1)
            if m is None:
                return 0
            extra = 1 if m[0] in (65, 66, 97, 98, 103, 104) else 0
            if extra and self._need(pos + 3, 1) is None:
                return 0
            self._cut("partial" if m[0] in (1, 49, 66, 98, 104) else "full")
            return 3 + extra
        if cmd == 0x76:  # GS v 0 m xL xH yL yH d...
            head = self._need(pos + 2, 6)
            if head is None:
                return 0
            wb, h = head[2] | head[3] << 8, head[4] | head[5] << 8
            data = self._need(pos + 8, wb * h)
            if data is None:
                return 0
            self._block(Picture(_raster_image(wb, h, data), self.align))
            return 8 + wb * h
        if cmd == 0x28:  # GS ( fn pL pH ...
            head = self._need(pos + 2, 3)
            if head is None:
                return 0
            size = head[1] | head[2] << 8
            body = self._need(pos + 5, size)
            if body is None:
                return 0
            if head[0] == 0x6B:
                self._qr_command(body)
            elif head[0] == 0x4C:
                self._graphics_command(body)
            return 5 + size
        if cmd == 0x38 and self._need(pos + 2, 1) == b"L":  # GS 8 L p1..p4 ...: 32-bit length graphics
            head = self._need(pos + 3, 4)
            if head is None:
                return 0
            size = int.from_bytes(head, "little")
            body = self._need(pos + 7, size)
            if body is None:
                return 0
            self._graphics_command(body)
            return 7 + size
        if cmd == 0x6B:  # GS k m ...: barcode
            return self._barcode(pos)
        n = _GS_ARGS.get(cmd)
        if n is None:
            self.unknown[f"GS {cmd:02X}"] += 1
            return 2
        args = self._need(pos + 2, n)
        if args is None:
            return 0
        if cmd == 0x21:
            self.width, self.height = (args[0] >> 4) + 1, (args[0] & 0x0F) + 1
        return 2 + n

    def _fs(self, pos: int, cmd: int) -> int:
        n = _FS_ARGS.get(cmd)
        if n is None:
            self.unknown[f"FS {cmd:02X}"] += 1
            return 2
        args = self._need(pos + 2, n)
        if args is None:
            return 0
        if cmd == 0x26:
            self.kanji = True
        elif cmd == 0x2E:
            self.kanji = False
        elif cmd == 0x21:
            self.kanji_width = 2 if args[0] & 0x04 else 1
            self.kanji_height = 2 if args[0] & 0x08 else 1
        elif cmd == 0x57:
            self.kanji_width = self.kanji_height = 2 if args[0] & 1 else 1
        return 2 + n

    def _cut(self, mode: str) -> None:
        self._end_line(force=False)
        self._emit(cut=mode)

    def _qr_command(self, body: bytes) -> None:
        if len(body) < 2 or body[0] != 0x31:  # cn 49 = QR; other 2D codes are not drawn
            return
        fn = body[1]
        if fn == 0x43 and len(body) > 2:
            self._qr["module"] = body[2]
        elif fn == 0x45 and len(body) > 2:
            self._qr["ec"] = _QR_EC.get(body[2], "L")
        elif fn == 0x50:
            self._qr_data = body[3:]
        elif fn == 0x51:
            data = self._qr_data.decode("utf-8", errors="replace")
            self._block(QrCode(data, int(self._qr["module"]), str(self._qr["ec"]), self.align))

    def _graphics_command(self, body: bytes) -> None:
        if len(body) < 2:
            return
        fn = body[1]
        if fn == 0x70 and len(body) >= 10:  # store raster graphics: m fn a bx by c xL xH yL yH d...
            w, h = body[6] | body[7] << 8, body[8] | body[9] << 8
            wb = (w + 7) // 8
            data = body[10:10 + wb * h]
            if len(data) == wb * h:
                self._graphic = _raster_image(wb, h, data).crop((0, 0, w, h))
        elif fn == 0x32 and self._graphic is not None:  # print stored graphics
            self._block(Picture(self._graphic, self.align))
            self._graphic = None

    def _barcode(self, pos: int) -> int:
        m = self._need(pos + 2, 1)
        if m is None:
            return 0
        if m[0] <= 6:  # NUL-terminated data
            end = self._buf.find(0, pos + 3)
            if end < 0:
                return 0
            data, used = bytes(self._buf[pos + 3:end]), end - pos + 1
        else:
            n = self._need(pos + 3, 1)
            if n is None or self._need(pos + 4, n[0]) is None:
                return 0
            data, used = bytes(self._buf[pos + 4:pos + 4 + n[0]]), 4 + n[0]
        self._block(TextLine([Run(f"[barcode {data.decode('ascii', 'replace')}]")], self.align))
        return used
