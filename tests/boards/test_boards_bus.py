"""BusWorker against simulated boards over real transports: a pty pair, socket:// and loop://."""

import json
import os
import threading
import time

import pytest

from boards.bus import BusWorker
from boards.config import BoardConfig
from boards.errors import CharsetError, ConfigError
from boards.simulator import BoardSimulator, PtyLink

WAIT = 10.0
KINDS = ["pty", "socket"]


def shows(sim, address):
    """Return the lines of every show command the simulator accepted for address, oldest first."""
    return [c.lines for c in sim.history if c.address == address and c.kind == "show"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("driver", ["onbon_bx5k", "cpower", "fake"])
def test_content_arrives(rig, kind, driver):
    line = rig.line(kind, driver, [1, 2])
    worker = rig.worker(line.url, driver, [1, 2])
    assert worker.show(1, ["A012 请到3号窗口"]) is True
    worker.show(2, ["暂停服务"], effect="left", hold_s=2)
    assert worker.wait_idle(WAIT)
    sim = line.simulator
    assert sim.shown(1) == ("A012 请到3号窗口",) and sim.shown(2) == ("暂停服务",)
    assert sim.boards[2].effect == "left" and sim.boards[2].hold_s == 2
    status = worker.status()
    assert status.connected and status.reconnects == 0
    board = status.boards[1]
    assert (board.online, board.pending, board.last_error) == (True, False, None)
    assert board.lines == ("A012 请到3号窗口",)
    assert board.last_ack is not None and board.acks >= 1
    assert rig.event_types(line.url)[:1] == ["bus_connected"]
    assert rig.event_types(line.url).count("board_online") == 2


def test_content_queued_before_start_is_coalesced(rig):
    line = rig.line("pty", "onbon_bx5k", [1])
    worker = rig.worker(line.url, "onbon_bx5k", [1], start=False)
    for text in ("A001", "A002", "A003"):
        worker.show(1, [text])
    worker.start()
    assert worker.wait_idle(WAIT)
    assert shows(line.simulator, 1) == [("A003",)]


@pytest.mark.parametrize("kind", KINDS)
def test_latest_content_wins_while_the_bus_is_busy(rig, kind):
    entered, gate = threading.Event(), threading.Event()

    def hold_board_1(command):
        if command.address == 1:
            entered.set()
            gate.wait(WAIT)  # keep the worker waiting for board 1's reply

    line = rig.line(kind, "fake", [1, 2], before_reply=hold_board_1)
    worker = rig.worker(line.url, "fake", [1, 2], reply_timeout=WAIT)
    worker.show(1, ["busy"])
    assert entered.wait(WAIT)
    for text in ("a", "b", "c"):
        worker.show(2, [text])
    assert worker.status().boards[2].pending
    gate.set()
    assert worker.wait_idle(WAIT)
    assert shows(line.simulator, 2) == [("c",)]


def test_unchanged_boards_are_not_resent(rig):
    line = rig.line("pty", "cpower", [1, 2])
    worker = rig.worker(line.url, "cpower", [1, 2])
    worker.show(1, ["x"])
    worker.show(2, ["y"])
    assert worker.wait_idle(WAIT)
    assert worker.show(1, ["x"]) is False  # same content: nothing queued
    assert worker.show(2, ["z"]) is True
    assert worker.wait_idle(WAIT)
    # The queue is FIFO, so a resend of board 1 would have reached the simulator before board 2's "z".
    assert shows(line.simulator, 1) == [("x",)]
    assert shows(line.simulator, 2) == [("y",), ("z",)]
    assert [c.kind for c in line.simulator.history].count("setup") == 2  # once per board after connect


@pytest.mark.parametrize("kind", KINDS)
def test_nack_is_retried_then_the_board_is_unhealthy_until_it_recovers(rig, kind):
    line = rig.line(kind, "onbon_bx5k", [1, 2])
    line.simulator.set_mode(1, "nack")
    worker = rig.worker(line.url, "onbon_bx5k", [1, 2], retries=2, offline_retry_s=0.3)
    worker.show(1, ["A012"])
    assert worker.wait_until(lambda s: s.boards[1].online is False, WAIT)
    board = worker.status().boards[1]
    assert "NACK" in board.last_error and "3 attempts" in board.last_error
    assert board.failures == 1 and board.pending
    assert len(shows(line.simulator, 1)) == 3  # first try plus two retries
    worker.show(2, ["B001"])  # the other board on the bus still works meanwhile
    assert worker.wait_until(lambda s: s.boards[2].online is True, WAIT)
    line.simulator.set_mode(1, "ack")  # the board comes back: the periodic retry delivers
    assert worker.wait_until(lambda s: s.boards[1].online is True and not s.boards[1].pending, WAIT)
    events = [e for e in rig.events if e.get("address") == 1]
    assert [e["type"] for e in events] == ["board_offline", "board_online"]
    assert "NACK" in events[0]["error"]


def test_one_nack_then_ack_succeeds_without_going_unhealthy(rig):
    def recover(command):
        line.simulator.set_mode(1, "ack")  # the NACK for this frame is already decided

    line = rig.line("pty", "fake", [1], before_reply=recover)
    line.simulator.set_mode(1, "nack")
    worker = rig.worker(line.url, "fake", [1])
    worker.show(1, ["x"])
    assert worker.wait_idle(WAIT)
    board = worker.status().boards[1]
    assert (board.online, board.failures, board.frames_sent, board.acks) == (True, 0, 2, 1)


def test_silent_board_times_out(rig):
    line = rig.line("socket", "cpower", [1])
    line.simulator.set_mode(1, "silent")
    worker = rig.worker(line.url, "cpower", [1], retries=1, reply_timeout=0.2)
    worker.show(1, ["x"])
    assert worker.wait_until(lambda s: s.boards[1].online is False, WAIT)
    assert "no reply within 0.20 s after 2 attempts" in worker.status().boards[1].last_error
    assert len(line.simulator.history) == 2  # cpower's setup frame, tried twice, never got further


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_address_times_out(rig, kind):
    line = rig.line(kind, "onbon_bx5k", [1, 2])
    worker = rig.worker(line.url, "onbon_bx5k", [7])
    worker.show(7, ["nobody home"])
    assert worker.wait_until(lambda s: s.boards[7].online is False, WAIT)
    assert line.simulator.foreign_frames == 3 and line.simulator.errors == 0
    assert "no reply" in worker.status().boards[7].last_error


def test_broadcast_never_requests_a_reply(rig):
    line = rig.line("pty", "onbon_bx5k", [1, 2])
    worker = rig.worker(line.url, "onbon_bx5k", [1, 0xFFFE])
    worker.show(0xFFFE, ["全体注意"])
    assert worker.wait_idle(WAIT)
    assert line.simulator.wait_for(lambda s: s.shown(2) == ("全体注意",), WAIT)
    assert line.simulator.shown(1) == ("全体注意",)
    assert [c.want_reply for c in line.simulator.history] == [False]
    board = worker.status().boards[0xFFFE]
    assert (board.online, board.frames_sent, board.pending) == (None, 1, False)


@pytest.mark.parametrize("driver", ["onbon_bx5k", "cpower", "fake"])
def test_loop_url_echo_is_never_taken_for_an_ack(rig, driver):
    broadcast = {"onbon_bx5k": 0xFFFE, "cpower": 0xFF, "fake": 0}[driver]
    worker = rig.worker("loop://", driver, [1, broadcast], reply_timeout=0.1)
    frames = 2 if driver == "cpower" else 1  # cpower defines its window first
    worker.show(broadcast, ["all"])
    assert worker.wait_until(lambda s: not s.boards[broadcast].pending, WAIT)  # sent without waiting
    assert worker.status().boards[broadcast].frames_sent == frames
    worker.show(1, ["one"])
    assert worker.wait_until(lambda s: s.boards[1].online is False, WAIT)
    status = worker.status()
    assert status.connected and "no reply" in status.boards[1].last_error
    assert status.boards[1].frames_sent == 3  # no reply: first try and two retries of the first frame


@pytest.mark.parametrize("kind", KINDS)
def test_unplug_then_plug_back_reconnects_and_resends_every_board(rig, kind):
    line = rig.line(kind, "onbon_bx5k", [1, 2])
    worker = rig.worker(line.url, "onbon_bx5k", [1, 2])
    worker.show(1, ["A001 请到1号窗口"])
    worker.show(2, ["B001 请到2号窗口"])
    assert worker.wait_idle(WAIT)

    line.unplug()
    assert worker.wait_until(lambda s: not s.connected, WAIT)  # noticed while idle
    worker.show(1, ["A002 请到1号窗口"])  # a call made while the cable is out
    assert worker.wait_until(lambda s: (s.last_error or "").startswith("open failed"), WAIT)
    assert not worker.status().connected

    fresh = BoardSimulator("onbon_bx5k", [1, 2])  # a power-cycled board remembers nothing
    line.plug(fresh)
    assert worker.wait_until(lambda s: s.connected and not any(b.pending for b in s.boards.values()), WAIT)
    assert fresh.shown(1) == ("A002 请到1号窗口",)
    assert fresh.shown(2) == ("B001 请到2号窗口",)  # unchanged, but re-sent after the reconnect
    assert worker.status().reconnects == 1
    types = rig.event_types(line.url)
    assert types.count("bus_connected") == 2 and types.count("bus_disconnected") == 1


def test_a_lost_bus_does_not_disturb_another_bus(rig):
    line_a = rig.line("pty", "fake", [1])
    line_b = rig.line("socket", "fake", [1])
    worker_a = rig.worker(line_a.url, "fake", [1])
    worker_b = rig.worker(line_b.url, "fake", [1])
    worker_a.show(1, ["a"])
    worker_b.show(1, ["b"])
    assert worker_a.wait_idle(WAIT) and worker_b.wait_idle(WAIT)

    line_a.unplug()
    assert worker_a.wait_until(lambda s: not s.connected, WAIT)
    for i in range(5):
        worker_b.show(1, [f"b{i}"])
        assert worker_b.wait_idle(WAIT)
        assert line_b.simulator.shown(1) == (f"b{i}",)
    status_b = worker_b.status()
    assert status_b.connected and status_b.reconnects == 0 and status_b.boards[1].online
    assert not worker_a.status().connected


def test_port_missing_at_start_is_opened_once_it_appears(rig, tmp_path):
    path = tmp_path / "ttyUSB-later"
    worker = rig.worker(str(path), "fake", [3])
    worker.show(3, ["waiting"])
    assert worker.wait_until(lambda s: (s.last_error or "").startswith("open failed"), WAIT)
    sim = BoardSimulator("fake", [3])
    link = PtyLink(sim)
    try:
        os.symlink(link.path, path)
        assert worker.wait_idle(WAIT)
        assert sim.shown(3) == ("waiting",)
        assert worker.status().reconnects == 0  # the first successful open is not a reconnect
    finally:
        assert worker.stop(WAIT)
        link.stop()


def test_stop_is_prompt_while_waiting_for_a_reply(rig):
    line = rig.line("pty", "fake", [1])
    line.simulator.set_mode(1, "silent")
    worker = rig.worker(line.url, "fake", [1], reply_timeout=60.0)
    worker.show(1, ["x"])
    assert worker.wait_until(lambda s: s.boards[1].frames_sent == 1, WAIT)
    started = time.monotonic()
    assert worker.stop(WAIT)
    assert time.monotonic() - started < WAIT
    assert worker.status().boards[1].online is None  # stopping is not a board failure


def test_bad_content_fails_in_the_caller(rig):
    line = rig.line("pty", "onbon_bx5k", [1])
    worker = BusWorker(line.url, "onbon_bx5k", [BoardConfig("onbon_bx5k", 1, 64, 16, charset="gb2312")])
    with pytest.raises(CharsetError):
        worker.show(1, ["王喆"])
    with pytest.raises(ConfigError, match="no board with address 9"):
        worker.show(9, ["x"])
    with pytest.raises(ConfigError, match="unknown effect"):
        worker.show(1, ["x"], effect="spin")
    assert not worker.status().boards[1].pending
    assert worker.stop(WAIT)  # never started: stop() is a no-op


def test_clear_blanks_the_board(rig):
    line = rig.line("socket", "cpower", [4])
    worker = rig.worker(line.url, "cpower", [4])
    worker.show(4, ["x"])
    assert worker.wait_idle(WAIT)
    assert worker.clear(4) is True
    assert worker.wait_idle(WAIT)
    assert line.simulator.shown(4) == ()
    assert worker.status().boards[4].lines == ()


def test_a_failing_event_callback_does_not_stop_the_bus(rig):
    def explode(event):
        raise RuntimeError("dashboard down")

    line = rig.line("pty", "fake", [1])
    worker = rig.worker(line.url, "fake", [1], on_event=explode)
    worker.show(1, ["still works"])
    assert worker.wait_idle(WAIT)
    assert worker.is_alive()


def test_status_is_a_json_able_copy(rig):
    line = rig.line("pty", "fake", [1, 2])
    worker = rig.worker(line.url, "fake", [1, 2])
    worker.show(2, ["请"])
    assert worker.wait_idle(WAIT)
    snapshot = worker.status()
    snapshot.boards[2].lines = ("tampered",)
    data = json.loads(json.dumps(worker.status().as_dict()))
    assert data["connected"] is True and data["driver"] == "fake"
    assert [b["address"] for b in data["boards"]] == [1, 2]
    assert data["boards"][1]["lines"] == ["请"]


def test_from_configs_builds_one_bus_and_validates(rig):
    line = rig.line("pty", "cpower", [1, 2])
    configs = [{"driver": "cpower", "transport": line.url, "address": a, "width": 64, "height": 16,
                "baudrate": 9600} for a in (1, 2)]
    worker = BusWorker.from_configs(configs, reply_timeout=0.3)
    rig.workers.append(worker)
    assert worker.baudrate == 9600 and sorted(worker.status().boards) == [1, 2]
    worker.start().show(2, ["x"])
    assert worker.wait_idle(WAIT) and line.simulator.shown(2) == ("x",)

    base = {"driver": "fake", "transport": "loop://", "width": 64, "height": 16}
    cases = [
        ([], "at least one"),
        ([base | {"address": 1}, base | {"address": 2, "transport": "socket://h:1"}], "transport"),
        ([base | {"address": 1}, base | {"address": 2, "driver": "cpower"}], "driver"),
        ([base | {"address": 1}, base | {"address": 1}], "used twice"),
        ([base | {"address": 1, "baudrate": 9600}, base | {"address": 2, "baudrate": 57600}], "baudrate"),
        ([base | {"address": 1, "transport": ""}], "no transport"),
    ]
    for bad, message in cases:
        with pytest.raises(ConfigError, match=message):
            BusWorker.from_configs(bad)
    with pytest.raises(ConfigError, match="driver"):
        BusWorker("loop://", "fake", [BoardConfig("cpower", 1, 64, 16)])
    with pytest.raises(ConfigError, match="multiples of 8"):  # geometry is checked at config load
        BusWorker.from_configs([{"driver": "onbon_bx5k", "transport": "loop://", "address": 1, "width": 60,
                                 "height": 16}])
    with pytest.raises(ConfigError, match="unknown options"):
        BusWorker.from_configs([base | {"address": 1, "driver": "cpower", "options": {"blink": 1}}])


def test_default_effect_spelled_out_is_the_same_content(rig):
    line = rig.line("pty", "onbon_bx5k", [1])
    worker = rig.worker(line.url, "onbon_bx5k", [1])
    worker.show(1, ["A001"])
    assert worker.wait_idle(WAIT)
    assert worker.show(1, ["A001"], effect="type", hold_s=4) is False  # the SDK defaults: same bytes
