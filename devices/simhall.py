"""Simulated hall hardware for `make run`: LED boards on a pty, caller keypads on a pty, and a
network ticket printer that renders slips to PNG; writes the devices file the agent reads.

Keypad presses are injected with `bianmin sim key WINDOW next|recall|no-show|pause|rate N`.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import time
from pathlib import Path

import yaml

from boards.simulator import start_simulator
from devices.keypad import KeyAction
from devices.keypad.simulator import KeypadSimulator
from devices.printer.simulator import PrinterSimulator
from queue_server.embedded import free_port

log = logging.getLogger("simhall")

WINDOW_BOARD = (64, 16)
STRIP_ADDRESS, STRIP_BOARD = 100, (192, 32)
KEYS = {"next": KeyAction.NEXT, "recall": KeyAction.RECALL, "no-show": KeyAction.NO_SHOW,
        "pause": KeyAction.PAUSE, "finish": KeyAction.CANCEL}


def key_file(var: Path) -> Path:
    return var / "run" / "simkeys.jsonl"


def press(var: Path, window: str, key: str, value: int | None = None) -> None:
    """Queue a simulated keypad press (or evaluator rating) for the running simulator."""
    path = key_file(var)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        f.write(json.dumps({"window": window, "key": key, "value": value}) + "\n")


def run(var: Path, hall: str, windows: list[str], kiosk: str) -> None:
    run_dir = var / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    boards = {int(w): WINDOW_BOARD for w in windows}
    boards[STRIP_ADDRESS] = STRIP_BOARD
    board_link = start_simulator("onbon_bx6k", boards, state_file=str(run_dir / "boards.json"))
    keypads = KeypadSimulator.open_pty().start()
    printer_port = free_port()
    printer = PrinterSimulator(var / "prints").serve("127.0.0.1", printer_port)
    devices = {
        "hall": hall,
        "printers": [{"id": "printer-1", "kiosk": kiosk, "driver": "network", "host": "127.0.0.1",
                      "port": printer_port, "mode": "native", "paper_mm": 80}],
        "boards": [{"id": f"window-{w}", "window": w, "driver": "onbon_bx6k", "transport": board_link.url,
                    "address": int(w), "width": WINDOW_BOARD[0], "height": WINDOW_BOARD[1]} for w in windows]
        + [{"id": "strip", "driver": "onbon_bx6k", "transport": board_link.url, "address": STRIP_ADDRESS,
            "width": STRIP_BOARD[0], "height": STRIP_BOARD[1], "lines": 3}],
        # The simulated clerks send their tablets' heartbeats, so `bianmin sim away` can silence one.
        "keypads": [{"transport": keypads.port_path, "windows": {int(w): w for w in windows}, "heartbeat": False}],
    }
    out = run_dir / f"devices-{hall}.yaml"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(devices, allow_unicode=True, sort_keys=False), "utf-8")
    os.replace(tmp, out)
    log.info("boards on %s, keypads on %s, printer on 127.0.0.1:%s; wrote %s",
             board_link.url, keypads.port_path, printer_port, out)
    stop = False

    def _stop(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    keys = key_file(var)
    offset = keys.stat().st_size if keys.exists() else 0
    while not stop:
        if keys.exists() and keys.stat().st_size > offset:
            with keys.open() as f:
                f.seek(offset)
                for line in f:
                    _inject(keypads, json.loads(line))
                offset = f.tell()
        time.sleep(0.2)
    printer.stop()
    keypads.stop()
    board_link.stop()
    out.unlink(missing_ok=True)


def _inject(keypads: KeypadSimulator, cmd: dict) -> None:
    address = int(cmd["window"])
    if cmd["key"] == "rate":
        keypads.rate(address, int(cmd.get("value") or 5))
    elif cmd["key"] in KEYS:
        keypads.press(address, KEYS[cmd["key"]])
    log.info("keypad %s: %s", address, cmd["key"])


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    var = Path(os.environ.get("BIANMIN_VAR", "var"))
    run(var, os.environ.get("BIANMIN_SIM_HALL", "demo"),
        os.environ.get("BIANMIN_SIM_BOARD_WINDOWS", "1,2,3,4,5,6").split(","), "kiosk-1")


if __name__ == "__main__":
    main()
