"""The devices file of one site (which printers, LED boards and keypads a gateway owns), validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from boards import check_charset
from boards.errors import BoardError
from queue_server.domain.errors import ConfigError
from queue_server.domain.hall import Hall


@dataclass(frozen=True)
class BoardSpec:
    """An LED board and what it shows: one window's state, or the lobby strip of recent calls."""

    id: str
    window: str | None
    config: dict


@dataclass(frozen=True)
class KeypadSpec:
    """A caller-keypad bus and which window each keypad (or evaluator) address belongs to."""

    transport: str
    windows: dict[int, str]
    options: dict = field(default_factory=dict)
    # A keypad has no heartbeat of its own; by default a live bus stands for the staffer's presence.
    heartbeat: bool = True


@dataclass(frozen=True)
class SiteDevices:
    hall: str
    printers: dict[str, dict]
    boards: list[BoardSpec]
    keypads: list[KeypadSpec]
    source: str = ""

    def printer(self, printer_id: str) -> dict:
        try:
            return self.printers[printer_id]
        except KeyError:
            raise ConfigError(f"{self.source}: printers: no printer {printer_id!r}") from None


def _fail(source, path, problem):
    raise ConfigError(f"{source}: {path}: {problem}")


def parse(data, source: str, hall: Hall) -> SiteDevices:
    """Validate a devices document against the hall it serves."""
    if not isinstance(data, dict):
        _fail(source, "(top level)", "must be a mapping")
    if data.get("hall") != hall.code:
        _fail(source, "hall", f"must be {hall.code!r}, got {data.get('hall')!r}")
    printers = {}
    for i, p in enumerate(data.get("printers") or []):
        if not isinstance(p, dict) or not isinstance(p.get("id"), str) or not p.get("driver"):
            _fail(source, f"printers[{i}]", "needs an id and a driver")
        if not isinstance(p.get("kiosk"), str):
            _fail(source, f"printers[{i}].kiosk", "must name the kiosk device whose tickets it prints")
        printers[p["id"]] = dict(p)
    boards = []
    texts = [w.name for w in hall.windows.values()] + [s.name for s in hall.services.values()] + ["暂停服务"]
    for i, b in enumerate(data.get("boards") or []):
        path = f"boards[{i}]"
        if not isinstance(b, dict) or not isinstance(b.get("id"), str):
            _fail(source, path, "needs an id")
        window = b.get("window")
        if window is not None and str(window) not in hall.windows:
            _fail(source, f"{path}.window", f"unknown window {window!r}")
        cfg = {k: v for k, v in b.items() if k not in ("window", "strip")}
        charset = cfg.get("charset", "gbk")
        for text in texts:
            try:
                check_charset(text, charset)
            except BoardError as exc:
                _fail(source, f"{path}.charset", str(exc))
        boards.append(BoardSpec(b["id"], str(window) if window is not None else None, cfg))
    keypads = []
    for i, k in enumerate(data.get("keypads") or []):
        path = f"keypads[{i}]"
        if not isinstance(k, dict) or not isinstance(k.get("transport"), str):
            _fail(source, path, "needs a transport (a pyserial URL)")
        windows = {}
        for addr, w in (k.get("windows") or {}).items():
            if str(w) not in hall.windows:
                _fail(source, f"{path}.windows.{addr}", f"unknown window {w!r}")
            windows[int(addr)] = str(w)
        options = {x: y for x, y in k.items() if x not in ("transport", "windows", "heartbeat")}
        keypads.append(KeypadSpec(k["transport"], windows, options, bool(k.get("heartbeat", True))))
    return SiteDevices(hall.code, printers, boards, keypads, source)


def load(path: Path, hall: Hall) -> SiteDevices:
    """Read and validate a devices YAML file."""
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return parse(data, str(path), hall)
