"""The Hub: one process's handles on Redis, the halls and the clock, shared by API, workers and agents."""

from __future__ import annotations

import time

import redis as redis_lib
from redis.driver_info import DriverInfo

from config.halls import load_halls
from config.settings import Settings

from .domain.errors import NoSuchHall
from .domain.hall import Hall
from .store.accounts import Accounts
from .store.eventlog import EventLog
from .store.reader import HallReader
from .store.readycheck import parser_options
from .store.scripts import Scripts
from .store.writer import HallWriter


def wall_clock_ms() -> int:
    return int(time.time() * 1000)


# A gevent web process may have hundreds of greenlets talking to Redis at once (a burst of displays
# syncing). redis-py's default pool raises past 100 connections; a blocking pool makes them queue.
POOL_SIZE = 200
POOL_WAIT_S = 5


def connect(url: str, **kw) -> redis_lib.Redis:
    """A Redis client that returns text, fails fast when the server is down, and queues on a full pool."""
    kw.setdefault("socket_connect_timeout", 3)
    kw.setdefault("health_check_interval", 30)
    for option, value in parser_options().items():
        kw.setdefault(option, value)
    # Said here, redis-py does not look its own version up in the installed packages for every new
    # connection (a scan of sys.path each time a pool grows, e.g. when hundreds of displays sync).
    kw.setdefault("driver_info", DriverInfo(name="redis-py", lib_version=redis_lib.__version__))
    pool = redis_lib.BlockingConnectionPool.from_url(url, decode_responses=True, max_connections=POOL_SIZE,
                                                     timeout=POOL_WAIT_S, **kw)
    return redis_lib.Redis(connection_pool=pool)


class Hub:
    """Everything an action needs: halls, Redis, scripts, accounts and a clock."""

    def __init__(self, settings: Settings, halls: dict[str, Hall], redis, clock=wall_clock_ms):
        self.settings = settings
        self.halls = halls
        self.redis = redis
        self.clock = clock
        self.scripts = Scripts(redis)
        self.accounts = Accounts(redis)
        self.events = EventLog(redis)
        self._writers: dict[str, HallWriter] = {}
        self._readers: dict[str, HallReader] = {}
        self._rq_redis = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "Hub":
        return cls(settings, load_halls(settings.halls_dir), connect(settings.redis_url))

    def hall(self, code) -> Hall:
        """The hall with this code, or NoSuchHall."""
        try:
            return self.halls[code]
        except (KeyError, TypeError):
            raise NoSuchHall(f"没有编号为 {code!r} 的服务大厅", hall=code) from None

    def writer(self, code: str) -> HallWriter:
        if code not in self._writers:
            hall = self.hall(code)
            self._writers[code] = HallWriter(self.scripts, hall, maxlen=self.settings.events_maxlen,
                                             recent_cap=max(hall.settings.recent_calls, 20))
        return self._writers[code]

    def reader(self, code: str) -> HallReader:
        if code not in self._readers:
            self._readers[code] = HallReader(self.redis, self.scripts, self.hall(code))
        return self._readers[code]

    def now_ms(self) -> int:
        return self.clock()

    def queue(self, name: str):
        """An RQ queue on this Redis (RQ needs a client that returns bytes)."""
        from rq import Queue

        if self._rq_redis is None:
            self._rq_redis = redis_lib.Redis.from_url(self.settings.redis_url, socket_connect_timeout=3)
        return Queue(name, connection=self._rq_redis)


_process_hub: Hub | None = None


def process_hub() -> Hub:
    """This process's Hub from the environment, built on first use (jobs never build one at import)."""
    global _process_hub
    if _process_hub is None:
        _process_hub = Hub.from_settings(Settings.from_env())
    return _process_hub
