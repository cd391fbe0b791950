"""The site devices file: the example validates, and mistakes name the file and the field."""

import pytest
import yaml

from config.halls import load_halls
from devices.siteconfig import load, parse
from queue_server.domain.errors import ConfigError
from tests.conftest import DEMO_HALLS, ROOT

HALL = load_halls(DEMO_HALLS)["demo"]


def test_example_file_validates():
    site = load(ROOT / "config" / "devices.example.yaml", HALL)
    assert [b.window for b in site.boards] == ["1", None]
    assert site.keypads[0].windows == {1: "1", 2: "2", 3: "3"}
    assert site.printer("printer-1")["kiosk"] == "kiosk-1"


@pytest.mark.parametrize("doc,expected", [
    ({"hall": "other"}, "hall: must be 'demo'"),
    ({"hall": "demo", "printers": [{"id": "p", "driver": "network"}]}, "printers[0].kiosk"),
    ({"hall": "demo", "boards": [{"id": "b", "window": "9"}]}, "boards[0].window: unknown window '9'"),
    ({"hall": "demo", "keypads": [{"transport": "loop://", "windows": {1: "42"}}]}, "keypads[0].windows.1"),
])
def test_mistakes_are_named(doc, expected):
    with pytest.raises(ConfigError) as exc:
        parse(doc, "site.yaml", HALL)
    assert str(exc.value).startswith("site.yaml: ") and expected in str(exc.value)


def test_board_charset_is_checked_against_the_halls_names(tmp_path):
    import dataclasses
    from queue_server.domain.hall import Window
    odd = dataclasses.replace(HALL, windows={**HALL.windows, "7": Window("7", "喆号窗口", ("SB",))})
    doc = {"hall": "demo", "boards": [{"id": "b", "window": "1", "driver": "onbon_bx5k", "transport": "loop://",
                                       "address": 1, "width": 64, "height": 16, "charset": "gb2312"}]}
    with pytest.raises(ConfigError, match="喆"):
        parse(doc, "site.yaml", odd)
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(doc), "utf-8")
    assert load(tmp_path / "s.yaml", HALL).boards[0].id == "b"
