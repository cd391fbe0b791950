#!/usr/bin/env python3
"""Take the README screenshots of the screens (docs/screens/*.png) in a realistic morning.

Starts its own embedded Redis and an in-process server whose clock is simulated: the demo hall's morning
from 08:30 is played through the real actions (arrivals, calls, service, no-shows), so the dashboard has
real hourly figures; then the clock runs on in real time and Debian's chromium photographs each screen.
Late in the morning window 2's clerk steps away (AB岗): window 1, its B post, is asked to take over and
does so with one tap on the clerk tablet. The hardware is reported as the device agent reports it, a real
RQ worker runs beside the server, and the LED boards are a real board simulator fed by the real driver.
Run by hand, never in tests:  .venv/bin/python scripts/screenshots.py [--out docs/screens]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from werkzeug.http import http_date  # noqa: E402
from werkzeug.serving import WSGIRequestHandler  # noqa: E402

from boards.fleet import Fleet  # noqa: E402
from boards.layout import strip_lines, window_lines  # noqa: E402
from boards.simulator import start_simulator  # noqa: E402
from config.halls import load_halls  # noqa: E402
from config.settings import Settings  # noqa: E402
from queue_server import actions, create_app, queries  # noqa: E402
from queue_server.domain.access import SYSTEM, Actor  # noqa: E402
from queue_server.domain.alerts import Alert  # noqa: E402
from queue_server.embedded import EmbeddedRedis, free_port  # noqa: E402
from queue_server.extensions import socketio  # noqa: E402
from queue_server.hub import Hub, connect  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
PASSWORD = "screenshot-pass-1"
CLERKS = {"clerk1": ("张伟", "1"), "clerk2": ("李娜", "2"), "clerk3": ("王芳", "3"), "clerk4": ("刘洋", "4"),
          "clerk5": ("陈静", "5"), "clerk6": ("杨磊", "6")}
# Share of arrivals per service in a town hall's morning, and arrivals per minute by hour.
MIX = {"SB": 22, "YB": 20, "MZ": 12, "WJ": 16, "TD": 10, "ZM": 20}
RATE = {8: 0.25, 9: 0.42, 10: 0.32}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required", "--hide-scrollbars"]


class SimClock:
    """Simulated time while the morning is played, then real time from where the simulation stopped."""

    def __init__(self, start: datetime):
        self.ms = int(start.timestamp() * 1000)
        self.t0 = None

    def __call__(self) -> int:
        if self.t0 is None:
            self.ms += 1  # strictly increasing, like the test clock
            return self.ms
        return self.ms + int((time.monotonic() - self.t0) * 1000)

    def advance(self, seconds: float) -> None:
        self.ms += int(seconds * 1000)

    def run(self) -> None:
        self.t0 = time.monotonic()


def play_morning(hub: Hub, clock: SimClock, until: datetime) -> None:
    """Issue, call, serve and close tickets minute by minute with the real actions."""
    rng = random.Random(20261123)
    kiosk = Actor("kiosk-1", "device", "demo", "kiosk")
    clerks = {u: Actor(u, "clerk", "demo") for u in CLERKS}
    for user, (_, window) in CLERKS.items():
        actions.open_window(hub, clerks[user], "demo", window)
    # window -> (phase, minutes left): called -> serving -> done
    desk = {w: None for _, w in CLERKS.values()}
    services = list(MIX)
    weights = [MIX[s] for s in services]
    avg = {s.code: s.avg_service_s / 60 for s in hub.hall("demo").services.values()}
    while clock.ms < until.timestamp() * 1000:
        hour = datetime.fromtimestamp(clock.ms / 1000, TZ).hour
        arrivals = sum(rng.random() < RATE.get(hour, 0.4) for _ in range(2))
        for _ in range(arrivals):
            try:
                actions.issue_ticket(hub, kiosk, "demo", rng.choices(services, weights)[0])
            except Exception:  # outside a service's hours: the resident picks another day
                pass
        for user, (_, window) in CLERKS.items():
            clerk, state = clerks[user], desk[window]
            if state is None or state[1] <= 0:
                if state and state[0] == "called":
                    if rng.random() < 0.06:
                        actions.no_show(hub, clerk, "demo", window)
                        desk[window] = None
                        continue
                    actions.start_service(hub, clerk, "demo", window)
                    service = hub.reader("demo").window(window).get("current_service") or "SB"
                    desk[window] = ("serving", max(2, rng.gauss(avg.get(service, 5), 1.5)))
                    continue
                if state and state[0] == "serving":
                    actions.finish(hub, clerk, "demo", window)
                raw = actions.call_next(hub, clerk, "demo", window)
                desk[window] = ("called", 1) if raw else None
            else:
                desk[window] = (state[0], state[1] - 1)
        clock.advance(60)


def hardware(hub: Hub) -> None:
    """The hall's devices as the device agent reports them: a printer low on paper, one board not answering."""
    gateway = Actor("gateway-1", "device", "demo", "gateway")
    report = lambda device, status: actions.report_device_status(hub, gateway, "demo", device, status)  # noqa: E731
    report("printer-1", {"kind": "printer", "online": True, "error": None, "paper_near_end": True})
    for window in ("1", "2", "3", "4", "6"):
        report(f"window-{window}", {"kind": "board", "online": True, "error": None})
    report("window-5", {"kind": "board", "online": False, "error": "无应答（地址5）"})
    report("strip", {"kind": "board", "online": True, "error": None})
    report("keypads-0", {"kind": "keypad", "online": True, "error": None})


