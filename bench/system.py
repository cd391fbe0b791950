"""The system under test: an embedded Redis (or REDIS_URL), gunicorn web processes and RQ workers.

Everything binds 127.0.0.1 on free ports and keeps its files under one scratch folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from config.settings import ROOT
from queue_server.embedded import EmbeddedRedis, free_port
from queue_server.hub import connect

from .stats import rss_bytes, tree

BIN = Path(sys.executable).parent
CLERKS = 20

# `issue`: the throughput hall; `lobby`: 20 windows all calling one service, for the displays;
# `demo`: the shipped demo hall (six windows with AB岗 backups), for the worker jobs.
ISSUE_HALL = """\
code: issue
name: 取号压力测试
services:
  - {code: S, name: 综合业务, prefix: A}
windows:
  - {code: "1", name: 1号窗口, services: [S]}
"""


def lobby_hall(windows: int = CLERKS) -> str:
    return ("code: lobby\nname: 大厅延迟测试\nservices:\n  - {code: S, name: 综合业务, prefix: A}\nwindows:\n"
            + "".join(f'  - {{code: "{i}", name: {i}号窗口, services: [S]}}\n' for i in range(1, windows + 1)))


def write_halls(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.yaml").write_text(ISSUE_HALL, "utf-8")
    (folder / "lobby.yaml").write_text(lobby_hall(), "utf-8")
    shutil.copy(ROOT / "config" / "halls" / "demo.yaml", folder / "demo.yaml")
    return folder


class RedisServer:
    """The embedded Redis with AOF (fsync switchable at run time), or an external one from REDIS_URL."""

    def __init__(self, folder: Path, url: str | None = None, fsync: str = "always"):
        self.external = url
        self.embedded = None if url else EmbeddedRedis(folder / "redis", fsync=fsync,
                                                       log_file=folder / "redis.log")
        self.url = url or ""

    def start(self) -> str:
        if self.embedded:
            self.url = self.embedded.start()
        client = connect(self.url)
        client.ping()
        client.close()
        return self.url

    @property
    def pid(self) -> int | None:
        return self.embedded.process.pid if self.embedded and self.embedded.process else None

    def fsync(self) -> str:
        client = connect(self.url)
        try:
            aof = client.config_get("appendonly").get("appendonly")
            return client.config_get("appendfsync").get("appendfsync") if aof == "yes" else "aof off"
        finally:
            client.close()

    def set_fsync(self, mode: str) -> bool:
        """Switch appendfsync on the embedded server (never on an external one); True if switched."""
        if not self.embedded:
            return False
        client = connect(self.url)
        try:
            client.config_set("appendfsync", mode)
        finally:
            client.close()
        return True

    def stop(self) -> None:
        if self.embedded:
            self.embedded.stop()


def seed_accounts(redis_url: str) -> dict:
    """Kiosks and 20 clerks for the bench halls; return their tokens."""
    import queue_server.store.accounts as accounts_mod

    # Throwaway accounts: a light scrypt work factor, like the tests use, keeps seeding fast.
    accounts_mod.PASSWORD_METHOD = "scrypt:1024:8:1"
    client = connect(redis_url)
    try:
        accounts = accounts_mod.Accounts(client)
        tokens = {"kiosk": {h: accounts.add_device(f"bench-kiosk-{h}", hall=h, kind="kiosk")
                            for h in ("issue", "lobby", "demo")},
                  "gateway": accounts.add_device("bench-gateway", hall="lobby", kind="gateway"),
                  "clerks": {}}
        for i in range(1, CLERKS + 1):
            name = f"bench-clerk{i}"
            accounts.add_user(name, role="clerk", hall="lobby", password="bench-password-1")
            tokens["clerks"][str(i)] = accounts.issue_token(name, role="clerk", hall="lobby", ttl_s=6 * 3600)
        return tokens
    finally:
        client.close()


def second_relay() -> str:
    """Relay placement for an extra web process: none beside a relay process, else its own in-web one."""
    return "none" if (os.environ.get("BENCH_RELAY") or "process") == "process" else "web"


class WebServer:
    """One gunicorn web process (master + 1 worker) like the Procfile's, on a free loopback port.

    kind "gevent": `-k gevent` (the product's choice; engine.io then runs websockets on simple-websocket);
    "threading": `-k gthread` with one thread per connection and BIANMIN_ASYNC_MODE=threading;
    "gevent-websocket": gevent-websocket's gunicorn worker, with the package from `pythonpath` (it is not
    a product dependency: installed into the venv it would switch every gevent process over to it).
    """

    def __init__(self, redis_url: str, folder: Path, halls: Path, *, kind: str = "gevent",
                 connections: int = 10000, relay: str | None = None, pythonpath: str | None = None):
        # relay: "process" = a relay process beside this web process, as the Procfile runs them (its CPU
        # counts as server CPU); "web" = the relay inside the web process; "none" = another server's
        # relay serves this one. Default: BENCH_RELAY, else "process".
        relay = relay or os.environ.get("BENCH_RELAY") or "process"
        if relay not in ("process", "web", "none"):
            raise ValueError(f"unknown relay placement {relay!r}")
        self.relay = relay
        self.kind = kind
        self.port = free_port()
        self.host = "127.0.0.1"
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, REDIS_URL=redis_url, BIANMIN_VAR=str(folder / "var"), BIANMIN_HALLS=str(halls),
                   PYTHONUNBUFFERED="1", BIANMIN_RELAY="1" if relay == "web" else "0")
        cmd = [str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{self.port}", "--no-control-socket",
               "--graceful-timeout", "2", "--timeout", "120"]
        if kind == "gevent":
            # gunicorn's default of 1000 connections per gevent worker would cap the displays a process holds.
            cmd += ["-k", "gevent", "--worker-connections", str(connections)]
        elif kind == "gevent-websocket":
            env["PYTHONPATH"] = os.pathsep.join(p for p in (pythonpath, env.get("PYTHONPATH")) if p)
            cmd += ["-k", "geventwebsocket.gunicorn.workers.GeventWebSocketWorker",
                    "--worker-connections", str(connections)]
        elif kind == "threading":
            env["BIANMIN_ASYNC_MODE"] = "threading"
            cmd += ["-k", "gthread", "--threads", str(connections), "--worker-connections", str(connections)]
        else:
            raise ValueError(f"unknown server kind {kind!r}")
        cmd.append("queue_server.wsgi:app")
        self.command = cmd
        self.log_path = folder / f"web-{kind}-{self.port}.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
                                        start_new_session=True)
        self.relay_process = RelayProcess(redis_url, folder, halls) if relay == "process" else None
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"web server exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=1) as r:
                    if r.status == 200 and self.worker_pid():
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("web server did not become healthy")

    @property
    def target(self) -> list:
        return [self.host, self.port]

    def pids(self) -> list[int]:
        """The gunicorn master, its worker and this server's relay process (for CPU figures)."""
        return tree(self.process.pid) + (self.relay_process.pids() if self.relay_process else [])

    def worker_pid(self) -> int | None:
        rest = [p for p in tree(self.process.pid) if p != self.process.pid]
        return rest[0] if rest else None

    def rss(self) -> int:
        """RSS of the master and its worker, in bytes (the relay's is constant and left out)."""
        return sum(rss_bytes(p) for p in tree(self.process.pid))

    def stop(self) -> None:
        if self.relay_process:
            self.relay_process.stop()
        stop_process(self.process)
        self.log.close()


