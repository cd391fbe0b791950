"""Driver registry: names to classes, clear errors for unknown names."""

import pytest

from boards.cpower_driver import CPowerDriver
from boards.errors import ConfigError, UnknownDriver
from boards.fake import FakeDriver
from boards.onbon_driver import OnbonBx5kDriver
from boards.registry import DRIVERS, driver_names, get_driver, register_driver


def test_known_drivers():
    assert isinstance(get_driver("onbon_bx5k"), OnbonBx5kDriver)
    assert isinstance(get_driver("cpower"), CPowerDriver)
    assert isinstance(get_driver("fake"), FakeDriver)
    assert {"onbon_bx5k", "onbon_bx6k", "cpower", "fake"} <= set(driver_names())


@pytest.mark.parametrize("name", ["alpha", "", None])
def test_unknown_driver_lists_known_names(name):
    with pytest.raises(UnknownDriver) as info:
        get_driver(name)
    assert "cpower, fake, onbon_bx5k" in str(info.value)
    assert isinstance(info.value, ConfigError) and isinstance(info.value, LookupError)


def test_register_driver(monkeypatch):
    monkeypatch.setitem(DRIVERS, "dummy", FakeDriver)  # restored afterwards

    @register_driver
    class Vendor(FakeDriver):
        name = "vendor_x"

    try:
        assert isinstance(get_driver("vendor_x"), Vendor)
    finally:
        DRIVERS.pop("vendor_x")
