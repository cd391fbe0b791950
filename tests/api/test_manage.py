"""Dashboard figures, marquee notices and kiosk help requests."""

from queue_server.store import keys
from tests.conftest import auth


def test_dashboard_figures(client, accounts, clock):
    k, c, m = auth(accounts["kiosk"]), auth(accounts["clerk1"]), auth(accounts["manager"])
    for _ in range(3):
        client.post("/api/v1/halls/demo/tickets", json={"service": "SB"}, headers=k)
    client.post("/api/v1/halls/demo/windows/1/open", headers=c)
    clock.advance(120)
    client.post("/api/v1/halls/demo/windows/1/next", headers=c)
    clock.advance(300)
    client.post("/api/v1/halls/demo/windows/1/finish", headers=c)
    client.post("/api/v1/halls/demo/windows/1/next", headers=c)
    assert client.get("/api/v1/halls/demo/dashboard", headers=c).status_code == 403
    d = client.get("/api/v1/halls/demo/dashboard", headers=m).get_json()
    sb = next(s for s in d["services"] if s["code"] == "SB")
    assert sb["waiting"] == 1 and sb["issued_today"] == 3 and sb["served_today"] == 1
    assert 120 <= sb["avg_wait_s"] < 500 and 299 <= sb["avg_service_s"] <= 301
    assert sb["longest_wait_s"] >= 420
    w1 = d["windows"][0]
    assert w1["served_today"] == 1 and w1["current"]["number"] == "A002" and w1["current_for_s"] is not None
    assert d["hourly"] == [{"hour": 10, "arrivals": 3, "served": 1, "avg_wait_s": d["hourly"][0]["avg_wait_s"]}]


def test_notices_post_and_clear(client, accounts, redis):
    m = auth(accounts["manager"])
    r = client.post("/api/v1/halls/demo/notices", json={"text": "今天下午停电检修"}, headers=m)
    assert r.status_code == 201 and r.get_json()["notices"] == ["今天下午停电检修"]
    assert client.post("/api/v1/halls/demo/notices", json={"text": ""}, headers=m).status_code == 400
    assert client.post("/api/v1/halls/demo/notices", json={"text": "x"},
                       headers=auth(accounts["clerk1"])).status_code == 403
    snap = client.get("/api/v1/halls/demo/snapshot").get_json()
    assert snap["notices"][0] == "今天下午停电检修"
    assert client.delete("/api/v1/halls/demo/notices", headers=m).get_json() == {"notices": []}
    types = [f["type"] for _, f in redis.xrange(keys.events("demo"))]
    assert types == ["notice_posted", "notices_cleared"]


def test_help_request_raises_one_alert(client, accounts, redis):
    k = auth(accounts["kiosk"])
    assert client.post("/api/v1/halls/demo/help", json={"kiosk": "1号取号机"}, headers=k).status_code == 202
    assert client.post("/api/v1/halls/demo/help", json={"kiosk": "1号取号机"}, headers=k).status_code == 202
    types = [f["type"] for _, f in redis.xrange(keys.events("demo"))]
    assert types == ["alert_raised"]
    d = client.get("/api/v1/halls/demo/dashboard", headers=auth(accounts["manager"])).get_json()
    assert d["alerts"][0]["kind"] == "help_requested" and "1号取号机" in d["alerts"][0]["message"]
    assert client.post("/api/v1/halls/demo/help", headers=auth(accounts["display"])).status_code == 403
