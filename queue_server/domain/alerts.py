"""Alerts a manager must see: what they are called and how they are keyed so each is raised once."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

KINDS = ("long_wait", "too_many_waiting", "window_unattended", "service_unserved", "cover_request", "help_requested",
         "printer", "device", "worker")


@dataclass(frozen=True)
class Alert:
    """One alert; `key` identifies it so raising it again changes nothing."""

    kind: str
    severity: str
    message: str
    service: str | None = None
    window: str | None = None
    device: str | None = None
    since: str | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.service or self.window or self.device or ''}"

    def to_json(self) -> str:
        fields = {k: v for k, v in asdict(self).items() if v is not None}
        return json.dumps({**fields, "key": self.key}, ensure_ascii=False)
