"""DisplayDriver contract: shared effect/hold checks and the abstract interface."""

import pytest

from boards.config import BoardConfig
from boards.driver import EFFECTS, DisplayDriver
from boards.errors import ConfigError
from boards.registry import DRIVERS


def test_effects():
    assert EFFECTS == ("static", "type", "left", "right", "up", "down")


def test_incomplete_driver_cannot_be_instantiated():
    class Half(DisplayDriver):
        name = "half"

    with pytest.raises(TypeError):
        Half()


@pytest.mark.parametrize("name", sorted(DRIVERS))
def test_every_driver_honours_the_contract(name):
    driver = DRIVERS[name]()
    assert driver.name == name
    assert driver.default_effect in EFFECTS
    assert driver.default_hold_s >= 0 and driver.default_baudrate > 0
    assert driver.check_effect(None) == driver.default_effect
    with pytest.raises(ConfigError):
        driver.check_effect("zoom")


@pytest.mark.parametrize("name", sorted(DRIVERS))
def test_every_driver_round_trips_show_and_reply_through_its_splitter(name):
    driver = DRIVERS[name]()
    cfg = BoardConfig(name, 2, 64, 16)
    # Leading noise ends in a newline so the line-based fake resynchronises too.
    show = driver.encode_show(cfg, ["A012 请到3号窗口", "欢迎"])
    stream = b"noise\n" + show + driver.encode_reply(2, ok=False)
    splitter = driver.splitter()
    frames = [f for b in stream for f in splitter.feed(bytes((b,)))]
    assert len(frames) in (2, 3)  # the fake hands the noise line on; decoding rejects it
    assert driver.decode_command(frames[-2]).lines == ("A012 请到3号窗口", "欢迎")
    assert driver.decode_reply(frames[-1]).ok is False


def test_check_hold_units():
    driver = DRIVERS["onbon_bx5k"]()
    assert driver.check_hold(None, step=0.5, maximum=255) == 8
    assert driver.check_hold(127.5, step=0.5, maximum=255) == 255
    with pytest.raises(ConfigError):
        driver.check_hold(-0.5, step=0.5, maximum=255)
