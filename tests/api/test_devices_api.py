"""Gateway endpoints: printer registration, print outcomes, hardware state with alerts, and 好差评 ratings."""

import json

from queue_server.store import keys
from tests.conftest import auth


def event_types(redis):
    return [f["type"] for _, f in redis.xrange(keys.events("demo"))]


def test_kiosk_ticket_without_a_registered_printer_says_so(client, accounts, redis):
    r = client.post("/api/v1/halls/demo/tickets", json={"service": "SB"}, headers=auth(accounts["kiosk"]))
    assert r.status_code == 201 and r.get_json()["print_status"] == "no_printer"
    printed = [json.loads(f["data"]) for _, f in redis.xrange(keys.events("demo")) if f["type"] == "print_status"]
    assert printed[0]["status"] == "no_printer" and "记下您的号码" in printed[0]["message"]


def test_registered_printer_gets_a_job_and_reprint_queues_another(client, accounts, hub):
    g = auth(accounts["gateway"])
    assert client.post("/api/v1/halls/demo/devices/printers", json={"kiosk": "kiosk", "printer": "p1"},
                       headers=g).status_code == 200
    assert client.post("/api/v1/halls/demo/devices/printers", json={"kiosk": "kiosk", "printer": "p1"},
                       headers=auth(accounts["kiosk"])).status_code == 403
    t = client.post("/api/v1/halls/demo/tickets", json={"service": "SB"}, headers=auth(accounts["kiosk"])).get_json()
    assert t["print_status"] == "queued"
    queue = hub.queue(keys.print_queue("demo", "p1"))
    assert queue.count == 1 and queue.jobs[0].args == ("demo", t["id"], "p1")
    r = client.post(f"/api/v1/halls/demo/tickets/{t['id']}/print", headers=auth(accounts["kiosk"]))
    assert r.status_code == 202 and queue.count == 2
    no_print = client.post("/api/v1/halls/demo/tickets", json={"service": "SB", "print": False},
                           headers=auth(accounts["kiosk"])).get_json()
    assert "print_status" not in no_print and queue.count == 2


def test_device_status_raises_and_clears_one_alert(client, accounts, redis):
    g = auth(accounts["gateway"])
    bad = {"device": "printer-1", "status": {"kind": "printer", "online": False, "error": "打印机缺纸"}}
    for _ in range(2):
        assert client.post("/api/v1/halls/demo/devices/status", json=bad, headers=g).status_code == 200
    assert event_types(redis) == ["device_status", "alert_raised"]
    devices = client.get("/api/v1/halls/demo/devices", headers=auth(accounts["manager"])).get_json()
    assert devices["printer-1"]["error"] == "打印机缺纸"
    good = {"device": "printer-1", "status": {"kind": "printer", "online": True, "error": None}}
    client.post("/api/v1/halls/demo/devices/status", json=good, headers=g)
    assert event_types(redis)[-2:] == ["device_status", "alert_cleared"]
    assert client.post("/api/v1/halls/demo/devices/status", json={"device": "x", "status": "ok"},
                       headers=g).status_code == 400


def test_rating_goes_to_the_ticket_just_served_once(client, accounts, redis):
    c, g = auth(accounts["clerk1"]), auth(accounts["gateway"])
    t = client.post("/api/v1/halls/demo/tickets", json={"service": "SB", "print": False},
                    headers=auth(accounts["kiosk"])).get_json()
    client.post("/api/v1/halls/demo/windows/1/open", headers=c)
    assert client.post("/api/v1/halls/demo/windows/1/rating", json={"rating": 5}, headers=g).status_code == 409
    client.post("/api/v1/halls/demo/windows/1/next", headers=c)
    client.post("/api/v1/halls/demo/windows/1/finish", headers=c)
    r = client.post("/api/v1/halls/demo/windows/1/rating", json={"rating": 5}, headers=g)
    assert r.status_code == 201 and r.get_json()["ticket_id"] == t["id"]
    assert redis.hget(keys.ticket("demo", t["id"]), "rating") == "5"
    again = client.post("/api/v1/halls/demo/windows/1/rating", json={"rating": 1}, headers=g)
    assert again.status_code == 409
    assert client.post("/api/v1/halls/demo/windows/1/rating", json={"rating": 9}, headers=g).status_code == 400
