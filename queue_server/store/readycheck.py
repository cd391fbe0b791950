"""A hiredis reply parser whose "is this pooled connection clean?" check never yields to gevent."""

from __future__ import annotations

import select

from gevent import monkey
from redis._parsers import _HiredisParser
from redis.utils import HIREDIS_AVAILABLE

# The operating system's poll, even in a monkey-patched (gevent) process.
_os_poll = monkey.get_original("select", "poll")


class ReadyCheckParser(_HiredisParser):
    """_HiredisParser with a cheaper can_read(0) for the common case of a clean connection.

    redis-py asks every connection it takes from the pool whether it can read (leftover data means a
    dirty connection). Under gevent that check runs gevent's cooperative poll, which builds watchers and
    switches to the hub: 13 % of a web process's time when issuing tickets (py-spy,
    docs/performance.md). The operating system's poll with a zero timeout answers "nothing to read"
    without either; anything else goes to the parser's own check, which tells data from a closed socket.
    """

    def can_read(self, timeout: float = 0) -> bool:
        if timeout == 0 and self._reader is not None and self._sock is not None and not self._reader.has_data():
            poller = _os_poll()
            poller.register(self._sock, select.POLLIN)
            if not poller.poll(0):
                return False
        return super().can_read(timeout)


def parser_options() -> dict:
    """Connection options that use ReadyCheckParser when hiredis is installed (it is a dependency)."""
    return {"parser_class": ReadyCheckParser} if HIREDIS_AVAILABLE else {}
