"""Simulated clerks for the demo (`make run`): they staff windows, send heartbeats and call tickets.

A simulated clerk can be told to go silent (`bianmin sim away 3`), as if the staffer walked off
with the tablet shut; their window then goes `away` after the hall's heartbeat timeout and the
workers reroute its residents. `bianmin sim back 3` brings them back. Walk-ins keep the lobby alive.
"""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import time
from pathlib import Path

import requests

log = logging.getLogger("simclerks")

# Heartbeats well inside the demo hall's 45 s timeout, so only a silenced clerk goes away.
HEARTBEAT_S = 10
PRESS_EVERY_S = (35, 80)
WALK_IN_EVERY_S = (20, 60)
MAX_WAITING = 6


def control_file(var: Path) -> Path:
    return var / "run" / "simclerks.json"


def read_control(var: Path) -> dict:
    try:
        return json.loads(control_file(var).read_text())
    except (OSError, ValueError):
        return {"silent": []}


def write_control(var: Path, silent: list[str]) -> None:
    path = control_file(var)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"silent": sorted(set(silent))}))


class SimClerk:
    """One simulated A-post clerk at one window."""

    def __init__(self, api: str, hall: str, window: str, username: str, password: str):
        self.api, self.hall, self.window = api, hall, window
        self.username, self.password = username, password
        self.session = requests.Session()
        self.token = None
        self.next_press = time.monotonic() + random.uniform(5, 20)
        self.next_beat = 0.0
        self.covering: set[str] = set()

    def _post(self, path: str, **kw):
        return self.session.post(f"{self.api}/halls/{self.hall}/windows/{self.window}/{path}",
                                 headers={"Authorization": f"Bearer {self.token}"}, timeout=5, **kw)

    def sign_in(self) -> bool:
        r = self.session.post(f"{self.api}/auth/login", json={"username": self.username,
                                                              "password": self.password}, timeout=5)
        if r.status_code != 200:
            log.warning("%s cannot log in: %s", self.username, r.text)
            return False
        self.token = r.json()["token"]
        r = self._post("open")
        if r.status_code != 200:
            log.info("%s leaves window %s alone: %s", self.username, self.window, r.json()["error"]["message"])
            return False
        log.info("%s signed in at window %s", self.username, self.window)
        return True

    def tick(self, silent: bool, alerts: list[dict]) -> None:
        now = time.monotonic()
        if silent:
            return
        if now >= self.next_beat:
            self._post("heartbeat")
            self.next_beat = now + HEARTBEAT_S
        for alert in alerts:
            # The B post "taps" the takeover request shown on their tablet.
            absent = alert.get("device")
            if alert.get("kind") == "cover_request" and alert.get("window") == self.window \
                    and absent not in self.covering:
                r = self._post("cover", json={"window": absent})
                self.covering.add(absent)
                log.info("%s covers window %s: %s", self.username, absent, r.status_code)
        if now >= self.next_press:
            r = self._post("next")
            if r.status_code == 200:
                log.info("window %s calls %s", self.window, r.json()["number"])
            self.next_press = now + random.uniform(*PRESS_EVERY_S)


def run(api: str, hall: str, var: Path, windows: list[str], credentials: dict, kiosk_token: str | None,
        manager: tuple[str, str] | None) -> None:
    """Run the simulated clerks (and walk-ins) until SIGTERM."""
    stop = False

    def _stop(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    _wait_for(api)
    clerks = []
    for w in _hall_windows(hall):
        if w.code not in windows:
            continue
        username = w.staff_a
        if username and username in credentials:
            clerk = SimClerk(api, hall, w.code, username, credentials[username])
            if clerk.sign_in():
                clerks.append(clerk)
    manager_token = None
    if manager:
        r = requests.post(f"{api}/auth/login", json={"username": manager[0], "password": manager[1]}, timeout=5)
        manager_token = r.json().get("token") if r.status_code == 200 else None
    next_walk_in = time.monotonic() + random.uniform(*WALK_IN_EVERY_S)
    while not stop:
        silent = set(read_control(var).get("silent", []))
        alerts = []
        if manager_token:
            try:
                alerts = requests.get(f"{api}/halls/{hall}/dashboard",
                                      headers={"Authorization": f"Bearer {manager_token}"}, timeout=5).json()["alerts"]
            except (requests.RequestException, KeyError, ValueError):
                alerts = []
        for clerk in clerks:
            try:
                clerk.tick(clerk.window in silent, alerts)
            except requests.RequestException as exc:
                log.warning("window %s: %s", clerk.window, exc)
        if kiosk_token and time.monotonic() >= next_walk_in:
            _walk_in(api, hall, kiosk_token)
            next_walk_in = time.monotonic() + random.uniform(*WALK_IN_EVERY_S)
        time.sleep(1)


def _walk_in(api: str, hall: str, token: str) -> None:
    try:
        services = [s for s in requests.get(f"{api}/halls/{hall}/services", timeout=5).json()
                    if s["accepting"] and s["waiting"] < MAX_WAITING]
        if services:
            svc = random.choice(services)
            requests.post(f"{api}/halls/{hall}/tickets", json={"service": svc["code"], "channel": "sim"},
                          headers={"Authorization": f"Bearer {token}"}, timeout=5)
    except requests.RequestException as exc:
        log.warning("walk-in failed: %s", exc)


def _wait_for(api: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{api}/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)


def _hall_windows(hall: str):
    from config.halls import load_halls
    from config.settings import Settings

    return list(load_halls(Settings.from_env().halls_dir)[hall].windows.values())


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    var = Path(os.environ.get("BIANMIN_VAR", "var"))
    creds = json.loads((var / "demo-credentials.json").read_text())
    passwords = {u["username"]: u["password"] for u in creds["users"]}
    manager = next(((u["username"], u["password"]) for u in creds["users"] if u["role"] == "manager"), None)
    api = os.environ.get("BIANMIN_API", "http://127.0.0.1:5000/api/v1")
    windows = os.environ.get("BIANMIN_SIM_WINDOWS", "2,3,4,5,6").split(",")
    walk_ins = os.environ.get("BIANMIN_SIM_WALKINS", "1") != "0"
    run(api, os.environ.get("BIANMIN_SIM_HALL", "demo"), var, windows, passwords,
        creds.get("devices", {}).get("kiosk-1") if walk_ins else None, manager)


if __name__ == "__main__":
    main()
