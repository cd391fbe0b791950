"""Registry of board drivers by config name ("onbon_bx5k", "cpower", "fake", ...)."""

from __future__ import annotations

from boards.cpower_driver import CPowerDriver
from boards.driver import DisplayDriver
from boards.errors import UnknownDriver
from boards.fake import FakeDriver
from boards.onbon_driver import OnbonBx5kDriver, OnbonBx6kDriver

DRIVERS: dict[str, type[DisplayDriver]] = {
    cls.name: cls for cls in (OnbonBx5kDriver, OnbonBx6kDriver, CPowerDriver, FakeDriver)
}


def register_driver(cls: type[DisplayDriver]) -> type[DisplayDriver]:
    """Register a driver class under its name (usable as a class decorator)."""
    DRIVERS[cls.name] = cls
    return cls


def driver_names() -> list[str]:
    """Return the registered driver names, sorted."""
    return sorted(DRIVERS)


def get_driver(name: str) -> DisplayDriver:
    """Return a new driver instance for name; raise UnknownDriver listing the known names."""
    try:
        cls = DRIVERS[name]
    except (KeyError, TypeError):
        raise UnknownDriver(f"unknown board driver {name!r}; known drivers: {', '.join(driver_names())}") from None
    return cls()
