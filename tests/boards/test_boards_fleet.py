"""Fleet: a hall's boards from config dicts, one BusWorker per transport, content routed by board id."""

import json

import pytest

from boards.errors import ConfigError
from boards.fleet import Fleet

WAIT = 10.0


def test_fleet_groups_boards_by_transport_and_routes_by_id(rig):
    onbon = rig.line("pty", "onbon_bx5k", [1, 2])
    cpower = rig.line("socket", "cpower", [7])
    configs = [
        {"driver": "onbon_bx5k", "transport": onbon.url, "address": 1, "width": 64, "height": 16, "id": "w1"},
        {"driver": "onbon_bx5k", "transport": onbon.url, "address": 2, "width": 64, "height": 16, "id": "w2"},
        {"driver": "cpower", "transport": cpower.url, "address": 7, "width": 128, "height": 32, "id": "strip"},
    ]
    fleet = Fleet.from_configs(configs, reply_timeout=0.3, idle_probe_s=0.1)
    rig.workers.extend(fleet.workers.values())  # stopped by the rig even if an assert fails
    assert sorted(fleet.workers) == sorted([onbon.url, cpower.url])
    assert fleet.board_ids == ["strip", "w1", "w2"]
    fleet.start()
    fleet.show("w2", ["A012 请到2号窗口"])
    fleet.show("strip", ["A012→2号窗口", "A011→1号窗口"], effect="up")
    assert all(w.wait_idle(WAIT) for w in fleet.workers.values())
    assert onbon.simulator.shown(2) == ("A012 请到2号窗口",)
    assert cpower.simulator.shown(7) == ("A012→2号窗口", "A011→1号窗口")
    assert fleet.clear("w2") is True
    assert all(w.wait_idle(WAIT) for w in fleet.workers.values())
    assert onbon.simulator.shown(2) == ()
    status = fleet.status()
    json.dumps(status)
    assert {s["url"]: s["connected"] for s in status} == {onbon.url: True, cpower.url: True}
    assert fleet.stop(WAIT)


def test_unknown_and_duplicate_ids():
    base = {"driver": "fake", "width": 64, "height": 16}
    fleet = Fleet.from_configs([base | {"transport": "loop://", "address": 1}])
    with pytest.raises(ConfigError, match="unknown board id 'w9'; known: loop://#1"):
        fleet.show("w9", ["x"])
    with pytest.raises(ConfigError, match="used twice"):
        Fleet.from_configs([base | {"transport": "loop://", "address": 1, "id": "a"},
                            base | {"transport": "socket://127.0.0.1:9", "address": 1, "id": "a"}])
    assert fleet.stop(WAIT)  # never started


def test_fleet_survives_a_bus_that_is_down(rig, tmp_path):
    good = rig.line("pty", "fake", [1])
    configs = [
        {"driver": "fake", "transport": good.url, "address": 1, "width": 64, "height": 16, "id": "ok"},
        {"driver": "fake", "transport": str(tmp_path / "absent"), "address": 1, "width": 64, "height": 16,
         "id": "gone"},
    ]
    fleet = Fleet.from_configs(configs, reply_timeout=0.3, backoff_initial=0.05, backoff_max=0.2)
    rig.workers.extend(fleet.workers.values())
    fleet.start()
    fleet.show("gone", ["lost"])
    fleet.show("ok", ["fine"])
    assert good.simulator.wait_for(lambda s: s.shown(1) == ("fine",), WAIT)
    down = fleet.workers[str(tmp_path / "absent")].status()
    assert not down.connected and down.boards[1].pending
