"""The device agent: runs on the PC the hall hardware is plugged into.

It authenticates with a gateway token, follows the hall over Socket.IO (sync/since), drives the LED
boards and keypad displays from that state, turns keypad presses and evaluator ratings into API
calls, prints slips from its printers' RQ queues, and reports hardware state. Boards show state,
not a list of calls, so a replay after a reconnect re-sends nothing that is already shown.

    python -m devices.agent --config var/devices-demo.yaml
    (BIANMIN_API=http://server:5000, BIANMIN_DEVICE_TOKEN=<gateway token>, REDIS_URL for printing)
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading

import requests

from boards import Fleet
from boards.layout import strip_lines, window_lines
from config.halls import load_halls
from config.settings import Settings
from devices.hallfeed import HallFeed
from devices.keypad import EvaluatorRating, KeyAction, KeypadBus, KeypadCommand
from devices.printer import make_printer
from devices.printjobs import MESSAGES
from devices.siteconfig import SiteDevices, load as load_site

log = logging.getLogger("devices.agent")

# Keypad keys and the window operation each stands for.
KEY_ENDPOINTS = {
    KeyAction.NEXT: "next", KeyAction.RECALL: "recall", KeyAction.NO_SHOW: "no-show",
    KeyAction.CANCEL: "finish", KeyAction.CALLBACK: "recall",
}
# Reported often enough for the dashboard to notice an unplugged device within half a minute.
REPORT_EVERY_S = 15


class Agent:
    """Owns one site's hardware and keeps it in step with the hall."""

    def __init__(self, site: SiteDevices, api: str, token: str, feed_url: str | None = None):
        self.site = site
        self.api = api.rstrip("/") + "/api/v1"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.stop_event = threading.Event()
        self.fleet = Fleet.from_configs([b.config for b in site.boards], on_event=self._on_board_event) \
            if site.boards else None
        self.keypads: list[tuple[KeypadBus, dict[int, str]]] = []
        self.heartbeat_windows: set[str] = set()
        for spec in site.keypads:
            bus = KeypadBus(spec.transport, on_command=self._on_key(spec.windows),
                            on_rating=self._on_rating(spec.windows), **spec.options)
            self.keypads.append((bus, spec.windows))
            if spec.heartbeat:
                self.heartbeat_windows |= set(spec.windows.values())
        self.feed = HallFeed(feed_url or api, site.hall, token, on_change=self._on_change)
        self.shown_numbers: dict[tuple[int, int], str] = {}
        self.presses = 0

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "Agent":
        for printer_id, cfg in self.site.printers.items():
            self._post(f"/halls/{self.site.hall}/devices/printers", json={"kiosk": cfg["kiosk"], "printer": printer_id})
        if self.fleet:
            self.fleet.start()
        for bus, _ in self.keypads:
            bus.start()
        self.feed.start()
        threading.Thread(target=self._report_loop, name="agent-report", daemon=True).start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self.feed.stop()
        for bus, _ in self.keypads:
            bus.stop()
        if self.fleet:
            self.fleet.stop()

    # --- hall state -> hardware --------------------------------------------------------------------

    def _on_change(self, state: dict, event: dict | None) -> None:
        windows = {w["code"]: w for w in state["windows"]}
        if self.fleet:
            calls = list(reversed(state.get("recent_calls", [])))
            for spec in self.site.boards:
                if spec.window is not None:
                    lines = window_lines(windows.get(spec.window, {"code": spec.window}))
                else:
                    lines = strip_lines(calls, [], count=spec.config.get("lines", 3))
                self.fleet.show(spec.id, lines)
        for index, (bus, bindings) in enumerate(self.keypads):
            for address, code in bindings.items():
                current = (windows.get(code) or {}).get("current") or {}
                number = current.get("number") or ""
                if self.shown_numbers.get((index, address)) != number:
                    if bus.show_number(address, number) if number else bus.show_waiting(address, 0):
                        self.shown_numbers[(index, address)] = number

    # --- keypads -> API -----------------------------------------------------------------------------

    def _on_key(self, bindings: dict[int, str]):
        def handle(command: KeypadCommand) -> None:
            window = bindings.get(command.address)
            if window is None:
                log.warning("keypad %s is not bound to a window", command.address)
                return
            self.presses += 1
            if command.action is KeyAction.PAUSE:
                self._window(window, "pause", json={"reason": "呼叫器暂停"})
            elif command.action in KEY_ENDPOINTS:
                self._window(window, KEY_ENDPOINTS[command.action])
            else:
                log.info("keypad %s: %s is not mapped", command.address, command.action.value)
        return handle

    def _on_rating(self, bindings: dict[int, str]):
        def handle(rating: EvaluatorRating) -> None:
            window = bindings.get(rating.address)
            if window is not None and 1 <= rating.rating <= 5:
                self._window(window, "rating", json={"rating": rating.rating, "channel": "evaluator"})
        return handle

    def _window(self, window: str, op: str, **kw):
        return self._post(f"/halls/{self.site.hall}/windows/{window}/{op}", **kw)

    def _post(self, path: str, **kw):
        try:
            r = self.session.post(self.api + path, timeout=5, **kw)
            if r.status_code >= 400:
                log.warning("%s -> %s %s", path, r.status_code, r.text[:200])
            return r
        except requests.RequestException as exc:
            log.warning("%s failed: %s", path, exc)
            return None

    # --- health ------------------------------------------------------------------------------------

    def _on_board_event(self, event: dict) -> None:
        if event["type"] in ("board_offline", "bus_disconnected"):
            self._report_boards()

    def _report_boards(self) -> None:
        if not self.fleet:
            return
        for bus in self.fleet.status():
            for board in bus.get("boards", []):
                online = bool(bus.get("connected")) and bool(board.get("online"))
                self._post(f"/halls/{self.site.hall}/devices/status", json={"device": board.get("id"), "status": {
                    "kind": "board", "online": online,
                    "error": None if online else (board.get("last_error") or bus.get("last_error") or "离线")}})

    def _report_loop(self) -> None:
        while not self.stop_event.wait(REPORT_EVERY_S if self.feed.synced.is_set() else 2):
            self.report_once()

    def report_once(self) -> None:
        """Report every device's state and keep keypad-staffed windows' heartbeats going."""
        for printer_id, cfg in self.site.printers.items():
            st = make_printer(cfg).status()
            self._post(f"/halls/{self.site.hall}/devices/status", json={"device": printer_id, "status": {
                "kind": "printer", "online": st.ok, "error": MESSAGES.get(st.error, st.error),
                "paper_near_end": bool(st.paper_near_end)}})
        self._report_boards()
        for index, (bus, bindings) in enumerate(self.keypads):
            self._post(f"/halls/{self.site.hall}/devices/status", json={
                "device": f"keypads-{index}", "status": {"kind": "keypad", "online": bus.connected,
                                                         "error": None if bus.connected else "总线断开"}})
            if bus.connected:
                # A keypad has no heartbeat of its own; a live bus stands for the staffer's presence.
                for window in set(bindings.values()) & self.heartbeat_windows:
                    self._window(window, "heartbeat")