class RelayProcess:
    """The relay as a process of its own (`python -m queue_server.realtime`), as the Procfile runs it."""

    def __init__(self, redis_url: str, folder: Path, halls: Path):
        env = dict(os.environ, REDIS_URL=redis_url, BIANMIN_VAR=str(folder / "var"), BIANMIN_HALLS=str(halls),
                   PYTHONUNBUFFERED="1")
        self.command = [sys.executable, "-m", "queue_server.realtime"]
        self.log_path = folder / f"relay-{time.time_ns()}.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(self.command, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
                                        start_new_session=True)

    def pids(self) -> list[int]:
        return [self.process.pid] if self.process.poll() is None else []

    def stop(self) -> None:
        stop_process(self.process)
        self.log.close()


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM, then after 10 s SIGKILL to its whole session (each server starts its own)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def rq_workers(redis_url: str, folder: Path, halls: Path, n: int, queues=("reroute", "alerts", "default"),
               burst: bool = True, worker_class: str | None = None) -> list[subprocess.Popen]:
    """Start n `python -m workers worker` processes (the Procfile's command: RQ's CLI with the job code
    and the hub loaded before forking), in burst mode: they exit when idle."""
    env = dict(os.environ, REDIS_URL=redis_url, BIANMIN_VAR=str(folder / "var"), BIANMIN_HALLS=str(halls),
               BIANMIN_SMS="logging")
    procs = []
    for i in range(n):
        cmd = [sys.executable, "-m", "workers", "worker", "--url", redis_url, "--logging_level", "WARNING",
               "--name", f"bench-{os.getpid()}-{i}-{time.monotonic_ns()}"]
        if burst:
            cmd.append("--burst")
        if worker_class:
            cmd += ["--worker-class", worker_class]
        log = open(folder / f"rq-{i}.log", "ab")
        procs.append(subprocess.Popen(cmd + list(queues), env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                      start_new_session=True))
        log.close()
    return procs


def relay_backlog(redis_url: str, halls: list[str]) -> int:
    """Events appended but not yet emitted by the relay (by its saved cursor), over `halls`."""
    from queue_server.store import keys

    client = connect(redis_url)
    try:
        behind = 0
        for hall in halls:
            cursor = client.get(keys.relay_cursor(hall)) or "0-0"
            behind += len(client.xrange(keys.events(hall), f"({cursor}", "+", count=100_000)) \
                if client.exists(keys.events(hall)) else 0
        return behind
    finally:
        client.close()


def wait_relay(redis_url: str, halls=("issue", "lobby", "demo"), timeout: float = 120.0) -> dict:
    """Wait until the relay has emitted everything (a burst of issuing leaves it behind); report how long."""
    t0 = time.time()
    first = behind = relay_backlog(redis_url, list(halls))
    while behind and time.time() - t0 < timeout:
        time.sleep(0.2)
        behind = relay_backlog(redis_url, list(halls))
    return {"backlog": first, "drain_s": round(time.time() - t0, 2), "left": behind}


def wait_relay_leader(redis_url: str, servers: list, timeout: float = 20.0) -> float:
    """Wait until one of these web processes holds the relay lock (a stopped leader's lock lingers
    for up to its 5 s timeout); return the seconds waited."""
    from queue_server.store import keys

    client = connect(redis_url)
    t0 = time.time()
    try:
        pids = {str(p) for s in servers for p in s.pids()}  # a worker's in-web relay, or a relay process
        while time.time() - t0 < timeout:
            holder = client.get(keys.relay_lock()) or ""
            if holder.split(":")[1:2] and holder.split(":")[1] in pids:
                break
            time.sleep(0.1)
        return round(time.time() - t0, 2)
    finally:
        client.close()
