"""The relay: the only code that emits hall events to clients.

One web process at a time holds the relay lock and tails every hall stream (XREAD BLOCK); it emits
each entry through the Socket.IO message queue, so clients of every web process get it in stream
order. If that process dies the lock expires and another resumes from the saved cursor; at most a
few events are emitted twice, which clients drop by id.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import time
from contextlib import nullcontext

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import LockError, TimeoutError as RedisTimeoutError

from ..domain.events import event_data, event_view
from ..hub import connect
from ..store import keys
from ..store.eventlog import EventLog
from . import rooms
from .names import StaffNames

log = logging.getLogger(__name__)

# The lock outlives a few missed renewals; a standby takes over within this many seconds.
LOCK_TIMEOUT_S = 5
BLOCK_MS = 1000
BATCH = 500


class Relay:
    """Tails the hall streams while holding the relay lock, emitting to public and staff rooms."""

    def __init__(self, socketio, hub):
        self.socketio = socketio
        self.hub = hub
        # XREAD BLOCK holds a connection; give the relay its own so API calls never queue behind it.
        self.redis = connect(hub.settings.redis_url, socket_timeout=BLOCK_MS / 1000 + 5)
        self.names = StaffNames(hub)
        self.identity = f"{socket.gethostname()}:{os.getpid()}:{id(self)}"
        self.running = True
        self.leading = False
        self._held = None
        self.emitted = 0

    def run(self) -> None:
        """Loop forever: become leader when possible, then relay until the lock is lost."""
        while self.running:
            try:
                lock = self.redis.lock(keys.relay_lock(), timeout=LOCK_TIMEOUT_S, blocking=False)
                if lock.acquire(blocking=False, token=self.identity):
                    log.info("relay %s is leading", self.identity)
                    self._held = lock
                    try:
                        self._lead(lock)
                    finally:
                        self._held = None
                        try:
                            lock.release()
                        except LockError:
                            pass
                else:
                    self.socketio.sleep(1)
            except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
                log.warning("relay lost redis: %s", exc)
                self.socketio.sleep(1)
            except Exception:  # keep relaying whatever one bad event does
                log.exception("relay error")
                self.socketio.sleep(1)

    def _lead(self, lock) -> None:
        cursors = {}
        for code in self.hub.halls:
            saved = self.redis.get(keys.relay_cursor(code))
            cursors[keys.events(code)] = saved or EventLog(self.redis).last_id(code) or "0-0"
        halls_by_stream = {keys.events(code): self.hub.halls[code] for code in self.hub.halls}
        renewed = time.monotonic()
        self.leading = True
        try:
            self._tail(lock, cursors, halls_by_stream, renewed)
        finally:
            self.leading = False

    def _tail(self, lock, cursors, halls_by_stream, renewed) -> None:
        while self.running:
            if time.monotonic() - renewed > LOCK_TIMEOUT_S / 3:
                if not lock.reacquire():
                    return
                renewed = time.monotonic()
            batches = self.redis.xread(cursors, count=BATCH, block=BLOCK_MS)
            for stream, entries in batches or []:
                self._relay_batch(halls_by_stream[stream], stream, entries, cursors)

    def _relay_batch(self, hall, stream, entries, cursors) -> None:
        """Emit a batch of one hall's entries, then save the cursor (with the publishes, when batched)."""
        def save_cursor(pipe) -> None:
            pipe.set(keys.relay_cursor(hall.code), cursors[stream])

        batch = getattr(self.socketio.server.manager, "batch", None)  # None without a message queue
        with batch(after=save_cursor) if batch else nullcontext():
            for entry_id, fields in entries:
                self.emit(hall, entry_id, fields)
                cursors[stream] = entry_id
        if batch is None:
            save_cursor(self.redis)

    def emit(self, hall, entry_id: str, fields: dict) -> None:
        """Emit one stream entry to the hall's public and staff rooms."""
        names = self.names.lookup()
        etype = fields.get("type")
        try:
            data = event_data(fields)
            public = event_view(entry_id, fields, hall, public=True, staff_names=names, data=data)
            staff = event_view(entry_id, fields, hall, public=False, staff_names=names, data=data)
        except Exception:
            log.exception("cannot build event %s %s", entry_id, etype)
            return
        self.socketio.emit(etype, public, to=rooms.public(hall.code))
        self.socketio.emit(etype, staff, to=rooms.staff(hall.code))
        self.emitted += 1

    def stop(self) -> None:
        self.running = False

    def release(self) -> None:
        """Give up leadership at once (process exit), so another relay takes over without waiting."""
        self.running = False
        lock, self._held = self._held, None
        if lock is not None:
            try:
                lock.release()
            except (LockError, RedisConnectionError, RedisTimeoutError, OSError):
                pass  # it expires by itself within LOCK_TIMEOUT_S


def start_relay(socketio, hub) -> Relay:
    """Start the relay as a background task of this web process."""
    relay = Relay(socketio, hub)
    socketio.start_background_task(relay.run)
    atexit.register(relay.release)
    return relay
