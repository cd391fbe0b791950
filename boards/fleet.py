"""Fleet: every BusWorker of a hall, built from board config dicts and addressed by board id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from boards.bus import BusWorker
from boards.config import BoardConfig
from boards.errors import ConfigError


class Fleet:
    """Group boards by transport URL into one BusWorker each, and route content by board id."""

    def __init__(self, workers: Iterable[BusWorker]) -> None:
        self.workers: dict[str, BusWorker] = {w.url: w for w in workers}
        self._routes: dict[str, tuple[BusWorker, int]] = {}
        for worker in self.workers.values():
            for address, board in worker.status().boards.items():
                if board.id in self._routes:
                    raise ConfigError(f"board id {board.id!r} is used twice")
                self._routes[board.id] = (worker, address)

    @classmethod
    def from_configs(cls, configs: Iterable[BoardConfig | Mapping[str, Any]], **worker_kwargs: Any) -> Fleet:
        """Build one BusWorker per distinct transport from board configs."""
        by_bus: dict[str, list[BoardConfig]] = {}
        for item in configs:
            cfg = item if isinstance(item, BoardConfig) else BoardConfig.from_dict(item)
            by_bus.setdefault(cfg.transport, []).append(cfg)
        return cls(BusWorker.from_configs(cfgs, **worker_kwargs) for cfgs in by_bus.values())

    @property
    def board_ids(self) -> list[str]:
        """Return every board id, sorted."""
        return sorted(self._routes)

    def _route(self, board_id: str) -> tuple[BusWorker, int]:
        try:
            return self._routes[board_id]
        except KeyError:
            raise ConfigError(f"unknown board id {board_id!r}; known: {', '.join(self.board_ids)}") from None

    def show(
        self, board_id: str, lines: Sequence[str], *, effect: str | None = None, hold_s: float | None = None
    ) -> bool:
        """Queue lines for one board; return False if it already has exactly that."""
        worker, address = self._route(board_id)
        return worker.show(address, lines, effect=effect, hold_s=hold_s)

    def clear(self, board_id: str) -> bool:
        """Queue a blank screen for one board."""
        worker, address = self._route(board_id)
        return worker.clear(address)

    def start(self) -> Fleet:
        """Start every bus worker; return self."""
        for worker in self.workers.values():
            worker.start()
        return self

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop every bus worker; return True if all ended in time."""
        for worker in self.workers.values():
            worker.request_stop()  # signal all first so the buses wind down in parallel
        return all([worker.stop(timeout) for worker in self.workers.values()])

    def status(self) -> list[dict[str, Any]]:
        """Return every bus's status as JSON-able dicts."""
        return [worker.status().as_dict() for worker in self.workers.values()]
