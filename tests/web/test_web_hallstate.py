"""hallstate.js must fold events exactly like queue_server/domain/replay.py (the displays depend on it)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from queue_server import actions, queries
from queue_server.domain.events import event_view
from queue_server.domain.replay import apply_event

HALLSTATE_JS = Path(__file__).resolve().parents[2] / "queue_server" / "web" / "static" / "js" / "hallstate.js"
node = shutil.which("node")

FOLD = """
import { applyEvent } from %s;
let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const { state, events } = JSON.parse(input);
  let s = state;
  for (const e of events) s = applyEvent(s, e);
  for (const call of s.recent_calls) delete call.id;  // the JS twin also keys calls by event id
  console.log(JSON.stringify(s));
});
"""


@pytest.mark.skipif(node is None, reason="node is not installed")
def test_js_and_python_fold_the_same_events_to_the_same_state(hub, actors):
    clerk, manager, kiosk = actors["clerk1"], actors["manager"], actors["kiosk"]
    actions.issue_ticket(hub, kiosk, "demo", "SB")
    state = queries.snapshot(hub, "demo", public=True)
    since = state["last_event_id"]

    for service in ("SB", "SB", "YB", "MZ"):
        actions.issue_ticket(hub, kiosk, "demo", service)
    actions.open_window(hub, clerk, "demo", "1")
    actions.call_next(hub, clerk, "demo", "1")
    actions.recall(hub, clerk, "demo", "1")
    actions.start_service(hub, clerk, "demo", "1")
    actions.call_next(hub, clerk, "demo", "1")
    actions.transfer_current(hub, clerk, "demo", "1", "YB")
    waiting = queries.waiting_tickets(hub, "demo", service="MZ")
    actions.cancel_ticket(hub, manager, "demo", waiting[0]["id"], "重复取号")
    actions.pause_window(hub, clerk, "demo", "1", "短暂休息")
    actions.resume_window(hub, clerk, "demo", "1")
    actions.post_notice(hub, manager, "demo", "今天下午三点起暂停受理医保报销")
    actions.clear_notices(hub, manager, "demo")
    actions.post_notice(hub, manager, "demo", "请保管好随身物品")
    hall = hub.hall("demo")
    events = [event_view(i, f, hall, public=True) for i, f in hub.events.after("demo", since)]
    assert {e["type"] for e in events} >= {"ticket_issued", "ticket_called", "ticket_updated", "window_updated",
                                           "notice_posted", "notices_cleared"}

    expected = state
    for event in events:
        expected = apply_event(expected, event)
    script = FOLD % json.dumps(HALLSTATE_JS.as_uri())
    out = subprocess.run([node, "--input-type=module", "-e", script], input=json.dumps({"state": state, "events": events}),
                         capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(out.stdout) == json.loads(json.dumps(expected))
