"""AB岗, hardware and the LED board views in Debian's chromium against a real gunicorn + gevent server.

The workers' side (absence, B-post request, reroute, near-turn) is produced the way an RQ worker does it:
`workers.jobs.scan_hall` with a Hub on the same Redis and the wall clock the live server runs on.
"""

import json
import re

import pytest
import redis as redis_lib
from playwright.sync_api import expect
from rq import Queue, SimpleWorker

from config.halls import load_halls
from queue_server.hub import Hub
from tests.conftest import DEMO_HALLS, PASSWORD
from tests.web.conftest import wait_live
from workers.jobs import scan_hall

pytestmark = pytest.mark.browser


def failing_job():
    """A background job that fails, as one does when its printer or Redis goes away mid-run."""
    raise RuntimeError("模拟任务失败")


@pytest.fixture
def workers_hub(settings, redis):
    """The Hub a worker process builds: the test Redis and the wall clock (no test clock)."""
    return Hub(settings, load_halls(DEMO_HALLS), redis)


def login(page, username, password=PASSWORD):
    page.fill("#login input[name=username]", username)
    page.fill("#login input[name=password]", password)
    page.click("#login button[type=submit]")


def test_b_post_takes_over_with_one_tap_and_every_screen_follows(server, api, new_page, workers_hub):
    api.issue("SB")  # A001
    mine = api.issue("SB")  # A002: the resident holding the phone
    display = new_page(f"{server.url}/display/demo")
    wait_live(display)
    phone = new_page(f"{server.url}/t/{mine['id']}?hall=demo", viewport=(390, 844), is_mobile=True)
    wait_live(phone)

    # Nobody is at any window yet: the lobby and the phone say the service waits for one.
    paused = display.locator("#routes .route-paused[data-service='SB']")
    expect(paused).to_contain_text("社会保障 暂停办理，请稍候")
    expect(paused.locator(".route-wait")).to_have_text("约 12 分钟")  # two residents × 6 min, one window to come
    expect(display.locator("#waiting li[data-service='SB'] .wt-paused")).to_have_text("暂停办理 · 约 12 分钟")
    expect(phone.locator("#headline")).to_have_text("业务暂停，请稍候")

    api.window("1", "open", "clerk1")
    api.window("2", "open", "clerk2")
    expect(display.locator("#routes")).to_be_hidden()
    expect(phone.locator("#headline")).to_have_text("前面还有 1 人")

    clerk = new_page(f"{server.url}/clerk")
    login(clerk, "clerk2")  # already signed in at window 2: straight to the desk
    expect(clerk.locator("#subtitle")).to_have_text(re.compile("^2号窗口"))
    wait_live(clerk)
    clerk.wait_for_function("window.__clerk.heartbeat && window.__clerk.heartbeat.count >= 1")
    expect(clerk.locator("#banners")).to_be_hidden()
    expect(clerk.locator("#waiting-list li[data-number='A001']")).to_have_count(0)

    # Window 1's clerk steps away; the workers ask window 2 (its B post) to take over.
    api.window("1", "away", "clerk1", {"reason": "去档案室调取材料"})
    expect(phone.locator("#headline")).to_have_text("业务暂停，请稍候")
    scanned = scan_hall("demo", workers_hub)
    assert scanned["ask_b_post"] == {"1": "2"}
    request = clerk.locator("#cover-requests [data-absent='1']")
    expect(request).to_contain_text("1号窗口 暂离，请您（B岗）接管")
    expect(request).to_contain_text("社会保障")
    # The same scan told the first residents in line that their turn is near.
    expect(phone.locator("#near-note")).to_be_visible()
    expect(phone.locator("#near-note")).to_contain_text("即将叫到您")

    clerk.click("[data-cover='1']")  # one tap
    expect(clerk.locator("#feedback")).to_have_text("已接管 1号窗口：社会保障")
    expect(request).to_have_count(0)
    expect(clerk.locator("#covering")).to_have_text("正在代办 1号窗口 的业务：社会保障")
    expect(clerk.locator("#waiting-list li[data-number='A001'] .badge-cover")).to_have_text("代办")
    expect(clerk.locator("#waiting-list li[data-number='A002']")).to_be_visible()

    expect(display.locator("#routes .route-moved[data-service='SB']")).to_have_text("社会保障业务请到2号窗口办理")
    expect(display.locator("#waiting li[data-service='SB'] .wt-moved")).to_have_text("请到2号窗口办理")
    display.wait_for_function("window.__voiceLog.some(e => e.kind === 'reroute')")
    said = display.evaluate("window.__voiceLog.filter(e => e.kind === 'reroute').map(e => e.clips)")
    assert said == [["chime", "svc_demo_sb", "yewu", "qing", "dao", "er", "hao", "chuangkou", "banli"]]
    expect(phone.locator("#route-note")).to_have_text("您的业务已改由2号窗口办理")
    expect(phone.locator("#headline")).to_have_text("前面还有 1 人")

    clerk.click("[data-action='next']")  # the B post calls window 1's residents, in their order
    expect(clerk.locator("#cur-number")).to_have_text("A001")
    expect(phone.locator("#headline")).to_have_text("下一位就是您")

    # The A post comes back (signing in again); the next scan restores normal routing.
    api.window("1", "open", "clerk1")
    scan_hall("demo", workers_hub)
    expect(clerk.locator("#covering")).to_be_hidden()
    expect(display.locator("#routes .route-restored[data-service='SB']")).to_have_text("社会保障业务恢复在1号窗口办理")
    expect(phone.locator("#route-note")).to_be_hidden()
    display.wait_for_function("window.__voiceLog.filter(e => e.kind === 'reroute').length >= 2")
    back = display.evaluate("window.__voiceLog.filter(e => e.kind === 'reroute')[1]")
    assert back["restored"] and back["window"] == "1" and back["clips"][5] == "yi"


