"""The Socket.IO message queue, with the relay's publishes sent a batch at a time."""

from __future__ import annotations

from contextlib import contextmanager

import socketio


class BatchingRedisManager(socketio.RedisManager):
    """A RedisManager that can hold its publishes and send them in one pipelined round trip.

    The relay emits every entry of an XREAD batch and then saves its cursor. Publishing each emit on
    its own costs a round trip apiece (about two thirds of the relay's time per event); holding them
    and sending them with the cursor in one pipeline keeps the order and makes a burst cheap. Local
    clients are still served at once: python-socketio delivers to this process before publishing.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held: list[bytes] | None = None

    def _publish(self, data):
        if self._held is not None:
            self._held.append(self.json.dumps(data))
            return None
        return super()._publish(data)

    @contextmanager
    def batch(self, after=None):
        """Hold publishes inside the block; then send them, and `after(pipeline)`'s commands, at once.

        If the block raises, nothing is published: the relay has not saved its cursor either, so
        the next leader re-emits those entries and clients drop the ones they already have by id.
        """
        if self._held is not None:  # nested: the outer batch sends everything
            yield
            return
        self._held = []
        try:
            yield
            held = self._held
        finally:
            self._held = None
        if not held and after is None:
            return
        if not self.connected:
            self._redis_connect()
        pipe = self.redis.pipeline(transaction=False)
        for message in held:
            pipe.publish(self.channel, message)
        if after is not None:
            after(pipe)
        pipe.execute()


def message_queue(url: str, *, write_only: bool) -> BatchingRedisManager:
    """The message queue every Bianmin process shares (channel `bianmin`)."""
    return BatchingRedisManager(url, channel="bianmin", write_only=write_only)
