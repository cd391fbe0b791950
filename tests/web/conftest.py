"""Browser fixtures for the pages: one Debian chromium per module, a fresh live server per test."""

from __future__ import annotations

import json

import pytest
import requests

from tests.conftest import auth

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
]
# Generous upper bound for anything that crosses server, relay and socket; never a fixed sleep.
WAIT_MS = 10000


@pytest.fixture(scope="module")
def browser():
    """One chromium for the whole module: starting it costs more than most tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def server(live_server_factory):
    return live_server_factory()


@pytest.fixture
def new_page(browser):
    """Pages in fresh contexts (separate localStorage, like separate devices); page errors fail the test."""
    contexts = []
    errors = []

    def make(url: str | None = None, *, kiosk_token: str | None = None, viewport=(1280, 800), **options):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, **options)
        if kiosk_token:
            config = {"token": kiosk_token, "name": "1号取号机", "printer": True, "idle": 120}
            context.add_init_script(f"localStorage.setItem('bianmin.kiosk.demo', {json.dumps(json.dumps(config))})")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if url:
            page.goto(url)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


class Api:
    """HTTP calls against the live server, for the parts of a scenario no page is watching."""

    def __init__(self, url: str, accounts: dict):
        self.url = url + "/api/v1"
        self.accounts = accounts

    def call(self, method: str, path: str, who: str | None = None, body=None, expect=(200, 201, 202, 204)):
        headers = auth(self.accounts[who]) if who else {}
        response = requests.request(method, self.url + path, json=body, headers=headers, timeout=10)
        assert response.status_code in expect, (path, response.status_code, response.text)
        return response.json() if response.content else None

    def issue(self, service: str = "SB") -> dict:
        return self.call("POST", "/halls/demo/tickets", "kiosk", {"service": service})

    def window(self, code: str, action: str, who: str, body=None, expect=(200, 204)):
        return self.call("POST", f"/halls/demo/windows/{code}/{action}", who, body or {}, expect=expect)


@pytest.fixture
def api(server, accounts):
    return Api(server.url, accounts)


def wait_live(page):
    """Wait until the page's socket has synced with the hall."""
    page.wait_for_function("window.__live && window.__live.status === 'live'", timeout=WAIT_MS)
