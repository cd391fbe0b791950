"""A window's serial LED board driven by the real device agent, on an in-process simulator on a pty.

The agent follows the hall over Socket.IO like on a gateway PC, renders window 1's state and writes
the frame to the serial link; the simulator decodes it and notes when it was fully received.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path


def board_agent(spec: dict, pipe) -> None:
    """Child-process entry: spec {api_url, token, halls_dir, hall, window}; reports shown times by number.

    Messages: -> {"ready", "port"}; <- "stop"; -> {"shown": {number: t_frame_received}, "frames"}.
    """
    import yaml

    from boards.simulator import start_simulator
    from config.halls import load_halls
    from devices.agent import Agent
    from devices.siteconfig import load as load_site

    link = start_simulator("onbon_bx5k", {1: (64, 16)})
    shown: dict[str, float] = {}
    frames = [0]

    def on_change(state):
        # Called by the simulator right after it decoded a complete frame that changed the text.
        board = state["boards"]["1"]
        frames[0] += 1
        if board["lines"]:
            number = board["lines"][0].split(" ", 1)[0]
            shown.setdefault(number, board["updated"])

    link.simulator.on_change = on_change
    folder = Path(tempfile.mkdtemp(prefix="bench-board-"))
    site_file = folder / "devices.yaml"
    site_file.write_text(yaml.safe_dump({
        "hall": spec["hall"],
        "boards": [{"id": "w", "window": spec["window"], "driver": "onbon_bx5k", "transport": link.url,
                    "address": 1, "width": 64, "height": 16}],
    }, allow_unicode=True), "utf-8")
    site = load_site(site_file, load_halls(spec["halls_dir"])[spec["hall"]])
    agent = Agent(site, spec["api_url"], spec["token"]).start()
    try:
        ok = agent.feed.synced.wait(20)
        pipe.send({"ready": ok, "port": link.url})
        if pipe.poll(spec.get("max_wait_s", 900)):
            pipe.recv()
        time.sleep(0.3)
        pipe.send({"shown": dict(shown), "frames": frames[0]})
    finally:
        agent.stop()
        link.stop()
        shutil.rmtree(folder, ignore_errors=True)
