"""BusWorker: one OS thread per physical bus, sending board frames master/slave with ACK, retry and reconnect."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import serial

from boards.config import BoardConfig
from boards.driver import DisplayDriver, Reply
from boards.errors import ConfigError, FrameError
from boards.registry import get_driver
from boards.status import BoardStatus, BusStatus
from boards.transport import IO_ERRORS, backoff, open_port

log = logging.getLogger(__name__)

REPLY_MARGIN_S = 0.3  # card processing + turnaround on top of wire time [GUESS, brief §1.3 says ~200 ms]

EventCallback = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Content:
    """What a board should show; the frame is encoded when queued so bad text fails in the caller.

    Equality is by frame bytes: two requests that put the same bytes on the wire are the same content.
    """

    lines: tuple[str, ...] = field(compare=False)
    effect: str | None = field(compare=False)
    hold_s: float | None = field(compare=False)
    frame: bytes


class _Board:
    """Worker-private state of one board: wanted content, content last acknowledged, retry time."""

    def __init__(self, cfg: BoardConfig) -> None:
        self.cfg = cfg
        self.status = BoardStatus(cfg.id, cfg.address)
        self.desired: Content | None = None
        self.shown: Content | None = None
        self.retry_at = 0.0  # monotonic time before which a failed board is not retried
        self.needs_setup = True

    @property
    def dirty(self) -> bool:
        """Tell whether the board still has to receive its wanted content."""
        return self.desired is not None and self.desired != self.shown


class BusWorker:
    """Own one bus: coalesce per-board content, send it frame by frame, track health, reconnect.

    Thread-safe: show()/clear()/status() may be called from any thread; only the worker thread
    touches the port. on_event gets dicts (type bus_connected, bus_disconnected, board_online or
    board_offline, plus bus, address, id, error) and runs in the worker thread, so keep it quick.
    """

    def __init__(
        self,
        url: str,
        driver: DisplayDriver | str,
        boards: Iterable[BoardConfig] = (),
        *,
        baudrate: int | None = None,
        retries: int = 2,
        reply_timeout: float | None = None,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        offline_retry_s: float = 10.0,
        idle_probe_s: float = 1.0,
        on_event: EventCallback | None = None,
    ) -> None:
        self.url = url
        self.driver = get_driver(driver) if isinstance(driver, str) else driver
        self.baudrate = baudrate or self.driver.default_baudrate
        self.retries = retries
        self.reply_timeout = reply_timeout  # None: wire time of the frame + REPLY_MARGIN_S
        self.backoff_initial, self.backoff_max = backoff_initial, backoff_max
        self.offline_retry_s = offline_retry_s  # an unhealthy board is retried this often
        self.idle_probe_s = idle_probe_s  # how often an idle bus reads, to notice an unplugged port
        self.on_event = on_event
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._boards: dict[int, _Board] = {}
        self._queue: deque[int] = deque()  # addresses in the order their content changed
        self._status = BusStatus(url, self.driver.name)
        self._port: serial.SerialBase | None = None
        self._ever_connected = False
        self._thread = threading.Thread(target=self._run, name=f"bus:{url}", daemon=True)
        for cfg in boards:
            self.add_board(cfg)

    @classmethod
    def from_configs(cls, configs: Iterable[BoardConfig | Mapping[str, Any]], **kwargs: Any) -> BusWorker:
        """Build the worker for boards that share one transport URL and driver."""
        cfgs = [c if isinstance(c, BoardConfig) else BoardConfig.from_dict(c) for c in configs]
        if not cfgs:
            raise ConfigError("a bus needs at least one board")
        for key in ("transport", "driver"):
            values = {getattr(c, key) for c in cfgs}
            if len(values) != 1:
                raise ConfigError(f"boards on one bus must share one {key}, got {sorted(values)}")
        if not cfgs[0].transport:
            raise ConfigError(f"board {cfgs[0].id!r} has no transport URL")
        baudrates = {c.baudrate for c in cfgs if c.baudrate}
        if len(baudrates) > 1:
            raise ConfigError(f"boards on {cfgs[0].transport} disagree on baudrate: {sorted(baudrates)}")
        kwargs.setdefault("baudrate", baudrates.pop() if baudrates else None)
        return cls(cfgs[0].transport, cfgs[0].driver, cfgs, **kwargs)

    # -- public API (any thread) -------------------------------------------------------------

    def add_board(self, cfg: BoardConfig) -> None:
        """Attach a board to this bus; its address must be unique on the bus."""
        if cfg.driver != self.driver.name:
            raise ConfigError(f"board {cfg.id!r} uses driver {cfg.driver!r} on a {self.driver.name!r} bus")
        # Encode once now so bad geometry or options fail at config load, not in the worker thread.
        self.driver.encode_setup(cfg)
        self.driver.encode_clear(cfg)
        with self._cond:
            if cfg.address in self._boards:
                raise ConfigError(f"address {cfg.address} is used twice on bus {self.url}")
            board = _Board(cfg)
            self._boards[cfg.address] = board
            self._status.boards[cfg.address] = board.status

    def show(
        self, address: int, lines: Sequence[str], *, effect: str | None = None, hold_s: float | None = None
    ) -> bool:
        """Queue lines for the board at address; return False if it already has exactly that."""
        board = self._board(address)
        broadcast = address == self.driver.broadcast_address()
        # Never ask for replies on broadcast frames: every board would answer at once and collide.
        frame = self.driver.encode_show(board.cfg, lines, effect=effect, hold_s=hold_s, want_reply=not broadcast)
        return self._set(board, Content(tuple(lines), effect, hold_s, frame))

    def clear(self, address: int) -> bool:
        """Queue a blank screen for the board at address."""
        board = self._board(address)
        frame = self.driver.encode_clear(board.cfg, want_reply=address != self.driver.broadcast_address())
        return self._set(board, Content((), None, None, frame))

    def start(self) -> BusWorker:
        """Start the worker thread; return self."""
        self._thread.start()
        return self

    def request_stop(self) -> None:
        """Ask the worker thread to finish its current frame attempt and exit."""
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the worker thread and close the port; return True if it ended in time."""
        self.request_stop()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def is_alive(self) -> bool:
        """Tell whether the worker thread is running."""
        return self._thread.is_alive()

    def status(self) -> BusStatus:
        """Return a snapshot of the bus and its boards."""
        with self._cond:
            return self._status.copy()

    def wait_until(self, predicate: Callable[[BusStatus], bool], timeout: float) -> bool:
        """Block until predicate(status) holds or timeout passes; return whether it holds."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self._status), timeout)

    def wait_idle(self, timeout: float) -> bool:
        """Block until every board has acknowledged its latest content; return whether it did."""
        with self._cond:
            return self._cond.wait_for(lambda: not any(b.dirty for b in self._boards.values()), timeout)

    # -- worker thread -----------------------------------------------------------------------

    def _board(self, address: int) -> _Board:
        try:
            return self._boards[address]
        except KeyError:
            raise ConfigError(f"no board with address {address} on bus {self.url}") from None

    def _set(self, board: _Board, content: Content) -> bool:
        with self._cond:
            if board.desired == content:
                return False  # coalesced: already queued, in flight or shown
            board.desired = content
            board.retry_at = 0.0  # new content is worth an immediate try even on an unhealthy board
            board.status.pending = board.dirty
            if board.dirty and board.cfg.address not in self._queue:
                self._queue.append(board.cfg.address)
            self._cond.notify_all()
        return True

    def _emit(self, kind: str, **fields: Any) -> None:
        if self.on_event is None:
            return
        try:
            self.on_event({"type": kind, "bus": self.url, **fields})
        except Exception:  # a broken dashboard hook must not kill the bus
            log.exception("board event callback failed for %s", kind)

    def _run(self) -> None:
        delays = backoff(self.backoff_initial, self.backoff_max)
        try:
            while not self._stopping.is_set():
                if self._port is None:
                    if not self._connect():
                        self._stopping.wait(next(delays))
                        continue
                    delays = backoff(self.backoff_initial, self.backoff_max)
                try:
                    job = self._next_job()
                    if job is None:
                        self._probe()
                    else:
                        self._deliver(*job)
                except IO_ERRORS as exc:
                    self._disconnect(exc)
                except Exception as exc:  # a bug must not silently kill every board on the bus
                    log.exception("bus %s: unexpected error; reopening the port", self.url)
                    self._disconnect(exc)
                    self._stopping.wait(self.backoff_initial)
        finally:
            if self._port is not None:
                self._close_port()

    def _connect(self) -> bool:
        try:
            port = open_port(self.url, self.baudrate)
        except (serial.SerialException, OSError, ValueError) as exc:
            with self._cond:
                self._status.last_error = f"open failed: {exc}"
                self._cond.notify_all()
            log.debug("cannot open %s: %s", self.url, exc)
            return False
        with self._cond:
            self._port = port
            if self._ever_connected:
                self._status.reconnects += 1
            self._ever_connected = True
            self._status.connected = True
            # The boards may have lost power with the line (dynamic areas live in RAM): resend all.
            for board in self._boards.values():
                board.shown, board.needs_setup, board.retry_at = None, True, 0.0
                board.status.pending = board.dirty
                if board.dirty and board.cfg.address not in self._queue:
                    self._queue.append(board.cfg.address)
            self._cond.notify_all()
        log.info("bus %s connected", self.url)
        self._emit("bus_connected", reconnects=self._status.reconnects)
        return True

    def _close_port(self) -> None:
        port, self._port = self._port, None
        try:
            if port is not None:
                port.close()
        except IO_ERRORS:
            pass  # already gone: that is why we are closing it

    def _disconnect(self, exc: BaseException) -> None:
        self._close_port()
        with self._cond:
            self._status.connected = False
            self._status.last_error = f"I/O error: {exc}"
            self._cond.notify_all()
        log.warning("bus %s lost: %s", self.url, exc)
        self._emit("bus_disconnected", error=str(exc))

    def _next_job(self) -> tuple[_Board, Content] | None:
        """Return the next board to send, or None after idle_probe_s without work."""
        with self._cond:
            while not self._stopping.is_set():
                now = time.monotonic()
                waits = [self.idle_probe_s]
                for address in list(self._queue):
                    board = self._boards[address]
                    if not board.dirty:
                        self._queue.remove(address)
                    elif board.retry_at <= now:
                        self._queue.remove(address)
                        assert board.desired is not None
                        return board, board.desired
                    else:
                        waits.append(board.retry_at - now)
                if not self._cond.wait(max(0.0, min(waits))):
                    return None
            return None

    def _probe(self) -> None:
        """Read (and drop) stray bytes; a vanished port raises here rather than on the next call."""
        if self._port is not None and not self._stopping.is_set():
            stray = self._port.read(max(1, self._port.in_waiting))
            if stray:
                log.debug("bus %s: dropped %d unsolicited bytes", self.url, len(stray))

    def _deliver(self, board: _Board, content: Content) -> None:
        broadcast = board.cfg.address == self.driver.broadcast_address()
        frames = self.driver.encode_setup(board.cfg, want_reply=not broadcast) if board.needs_setup else []
        for frame in [*frames, content.frame]:
            error = self._transact(board, frame, broadcast)
            if error is not None:
                if not self._stopping.is_set():  # shutting down says nothing about the board
                    self._give_up(board, error)
                return
        was_online = board.status.online
        with self._cond:
            board.needs_setup = False
            board.shown = content
            board.status.pending = board.dirty
            board.status.lines = content.lines
            if not broadcast:
                board.status.online, board.status.last_error = True, None
                board.status.last_ack = time.time()
            self._cond.notify_all()
        if not broadcast and was_online is not True:
            self._emit("board_online", address=board.cfg.address, id=board.cfg.id)

    def _transact(self, board: _Board, frame: bytes, broadcast: bool) -> str | None:
        """Send one frame (with retries); return None on ACK, else the last error."""
        assert self._port is not None
        timeout = self.reply_timeout or len(frame) * 10 / self.baudrate + REPLY_MARGIN_S  # 8N1: 10 bits/byte
        error = "not sent"
        for _attempt in range(1 if broadcast else 1 + self.retries):
            if self._stopping.is_set():
                return "worker stopped"
            self._port.reset_input_buffer()  # a late reply to an earlier frame must not ACK this one
            self._port.write(frame)
            with self._cond:
                board.status.frames_sent += 1
                self._cond.notify_all()
            if broadcast:
                return None
            reply = self._await_reply(board.cfg.address, timeout)
            if reply is None:
                error = f"no reply within {timeout:.2f} s"
            elif reply.ok:
                with self._cond:
                    board.status.acks += 1
                    self._cond.notify_all()
                return None
            else:
                error = f"NACK (code {reply.code})"
            log.debug("bus %s board %s: %s", self.url, board.cfg.address, error)
        return f"{error} after {1 + self.retries} attempts"

    def _await_reply(self, address: int, timeout: float) -> Reply | None:
        assert self._port is not None
        splitter = self.driver.splitter()
        deadline = time.monotonic() + timeout
        while not self._stopping.is_set() and time.monotonic() < deadline:
            chunk = self._port.read(max(1, self._port.in_waiting))  # returns within POLL_S
            for frame in splitter.feed(chunk):
                try:
                    reply = self.driver.decode_reply(frame)
                except FrameError as exc:
                    log.debug("bus %s: ignoring frame %s: %s", self.url, frame.hex(" "), exc)
                    continue
                if reply.address == address:
                    return reply
                log.warning("bus %s: reply from %s while waiting for %s", self.url, reply.address, address)
        return None

    def _give_up(self, board: _Board, error: str) -> None:
        was_online = board.status.online
        with self._cond:
            board.status.online, board.status.last_error = False, error
            board.status.failures += 1
            board.retry_at = time.monotonic() + self.offline_retry_s
            board.needs_setup = True
            if board.cfg.address not in self._queue:
                self._queue.append(board.cfg.address)
            self._cond.notify_all()
        log.warning("bus %s board %s unhealthy: %s", self.url, board.cfg.address, error)
        if was_online is not False:
            self._emit("board_offline", address=board.cfg.address, id=board.cfg.id, error=error)
