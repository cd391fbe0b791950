"""Board simulator: several LED boards on one bus that split, check and answer frames like real cards.

Run ``python -m boards.simulator --driver onbon_bx5k --address 1 --state-file s.json``; stdout line 1 is the port.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from boards.driver import Command, DisplayDriver
from boards.errors import BoardError, ChecksumError, FrameError
from boards.registry import driver_names, get_driver
from boards.simlink import PtyLink, SimulatorProcess, TcpLink, spawn_simulator

__all__ = [
    "BoardSimulator", "PtyLink", "SimBoard", "SimulatorProcess", "TcpLink", "main", "spawn_simulator",
    "start_simulator", "write_state",
]

REPLY_MODES = ("ack", "nack", "silent")


@dataclass
class SimBoard:
    """One simulated board: what it shows and how it answers (mode: ack, nack or silent)."""

    address: int
    width: int = 64
    height: int = 16
    lines: tuple[str, ...] = ()
    effect: str | None = None
    hold_s: float | None = None
    frames: int = 0  # valid frames it accepted (its own address or broadcast)
    shows: int = 0  # of which show commands
    updated: float | None = None  # time.time() of the last show
    mode: str = "ack"

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-able view of the board."""
        return {
            "address": self.address, "width": self.width, "height": self.height, "lines": list(self.lines),
            "text": "\n".join(self.lines), "effect": self.effect, "hold_s": self.hold_s,
            "frames": self.frames, "shows": self.shows, "updated": self.updated, "mode": self.mode,
        }


@dataclass
class _Counters:
    crc_errors: int = 0  # frames whose CRC/checksum failed: silently dropped, like a card does
    bad_frames: int = 0  # other malformed frames
    foreign_frames: int = 0  # valid frames for addresses not on this simulator
    history: list[Command] = field(default_factory=list)


