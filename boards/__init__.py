"""LED window and strip boards (窗口屏/条屏): protocol drivers, layout, bus workers and a simulator."""

from boards.bus import BusWorker
from boards.charset import check_charset, encode_text
from boards.config import BoardConfig
from boards.driver import EFFECTS, Command, DisplayDriver, Reply
from boards.errors import BoardError, ChecksumError, CharsetError, ConfigError, FrameError, UnknownDriver
from boards.fleet import Fleet
from boards.registry import DRIVERS, driver_names, get_driver, register_driver
from boards.status import BoardStatus, BusStatus

__all__ = [
    "DRIVERS", "EFFECTS", "BoardConfig", "BoardError", "BoardStatus", "BusStatus", "BusWorker", "CharsetError",
    "ChecksumError", "Command", "ConfigError", "DisplayDriver", "Fleet", "FrameError", "Reply", "UnknownDriver",
    "check_charset", "driver_names", "encode_text", "get_driver", "register_driver",
]
