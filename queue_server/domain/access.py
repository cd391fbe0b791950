"""Who may do what: roles, halls and windows, decided without touching storage."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Forbidden

ROLES = ("admin", "manager", "clerk", "device")
DEVICE_KINDS = ("kiosk", "display", "gateway")
STAFF = ("admin", "manager", "clerk")


@dataclass(frozen=True)
class Actor:
    """An authenticated caller: a user with a role, a device of one hall, or the system itself."""

    name: str
    role: str
    hall: str = ""
    device_kind: str = ""

    @property
    def label(self) -> str:
        """How the event log names this actor."""
        if self.role == "system":
            return "system"
        return f"{self.role}:{self.name}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


SYSTEM = Actor("system", "system")


def require_hall(actor: Actor, hall: str) -> None:
    """Admins and the system reach every hall; everyone else only their own."""
    if actor.role in ("admin", "system"):
        return
    if actor.hall != hall:
        raise Forbidden("无权访问该服务大厅", hall=hall)


def require_staff(actor: Actor, hall: str) -> None:
    """Staff of the hall (clerk, manager) or an admin."""
    require_hall(actor, hall)
    if not (actor.is_staff or actor.role == "system"):
        raise Forbidden("仅限工作人员")


def require_manager(actor: Actor, hall: str) -> None:
    """The hall's manager or an admin."""
    require_hall(actor, hall)
    if actor.role not in ("admin", "manager", "system"):
        raise Forbidden("仅限大厅管理员")


def require_issuer(actor: Actor, hall: str) -> None:
    """Staff, or a kiosk or gateway device of the hall, may issue tickets."""
    require_hall(actor, hall)
    if actor.is_staff or actor.role == "system":
        return
    if actor.role == "device" and actor.device_kind in ("kiosk", "gateway"):
        return
    raise Forbidden("该设备不能取号")


def window_staff(actor: Actor, hall: str) -> str:
    """Check the actor may operate windows; return the staff the window must be held by ('' = any).

    A clerk acts only at the window they are signed in at, which the atomic script verifies; managers,
    admins, gateways (hardware keypads bound to a window) and the system act on any window of the hall.
    """
    require_hall(actor, hall)
    if actor.role == "clerk":
        return actor.name
    if actor.role in ("admin", "manager", "system"):
        return ""
    if actor.role == "device" and actor.device_kind == "gateway":
        return ""
    raise Forbidden("无权操作窗口")
