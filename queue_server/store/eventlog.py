"""The hall event stream: reading after an id, and telling whether an id was trimmed away."""

from __future__ import annotations

from . import keys


class EventLog:
    """Read access to `qs:{hall}:events`."""

    def __init__(self, redis):
        self.redis = redis

    def after(self, hall: str, since: str, count: int = 10000) -> list[tuple[str, dict]]:
        """Entries strictly after `since`, oldest first."""
        return self.redis.xrange(keys.events(hall), f"({since}", "+", count=count)

    def first_id(self, hall: str) -> str | None:
        """Id of the oldest entry still kept, or None for an empty stream."""
        rows = self.redis.xrange(keys.events(hall), "-", "+", count=1)
        return rows[0][0] if rows else None

    def last_id(self, hall: str) -> str | None:
        """Id of the newest entry, or None."""
        rows = self.redis.xrevrange(keys.events(hall), "+", "-", count=1)
        return rows[0][0] if rows else None

    def can_replay(self, hall: str, since: str) -> bool:
        """True when the stream still holds everything after `since` and `since` is from this stream."""
        first, last = self.first_id(hall), self.last_id(hall)
        if first is None:
            return False
        # Older than the first kept entry: events were trimmed. Newer than the last: the store was
        # reset under the client. Either way only a snapshot is truthful.
        return id_key(first) <= id_key(since) <= id_key(last)

    def read(self, streams: dict[str, str], block_ms: int, count: int) -> list:
        """XREAD over several halls' streams."""
        return self.redis.xread(streams, count=count, block=block_ms)


def id_key(entry_id: str) -> tuple[int, int]:
    """Sort key of a stream id."""
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def valid_id(entry_id) -> bool:
    """True for a well-formed stream id such as 1700000000000-0."""
    if not isinstance(entry_id, str):
        return False
    ms, sep, seq = entry_id.partition("-")
    return ms.isdigit() and (not sep or seq.isdigit()) and len(entry_id) < 42
