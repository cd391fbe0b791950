"""Installer command line: encode a board frame as hex, decode a captured one, list the drivers."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from boards.config import BoardConfig
from boards.driver import EFFECTS
from boards.errors import BoardError
from boards.registry import driver_names, get_driver

USAGE_ERROR = 2


def _int(text: str) -> int:
    """Parse decimal or 0x-prefixed hex, for addresses like 0xFFFE."""
    try:
        return int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None


def _seconds(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for `python -m boards`."""
    parser = argparse.ArgumentParser(prog="python -m boards", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    enc = sub.add_parser("encode", help="print the frame that shows TEXT, as uppercase hex bytes")
    enc.add_argument("driver", metavar="DRIVER", help=f"one of: {', '.join(driver_names())}")
    enc.add_argument("--address", type=_int, required=True, help="board address (屏号 / card id), e.g. 1 or 0xFFFE")
    enc.add_argument("--width", type=_int, required=True, help="area width in pixels")
    enc.add_argument("--height", type=_int, required=True, help="area height in pixels")
    enc.add_argument("--x", type=_int, default=0, help="area left edge in pixels (default 0)")
    enc.add_argument("--y", type=_int, default=0, help="area top edge in pixels (default 0)")
    enc.add_argument("--effect", choices=EFFECTS, help="entry effect (default: the vendor SDK's)")
    enc.add_argument("--hold", type=_seconds, metavar="SECONDS", help="stay time (default: the vendor SDK's)")
    enc.add_argument("--charset", choices=("gbk", "gb2312"), default="gbk", help="the board's font ROM")
    enc.add_argument("--no-reply", action="store_true", help="do not ask the board to answer")
    enc.add_argument("text", metavar="TEXT", help="text to show; newline characters separate lines")

    dec = sub.add_parser("decode", help="decode a captured host frame (hex) as the board would")
    dec.add_argument("driver", metavar="DRIVER", help=f"one of: {', '.join(driver_names())}")
    dec.add_argument("hex", metavar="HEX", nargs="+", help="frame bytes in hex, spaces allowed")

    sub.add_parser("drivers", help="list the board drivers")
    return parser


def _encode(args: argparse.Namespace) -> str:
    driver = get_driver(args.driver)
    cfg = BoardConfig(args.driver, args.address, args.width, args.height, x=args.x, y=args.y, charset=args.charset)
    frame = driver.encode_show(
        cfg, args.text.split("\n"), effect=args.effect, hold_s=args.hold, want_reply=not args.no_reply
    )
    return frame.hex(" ").upper()


def _decode(args: argparse.Namespace) -> str:
    driver = get_driver(args.driver)
    try:
        frame = bytes.fromhex("".join(args.hex))
    except ValueError:
        raise BoardError(f"not hex: {' '.join(args.hex)!r}") from None
    return json.dumps(dataclasses.asdict(driver.decode_command(frame)), ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (2 for bad arguments)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with code 2 and a usage message on bad syntax
    try:
        if args.command == "encode":
            output = _encode(args)
        elif args.command == "decode":
            output = _decode(args)
        else:
            output = "\n".join(driver_names())
    except BoardError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    print(output)
    return 0