class BoardSimulator:
    """Consume host bytes incrementally and act as every board in boards (address -> (w, h) or list)."""

    def __init__(
        self,
        driver: DisplayDriver | str,
        boards: Iterable[int] | Mapping[int, tuple[int, int]],
        *,
        on_change: Callable[[dict[str, Any]], None] | None = None,
        before_reply: Callable[[Command], None] | None = None,
    ) -> None:
        self.driver = get_driver(driver) if isinstance(driver, str) else driver
        geometry = dict(boards) if isinstance(boards, Mapping) else {a: (64, 16) for a in boards}
        self.boards = {a: SimBoard(a, w, h) for a, (w, h) in geometry.items()}
        self.on_change = on_change  # called with snapshot() whenever a board's text changes
        self.before_reply = before_reply  # test hook, e.g. to hold a reply back
        self._splitter = self.driver.splitter()
        self._counters = _Counters()
        self._cond = threading.Condition()

    @property
    def crc_errors(self) -> int:
        """Return how many frames failed their CRC or checksum."""
        return self._counters.crc_errors

    @property
    def errors(self) -> int:
        """Return how many frames were rejected (bad CRC or malformed)."""
        return self._counters.crc_errors + self._counters.bad_frames

    @property
    def foreign_frames(self) -> int:
        """Return how many valid frames were addressed to no board here."""
        return self._counters.foreign_frames

    @property
    def history(self) -> list[Command]:
        """Return a copy of every valid command received, oldest first."""
        with self._cond:
            return list(self._counters.history)

    def set_mode(self, address: int, mode: str) -> None:
        """Make a board answer with ACK, NACK or stay silent."""
        if mode not in REPLY_MODES:
            raise ValueError(f"mode must be one of {REPLY_MODES}, got {mode!r}")
        with self._cond:
            self.boards[address].mode = mode

    def shown(self, address: int) -> tuple[str, ...]:
        """Return the lines the board at address currently shows."""
        with self._cond:
            return self.boards[address].lines

    def feed(self, data: bytes) -> bytes:
        """Consume bytes from the bus and return the bytes the boards answer."""
        replies = []
        for frame in self._splitter.feed(data):
            replies.append(self._handle(frame))
        return b"".join(replies)

    def _handle(self, frame: bytes) -> bytes:
        try:
            command = self.driver.decode_command(frame)
        except ChecksumError:
            return self._count("crc_errors")
        except FrameError:
            return self._count("bad_frames")
        broadcast = command.address == self.driver.broadcast_address()
        with self._cond:
            targets = list(self.boards.values()) if broadcast else [self.boards.get(command.address)]
            if targets == [None]:
                self._counters.foreign_frames += 1
                self._cond.notify_all()
                return b""  # a real card ignores frames for other addresses
            self._counters.history.append(command)
            changed = False
            for board in targets:
                assert board is not None
                board.frames += 1
                if command.kind == "show":
                    changed |= board.lines != command.lines
                    board.lines, board.effect, board.hold_s = command.lines, command.effect, command.hold_s
                    board.shows += 1
                    board.updated = time.time()
            mode = targets[0].mode if targets[0] else "silent"
            self._cond.notify_all()
        if changed and self.on_change is not None:
            self.on_change(self.snapshot())
        if broadcast or not command.want_reply:
            return b""  # several boards answering one broadcast would collide on the bus
        if self.before_reply is not None:
            self.before_reply(command)
        if mode == "silent":
            return b""
        return self.driver.encode_reply(command.address, ok=mode == "ack")

    def _count(self, name: str) -> bytes:
        with self._cond:
            setattr(self._counters, name, getattr(self._counters, name) + 1)
            self._cond.notify_all()
        return b""

    def snapshot(self) -> dict[str, Any]:
        """Return a JSON-able view of every board and the error counters."""
        with self._cond:
            return {
                "driver": self.driver.name,
                "updated": time.time(),
                "boards": {str(a): b.as_dict() for a, b in sorted(self.boards.items())},
                "crc_errors": self._counters.crc_errors,
                "bad_frames": self._counters.bad_frames,
                "foreign_frames": self._counters.foreign_frames,
            }

    def wait_for(self, predicate: Callable[[BoardSimulator], bool], timeout: float) -> bool:
        """Block until predicate(self) holds after some frame, or timeout; return whether it holds."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)


def write_state(path: str, state: Mapping[str, Any]) -> None:
    """Write state as JSON atomically, so a reader never sees half a file."""
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(state, fh, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def start_simulator(
    driver: DisplayDriver | str,
    boards: Iterable[int] | Mapping[int, tuple[int, int]],
    *,
    state_file: str | None = None,
    tcp_port: int | None = None,
) -> PtyLink | TcpLink:
    """Start an in-process simulator on a new pty (or TCP port); the link has .url, .simulator, .stop()."""
    on_change = (lambda state: write_state(state_file, state)) if state_file else None
    simulator = BoardSimulator(driver, boards, on_change=on_change)
    if state_file:
        write_state(state_file, simulator.snapshot())
    return TcpLink(simulator, port=tcp_port) if tcp_port is not None else PtyLink(simulator)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m boards.simulator", description=__doc__)
    parser.add_argument("--driver", required=True, choices=driver_names())
    parser.add_argument("--address", type=int, action="append", required=True, help="board address (repeat)")
    parser.add_argument("--width", type=int, default=64, help="board width in pixels (all boards)")
    parser.add_argument("--height", type=int, default=16, help="board height in pixels (all boards)")
    parser.add_argument("--state-file", help="JSON file rewritten whenever a board's text changes")
    parser.add_argument("--tcp", type=int, metavar="PORT", help="serve socket://127.0.0.1:PORT instead of a pty")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run a simulator until SIGTERM or SIGINT; print its transport path first."""
    args = _parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    boards = {a: (args.width, args.height) for a in args.address}
    try:
        link = start_simulator(args.driver, boards, state_file=args.state_file, tcp_port=args.tcp)
    except (BoardError, OSError) as exc:
        print(f"simulator: {exc}", file=sys.stderr)
        return 1
    print(link.url, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        link.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
