"""The websocket window board (boardtext.js) must show what boards/layout.py::window_lines puts on the LED
window board, for every window state; and routing.js must answer the AB岗 questions the screens ask."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from boards.layout import window_lines
from queue_server import actions, queries

JS = Path(__file__).resolve().parents[2] / "queue_server" / "web" / "static" / "js"
node = shutil.which("node")
needs_node = pytest.mark.skipif(node is None, reason="node is not installed")

WINDOWS = [
    {"code": "3", "name": "3号窗口", "state": "open", "current": {"number": "A012", "status": "called"}},
    {"code": "3", "name": "3号窗口", "state": "open", "current": {"number": "A012", "status": "serving"}},
    {"code": "3", "name": "3号窗口", "state": "open", "current": None},
    {"code": "6", "name": "6号综合窗口", "state": "open", "current": {"number": "F011", "status": "called"}},
    {"code": "3", "name": "3号窗口", "state": "paused", "current": {"number": "A012", "status": "serving"}},
    {"code": "3", "name": "3号窗口", "state": "away", "current": None},
    {"code": "3", "name": "3号窗口", "state": "closed", "current": None},
    {"code": "12", "state": "open", "current": {"number": "B120"}},  # no name: "<code>号窗口"
    {"code": "12", "name": "", "state": "open", "current": None},
    {"code": "7", "name": "7号窗口", "state": "open", "current": {"number": ""}},  # no number: the name
]


def run_node(module: str, expr: str, data):
    """Evaluate `expr` (with the module imported as `m` and the JSON input as `data`) and return its value."""
    script = (f"import * as m from {json.dumps((JS / module).as_uri())};"
              "let input = ''; process.stdin.on('data', (c) => { input += c; });"
              f"process.stdin.on('end', () => {{ const data = JSON.parse(input); console.log(JSON.stringify({expr})); }});")
    out = subprocess.run([node, "--input-type=module", "-e", script], input=json.dumps(data), capture_output=True,
                         text=True, timeout=30, check=True)
    return json.loads(out.stdout)


@needs_node
def test_js_window_board_lines_match_the_led_boards():
    expected = [window_lines(w) for w in WINDOWS]
    assert expected[0] == ["A012 请到3号窗口"] and expected[4] == ["暂停服务"] and expected[7] == ["B120 请到12号窗口"]
    assert run_node("boardtext.js", "data.map((w) => m.windowLines(w))", WINDOWS) == expected


@needs_node
def test_js_and_python_agree_on_real_window_views(hub, actors):
    """The window views the live page receives (public snapshot), in the states a day goes through."""
    clerk, kiosk = actors["clerk1"], actors["kiosk"]
    views = []

    def take():
        views.extend(queries.snapshot(hub, "demo", public=True)["windows"][:2])

    take()  # closed
    actions.open_window(hub, clerk, "demo", "1")
    take()  # open, idle
    actions.issue_ticket(hub, kiosk, "demo", "SB")
    actions.call_next(hub, clerk, "demo", "1")
    take()  # called
    actions.start_service(hub, clerk, "demo", "1")
    actions.pause_window(hub, clerk, "demo", "1", "短暂休息")
    take()  # paused with a ticket
    actions.resume_window(hub, clerk, "demo", "1")
    actions.mark_away(hub, clerk, "demo", "1", "临时外出")
    take()  # away
    expected = [window_lines(w) for w in views]
    assert ["A001 请到1号窗口"] in expected and ["1号窗口"] in expected and ["暂停服务"] in expected
    assert run_node("boardtext.js", "data.map((w) => m.windowLines(w))", views) == expected


HALL = {
    "windows": [
        {"code": "1", "services": ["SB"]}, {"code": "2", "services": ["YB"]},
        {"code": "6", "services": ["ZM"], "comprehensive": True},
    ],
}
INFO = "({windows: new Map(data.hall.windows.map((w) => [w.code, w]))})"


@needs_node
def test_routing_answers_where_a_service_is_served_now():
    state = {
        "services": [{"code": "SB", "waiting": 3}, {"code": "YB", "waiting": 2}, {"code": "ZM", "waiting": 0}],
        "windows": [{"code": "1", "state": "away"}, {"code": "2", "state": "open"}, {"code": "6", "state": "closed"}],
        "reroutes": {"SB": "2"},
    }
    data = {"hall": HALL, "state": state}
    got = run_node("routing.js", f"""(() => {{ const info = {INFO}; return {{
        callable: m.callableWindows(info, data.state.reroutes, 'SB'),
        moved: m.reroutedTo(info, data.state.reroutes, 'SB'),
        cover: m.coverage(info, data.state.reroutes, '2'),
        coverable: m.coverableServices(info, '1', '2'),
        unserved: m.unservedServices(data.state, info),
        unservedOnceRestored: m.unservedServices({{...data.state, reroutes: {{}}}}, info),
        flagged: m.unservedServices(data.state, info, [{{kind: 'service_unserved', service: 'ZM'}}]),
    }}; }})()""", data)
    assert got["callable"] == ["1", "2"] and got["moved"] == "2"
    assert got["cover"] == [{"from": "1", "services": ["SB"]}]
    assert got["coverable"] == ["SB"]
    assert got["unserved"] == {}  # SB goes to window 2, which is open
    assert got["unservedOnceRestored"] == {"SB": 3}  # back to window 1, which is away
    assert got["flagged"] == {"ZM": 0}
