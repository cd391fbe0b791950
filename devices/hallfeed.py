"""A hall's live state for Python clients (device agent, tests, benchmarks) over Socket.IO.

It follows the sync protocol: buffer everything until `synced`, apply events in id order after the
snapshot, drop anything already applied, and resync with `since` on every reconnect, so a call is
never applied twice and never missed.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

import socketio

from queue_server.domain.replay import UnknownEvent, _key, apply_event

log = logging.getLogger(__name__)


class HallFeed:
    """Keeps `state` (the hall snapshot with events applied) current and reports each change."""

    def __init__(self, url: str, hall: str, token: str | None = None,
                 on_change: Callable[[dict, dict | None], None] | None = None):
        self.url, self.hall, self.token = url, hall, token
        self.on_change = on_change or (lambda state, event: None)
        self.state: dict | None = None
        self.synced = threading.Event()
        self.applied: list[dict] = []
        self._buffer: list[tuple[str, dict]] = []
        self._syncing = False
        self._lock = threading.Lock()
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=5)
        self.sio.on("connect", self._on_connect)
        self.sio.on("disconnect", self._on_disconnect)
        self.sio.on("*", self._on_any)

    @property
    def last_event_id(self) -> str | None:
        return self.state.get("last_event_id") if self.state else None

    def start(self, wait: float = 10) -> "HallFeed":
        self.sio.connect(self.url, transports=["websocket"], auth={"token": self.token} if self.token else None,
                         wait_timeout=wait)
        return self

    def stop(self) -> None:
        self.sio.disconnect()

    def _on_connect(self):
        with self._lock:
            self._syncing = True
            self._buffer = []
        self.sio.emit("sync", {"hall": self.hall, "since": self.last_event_id})

    def _on_disconnect(self, *args):
        self.synced.clear()

    def _on_any(self, name, data=None):
        with self._lock:
            if name == "snapshot":
                self.state = dict(data)
                self.state["config_notices"] = data.get("config_notices", [])
                changed = [(None, None)]
            elif name == "synced":
                self._syncing = False
                pending = sorted(self._buffer, key=lambda item: _key(item[1]["id"]))
                self._buffer = []
                changed = [self._apply(e) for _, e in pending]
                self.synced.set()
            elif name == "sync_error":
                log.error("sync refused: %s", data)
                return
            elif isinstance(data, dict) and "id" in data and "type" in data:
                if self._syncing or self.state is None:
                    self._buffer.append((name, data))
                    return
                changed = [self._apply(data)]
            else:
                return
        for item in changed:
            if item is not None:
                self.on_change(self.state, item[1])

    def _apply(self, event: dict):
        if self.state is None:
            return None
        before = self.last_event_id
        try:
            self.state = apply_event(self.state, event)
        except UnknownEvent:
            log.warning("unknown event %s; resyncing", event.get("type"))
            self.sio.emit("sync", {"hall": self.hall, "since": None})
            return None
        if self.last_event_id == before:
            return None  # already applied (replay overlap or a relay failover)
        self.applied.append(event)
        return (event["type"], event)
