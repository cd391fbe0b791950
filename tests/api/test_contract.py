"""The public HTTP contract of /api/v1, including its error cases."""

import pytest

from tests.conftest import PASSWORD, auth


def issue(client, token, service="SB", **extra):
    return client.post("/api/v1/halls/demo/tickets", json={"service": service, **extra}, headers=auth(token))


def test_health_and_halls(client, redis):
    assert client.get("/api/v1/health").get_json() == {"status": "ok", "redis": "ok"}
    assert client.get("/api/v1/halls").get_json() == [
        {"code": "demo", "name": "青山镇便民服务中心", "timezone": "Asia/Shanghai"}]


def test_login_returns_token_and_user(client, accounts):
    r = client.post("/api/v1/auth/login", json={"username": "clerk1", "password": PASSWORD})
    assert r.status_code == 200
    body = r.get_json()
    assert body["user"] == {"username": "clerk1", "role": "clerk", "hall": "demo", "name": "CLERK1"}
    me = client.get("/api/v1/auth/me", headers=auth(body["token"])).get_json()
    assert me["username"] == "clerk1"


def test_login_failures_are_rate_limited(client, accounts):
    for _ in range(5):
        r = client.post("/api/v1/auth/login", json={"username": "clerk1", "password": "wrong"})
        assert r.status_code == 401
    r = client.post("/api/v1/auth/login", json={"username": "clerk1", "password": PASSWORD})
    assert r.status_code == 429
    assert r.get_json()["error"]["code"] == "too_many_attempts"
    assert int(r.headers["Retry-After"]) > 0


def test_services_and_windows_lists(client, accounts):
    issue(client, accounts["kiosk"])
    services = client.get("/api/v1/halls/demo/services").get_json()
    sb = next(s for s in services if s["code"] == "SB")
    assert {k: sb[k] for k in ("code", "name", "prefix", "waiting", "accepting")} == {
        "code": "SB", "name": "社会保障", "prefix": "A", "waiting": 1, "accepting": True}
    windows = client.get("/api/v1/halls/demo/windows").get_json()
    assert [w["code"] for w in windows] == ["1", "2", "3", "4", "5", "6"]
    assert set(windows[0]) >= {"code", "name", "services", "state", "staff", "current"}
    assert windows[0]["state"] == "closed"


def test_ticket_lifecycle_over_http(client, accounts):
    r = issue(client, accounts["kiosk"])
    assert r.status_code == 201
    ticket = r.get_json()
    for key in ("id", "number", "service", "status", "priority", "position", "estimated_wait_s", "window",
                "issued_at", "called_at", "finished_at", "windows"):
        assert key in ticket
    assert ticket["number"] == "A001" and ticket["position"] == 0 and ticket["status"] == "waiting"
    assert ticket["issued_at"].endswith("+08:00")
    second = issue(client, accounts["kiosk"]).get_json()
    assert second["position"] == 1

    clerk = auth(accounts["clerk1"])
    assert client.post("/api/v1/halls/demo/windows/1/open", headers=clerk).get_json()["state"] == "open"
    called = client.post("/api/v1/halls/demo/windows/1/next", headers=clerk)
    assert called.status_code == 200 and called.get_json()["status"] == "called"
    assert called.get_json()["window"] == "1"
    assert client.get(f"/api/v1/halls/demo/tickets/{second['id']}").get_json()["position"] == 0
    assert client.post("/api/v1/halls/demo/windows/1/recall", headers=clerk).status_code == 200
    assert client.post("/api/v1/halls/demo/windows/1/start", headers=clerk).get_json()["status"] == "serving"
    done = client.post("/api/v1/halls/demo/windows/1/finish", headers=clerk).get_json()
    assert done["status"] == "done" and done["finished_at"]
    client.post("/api/v1/halls/demo/windows/1/next", headers=clerk)
    moved = client.post("/api/v1/halls/demo/windows/1/transfer", json={"service": "YB"}, headers=clerk)
    assert moved.get_json()["service"] == "YB" and moved.get_json()["number"] == "A002"
    assert client.post("/api/v1/halls/demo/windows/1/next", headers=clerk).status_code == 204


def test_waiting_list_in_call_order(client, accounts):
    issue(client, accounts["kiosk"])
    green = issue(client, accounts["manager"], priority="green").get_json()
    r = client.get("/api/v1/halls/demo/tickets?status=waiting&service=SB", headers=auth(accounts["clerk1"]))
    assert [t["number"] for t in r.get_json()] == [green["number"], "A001"]
    assert [t["position"] for t in r.get_json()] == [0, 1]


def test_pause_resume_close(client, accounts):
    clerk = auth(accounts["clerk1"])
    client.post("/api/v1/halls/demo/windows/1/open", headers=clerk)
    paused = client.post("/api/v1/halls/demo/windows/1/pause", json={"reason": "午休"}, headers=clerk).get_json()
    assert paused["state"] == "paused" and paused["reason"] == "午休"
    assert client.post("/api/v1/halls/demo/windows/1/next", headers=clerk).status_code == 409
    assert client.post("/api/v1/halls/demo/windows/1/resume", headers=clerk).get_json()["state"] == "open"
    assert client.post("/api/v1/halls/demo/windows/1/close", headers=clerk).get_json()["state"] == "closed"