def test_clerk_marks_away_and_signing_in_brings_the_window_back(server, api, new_page):
    clerk = new_page(f"{server.url}/clerk")
    login(clerk, "clerk1")
    clerk.click("#window-grid [data-window='1']")
    expect(clerk.locator("#state-badge")).to_have_text("在岗")
    clerk.click("[data-action='pause']")
    clerk.click("#pause-reasons [data-reason-key='clerk.pause.r.meeting']")
    clerk.check("#pause-form input[name=away]")
    clerk.click("#pause-form button[type=submit]")
    expect(clerk.locator("#state-badge")).to_have_text("暂离 · 临时会议")
    expect(clerk.locator("#away-banner")).to_contain_text("本窗口暂离：临时会议")
    expect(clerk.locator("#next-text")).to_have_text("窗口暂离中，请先点“回到岗位”")
    clerk.click("#back-to-post")
    expect(clerk.locator("#feedback")).to_have_text("已回到岗位，本窗口恢复叫号")
    expect(clerk.locator("#state-badge")).to_have_text("在岗")
    expect(clerk.locator("#banners")).to_be_hidden()


def test_dashboard_shows_routes_hardware_and_workers(server, api, new_page, redis_url):
    api.window("1", "open", "clerk1")
    api.window("2", "open", "clerk2")
    api.issue("SB")
    api.window("1", "away", "clerk1", {"reason": "临时外出"})
    api.window("2", "cover", "clerk2", {"window": "1"})
    # A failed background job, left the way RQ leaves one.
    conn = redis_lib.Redis.from_url(redis_url)
    queue = Queue("default", connection=conn)
    queue.enqueue(failing_job)
    SimpleWorker([queue], connection=conn).work(burst=True)
    conn.close()

    dash = new_page(f"{server.url}/dashboard/demo", viewport=(1440, 900))
    login(dash, "manager")
    wait_live(dash)
    expect(dash.locator("#reroutes [data-service='SB']")).to_contain_text("社会保障 → 2号窗口")
    expect(dash.locator("#away-windows [data-window='1']")).to_contain_text("临时外出")
    expect(dash.locator("#windows tr[data-window='1']")).to_have_class(re.compile("row-away"))
    expect(dash.locator("#devices")).to_contain_text("暂无设备上报")

    # The gateway reports a printer out of paper: live on the panel, and as an alert.
    api.call("POST", "/halls/demo/devices/status", "gateway",
             {"device": "printer-1", "status": {"kind": "printer", "online": False, "error": "打印机缺纸"}})
    printer = dash.locator("#devices [data-device='printer-1']")
    expect(printer).to_contain_text("小票打印机")
    expect(printer).to_contain_text("离线")
    expect(printer).to_contain_text("打印机缺纸")
    expect(dash.locator("#alerts .alert-warning[data-kind='device']")).to_contain_text("设备 printer-1：打印机缺纸")
    api.call("POST", "/halls/demo/devices/status", "gateway",
             {"device": "printer-1", "status": {"kind": "printer", "online": True, "paper_near_end": True}})
    expect(printer.locator(".badge-warning")).to_have_text("纸将用完")
    expect(printer).to_contain_text("在线")

    expect(dash.locator("#workers-alive")).to_have_text("没有运行中的工作进程")
    expect(dash.locator("#scheduler-alive")).to_have_text("定时调度未运行")
    expect(dash.locator("#failed-jobs li")).to_contain_text("failing_job")
    expect(dash.locator("#failed-count")).to_have_text("1")
    dash.click("#requeue")
    expect(dash.locator("#toast")).to_have_text("已重新排队 1 个任务")
    expect(dash.locator("#failed-count")).to_have_text("0")

    # Reprint by number: without a kiosk's printer the server says so.
    dash.fill("#reprint-form input[name=number]", "a001")
    dash.click("#reprint-form button[type=submit]")
    expect(dash.locator("#toast")).to_have_text("A001：该取号机未连接打印机")


