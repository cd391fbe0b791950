"""Render a Slip to ESC/POS bytes on python-escpos ``Dummy``: "native" Chinese text, or one "raster" image."""

from __future__ import annotations

import copy
import logging
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping

from escpos.capabilities import CAPABILITIES
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from devices.printer.slip import Slip

log = logging.getLogger(__name__)

FS_CHINESE_ON = b"\x1c\x26"  # FS &
FS_CHINESE_OFF = b"\x1c\x2e"  # FS .
ESC_INIT = b"\x1b\x40"
GS_SIZE = b"\x1d\x21"
LF = b"\n"

#: Printable dots per line: 58 mm paper → 384 dots, 80 mm → 576 dots (203 dpi heads).
PAPER_DOTS = {58: 384, 80: 576}
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
# Font A is 12 dots wide for ASCII and 24 for a Chinese character, so a line holds width/12 columns.
_COLUMN_DOTS = 12


@dataclass(frozen=True)
class RenderOptions:
    """How to render slips for one printer; built from the printer's config dict."""

    mode: str = "native"  # "native" | "raster"
    width_dots: int = 576
    font_path: str = DEFAULT_FONT
    profile: str | None = None  # python-escpos profile name, e.g. "TM-T88V"; it may cap image width
    number_scale: int = 4  # GS ! multiplier for the ticket number, 4..8
    qr_mode: str = "native"  # "native" (GS ( k) | "image" (for printers without GS ( k), native mode only
    qr_module: int = 6  # QR module size in dots
    cut: str = "full"  # "full" | "partial"
    image_impl: str = "bitImageRaster"  # python-escpos image() impl: GS v 0 by default

    def __post_init__(self) -> None:
        """Refuse options that would only fail later, at the kiosk."""
        if self.mode not in ("native", "raster"):
            raise ValueError(f"render mode must be 'native' or 'raster', not {self.mode!r}")
        if self.width_dots < 96 or self.width_dots % 8:
            raise ValueError(f"width_dots must be a multiple of 8 and >= 96, not {self.width_dots}")
        if not 4 <= self.number_scale <= 8:
            raise ValueError("number_scale must be 4..8 so the number reads from a distance")
        if self.qr_mode not in ("native", "image"):
            raise ValueError(f"qr_mode must be 'native' or 'image', not {self.qr_mode!r}")
        if not 1 <= self.qr_module <= 16:
            raise ValueError("qr_module must be 1..16")
        if self.cut not in ("full", "partial"):
            raise ValueError(f"cut must be 'full' or 'partial', not {self.cut!r}")
        if self.profile is not None and self.profile not in CAPABILITIES["profiles"]:
            raise ValueError(f"unknown python-escpos printer profile {self.profile!r}")

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any]) -> RenderOptions:
        """Build options from a printer config dict (``width_dots`` wins over ``paper_mm``)."""
        width = cfg.get("width_dots")
        if width is None:
            paper = int(cfg.get("paper_mm", 80))
            if paper not in PAPER_DOTS:
                raise ValueError(f"paper_mm must be one of {sorted(PAPER_DOTS)}, or give width_dots")
            width = PAPER_DOTS[paper]
        names = ("mode", "font_path", "profile", "number_scale", "qr_mode", "qr_module", "cut", "image_impl")
        return cls(width_dots=int(width), **{k: cfg[k] for k in names if k in cfg})

    @property
    def columns(self) -> int:
        """Return how many font-A columns fit on a line."""
        return self.width_dots // _COLUMN_DOTS


def make_dummy(options: RenderOptions) -> tuple[Dummy, int]:
    """Return a Dummy whose profile knows the paper width, and the widest image it may print.

    python-escpos ``image()`` print()s a warning when the profile has no media width and raises
    ImageWidthError when an image is wider than the profile's (TM-T88V: 512 < 576), so give the Dummy
    a private profile copy with the width set, capped by the named profile's own limit.
    """
    p = Dummy(profile=options.profile)
    data = copy.deepcopy(p.profile.profile_data)
    known = data.get("media", {}).get("width", {}).get("pixels")
    max_width = options.width_dots
    if isinstance(known, int) and known < max_width:
        log.warning("profile %s prints at most %d dots; narrowing images from %d", options.profile, known,
                    max_width)
        max_width = known - known % 8
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = max_width
    p.profile.profile_data = data  # instance attribute: the shared class-level profile stays untouched
    return p, max_width


