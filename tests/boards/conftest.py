"""Fixtures for the boards tests: golden vectors, hex helpers, and a rig of simulated buses and workers."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from boards.bus import BusWorker
from boards.config import BoardConfig
from boards.simulator import BoardSimulator, PtyLink, TcpLink

WAIT = 10.0  # generous upper bound for anything that should take milliseconds


@pytest.fixture(scope="session")
def golden() -> dict[str, Any]:
    """Return the golden vectors (hex strings) from golden_vectors.json."""
    with open(Path(__file__).with_name("golden_vectors.json"), encoding="utf-8") as fh:
        return json.load(fh)


class Line:
    """A bus endpoint at a stable URL whose simulator can be unplugged and plugged back in.

    For "pty" the URL is a symlink that is re-pointed at each new pty, like udev's by-id links.
    """

    _ids = itertools.count()

    def __init__(self, kind: str, simulator: BoardSimulator, tmp_path: Path) -> None:
        self.kind = kind
        self.simulator = simulator
        self._link: PtyLink | TcpLink | None = None
        self._symlink = tmp_path / f"ttyV{next(self._ids)}"
        self._port = 0
        self.url = str(self._symlink)
        self.plug()

    def plug(self, simulator: BoardSimulator | None = None) -> None:
        """Attach a (new) simulator at the same URL."""
        assert self._link is None, "already plugged in"
        self.simulator = simulator or self.simulator
        if self.kind == "pty":
            link = PtyLink(self.simulator)
            tmp = self._symlink.with_suffix(".new")
            os.symlink(link.path, tmp)
            os.replace(tmp, self._symlink)
        else:
            link = TcpLink(self.simulator, port=self._port)
            self._port, self.url = link.port, link.url
        self._link = link

    def unplug(self) -> None:
        """Close the simulator end; for a pty also remove the device path, as a pulled USB dongle does."""
        if self._link is not None:
            self._link.stop()
            self._link = None
            if self.kind == "pty":
                os.remove(self._symlink)


class Rig:
    """Builds simulated lines and fast-timing bus workers, and tears them down in the right order."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.lines: list[Line] = []
        self.workers: list[BusWorker] = []
        self.events: list[dict[str, Any]] = []

    def line(self, kind: str, driver: str, addresses: Iterable[int], **sim_kwargs: Any) -> Line:
        line = Line(kind, BoardSimulator(driver, list(addresses), **sim_kwargs), self.tmp_path)
        self.lines.append(line)
        return line

    def worker(
        self, url: str, driver: str, addresses: Iterable[int], *, start: bool = True, **kwargs: Any
    ) -> BusWorker:
        options = {
            "reply_timeout": 0.3, "retries": 2, "backoff_initial": 0.05, "backoff_max": 0.4,
            "offline_retry_s": 60.0, "idle_probe_s": 0.1, "on_event": self.events.append,
        }
        options.update(kwargs)
        boards = [BoardConfig(driver, a, 64, 16, transport=url) for a in addresses]
        worker = BusWorker(url, driver, boards, **options)
        self.workers.append(worker)
        return worker.start() if start else worker

    def event_types(self, bus: str) -> list[str]:
        return [e["type"] for e in list(self.events) if e["bus"] == bus]

    def close(self) -> None:
        stopped = [worker.stop(WAIT) for worker in self.workers]
        for line in self.lines:
            line.unplug()
        assert all(stopped), "a bus worker did not stop in time"


@pytest.fixture
def rig(tmp_path: Path):
    """Yield a Rig; every worker is stopped and every simulator unplugged afterwards."""
    rig = Rig(tmp_path)
    try:
        yield rig
    finally:
        rig.close()
