"""BoardConfig: parsing and validating one board of the hall config."""

import pytest

from boards.config import BoardConfig
from boards.errors import ConfigError


def test_from_dict_with_defaults_and_extra_keys():
    cfg = BoardConfig.from_dict(
        {"driver": "cpower", "transport": "socket://10.0.0.5:4001", "address": 3, "width": 64, "height": 16,
         "window": "W3"}
    )
    assert (cfg.x, cfg.y, cfg.charset, cfg.baudrate) == (0, 0, "gbk", None)
    assert cfg.id == "socket://10.0.0.5:4001#3"
    assert cfg.extra == {"window": "W3"}
    assert cfg.as_dict()["window"] == "W3" and cfg.as_dict()["address"] == 3


def test_explicit_id_and_hashable():
    cfg = BoardConfig("fake", 1, 64, 16, id="window-3", options={"a": 1})
    assert cfg.id == "window-3"
    assert hash(cfg) == hash(BoardConfig("fake", 1, 64, 16, id="window-3", options={"a": 2}))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"driver": "fake", "width": 64, "height": 16}, "missing address"),
        ({"driver": "fake", "address": -1, "width": 64, "height": 16}, "address"),
        ({"driver": "fake", "address": "1", "width": 64, "height": 16}, "address"),
        ({"driver": "fake", "address": True, "width": 64, "height": 16}, "address"),
        ({"driver": "fake", "address": 1, "width": 0, "height": 16}, "non-zero"),
        ({"driver": "fake", "address": 1, "width": 64, "height": 16, "charset": "utf8"}, "charset"),
        ({"driver": "fake", "address": 1, "width": 64, "height": 16, "baudrate": 0}, "baudrate"),
    ],
)
def test_invalid_configs(data, message):
    with pytest.raises(ConfigError, match=message):
        BoardConfig.from_dict(data)
