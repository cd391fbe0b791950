"""Process settings, read from the environment with defaults that suit the embedded set-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# RQ queue names; the Procfile's worker line must list the same names. Print jobs go to one queue
# per printer ("print:<hall>:<printer>"), consumed by the device agent the printer is plugged into.
QUEUES = ("reroute", "alerts", "default")


def var_dir() -> Path:
    """The data folder: BIANMIN_VAR, else var/ at the repo root."""
    return Path(os.environ.get("BIANMIN_VAR") or ROOT / "var").resolve()


def embedded_redis_url(var: Path) -> str | None:
    """URL of the embedded Redis that `bianmin dev` started for this data folder, if any."""
    path = var / "run" / "redis.url"
    try:
        return path.read_text().strip() or None
    except OSError:
        return None


def _secret_key(var: Path) -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = var / "secret_key"
    try:
        return path.read_text().strip()
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        path.chmod(0o600)
        return key
    except OSError:
        return secrets.token_hex(32)


@dataclass(frozen=True)
class Settings:
    """Everything a process needs to know about its surroundings."""

    redis_url: str = "redis://127.0.0.1:6379/0"
    var: Path = field(default_factory=var_dir)
    halls_dir: Path = ROOT / "config" / "halls"
    host: str = "127.0.0.1"
    port: int = 5000
    public_url: str = ""
    secret_key: str = ""
    # A login lasts a working day plus overtime; clerks sign in each morning.
    token_ttl_s: int = 12 * 3600
    login_max_failures: int = 5
    login_window_s: int = 300
    # About a week of a busy town hall (~3k events a day); older displays resync by snapshot.
    events_maxlen: int = 20000
    recent_calls: int = 10
    async_mode: str | None = None
    message_queue: bool = True
    relay: bool = True
    testing: bool = False

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Read REDIS_URL, BIANMIN_VAR, BIANMIN_HALLS, HOST, PORT, PUBLIC_URL and SECRET_KEY."""
        var = var_dir()
        redis_url = os.environ.get("REDIS_URL") or embedded_redis_url(var) or cls.redis_url
        port = int(os.environ.get("PORT") or 5000)
        host = os.environ.get("HOST") or "127.0.0.1"
        settings = cls(
            redis_url=redis_url,
            var=var,
            halls_dir=Path(os.environ.get("BIANMIN_HALLS") or ROOT / "config" / "halls"),
            host=host,
            port=port,
            public_url=os.environ.get("PUBLIC_URL") or f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}",
            secret_key=_secret_key(var),
            async_mode=os.environ.get("BIANMIN_ASYNC_MODE") or None,
            relay=os.environ.get("BIANMIN_RELAY", "1") != "0",
        )
        return replace(settings, **overrides)
