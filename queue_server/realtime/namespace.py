"""The default Socket.IO namespace: authenticate on connect, then `sync` to a snapshot or a replay."""

from __future__ import annotations

import logging

from flask import request
from flask_socketio import Namespace, emit, join_room, leave_room

from ..domain import access
from ..api.auth import actor_from_token
from .. import actions, queries
from ..domain.errors import BianminError, InvalidInput, Unauthenticated
from ..domain.events import event_view
from ..store.eventlog import valid_id
from . import rooms
from .names import StaffNames

log = logging.getLogger(__name__)

# Replaying more than this is slower for the client than applying a fresh snapshot.
MAX_REPLAY = 2000


class HallNamespace(Namespace):
    """Handlers for displays, tablets and agents; each socket watches one hall at a time."""

    def __init__(self, namespace, hub):
        super().__init__(namespace)
        self.hub = hub
        self.actors = {}
        self.halls = {}
        self.names = StaffNames(hub)

    def on_connect(self, auth=None):
        token = auth.get("token") if isinstance(auth, dict) else None
        actor = actor_from_token(self.hub, token) if token else None
        if token and actor is None:
            # A wrong token is refused outright so a misconfigured device notices at once.
            return False
        self.actors[request.sid] = actor
        return True

    def on_disconnect(self, *args):
        self.actors.pop(request.sid, None)
        self.halls.pop(request.sid, None)

    def on_heartbeat(self, data=None):
        """A tablet or keypad gateway reports its staffer present: {hall, window} -> {state}."""
        actor = self.actors.get(request.sid)
        try:
            if actor is None:
                raise Unauthenticated("请先登录")
            if not isinstance(data, dict):
                raise InvalidInput("heartbeat 需要 {hall, window}")
            return {"state": actions.heartbeat(self.hub, actor, data.get("hall"), data.get("window"))}
        except BianminError as exc:
            return {"error": {"code": exc.code, "message": exc.message}}

    def on_sync(self, data=None):
        """Send a snapshot (no or trimmed `since`) or the events after `since`, then stream live."""
        try:
            return self._sync(data)
        except BianminError as exc:
            emit("sync_error", {"error": {"code": exc.code, "message": exc.message}})
            return {"error": {"code": exc.code, "message": exc.message}}

    def _sync(self, data):
        if not isinstance(data, dict):
            raise InvalidInput("sync 需要 {hall, since}")
        hall = self.hub.hall(data.get("hall"))
        since = data.get("since")
        if since is not None and not valid_id(since):
            raise InvalidInput("since 应为事件编号或 null")
        actor = self.actors.get(request.sid)
        public = True
        if actor is not None:
            access.require_hall(actor, hall.code)
            public = actor.role == "device" and actor.device_kind == "display"
        sid = request.sid
        previous = self.halls.get(sid)
        if previous:
            leave_room(rooms.public(previous[0]) if previous[1] else rooms.staff(previous[0]))
        # Join first, then read: an event after the join arrives live; one before it is in the read.
        room = rooms.public(hall.code) if public else rooms.staff(hall.code)
        join_room(room)
        self.halls[sid] = (hall.code, public)
        log_ = self.hub.events
        if since is not None and log_.can_replay(hall.code, since):
            entries = log_.after(hall.code, since, count=MAX_REPLAY + 1)
            if len(entries) <= MAX_REPLAY:
                names = self.names.lookup
                last = since
                for entry_id, fields in entries:
                    emit(fields["type"], event_view(entry_id, fields, hall, public=public, staff_names=names()))
                    last = entry_id
                emit("synced", {"hall": hall.code, "last_event_id": last, "mode": "replay",
                                "replayed": len(entries)})
                return {"mode": "replay", "replayed": len(entries)}
        snap = queries.snapshot(self.hub, hall.code, public=public)
        emit("snapshot", snap)
        emit("synced", {"hall": hall.code, "last_event_id": snap["last_event_id"], "mode": "snapshot"})
        return {"mode": "snapshot"}

