"""The whole hardware chain against a real server: kiosk slip on a (fake) network printer, LED boards
over socket:// and a keypad over a pty; then a bus and a printer are unplugged mid-run and nothing is lost."""

import json
import time

import pytest
import requests
import yaml
from redis import Redis
from rq import SimpleWorker

import queue_server.hub as hub_module
from boards.simulator import start_simulator
from devices.agent import Agent
from devices.keypad import KeyAction
from devices.keypad.simulator import KeypadSimulator
from devices.printer.fake_network import FakeNetworkPrinter
from devices.siteconfig import load as load_site
from queue_server.store import keys
from tests.conftest import DEMO_HALLS, auth

pytestmark = pytest.mark.slow


def wait(predicate, timeout=15, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def run_print_jobs(redis_url, queue, until, timeout=30):
    """Run the print queue like the agent does (burst, with the scheduler for retries) until `until()`."""
    conn = Redis.from_url(redis_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not until():
            SimpleWorker([queue], connection=conn).work(burst=True, with_scheduler=True, logging_level="WARNING")
            time.sleep(0.2)
    finally:
        conn.close()
    return until()


def test_kiosk_slip_boards_keypad_and_unplugging(tmp_path, redis, redis_url, accounts, live_server_factory,
                                                 monkeypatch):
    server = live_server_factory()
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("BIANMIN_HALLS", str(DEMO_HALLS))
    monkeypatch.setenv("PUBLIC_URL", server.url)
    monkeypatch.setattr(hub_module, "_process_hub", None)
    printer = FakeNetworkPrinter().start()
    board_link = start_simulator("onbon_bx5k", {1: (64, 16), 100: (192, 32)}, tcp_port=0)
    port = board_link.port
    keypads = KeypadSimulator.open_pty().start()
    site_file = tmp_path / "devices.yaml"
    site_file.write_text(yaml.safe_dump({
        "hall": "demo",
        "printers": [{"id": "p1", "kiosk": "kiosk", "driver": "network", "host": "127.0.0.1",
                      "port": printer.address[1], "mode": "native", "status_timeout": 0.5}],
        "boards": [{"id": "w1", "window": "1", "driver": "onbon_bx5k", "transport": board_link.url, "address": 1,
                    "width": 64, "height": 16},
                   {"id": "strip", "driver": "onbon_bx5k", "transport": board_link.url, "address": 100,
                    "width": 192, "height": 32}],
        "keypads": [{"transport": keypads.port_path, "windows": {1: "1"}}],
    }, allow_unicode=True), "utf-8")
    monkeypatch.setenv("BIANMIN_DEVICES", str(site_file))
    from config.halls import load_halls
    site = load_site(site_file, load_halls(DEMO_HALLS)["demo"])
    agent = Agent(site, server.url, accounts["gateway"]).start()
    s = requests.Session()
    try:
        assert agent.feed.synced.wait(15)
        # 1. A kiosk ticket prints on the printer registered for that kiosk.
        r = s.post(f"{server.url}/api/v1/halls/demo/tickets", json={"service": "SB"}, headers=auth(accounts["kiosk"]))
        assert r.status_code == 201 and r.json()["print_status"] == "queued"
        ticket = r.json()
        queue = keys.print_queue("demo", "p1")
        assert run_print_jobs(redis_url, queue, lambda: len(printer.pages) == 1)
        text = "\n".join(printer.pages[0].lines) if hasattr(printer.pages[0], "lines") else str(printer.pages[0])
        assert "A001" in text and "社会保障" in text
        statuses = [json.loads(f["data"])["status"] for _, f in redis.xrange(keys.events("demo"))
                    if f["type"] == "print_status"]
        assert statuses == ["queued", "printed"]

        # 2. A keypad press calls the next ticket; the window board, the strip and the keypad display follow.
        s.post(f"{server.url}/api/v1/halls/demo/windows/1/open", headers=auth(accounts["clerk1"]))
        keypads.press(1, KeyAction.NEXT)
        sim = board_link.simulator
        assert sim.wait_for(lambda b: b.shown(1) == ("A001 请到1号窗口",), 15), sim.shown(1)
        assert sim.wait_for(lambda b: b.shown(100)[:1] == ("A001→1号窗口",), 15), sim.shown(100)
        assert keypads.wait_display(1, "001", 10)
        assert s.get(f"{server.url}/api/v1/halls/demo/tickets/{ticket['id']}").json()["status"] == "called"

        # 3. Unplug the board bus, call again meanwhile, plug it back: the board catches up.
        s.post(f"{server.url}/api/v1/halls/demo/tickets", json={"service": "SB", "print": False},
               headers=auth(accounts["kiosk"]))
        board_link.stop()
        time.sleep(0.4)  # a second identical frame within 0.3 s is a keypad resend, acked but not acted on
        keypads.press(1, KeyAction.NEXT)
        assert wait(lambda: agent.feed.state and any(
            (w.get("current") or {}).get("number") == "A002" for w in agent.feed.state["windows"]))
        board_link = start_simulator("onbon_bx5k", {1: (64, 16), 100: (192, 32)}, tcp_port=port)
        assert board_link.simulator.wait_for(lambda b: b.shown(1) == ("A002 请到1号窗口",), 30), \
            board_link.simulator.shown(1)

        # 4. Unplug the printer (out of paper), take a ticket, plug it back: the slip still prints.
        printer.set_status("paper_out")
        r = s.post(f"{server.url}/api/v1/halls/demo/tickets", json={"service": "YB"}, headers=auth(accounts["kiosk"]))
        assert r.status_code == 201  # issuing never waits for or fails with the printer
        conn = Redis.from_url(redis_url)
        SimpleWorker([queue], connection=conn).work(burst=True, logging_level="WARNING")
        conn.close()
        assert wait(lambda: "retrying" in [json.loads(f["data"])["status"] for _, f in
                                           redis.xrange(keys.events("demo")) if f["type"] == "print_status"])
        alerts = requests.get(f"{server.url}/api/v1/halls/demo/dashboard", headers=auth(accounts["manager"])).json()
        assert any(a["kind"] == "device" and "缺纸" in a["message"] for a in alerts["alerts"])
        printer.set_status("normal")
        assert run_print_jobs(redis_url, queue, lambda: len(printer.pages) == 2, timeout=40)
        assert "B001" in "\n".join(printer.pages[1].lines)
    finally:
        agent.stop()
        keypads.stop()
        board_link.stop()
        printer.stop()
