"""SMS adapters: an interface for telling residents their turn is near, and a logging implementation."""

from __future__ import annotations

import logging
from typing import Protocol

from queue_server.domain.mask import mask_phone

log = logging.getLogger(__name__)


class SmsSender(Protocol):
    """What a provincial or carrier SMS gateway adapter implements."""

    def send(self, phone: str, text: str) -> None: ...


class LoggingSms:
    """Write the message to the log instead of sending it (halls without an SMS contract)."""

    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((mask_phone(phone), text))
        log.info("SMS to %s: %s", mask_phone(phone) or "(no phone on ticket)", text)


ADAPTERS = {"logging": LoggingSms}


def get_sender(name: str = "logging") -> SmsSender:
    """The adapter registered under `name`."""
    try:
        return ADAPTERS[name]()
    except KeyError:
        raise ValueError(f"unknown SMS adapter {name!r} (known: {', '.join(ADAPTERS)})") from None


def near_turn_text(hall_name: str, number: str, position: int) -> str:
    """The message a resident near the front gets."""
    return f"【{hall_name}】您的{number}号前面还有{position}人，请到大厅等候叫号。"