def test_window_board_follows_its_window_live(server, api, new_page):
    board = new_page(f"{server.url}/board/demo/1", viewport=(1280, 360))
    wait_live(board)
    expect(board.locator("#board-face")).to_have_text("暂停服务")  # never opened today: closed
    api.window("1", "open", "clerk1")
    expect(board.locator("#board-face")).to_have_text("1号窗口")
    api.issue("SB")
    api.window("1", "next", "clerk1")
    expect(board.locator("#board-face")).to_have_text("A001 请到1号窗口")
    api.window("1", "pause", "clerk1", {"reason": "短暂休息"})
    expect(board.locator("#board-face")).to_have_text("暂停服务")
    # It fills the screen without spilling over.
    api.window("1", "resume", "clerk1")
    expect(board.locator("#board-face")).to_have_text("A001 请到1号窗口")
    widths = board.evaluate("[document.querySelector('.wb-line').scrollWidth, innerWidth]")
    assert 0.6 * widths[1] < widths[0] <= widths[1]


def test_led_boards_view_draws_the_simulators_boards(server, new_page, tmp_path):
    page = new_page(f"{server.url}/display/demo/boards")
    expect(page.locator("#absent")).to_contain_text("没有运行中的LED屏模拟器")

    run = tmp_path / "run"
    run.mkdir(exist_ok=True)
    board = {"effect": "type", "hold_s": 4.0, "frames": 1, "shows": 1, "updated": 1795406105.5, "mode": "ack"}
    state = {"driver": "onbon_bx6k", "updated": 1795406120.6, "crc_errors": 0, "boards": {
        "1": {**board, "address": 1, "width": 64, "height": 16, "lines": ["A001 请到1号窗口"]},
        "2": {**board, "address": 2, "width": 64, "height": 16, "lines": ["暂停服务"]},
        "100": {**board, "address": 100, "width": 192, "height": 32, "lines": ["A001→1号窗口", "B002→2号窗口"]},
    }}
    (run / "boards.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")

    window1 = page.locator(".board[data-address='1']")
    expect(window1.locator(".led-line")).to_have_text("A001 请到1号窗口")
    expect(window1.locator(".board-label")).to_have_text("1号窗口")
    expect(window1.locator(".led-line")).to_have_class(re.compile("scroll"))  # 16 columns on an 8-column board
    expect(page.locator(".board[data-address='2'] .led-line")).to_have_text("暂停服务")
    strip = page.locator(".board[data-address='100']")
    expect(strip).to_have_class(re.compile("board-strip"))
    expect(strip.locator(".led-line")).to_have_text(["A001→1号窗口", "B002→2号窗口"])
    for address, ratio in (("1", 4), ("100", 6)):
        box = page.locator(f".board[data-address='{address}'] .led").bounding_box()
        assert abs(box["width"] / box["height"] - ratio) < 0.05, (address, box)

    state["boards"]["2"]["lines"] = ["B003 请到2号窗口"]
    (run / "boards.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    expect(page.locator(".board[data-address='2'] .led-line")).to_have_text("B003 请到2号窗口")
    (run / "boards.json").unlink()
    expect(page.locator("#absent")).to_be_visible()
    expect(page.locator(".board")).to_have_count(0)
