"""LED boards on screen: the simulated boards' view and the websocket window board for LCD window screens.

`make run` starts a board simulator that writes what every board shows to `<BIANMIN_VAR>/run/boards.json`
(and the devices file `run/devices-<hall>.yaml` saying which board is which window). The boards view reads
that file through a small JSON route once a second; the window board needs no file, it follows the hall
over Socket.IO and draws the window's text with the same rules as boards/layout.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from flask import jsonify, render_template

from ..domain.errors import NoSuchHall
from . import bp
from .pages import _page, hub

STATE_FILE = "boards.json"


def run_dir() -> Path:
    return Path(hub().settings.var) / "run"


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _devices(run: Path, hall: str) -> tuple[dict | None, bool]:
    """(this hall's devices file, whether some other hall's simulator is the one running)."""
    mine = run / f"devices-{hall}.yaml"
    try:
        data = yaml.safe_load(mine.read_text(encoding="utf-8"))
        return (data if isinstance(data, dict) else {}), False
    except (OSError, yaml.YAMLError):
        return None, any(run.glob("devices-*.yaml"))


def boards_state(hall) -> dict:
    """What the simulated boards of `hall` show, labelled by window; running=False when there is none."""
    run = run_dir()
    devices, foreign = _devices(run, hall.code)
    state = None if foreign else _read_json(run / STATE_FILE)
    if state is None:
        return {"hall": hall.code, "running": False, "boards": []}
    configured = {}
    for board in (devices or {}).get("boards") or []:
        if isinstance(board, dict) and "address" in board:
            configured[str(board["address"])] = board
    boards = []
    for address, board in (state.get("boards") or {}).items():
        if not isinstance(board, dict):
            continue
        conf = configured.get(str(address), {})
        window = conf.get("window")
        if window is None and not configured and str(address) in hall.windows:
            window = str(address)  # no devices file: the simulator's convention, address = window code
        window = str(window) if window is not None else None
        boards.append({
            "address": board.get("address", address),
            "id": conf.get("id"),
            "window": window,
            "window_name": hall.windows[window].name if window in hall.windows else None,
            "width": int(board.get("width") or 64),
            "height": int(board.get("height") or 16),
            "lines": [str(line) for line in board.get("lines") or []],
            "effect": board.get("effect"),
            "mode": board.get("mode"),
            "updated": board.get("updated"),
        })
    # Strip/main boards (no window) first, then window boards in the hall's order.
    order = list(hall.windows)
    boards.sort(key=lambda b: (b["window"] is not None, order.index(b["window"]) if b["window"] in order else 0,
                               str(b["address"])))
    return {"hall": hall.code, "running": True, "driver": state.get("driver"), "updated": state.get("updated"),
            "boards": boards}


@bp.get("/display/<hall>/boards")
def boards_view(hall):
    """The simulated LED boards of a hall, drawn like LED boards (for installers and `make run`)."""
    return _page("boards.html", hall)


@bp.get("/display/<hall>/boards.json")
def boards_json(hall):
    """The simulator's board contents for the boards view (polled once a second)."""
    try:
        h = hub().hall(hall)
    except NoSuchHall:
        return jsonify({"error": {"code": "no_such_hall", "message": "没有这个服务大厅"}}), 404
    response = jsonify(boards_state(h))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/board/<hall>/<window>")
def window_board(hall, window):
    """A full-screen window board (窗口屏) for an Android LCD window screen: one window's board text, live."""
    try:
        h = hub().hall(hall)
    except NoSuchHall:
        return render_template("not_found.html", what="hall", code=hall), 404
    if window not in h.windows:
        return render_template("not_found.html", what="window", code=window), 404
    return _page("board.html", hall, window=h.windows[window])
