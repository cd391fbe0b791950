"""`make run`: start the embedded Redis, seed the demo hall's accounts, and supervise every process.

Children log to var/log/<name>.log; a child that dies is restarted with backoff; Ctrl-C stops all.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from config.settings import QUEUES, ROOT, Settings

from .domain.errors import ConfigError
from .embedded import EmbeddedRedis, remove_url_file, write_url_file

BIN = Path(sys.executable).parent
DEMO_HALL = "demo"


@dataclass
class Child:
    """One supervised process."""

    name: str
    argv: list[str]
    env: dict
    log: Path
    process: subprocess.Popen | None = None
    restarts: int = 0
    next_start: float = 0.0
    handle: object = field(default=None, repr=False)
    wait_for: Path | None = None

    def ready(self) -> bool:
        """A child that needs a file another child writes starts once it exists."""
        return self.wait_for is None or self.wait_for.exists()

    def start(self) -> None:
        self.handle = open(self.log, "ab")
        self.process = subprocess.Popen(self.argv, env=self.env, stdout=self.handle, stderr=subprocess.STDOUT,
                                        cwd=ROOT, start_new_session=True)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
        if self.process:
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.handle:
            self.handle.close()
            self.handle = None


def demo_accounts(var: Path) -> dict:
    """Load the demo credentials, generating them on the first run (never fixed defaults)."""
    path = var / "demo-credentials.json"
    if path.exists():
        return json.loads(path.read_text())
    def pw():
        return secrets.token_urlsafe(9)
    names = {"clerk1": "张伟", "clerk2": "李娜", "clerk3": "王芳", "clerk4": "刘洋", "clerk5": "陈静", "clerk6": "杨磊"}
    data = {
        "users": [{"username": "admin", "role": "admin", "hall": "", "name": "系统管理员", "password": pw()},
                  {"username": "manager", "role": "manager", "hall": DEMO_HALL, "name": "赵主任", "password": pw()}]
        + [{"username": u, "role": "clerk", "hall": DEMO_HALL, "name": n, "password": pw()} for u, n in names.items()],
        "devices": {},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    path.chmod(0o600)
    return data


def seed(settings: Settings, var: Path) -> dict:
    """Make sure the demo accounts and device tokens exist in Redis."""
    from .hub import connect
    from .store.accounts import Accounts

    data = demo_accounts(var)
    accounts = Accounts(connect(settings.redis_url))
    for u in data["users"]:
        accounts.add_user(u["username"], role=u["role"], hall=u["hall"], password=u["password"], name=u["name"])
    devices = data.setdefault("devices", {})
    for name, kind in (("kiosk-1", "kiosk"), ("display-1", "display"), ("gateway-1", "gateway")):
        stored = accounts.resolve(devices.get(name, ""))
        if not stored:
            devices[name] = accounts.add_device(name, hall=DEMO_HALL, kind=kind)
    path = var / "demo-credentials.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    path.chmod(0o600)
    return data


def children(settings: Settings, var: Path, redis_url: str, devices: dict) -> list[Child]:
    """The processes of the Procfile, pointed at the embedded Redis."""
    env = dict(os.environ, REDIS_URL=redis_url, BIANMIN_VAR=str(var), PYTHONUNBUFFERED="1")
    logs = var / "log"
    logs.mkdir(parents=True, exist_ok=True)
    bind = f"{settings.host}:{settings.port}"
    procs = [
        # gevent's worker accepts 1,000 connections by default; a lobby of screens needs more.
        Child("web", [str(BIN / "gunicorn"), "-k", "gevent", "-w", "1", "--worker-connections", "10000",
                      "-b", bind, "--timeout", "60",
                      "--graceful-timeout", "5", "--no-control-socket", "queue_server.wsgi:app"],
              dict(env, BIANMIN_RELAY="0"), logs / "web.log"),
        # The relay on its own, as in the Procfile: web processes only serve requests and deliver.
        Child("relay", [sys.executable, "-m", "queue_server.realtime"], env, logs / "relay.log"),
        Child("worker", [sys.executable, "-m", "workers", "worker", "--url", redis_url, "--with-scheduler",
                         *QUEUES], env, logs / "worker.log"),
        Child("scheduler", [sys.executable, "-m", "workers", "cron", "--url", redis_url, "workers.cron"], env,
              logs / "scheduler.log"),
    ]
    if os.environ.get("BIANMIN_SIM", "1") != "0":
        sim_env = dict(env, BIANMIN_API=f"http://127.0.0.1:{settings.port}/api/v1")
        procs.append(Child("simclerks", [sys.executable, "-m", "devices.simclerks"], sim_env,
                           logs / "simclerks.log"))
        procs.append(Child("simhall", [sys.executable, "-m", "devices.simhall"], env, logs / "simhall.log"))
        agent_env = dict(env, BIANMIN_API=f"http://127.0.0.1:{settings.port}",
                         BIANMIN_DEVICE_TOKEN=devices.get("gateway-1", ""),
                         BIANMIN_DEVICES=str(var / "run" / f"devices-{DEMO_HALL}.yaml"))
        procs.append(Child("devices", [sys.executable, "-m", "devices.agent"], agent_env, logs / "devices.log",
                           wait_for=var / "run" / f"devices-{DEMO_HALL}.yaml"))
    return procs


def banner(settings: Settings, data: dict, var: Path) -> str:
    base = settings.public_url
    lines = [
        "",
        "便民 Bianmin is running (Ctrl-C stops everything)",
        f"  API        {base}/api/v1/health   OpenAPI {base}/api/v1/openapi.json",
        f"  Kiosk      {base}/kiosk/{DEMO_HALL}",
        f"  Clerk      {base}/clerk",
        f"  Lobby      {base}/display/{DEMO_HALL}",
        f"  Dashboard  {base}/dashboard/{DEMO_HALL}",
        "",
        "  Demo credentials (generated on first run, kept in " + str(var / "demo-credentials.json") + "):",
    ]
    for u in data["users"]:
        lines.append(f"    {u['role']:8} {u['username']:8} {u['password']}   {u['name']}")
    for name, token in data.get("devices", {}).items():
        lines.append(f"    device   {name:10} {token}")
    lines += [
        "",
        "  Simulated clerks staff windows 2-6 (BIANMIN_SIM=0 turns them off); window 1 is yours (clerk1).",
        "  AB岗 demo: `.venv/bin/bianmin sim away 3` silences window 3's clerk; `... sim back 3` returns them.",
        f"  Hardware: slips print to {var / 'prints'}/*.png; `.venv/bin/bianmin sim key 1 next` presses window 1's keypad;",
        f"  LED boards' view: {var / 'run' / 'boards.json'} and {base}/display/{DEMO_HALL}/boards",
        f"  Logs in {var / 'log'}; data in {var}",
    ]
    return "\n".join(lines)


def run() -> int:
    """Start everything and supervise it until interrupted."""
    settings = Settings.from_env()
    var = settings.var
    try:
        from config.halls import load_halls
        load_halls(settings.halls_dir)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    fsync = os.environ.get("BIANMIN_FSYNC", "always")
    port_file = var / "run" / "redis.port"
    port = int(port_file.read_text()) if port_file.exists() else None
    redis = EmbeddedRedis(var / "redis", port=port, fsync=fsync, log_file=var / "log" / "redis.log")
    (var / "log").mkdir(parents=True, exist_ok=True)
    url = redis.start()
    port_file.parent.mkdir(parents=True, exist_ok=True)
    port_file.write_text(str(redis.port))
    write_url_file(var, url)
    settings = Settings.from_env(redis_url=url)
    data = seed(settings, var)
    procs = children(settings, var, url, data.get("devices", {}))
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for child in procs:
        if child.ready():
            child.start()
    print(f"Embedded Redis {url} (appendfsync {fsync}), data in {var / 'redis'}")
    print(banner(settings, data, var), flush=True)
    try:
        while not stopping:
            now = time.monotonic()
            for child in procs:
                if child.process and child.process.poll() is not None and not stopping:
                    code = child.process.returncode
                    child.stop()
                    child.restarts += 1
                    delay = min(30, 2 ** min(child.restarts, 5))
                    child.next_start = now + delay
                    child.process = None
                    print(f"[{child.name}] exited with {code}; restarting in {delay}s (see {child.log})",
                          flush=True)
                elif child.process is None and now >= child.next_start and child.ready():
                    child.start()
            time.sleep(0.3)
    finally:
        print("\nstopping…", flush=True)
        for child in reversed(procs):
            child.stop()
        redis.stop()
        remove_url_file(var)
    return 0