@pytest.mark.parametrize("method,path,body,status,code", [
    ("post", "/api/v1/halls/demo/tickets", {"service": "NOPE"}, 404, "no_such_service"),
    ("post", "/api/v1/halls/nope/tickets", {"service": "SB"}, 404, "no_such_hall"),
    ("post", "/api/v1/halls/demo/tickets", {"service": 5}, 400, "invalid"),
    ("post", "/api/v1/halls/demo/tickets", {"service": "SB", "priority": "vip"}, 400, "invalid"),
    ("post", "/api/v1/halls/demo/tickets", {}, 400, "invalid"),
    ("post", "/api/v1/halls/demo/tickets", [1, 2], 400, "invalid"),
    ("post", "/api/v1/halls/demo/windows/9/next", None, 404, "no_such_window"),
    ("get", "/api/v1/halls/demo/tickets/doesnotexist", None, 404, "no_such_ticket"),
    ("get", "/api/v1/halls/demo/tickets?status=bogus", None, 400, "invalid"),
    ("post", "/api/v1/halls/demo/windows/1/pause", {}, 400, "invalid"),
    ("post", "/api/v1/halls/demo/windows/1/transfer", {"service": "SB"}, 409, "no_current_ticket"),
    ("get", "/api/v1/nowhere", None, 404, "not_found"),
    ("delete", "/api/v1/halls", None, 405, "method_not_allowed"),
])
def test_bad_input_gets_a_clear_json_error(client, accounts, method, path, body, status, code):
    headers = auth(accounts["manager"])
    r = getattr(client, method)(path, json=body, headers=headers) if body is not None else \
        getattr(client, method)(path, headers=headers)
    assert r.status_code == status, r.get_data(as_text=True)
    err = r.get_json()["error"]
    assert err["code"] == code and err["message"]


def test_malformed_json_and_oversized_bodies(client, accounts):
    headers = {**auth(accounts["kiosk"]), "Content-Type": "application/json"}
    r = client.post("/api/v1/halls/demo/tickets", data=b"{not json", headers=headers)
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid"
    r = client.post("/api/v1/halls/demo/tickets", data=b"x" * (70 * 1024), headers=headers)
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"


def test_authentication_and_roles(client, accounts):
    assert issue(client, "nonsense").status_code == 401
    r = client.post("/api/v1/halls/demo/tickets", json={"service": "SB"})
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthenticated"
    assert issue(client, accounts["display"]).status_code == 403
    assert issue(client, accounts["other"]).status_code == 403
    assert client.post("/api/v1/halls/demo/windows/1/open", headers=auth(accounts["kiosk"])).status_code == 403
    assert client.get("/api/v1/halls/demo/tickets", headers=auth(accounts["kiosk"])).status_code == 403
    client.post("/api/v1/halls/demo/windows/1/open", headers=auth(accounts["clerk1"]))
    r = client.post("/api/v1/halls/demo/windows/1/next", headers=auth(accounts["clerk2"]))
    assert r.status_code == 403
    assert client.post("/api/v1/halls/demo/windows/1/next", headers=auth(accounts["manager"])).status_code == 204
    assert client.post("/api/v1/halls/demo/windows/1/next", headers=auth(accounts["admin"])).status_code == 204


def test_quota_and_hours_are_409(client, accounts, redis, clock):
    from queue_server.store import keys
    redis.set(keys.seq("demo", "20261122", "YB"), 200)
    r = issue(client, accounts["kiosk"], "YB")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "quota_reached"
    clock.advance(2 * 3600)
    r = issue(client, accounts["kiosk"], "TD")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "outside_hours"
    services = {s["code"]: s for s in client.get("/api/v1/halls/demo/services").get_json()}
    assert services["YB"]["accepting"] is False and services["TD"]["accepting"] is False


def test_redis_down_is_503(settings, hub, accounts):
    from config.settings import Settings
    from queue_server import create_app
    from queue_server.hub import Hub, connect

    dead = Settings(**{**settings.__dict__, "redis_url": "redis://127.0.0.1:1/0"})
    app = create_app(dead, Hub(dead, hub.halls, connect(dead.redis_url)))
    c = app.test_client()
    assert c.get("/api/v1/health").status_code == 503
    r = c.post("/api/v1/halls/demo/tickets", json={"service": "SB"}, headers=auth("x"))
    assert r.status_code == 503 and r.get_json()["error"]["code"] == "store_unavailable"


def test_openapi_describes_the_contract(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/health", "/api/v1/auth/login", "/api/v1/halls", "/api/v1/halls/{hall}/services",
                 "/api/v1/halls/{hall}/windows", "/api/v1/halls/{hall}/tickets",
                 "/api/v1/halls/{hall}/tickets/{ticket_id}", "/api/v1/halls/{hall}/windows/{window}/next",
                 "/api/v1/halls/{hall}/windows/{window}/no-show", "/api/v1/halls/{hall}/windows/{window}/transfer"):
        assert path in doc["paths"], path
    assert "Ticket" in doc["components"]["schemas"]


def test_logout_revokes_the_token_at_once(client, accounts):
    r = client.post("/api/v1/auth/login", json={"username": "clerk2", "password": PASSWORD})
    token = r.get_json()["token"]
    assert client.get("/api/v1/auth/me", headers=auth(token)).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=auth(token)).status_code == 204
    assert client.get("/api/v1/auth/me", headers=auth(token)).status_code == 401