def start_boards(hub: Hub, run_dir: Path):
    """A real board simulator on a pty (writing run/boards.json), driven by the real driver with the
    hall's current window and strip texts, as the device agent would."""
    run_dir.mkdir(parents=True, exist_ok=True)
    windows = list(hub.hall("demo").windows)
    link = start_simulator("onbon_bx6k", {**{int(w): (64, 16) for w in windows}, 100: (192, 32)},
                           state_file=str(run_dir / "boards.json"))
    boards = [{"id": f"window-{w}", "window": w, "driver": "onbon_bx6k", "transport": link.url, "address": int(w),
               "width": 64, "height": 16} for w in windows]
    boards.append({"id": "strip", "driver": "onbon_bx6k", "transport": link.url, "address": 100,
                   "width": 192, "height": 32, "lines": 3})
    import yaml
    (run_dir / "devices-demo.yaml").write_text(yaml.safe_dump({"hall": "demo", "boards": boards}, allow_unicode=True))
    fleet = Fleet.from_configs(boards).start()
    push_boards(hub, fleet)
    return link, fleet


def push_boards(hub: Hub, fleet: Fleet) -> None:
    """Send every board what it should show now (only changed boards get a frame) and wait until sent."""
    snap = queries.snapshot(hub, "demo", public=True)
    for w in snap["windows"]:
        fleet.show(f"window-{w['code']}", window_lines(w))
    fleet.show("strip", strip_lines(list(reversed(snap["recent_calls"])), count=3))
    for worker in fleet.workers.values():
        worker.wait_idle(10)


