"""Layout: window and strip board text from plain state dicts."""

import pytest

from boards.charset import check_charset
from boards.layout import (
    PAUSED_TEXT, board_columns, call_line, call_text, clip, strip_lines, text_columns, window_lines, window_name,
)


def window(state="open", current=None, **kw):
    return {"code": "3", "name": "3号窗口", "state": state, "current": current} | kw


def test_called_ticket():
    assert window_lines(window(current={"number": "A012"})) == ["A012 请到3号窗口"]


@pytest.mark.parametrize("state", ["paused", "away", "closed"])
def test_no_service_wins_over_a_current_ticket(state):
    assert window_lines(window(state, current={"number": "A012"})) == [PAUSED_TEXT] == ["暂停服务"]


def test_idle_open_window_shows_its_name():
    assert window_lines(window()) == ["3号窗口"]
    assert window_lines(window(current={"number": None})) == ["3号窗口"]


def test_name_falls_back_to_code():
    assert window_name({"code": "12", "name": ""}) == "12号窗口"
    assert call_text("B001", "12号窗口") == "B001 请到12号窗口"


def test_strip_shows_latest_calls_newest_first_then_notices():
    calls = [{"number": f"A00{i}", "window": str(i), "window_name": f"{i}号窗口"} for i in range(1, 6)]
    assert strip_lines(calls, ["请保持安静", ""], count=3) == [
        "A005→5号窗口", "A004→4号窗口", "A003→3号窗口", "请保持安静",
    ]
    assert strip_lines(calls, count=0) == []
    assert strip_lines([], ["公告"]) == ["公告"]


def test_call_line_without_window_name():
    assert call_line({"number": "C007", "window": "105", "window_name": None}) == "C007→105号窗口"


def test_layout_text_draws_on_a_gb2312_board():
    for line in [*window_lines(window(current={"number": "A012"})), PAUSED_TEXT, call_line(
            {"number": "A1", "window": "2", "window_name": ""})]:
        check_charset(line, "gb2312")


def test_columns_and_clip():
    assert text_columns("A012 请到") == 9
    assert board_columns(64) == 8 and board_columns(128, 32) == 8
    assert clip("A012 请到3号", 8) == "A012 请"
    assert clip("请到", 3) == "请"
