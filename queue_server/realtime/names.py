"""Display names of staff for window events, cached briefly so the relay does not read per event."""

from __future__ import annotations

import time

# Names change rarely; a minute of staleness on a lobby board is harmless.
TTL_S = 60


class StaffNames:
    """username -> display name, refreshed from the accounts store at most once a minute."""

    def __init__(self, hub):
        self.hub = hub
        self._names: dict[str, str] = {}
        self._loaded = 0.0

    def lookup(self) -> dict[str, str]:
        if time.monotonic() - self._loaded > TTL_S:
            self._names = self.hub.accounts.display_names(self.hub.accounts.usernames())
            self._loaded = time.monotonic()
        return self._names