def serve(app, port: int) -> None:
    socketio.run(app, host="127.0.0.1", port=port, allow_unsafe_werkzeug=True, use_reloader=False,
                 log_output=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bianmin-shots-"))
    redis_server = EmbeddedRedis(tmp / "redis", appendonly=False)
    url = redis_server.start()
    try:
        return shoot(url, tmp, args.out)
    finally:
        redis_server.stop()


def shoot(redis_url: str, tmp: Path, out: Path) -> int:
    today = datetime.now(TZ).date()
    start = datetime(today.year, today.month, today.day, 8, 30, tzinfo=TZ)
    clock = SimClock(start)
    settings = Settings(redis_url=redis_url, var=tmp, relay=True, message_queue=False, async_mode="threading",
                        secret_key="screenshots")
    redis = connect(redis_url)
    hub = Hub(settings, load_halls(settings.halls_dir), redis, clock=clock)
    for user, (name, _) in CLERKS.items():
        hub.accounts.add_user(user, role="clerk", hall="demo", password=PASSWORD, name=name)
    hub.accounts.add_user("manager", role="manager", hall="demo", password=PASSWORD, name="赵主任")
    kiosk_token = hub.accounts.add_device("kiosk-1", hall="demo", kind="kiosk")

    play_morning(hub, clock, start + timedelta(hours=2, minutes=12))
    manager = Actor("manager", "manager", "demo")
    actions.pause_window(hub, Actor("clerk4", "clerk", "demo"), "demo", "4", "后台审核材料")
    actions.post_notice(hub, manager, "demo", "今日11:00-11:30系统升级，医保报销业务暂停受理，其他业务正常办理。")
    actions.request_help(hub, Actor("kiosk-1", "device", "demo", "kiosk"), "demo", "入口1号取号机")
    # AB岗: window 2's clerk steps away; the workers' scan asks window 1 (its B post) to take over.
    actions.mark_away(hub, Actor("clerk2", "clerk", "demo"), "demo", "2", "到档案室调取材料")
    actions.raise_alert(hub, SYSTEM, "demo", Alert("window_unattended", "warning", "2号窗口无人值守：到档案室调取材料",
                                                   window="2"))
    hardware(hub)
    clock.run()

    app = create_app(settings, hub)
    # The pages take "now" from the Date header; the dev server writes its own, so put it on our clock.
    WSGIRequestHandler.date_time_string = lambda self, timestamp=None: http_date(clock() / 1000)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    port = free_port()
    threading.Thread(target=serve, args=(app, port), daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    # A real RQ worker for the dashboard's workers panel (not the reroute queue: this hall's clock is simulated).
    worker = subprocess.Popen([str(Path(sys.executable).parent / "rq"), "worker", "--url", redis_url,
                               "--name", "bianmin-worker-1", "alerts", "default"],
                              cwd=ROOT, env=dict(os.environ, REDIS_URL=redis_url), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    link, fleet = start_boards(hub, tmp / "run")
    time.sleep(1.5)
    try:
        take(hub, base, out, kiosk_token, fleet)
    finally:
        fleet.stop()
        link.stop()
        worker.terminate()
        worker.wait(10)
    return 0


def take(hub: Hub, base: str, out: Path, kiosk_token: str, fleet: Fleet) -> None:
    from playwright.sync_api import sync_playwright

    def staff_login(page, user):
        page.fill("#login input[name=username]", user)
        page.fill("#login input[name=password]", PASSWORD)
        page.click("#login button[type=submit]")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def context(width, height, **kw):
            ctx = browser.new_context(viewport={"width": width, "height": height}, **kw)
            ctx.add_init_script("localStorage.setItem('bianmin.audio.unlocked', '1')")
            return ctx

        kiosk_ctx = context(1280, 800)
        kiosk_ctx.add_init_script(
            "localStorage.setItem('bianmin.kiosk.demo', JSON.stringify({token: %r, name: '入口1号取号机', "
            "printer: true, idle: 60}))" % kiosk_token)
        kiosk = kiosk_ctx.new_page()
        kiosk.goto(f"{base}/kiosk/demo")
        kiosk.wait_for_function("window.__live && window.__live.status === 'live'")
        kiosk.wait_for_timeout(600)
        kiosk.screenshot(path=str(out / "kiosk.png"))
        kiosk.click(".svc[data-service='SB']")
        kiosk.wait_for_selector("#ticket:not([hidden])")
        ticket_id = kiosk.evaluate("window.__kiosk.ticket.id")
        actions.report_print(hub, SYSTEM, "demo", ticket_id, "printed", "", "printer-1")
        kiosk.wait_for_selector("#print-status[data-state='printed']")
        kiosk.wait_for_timeout(500)
        kiosk.screenshot(path=str(out / "kiosk-ticket.png"))

        display = context(1920, 1080).new_page()
        display.goto(f"{base}/display/demo")
        display.wait_for_function("window.__live && window.__live.status === 'live'")

        clerk = context(1280, 800).new_page()
        clerk.goto(f"{base}/clerk")
        staff_login(clerk, "clerk1")
        clerk.wait_for_selector("#desk-view:not([hidden])")
        clerk.click("[data-action='finish']")
        clerk.wait_for_timeout(400)
        clerk.click("[data-action='next']")
        clerk.wait_for_selector("#feedback[data-kind='success']")
        clerk.click("[data-action='start']")
        # The scan asks window 1 (window 2's B post) to take over; the tablet learns it live.
        clerk.wait_for_function("window.__live && window.__live.status === 'live'")
        actions.raise_alert(hub, SYSTEM, "demo", Alert("cover_request", "warning", "请1号窗口（B岗）接管2号窗口",
                                                       window="1", device="2"))
        clerk.wait_for_selector("#cover-requests [data-absent='2']")
        clerk.wait_for_timeout(600)
        for box in clerk.query_selector_all("#materials input")[:2]:
            box.check()
        clerk.screenshot(path=str(out / "clerk.png"))
        clerk.click("[data-cover='2']")  # one tap: window 1 takes window 2's residents
        clerk.wait_for_selector("#covering:not([hidden])")
        actions.clear_alert(hub, SYSTEM, "demo", "cover_request:1")  # what the next scan does

        display.wait_for_timeout(7000)  # let the call's flash settle
        display.screenshot(path=str(out / "display.png"))

        dash = context(1440, 900).new_page()
        dash.goto(f"{base}/dashboard/demo")
        staff_login(dash, "manager")
        dash.wait_for_selector("#chart-arrivals svg")
        dash.wait_for_timeout(1200)
        dash.screenshot(path=str(out / "dashboard.png"), full_page=True)

        waiting = [t for t in hub.reader("demo").waiting_entries(["YB"])]
        phone_ticket = waiting[min(3, len(waiting) - 1)][1]
        phone = context(390, 844, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()
        phone.goto(f"{base}/t/{phone_ticket}?hall=demo")
        phone.wait_for_selector("#card[data-status='waiting']")
        phone.wait_for_selector("#route-note:not([hidden])")
        phone.check("#materials li:first-child input")
        phone.wait_for_timeout(500)
        phone.screenshot(path=str(out / "phone.png"), full_page=True)

        push_boards(hub, fleet)
        boards = context(1440, 760).new_page()
        boards.goto(f"{base}/display/demo/boards")
        boards.wait_for_selector(".board[data-address='100'] .led-line")
        boards.wait_for_timeout(1800)
        boards.screenshot(path=str(out / "boards.png"))

        board = context(1280, 400).new_page()
        board.goto(f"{base}/board/demo/1")
        board.wait_for_function("window.__live && window.__live.status === 'live'")
        board.wait_for_timeout(500)
        board.screenshot(path=str(out / "board-window.png"))
        browser.close()
    for name in ("kiosk", "kiosk-ticket", "clerk", "display", "dashboard", "phone", "boards", "board-window"):
        print(out / f"{name}.png")


if __name__ == "__main__":
    sys.exit(main())
