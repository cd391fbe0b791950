"""Many clerks pressing "next" at once through two real web processes: every ticket is called exactly once."""

import threading
from collections import Counter

import pytest
import requests

from queue_server.domain.access import Actor
from queue_server.store import keys
from tests.conftest import auth

pytestmark = pytest.mark.slow

WINDOWS = 8
TICKETS = 240

HALL = """
code: busy
name: 压力测试大厅
services:
  - {code: S, name: 综合业务, prefix: A}
windows:
""" + "".join(f"  - {{code: \"{i}\", name: {i}号窗口, services: [S]}}\n" for i in range(1, WINDOWS + 1))


def test_concurrent_clerks_never_share_a_ticket(tmp_path, redis, redis_url, live_server_factory):
    halls = tmp_path / "halls"
    halls.mkdir()
    (halls / "busy.yaml").write_text(HALL, "utf-8")
    from queue_server.store.accounts import Accounts
    accounts = Accounts(redis)
    tokens = {}
    for i in range(1, WINDOWS + 1):
        accounts.add_user(f"c{i}", role="clerk", hall="busy", password="pw-12345678")
        tokens[i] = accounts.issue_token(f"c{i}", role="clerk", hall="busy", ttl_s=600)
    kiosk = accounts.add_device("k", hall="busy", kind="kiosk")
    servers = [live_server_factory(BIANMIN_HALLS=str(halls)) for _ in range(2)]

    issued = []
    s = requests.Session()
    for n in range(TICKETS):
        r = s.post(f"{servers[n % 2].url}/api/v1/halls/busy/tickets", json={"service": "S"}, headers=auth(kiosk))
        assert r.status_code == 201
        issued.append(r.json()["id"])
    for i in range(1, WINDOWS + 1):
        r = s.post(f"{servers[i % 2].url}/api/v1/halls/busy/windows/{i}/open", headers=auth(tokens[i]))
        assert r.status_code == 200

    called: list[str] = []
    lock = threading.Lock()
    errors = []
    start = threading.Barrier(WINDOWS)

    def clerk(i):
        session = requests.Session()
        base = servers[i % 2].url
        start.wait(10)
        for _ in range(TICKETS + 5):  # bounded: never more presses than tickets plus a few
            r = session.post(f"{base}/api/v1/halls/busy/windows/{i}/next", headers=auth(tokens[i]), timeout=10)
            if r.status_code == 204:
                return
            if r.status_code != 200:
                errors.append(r.text)
                return
            with lock:
                called.append(r.json()["id"])

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(1, WINDOWS + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    counts = Counter(called)
    assert sorted(counts) == sorted(issued), "every issued ticket was called"
    assert max(counts.values()) == 1, "no ticket was called twice"
    stream = [f for _, f in redis.xrange(keys.events("busy"))]
    assert sum(1 for f in stream if f["type"] == "ticket_called") == TICKETS
    assert len({w for w in called}) == TICKETS


def test_concurrent_scripts_directly(hub, redis, actors):
    """The same property straight on the Lua script with 16 threads and their own connections."""
    from queue_server import actions
    for _ in range(200):
        actions.issue_ticket(hub, actors["kiosk"], "demo", "ZM")
    actions.open_window(hub, actors["clerk1"], "demo", "6")
    system = Actor("system", "system")
    got, lock = [], threading.Lock()

    def press():
        for _ in range(60):
            raw = actions.call_next(hub, system, "demo", "6")
            if raw is None:
                return
            with lock:
                got.append(raw["id"])

    threads = [threading.Thread(target=press) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(got) == 200 and len(set(got)) == 200
