"""The ticket slip: what a printed queue ticket shows, and nothing personal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

# An unmasked 18-digit ID number (GB 11643) or an 11-digit mainland mobile number must never reach paper
# (checklist P-02): only pre-masked strings such as "110***********1234" or "138****1234" may.
_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@dataclass(frozen=True)
class Slip:
    """One ticket slip, as the resident takes it from the kiosk."""

    hall_name: str
    number: str  # e.g. "A012"
    service_name: str
    people_ahead: int
    wait_minutes: int | None  # estimated wait; None when there is no estimate yet
    issued_at: str  # already formatted, e.g. "2024-05-06 09:30"
    qr_url: str | None = None  # the resident's phone page for this ticket
    materials: tuple[str, ...] = field(default_factory=tuple)  # 一次性告知: everything to bring, at once
    windows: str | None = None  # e.g. "3号、5号窗口"
    area: str | None = None  # e.g. "二楼B区"
    holder: str | None = None  # a pre-masked name such as "张*三"; never a full name
    notice: str | None = None  # footer, e.g. "过号请重新取号"

    def __post_init__(self) -> None:
        """Validate the slip and refuse anything that looks like unmasked personal data."""
        if not self.number or not self.number.strip():
            raise ValueError("a slip needs a ticket number")
        if self.people_ahead < 0:
            raise ValueError("people_ahead must be >= 0")
        if self.wait_minutes is not None and self.wait_minutes < 0:
            raise ValueError("wait_minutes must be >= 0")
        # Accept any iterable of strings but store a tuple so the slip stays hashable and immutable.
        object.__setattr__(self, "materials", tuple(self.materials))
        if self.holder is not None and "*" not in self.holder:
            raise ValueError("holder must be pre-masked (e.g. 张*三)")
        for text in self.texts():
            if _ID_NUMBER.search(text) or _MOBILE.search(text):
                raise ValueError("slip text contains an unmasked ID or phone number")

    def texts(self) -> list[str]:
        """Return every string the slip would print."""
        out: list[str] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, tuple):
                out.extend(str(v) for v in value)
        return out
