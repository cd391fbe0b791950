"""BoardSimulator: splits, checks and answers frames like cards on one bus, and records what they show."""

import json
import threading

import pytest

from boards.config import BoardConfig
from boards.registry import get_driver
from boards.simulator import BoardSimulator, start_simulator

DRIVERS = ["onbon_bx5k", "cpower", "fake"]


def show(driver_name, address, lines, **kw):
    driver = get_driver(driver_name)
    return driver.encode_show(BoardConfig(driver_name, address, 64, 16), lines, **kw)


@pytest.mark.parametrize("name", DRIVERS)
def test_acks_its_own_address_and_records_the_text(name):
    sim = BoardSimulator(name, [1, 2])
    reply = sim.feed(show(name, 2, ["A012 请到3号窗口"]))
    decoded = get_driver(name).decode_reply(reply)
    assert (decoded.address, decoded.ok) == (2, True)
    assert sim.shown(2) == ("A012 请到3号窗口",) and sim.shown(1) == ()
    assert sim.boards[2].frames == 1 and sim.errors == 0


@pytest.mark.parametrize("name", DRIVERS)
def test_byte_by_byte_with_garbage_between_frames(name):
    sim = BoardSimulator(name, [1])
    stream = b"\x00junk\n" + show(name, 1, ["one"]) + b"\x13\n" + show(name, 1, ["two"])
    replies = b"".join(sim.feed(bytes((b,))) for b in stream)
    frames = get_driver(name).splitter().feed(replies)
    assert [get_driver(name).decode_reply(f).ok for f in frames] == [True, True]
    assert sim.shown(1) == ("two",)


@pytest.mark.parametrize("name", DRIVERS)
def test_silent_for_foreign_addresses(name):
    sim = BoardSimulator(name, [1, 2])
    assert sim.feed(show(name, 7, ["x"])) == b""
    assert sim.foreign_frames == 1 and sim.errors == 0
    assert sim.history == []


@pytest.mark.parametrize("name", ["onbon_bx5k", "cpower"])
def test_silent_on_bad_crc_and_counts_it(name):
    sim = BoardSimulator(name, [1])
    frame = bytearray(show(name, 1, ["A012"]))
    frame[-3] ^= 0x01  # inside the CRC/checksum field; never a delimiter byte here
    assert sim.feed(bytes(frame)) == b""
    assert (sim.crc_errors, sim.errors) == (1, 1)
    assert sim.shown(1) == ()


def test_malformed_frames_count_as_errors():
    sim = BoardSimulator("fake", [1])
    assert sim.feed(b"SHOW 1 nonsense\n") == b""
    assert (sim.errors, sim.crc_errors) == (1, 0)


@pytest.mark.parametrize("name", DRIVERS)
def test_broadcast_reaches_every_board_and_is_never_answered(name):
    driver = get_driver(name)
    sim = BoardSimulator(name, [1, 2])
    frame = show(name, driver.broadcast_address(), ["全体"], want_reply=True)
    assert sim.feed(frame) == b""  # answering would collide on a real bus
    assert sim.shown(1) == sim.shown(2) == ("全体",)


def test_no_reply_when_none_is_requested():
    sim = BoardSimulator("onbon_bx5k", [1])
    assert sim.feed(show("onbon_bx5k", 1, ["x"], want_reply=False)) == b""
    assert sim.shown(1) == ("x",)


@pytest.mark.parametrize("name", DRIVERS)
def test_nack_and_silent_modes(name):
    sim = BoardSimulator(name, [1])
    sim.set_mode(1, "nack")
    assert get_driver(name).decode_reply(sim.feed(show(name, 1, ["a"]))).ok is False
    sim.set_mode(1, "silent")
    assert sim.feed(show(name, 1, ["b"])) == b""
    assert sim.shown(1) == ("b",)  # it still shows the text, it just does not answer
    with pytest.raises(ValueError):
        sim.set_mode(1, "loud")


def test_cpower_setup_frames_are_acked_without_changing_text():
    driver = get_driver("cpower")
    sim = BoardSimulator("cpower", [4])
    (setup,) = driver.encode_setup(BoardConfig("cpower", 4, 64, 16))
    assert driver.decode_reply(sim.feed(setup)).ok
    assert sim.history[0].kind == "setup" and sim.shown(4) == ()


def test_on_change_fires_only_when_text_changes():
    states = []
    sim = BoardSimulator("onbon_bx5k", {1: (128, 32)}, on_change=states.append)
    sim.feed(show("onbon_bx5k", 1, ["A"]) + show("onbon_bx5k", 1, ["A"]) + show("onbon_bx5k", 1, ["B"]))
    assert [s["boards"]["1"]["lines"] for s in states] == [["A"], ["B"]]
    assert states[-1]["boards"]["1"]["width"] == 128
    json.dumps(states[-1])  # the state is JSON-able for the web view


def test_snapshot_contents():
    sim = BoardSimulator("cpower", [3])
    sim.feed(show("cpower", 3, ["A012", "请到3号窗口"], effect="left", hold_s=9))
    board = sim.snapshot()["boards"]["3"]
    assert board["text"] == "A012\n请到3号窗口"
    assert (board["effect"], board["hold_s"], board["shows"], board["mode"]) == ("left", 9.0, 1, "ack")
    assert sim.snapshot()["driver"] == "cpower"


def test_wait_for_is_woken_by_frames_from_another_thread():
    sim = BoardSimulator("fake", [1])
    feeder = threading.Timer(0.05, lambda: sim.feed(show("fake", 1, ["later"])))
    feeder.start()
    try:
        assert sim.wait_for(lambda s: s.shown(1) == ("later",), timeout=10)
    finally:
        feeder.join(10)
    assert not sim.wait_for(lambda s: s.shown(1) == ("never",), timeout=0.05)


def test_before_reply_hook_sees_the_command():
    seen = []
    sim = BoardSimulator("fake", [1], before_reply=seen.append)
    sim.feed(show("fake", 1, ["x"]))
    assert seen[0].lines == ("x",)


def test_start_simulator_writes_the_state_file(tmp_path):
    state_file = tmp_path / "state.json"
    link = start_simulator("fake", [1, 2], state_file=str(state_file))
    try:
        assert json.loads(state_file.read_text(encoding="utf-8"))["boards"]["2"]["lines"] == []
        link.simulator.feed(show("fake", 2, ["暂停服务"]))
        state = json.loads(state_file.read_text(encoding="utf-8"))
        assert state["boards"]["2"]["text"] == "暂停服务"
    finally:
        link.stop()
