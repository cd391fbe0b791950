"""The page routes, the QR code, the catalogs and the assets, through Flask's test client (no browser)."""

import json
import re
from pathlib import Path

import pytest

from queue_server import actions

WEB = Path(__file__).resolve().parents[2] / "queue_server" / "web"


@pytest.mark.parametrize("path, marker", [
    ("/kiosk/demo", "自助取号机"), ("/display/demo", "正在呼叫"), ("/dashboard/demo", "管理驾驶舱"),
    ("/clerk", "工作人员登录"), ("/", "大厅综合屏"), ("/display/demo/boards", "模拟LED屏当前显示内容"),
])
def test_pages_render_in_chinese(client, path, marker):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert marker in html and 'data-lang-toggle' in html


def test_window_board_is_a_bare_full_screen_page(client):
    """An LCD window screen shows the board's text only: no language switch, no page chrome."""
    html = client.get("/board/demo/6").get_data(as_text=True)
    assert 'data-window="6"' in html and 'data-window-name="6号综合窗口"' in html and "<title>窗口屏" in html
    assert "data-lang-toggle" not in html


def test_unknown_hall_is_a_friendly_404(client):
    response = client.get("/display/nowhere")
    assert response.status_code == 404 and "没有这个服务大厅" in response.get_data(as_text=True)
    assert client.get("/display/nowhere/boards.json").status_code == 404
    assert client.get("/board/nowhere/1").status_code == 404
    window = client.get("/board/demo/99")
    assert window.status_code == 404 and "没有这个窗口" in window.get_data(as_text=True)


def test_boards_json_reads_the_simulators_state_file(client, settings):
    assert client.get("/display/demo/boards.json").get_json() == {"hall": "demo", "running": False, "boards": []}
    run = settings.var / "run"
    run.mkdir(parents=True, exist_ok=True)
    state = {"driver": "onbon_bx6k", "updated": 1795406120.6, "boards": {
        "100": {"address": 100, "width": 192, "height": 32, "lines": ["A001→1号窗口"], "effect": "type"},
        "3": {"address": 3, "width": 64, "height": 16, "lines": ["3号窗口"], "effect": "type", "mode": "ack"},
    }}
    (run / "boards.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    response = client.get("/display/demo/boards.json")
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["running"] and data["driver"] == "onbon_bx6k"
    # The strip first, then window boards; a window board is named after its window.
    assert [b["address"] for b in data["boards"]] == [100, 3]
    assert data["boards"][1]["window"] == "3" and data["boards"][1]["window_name"] == "3号窗口"
    assert data["boards"][0]["window"] is None and data["boards"][0]["lines"] == ["A001→1号窗口"]
    # The devices file says which board is which window.
    (run / "devices-demo.yaml").write_text(
        "hall: demo\nboards:\n- {id: strip, address: 100}\n- {id: counter-6, window: '6', address: 3}\n", "utf-8")
    data = client.get("/display/demo/boards.json").get_json()
    assert data["boards"][0]["id"] == "strip" and data["boards"][1]["window_name"] == "6号综合窗口"
    # Another hall's simulator is not this hall's boards.
    (run / "devices-demo.yaml").rename(run / "devices-other.yaml")
    assert client.get("/display/demo/boards.json").get_json()["running"] is False


def test_phone_page_finds_the_hall_of_a_bare_ticket_link(client, hub, actors):
    raw, _ = actions.issue_ticket(hub, actors["kiosk"], "demo", "SB")
    bare = client.get(f"/t/{raw['id']}")
    assert bare.status_code == 302 and bare.headers["Location"].endswith(f"/t/{raw['id']}?hall=demo")
    page = client.get(f"/t/{raw['id']}?hall=demo")
    assert page.status_code == 200 and f'data-ticket="{raw["id"]}"' in page.get_data(as_text=True)
    assert client.get("/t/no-such-ticket").status_code == 404


def test_qr_code_is_an_svg_of_the_public_url(client):
    response = client.get("/qr.svg?data=/t/abc?hall=demo")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.lstrip().startswith(("<svg", "<?xml")) and 'width="100%"' in svg and "<path" in svg
    assert client.get("/qr.svg?data=" + "x" * 400).status_code == 400
    assert client.get("/qr.svg").status_code == 400


def test_catalogs_are_served(client):
    assert client.get("/i18n/en.json").get_json()["kiosk.choose"] == "Please choose a service"
    assert client.get("/i18n/fr.json").status_code == 404


def test_assets_are_served_locally(client):
    for path in ("/assets/vendor/socket.io.esm.min.js", "/assets/js/live.js", "/assets/css/base.css",
                 "/assets/voice/chime.wav", "/assets/img/logo.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_no_page_loads_anything_from_the_internet():
    """No CDN: every URL in templates, scripts and styles is relative to the app."""
    pattern = re.compile(r"""(?:src|href|url|from|import)\s*[=(]?\s*['"]?(https?:)?//""")
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("static/js/*.js"), *WEB.glob("static/css/*.css")]:
        text = path.read_text(encoding="utf-8")
        assert not pattern.search(text), path