def display_width(text: str) -> int:
    """Return the width of ``text`` in font-A columns (a Chinese or full-width character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Break ``text`` into lines of at most ``columns`` display columns, keeping explicit newlines."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for ch in paragraph:
            w = display_width(ch)
            if used + w > columns and line:
                lines.append(line)
                line, used = "", 0
            line += ch
            used += w
        lines.append(line)
    return lines


def encode_text(text: str) -> bytes:
    """Encode one printed line: ASCII as is, anything else as GB18030 between FS & and FS ."""
    # Control characters in configured text (a stray ESC or LF) would be executed as printer commands.
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    if text.isascii():
        return text.encode("ascii")
    return FS_CHINESE_ON + text.encode("gb18030", errors="replace") + FS_CHINESE_OFF


def size_command(scale: int) -> bytes:
    """Return GS ! n selecting ``scale``× width and height (1..8)."""
    if not 1 <= scale <= 8:
        raise ValueError("scale must be 1..8")
    return GS_SIZE + bytes([(scale - 1) << 4 | (scale - 1)])


def info_lines(slip: Slip) -> list[str]:
    """Return the lines under the service name: people ahead and wait, windows, area, masked holder."""
    lines = (f"前面还有 {slip.people_ahead} 人",
             slip.wait_minutes is not None and f"预计等候约 {slip.wait_minutes} 分钟",
             slip.windows and f"请留意 {slip.windows}",
             slip.area and f"办理区域：{slip.area}",
             slip.holder and f"取号人：{slip.holder}")
    return [line for line in lines if line]


def render_slip(slip: Slip, options: RenderOptions) -> bytes:
    """Render ``slip`` to the ESC/POS bytes of one cut ticket.

    "native": Chinese as GB18030 between FS & and FS . through ``_raw()`` — never ``text()``, whose CJK
    heuristic garbles full-width punctuation and ¥ (HARDWARE_BRIEF §2.2) — a 4×4 number, a GS ( k QR, a cut.
    "raster": the whole slip drawn with Pillow (raster.py), for printers without a Chinese font ROM.
    """
    if options.mode == "raster":
        from devices.printer.raster import draw_slip

        p, max_width = make_dummy(options)
        p._raw(ESC_INIT)
        p.image(draw_slip(slip, max_width, options.font_path, options.qr_module), impl=options.image_impl)
        p.cut(mode="PART" if options.cut == "partial" else "FULL")
        return p.output
    return _render_native(slip, options)


def _render_native(slip: Slip, options: RenderOptions) -> bytes:
    p, _ = make_dummy(options)
    cols = options.columns

    def fitted(text: str, scale: int) -> None:
        # A long hall or service name prints smaller rather than break mid-word across lines.
        while scale > 1 and display_width(text) * scale > cols:
            scale -= 1
        line(text, scale)

    def line(text: str, scale: int = 1) -> None:
        if scale != 1:
            p._raw(size_command(scale))
        for part in wrap(text, cols // scale):
            p._raw(encode_text(part) + LF)
        if scale != 1:
            p._raw(size_command(1))

    p._raw(ESC_INIT)
    p.set(align="center")
    fitted(slip.hall_name, 2)
    line("-" * cols)
    line("您的号码")
    line(slip.number, options.number_scale)
    fitted(slip.service_name, 2)
    for text in info_lines(slip):
        line(text)
    if slip.qr_url:
        p._raw(LF)
        if options.qr_mode == "native":
            p.qr(slip.qr_url, ec=QR_ECLEVEL_M, size=options.qr_module, native=True)
        else:
            p.qr(slip.qr_url, ec=QR_ECLEVEL_M, size=options.qr_module, center=True)
        line("扫码查看排队进度")
    if slip.materials:
        p.set(align="left")
        line("-" * cols)
        line("请备齐以下材料（一次性告知）：")
        for i, item in enumerate(slip.materials, 1):
            line(f"{i}. {item}")
        p.set(align="center")
    line("-" * cols)
    line(f"取号时间：{slip.issued_at}")
    if slip.notice:
        line(slip.notice)
    p.cut(mode="PART" if options.cut == "partial" else "FULL")
    return p.output
