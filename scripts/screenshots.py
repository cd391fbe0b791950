#!/usr/bin/env python3
"""Take the README screenshots of the five screens (docs/screens/*.png) in a realistic morning.

Starts its own embedded Redis and an in-process server whose clock is simulated: the demo hall's morning
from 08:30 is played through the real actions (arrivals, calls, service, no-shows), so the dashboard has
real hourly figures; then the clock runs on in real time and Debian's chromium photographs each screen.
Run by hand, never in tests:  .venv/bin/python scripts/screenshots.py [--out docs/screens]
"""

from __future__ import annotations

import argparse
import logging
import random
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

from config.halls import load_halls  # noqa: E402
from config.settings import Settings  # noqa: E402
from queue_server import actions, create_app  # noqa: E402
from queue_server.domain.access import SYSTEM, Actor  # noqa: E402
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
    from playwright.sync_api import sync_playwright

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
    clock.run()

    app = create_app(settings, hub)
    # The pages take "now" from the Date header; the dev server writes its own, so put it on our clock.
    WSGIRequestHandler.date_time_string = lambda self, timestamp=None: http_date(clock() / 1000)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    port = free_port()
    threading.Thread(target=serve, args=(app, port), daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    time.sleep(1.5)

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
        clerk.wait_for_timeout(600)
        for box in clerk.query_selector_all("#materials input")[:2]:
            box.check()
        clerk.screenshot(path=str(out / "clerk.png"))

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
        phone.check("#materials li:first-child input")
        phone.wait_for_timeout(500)
        phone.screenshot(path=str(out / "phone.png"), full_page=True)
        browser.close()
    for name in ("kiosk", "kiosk-ticket", "clerk", "display", "dashboard", "phone"):
        print(out / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
