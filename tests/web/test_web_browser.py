"""The five screens in Debian's chromium against a real gunicorn + gevent server."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.conftest import WAIT_MS, wait_live

pytestmark = pytest.mark.browser


def login(page, username, password=PASSWORD):
    page.fill("#login input[name=username]", username)
    page.fill("#login input[name=password]", password)
    page.click("#login button[type=submit]")


def voice_log(page):
    return page.evaluate("window.__voiceLog.map(e => ({number: e.number, window: e.window, recall: e.recall, clips: e.clips}))")


def recent_numbers(page):
    return page.eval_on_selector_all("#recent-calls li", "els => els.map(e => e.dataset.number)")


def test_kiosk_ticket_reaches_display_and_clerk_and_a_call_is_announced_once(server, api, accounts, new_page):
    display = new_page(f"{server.url}/display/demo")
    wait_live(display)
    clerk = new_page(f"{server.url}/clerk")
    login(clerk, "clerk1")
    clerk.click("#window-grid [data-window='1']")
    expect(clerk.locator("#state-badge")).to_have_text(re.compile("在岗"))
    wait_live(clerk)

    kiosk = new_page(f"{server.url}/kiosk/demo", kiosk_token=accounts["kiosk"])
    wait_live(kiosk)
    kiosk.click(".svc[data-service='SB']")
    expect(kiosk.locator("#t-number")).to_have_text("A001")
    expect(kiosk.locator("#t-service")).to_have_text("社会保障")
    expect(kiosk.locator("#t-qr")).to_have_attribute("src", re.compile(r"^/qr\.svg\?data="))
    expect(kiosk.locator("#print-status")).to_have_attribute("data-state", re.compile("no_printer|queued"))

    expect(display.locator("#waiting li[data-service='SB'] .wt-count")).to_have_text("1")
    expect(clerk.locator("#waiting-list li[data-number='A001']")).to_be_visible()
    expect(clerk.locator("#next-text")).to_have_text(re.compile("A001"))
    assert display.evaluate("window.__voiceLog.length") == 0

    clerk.keyboard.press("n")  # the keyboard shortcut for 下一位
    expect(clerk.locator("#feedback")).to_have_text(re.compile("已呼叫 A001"))
    expect(clerk.locator("#cur-number")).to_have_text("A001")
    expect(display.locator("#latest-number")).to_have_text("A001")
    expect(display.locator("#latest-window")).to_have_text(re.compile("1号窗口"))
    display.wait_for_function("window.__voiceLog.length >= 1", timeout=WAIT_MS)
    log = voice_log(display)
    assert len(log) == 1
    assert log[0]["number"] == "A001" and log[0]["window"] == "1" and not log[0]["recall"]
    assert log[0]["clips"][:3] == ["chime", "qing", "letter_a"]
    expect(display.locator("#waiting li[data-service='SB'] .wt-count")).to_have_text("0")

    # Nobody else waits: a clear message, not an error.
    clerk.click("[data-action='next']")
    expect(clerk.locator("#feedback")).to_have_attribute("data-kind", "info")
    expect(clerk.locator("#feedback")).to_have_text("当前无人等候，稍后再按“下一位”")
    # A refused action shows the server's own message.
    refused = api.window("1", "recall", "clerk1", expect=(409,))
    clerk.keyboard.press("r")
    expect(clerk.locator("#feedback")).to_have_attribute("data-kind", "error")
    expect(clerk.locator("#feedback")).to_have_text(refused["error"]["message"])
    assert len(voice_log(display)) == 1, "no call, no announcement"

    # The tablet loses its connection: a banner says so, and it recovers by itself.
    clerk.evaluate("window.__live.disconnect()")
    expect(clerk.locator("#net-banner")).to_have_text("网络连接中断，正在自动重连…")
    clerk.evaluate("window.__live.connect()")
    expect(clerk.locator("#net-banner")).to_have_text("连接已恢复，数据已同步")


def test_display_that_drops_shows_every_missed_call_exactly_once(server, api, new_page):
    for _ in range(5):
        api.issue("SB")
    api.window("1", "open", "clerk1")
    api.window("1", "next", "clerk1")  # A001, before the display exists
    display = new_page(f"{server.url}/display/demo")
    wait_live(display)
    expect(display.locator("#latest-number")).to_have_text("A001")
    assert voice_log(display) == [], "a snapshot is history, not news"

    display.evaluate("window.__live.disconnect()")
    expect(display.locator("#conn")).to_have_attribute("data-status", "offline")
    for _ in range(3):
        api.window("1", "next", "clerk1")  # A002, A003, A004 while the display is away
    api.window("1", "recall", "clerk1")  # A004 again (重呼)
    display.evaluate("window.__live.connect()")
    wait_live(display)

    expect(display.locator("#latest-number")).to_have_text("A004")
    expect(display.locator("#recent-calls li")).to_have_count(4)
    assert recent_numbers(display) == ["A004", "A003", "A002", "A001"]
    display.wait_for_function("window.__voiceLog.length >= 4", timeout=WAIT_MS)
    heard = [(e["number"], e["recall"]) for e in voice_log(display)]
    assert heard == [("A002", False), ("A003", False), ("A004", False), ("A004", True)]

    # Live again: the next call arrives once, and nothing is replayed twice.
    api.window("1", "next", "clerk1")
    expect(display.locator("#latest-number")).to_have_text("A005")
    display.wait_for_function("window.__voiceLog.length >= 5", timeout=WAIT_MS)
    assert [e["number"] for e in voice_log(display)] == ["A002", "A003", "A004", "A004", "A005"]


def test_display_survives_the_browser_going_offline(server, api, new_page):
    api.issue("YB")
    api.issue("YB")
    api.window("2", "open", "clerk2")
    display = new_page(f"{server.url}/display/demo")
    wait_live(display)
    display.context.set_offline(True)
    display.evaluate("window.__live.socket.io.engine.close()")  # what a pulled cable does to the socket
    expect(display.locator("#conn")).to_have_attribute("data-status", "offline")
    api.window("2", "next", "clerk2")
    api.window("2", "next", "clerk2")
    display.context.set_offline(False)
    expect(display.locator("#latest-number")).to_have_text("B002", timeout=WAIT_MS * 2)
    assert recent_numbers(display) == ["B002", "B001"]
    assert [e["number"] for e in voice_log(display)] == ["B001", "B002"]


def test_language_switch_is_visible_everywhere_and_remembered(server, accounts, new_page):
    kiosk = new_page(f"{server.url}/kiosk/demo", kiosk_token=accounts["kiosk"])
    expect(kiosk.locator(".kiosk-prompt h1")).to_have_text("请选择您要办理的业务")
    expect(kiosk.locator(".svc[data-service='SB'] .svc-waiting")).to_have_text("等候 0 人")
    kiosk.click("[data-lang-toggle] [data-lang='en']")
    expect(kiosk.locator(".kiosk-prompt h1")).to_have_text("Please choose a service")
    expect(kiosk.locator(".svc[data-service='SB'] .svc-waiting")).to_have_text("0 waiting")
    expect(kiosk.locator("html")).to_have_attribute("lang", "en")
    kiosk.reload()
    expect(kiosk.locator(".kiosk-prompt h1")).to_have_text("Please choose a service")
    # Same device, another screen: the choice carries over.
    kiosk.goto(f"{server.url}/display/demo")
    expect(kiosk.locator("#latest-window")).to_have_text("Please wait for your number")
    kiosk.click("[data-lang-toggle] [data-lang='zh-CN']")
    expect(kiosk.locator("#latest-window")).to_have_text("请留意叫号")


def test_phone_page_shows_position_then_the_window(server, api, new_page):
    # A window serving SB is open first: with none, the page rightly says the service is paused, and
    # "people ahead" would only be a flash before the live state arrives.
    api.window("1", "open", "clerk1")
    api.issue("SB")
    ticket = api.issue("SB")
    phone = new_page(f"{server.url}/t/{ticket['id']}", viewport=(390, 844), is_mobile=True)
    expect(phone).to_have_url(re.compile(r"\?hall=demo$"))
    expect(phone.locator("#number")).to_have_text("A002")
    wait_live(phone)
    expect(phone.locator("#headline")).to_have_text("前面还有 1 人")
    expect(phone.locator("#materials li")).to_have_count(4)
    api.window("1", "next", "clerk1")
    expect(phone.locator("#headline")).to_have_text("下一位就是您")
    api.window("1", "next", "clerk1")
    expect(phone.locator("#card")).to_have_attribute("data-status", "called")
    expect(phone.locator("#headline")).to_have_text("请到 1号窗口 办理")


def test_dashboard_is_live_and_its_notice_scrolls_on_the_display(server, api, new_page):
    api.window("3", "open", "clerk3")
    dash = new_page(f"{server.url}/dashboard/demo")
    login(dash, "clerk1")
    expect(dash.locator("#login [data-form-error]")).to_have_text("该账号不是本大厅的管理员")
    login(dash, "manager")
    wait_live(dash)
    expect(dash.locator("#kpi-waiting")).to_have_text("0")
    api.issue("MZ")
    api.issue("MZ")
    expect(dash.locator("#kpi-waiting")).to_have_text("2")
    expect(dash.locator("#services tr[data-service='MZ'] td").nth(1)).to_have_text("2")
    expect(dash.locator("#chart-arrivals svg rect")).not_to_have_count(0)

    display = new_page(f"{server.url}/display/demo")
    wait_live(display)
    dash.fill("#notice-form textarea", "下午两点起医保窗口暂停受理报销业务")
    dash.click("#notice-form button[type=submit]")
    expect(display.locator("#marquee .mq-notice").first).to_have_text("下午两点起医保窗口暂停受理报销业务")
    expect(dash.locator("#notices .notice-posted")).to_have_text("下午两点起医保窗口暂停受理报销业务")

    # Transfer a waiting ticket to another service, then close a window; both show up live.
    dash.locator("#tickets tr[data-number='C001'] select").select_option("WJ")
    dash.click("#tickets tr[data-number='C001'] [data-act='transfer']")
    expect(dash.locator("#services tr[data-service='WJ'] td").nth(1)).to_have_text("1")
    dash.click("#windows tr[data-window='3'] [data-act='close']")
    dash.click("#confirm-form button[type=submit]")
    expect(dash.locator("#windows tr[data-window='3'] .badge")).to_have_text("未开放")
    expect(display.locator("#windows [data-window='3']")).to_have_class(re.compile("state-closed"))

    dash.click("#notice-clear")
    dash.click("#confirm-form button[type=submit]")
    expect(display.locator("#marquee .mq-notice", has_text="下午两点起")).to_have_count(0)


def test_kiosk_settings_need_staff_and_elder_mode_calls_a_guide(server, api, accounts, new_page):
    kiosk = new_page(f"{server.url}/kiosk/demo")
    expect(kiosk.locator("#unconfigured")).to_be_visible()
    kiosk.click("#open-settings")
    kiosk.fill("#settings-login input[name=username]", "clerk1")
    kiosk.fill("#settings-login input[name=password]", "wrong-password")
    kiosk.click("#settings-login button[type=submit]")
    expect(kiosk.locator("#settings-login [data-form-error]")).to_have_text("用户名或密码错误")
    expect(kiosk.locator("#settings-form")).to_be_hidden()
    kiosk.fill("#settings-login input[name=password]", PASSWORD)
    kiosk.click("#settings-login button[type=submit]")
    kiosk.fill("#settings-form input[name=token]", accounts["display"])
    kiosk.click("#settings-form button[type=submit]")
    expect(kiosk.locator("#settings-error")).to_have_text("该令牌不是本大厅的取号机令牌")
    kiosk.fill("#settings-form input[name=token]", accounts["kiosk"])
    kiosk.click("#settings-form button[type=submit]")
    expect(kiosk.locator(".svc[data-service='SB']")).to_be_visible()
    wait_live(kiosk)

    kiosk.click("#elder-toggle")
    expect(kiosk.locator("body")).to_have_class(re.compile("elder"))
    kiosk.click("#help")
    expect(kiosk.locator("#message-text")).to_have_text("已通知工作人员，请在此稍候，马上为您服务。")
    kiosk.click("#message-ok")
    # Closed services (outside hours, quota reached) say so on the button, before anyone taps.
    services = api.call("GET", "/halls/demo/services")
    for svc in services:
        card = kiosk.locator(f".svc[data-service='{svc['code']}']")
        if svc["accepting"]:
            expect(card).not_to_have_class(re.compile("svc-closed"))
        else:
            expect(card).to_have_class(re.compile("svc-closed"))
            card.dispatch_event("click")  # aria-disabled: Playwright would refuse a plain click
            expect(kiosk.locator("#message")).to_be_visible()
            expect(kiosk.locator("#ticket")).to_be_hidden()
            kiosk.click("#message-ok")
