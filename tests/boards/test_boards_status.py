"""Status snapshots: copies are independent and serialise to JSON for the dashboard."""

import json

from boards.status import BoardStatus, BusStatus


def test_copy_is_deep_and_as_dict_is_json_able():
    status = BusStatus("loop://", "fake", boards={2: BoardStatus("b2", 2, lines=("请",)), 1: BoardStatus("b1", 1)})
    copy = status.copy()
    copy.boards[2].online = False
    assert status.boards[2].online is None
    data = json.loads(json.dumps(status.as_dict()))
    assert [b["id"] for b in data["boards"]] == ["b1", "b2"]
    assert data["boards"][1]["lines"] == ["请"]
    assert set(data) == {"url", "driver", "connected", "reconnects", "last_error", "boards"}