def run_print_worker(site: SiteDevices, redis_url: str, stop: threading.Event) -> None:
    """Consume this site's print queues in the main thread (RQ needs it for signal handling)."""
    from redis import Redis
    from rq import SimpleWorker

    from queue_server.store import keys

    queues = [keys.print_queue(site.hall, p) for p in site.printers]
    worker = SimpleWorker(queues, connection=Redis.from_url(redis_url), name=None)
    worker.work(with_scheduler=True, logging_level="INFO")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devices.agent", description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=os.environ.get("BIANMIN_DEVICES"), help="devices YAML file")
    parser.add_argument("--api", default=os.environ.get("BIANMIN_API", "http://127.0.0.1:5000"))
    parser.add_argument("--token", default=os.environ.get("BIANMIN_DEVICE_TOKEN"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if not args.config or not args.token:
        parser.error("--config (or BIANMIN_DEVICES) and --token (or BIANMIN_DEVICE_TOKEN) are required")
    settings = Settings.from_env()
    halls = load_halls(settings.halls_dir)
    import yaml
    hall_code = (yaml.safe_load(open(args.config, encoding="utf-8")) or {}).get("hall")
    if hall_code not in halls:
        parser.error(f"{args.config}: hall {hall_code!r} is not defined in {settings.halls_dir}")
    os.environ["BIANMIN_DEVICES"] = os.path.abspath(args.config)
    site = load_site(args.config, halls[hall_code])
    agent = Agent(site, args.api, args.token).start()
    stop = threading.Event()
    try:
        if site.printers and os.environ.get("REDIS_URL"):
            run_print_worker(site, os.environ["REDIS_URL"], stop)
        else:
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            while not stop.wait(1):
                pass
    except KeyboardInterrupt:
        pass
    finally:
        agent.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
