"""KeypadBus against a simulated keypad on a real pty pair, over socket:// and over loop://."""

from __future__ import annotations

import os
import socket
import time
from typing import Iterator

import pytest

from devices.keypad import EvaluatorRating, KeyAction, KeypadBus, KeypadCommand
from devices.keypad.protocol import display_frame, key_frame
from devices.keypad.simulator import KeypadSimulator


class Recorder:
    def __init__(self) -> None:
        self.commands: list[KeypadCommand] = []
        self.ratings: list[EvaluatorRating] = []


@pytest.fixture
def sim() -> Iterator[KeypadSimulator]:
    simulator = KeypadSimulator.open_pty().start()
    yield simulator
    simulator.stop()


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def bus(sim: KeypadSimulator, rec: Recorder) -> Iterator[KeypadBus]:
    assert sim.port_path is not None
    keypads = KeypadBus(sim.port_path, on_command=rec.commands.append, on_rating=rec.ratings.append).start()
    assert keypads.wait_connected(5)
    yield keypads
    keypads.stop()


def test_key_presses_become_commands_and_are_acked(sim, bus, rec, wait_until) -> None:
    presses = [(3, KeyAction.NEXT), (3, KeyAction.RECALL), (4, KeyAction.EVALUATE), (4, KeyAction.PAUSE),
               (5, KeyAction.TRANSFER), (5, KeyAction.CANCEL), (6, KeyAction.NO_SHOW), (6, KeyAction.HANG),
               (7, KeyAction.CALLBACK)]
    for address, action in presses:
        frame = sim.press(address, action)
        assert sim.wait_ack(frame, 5), action
    assert wait_until(lambda: len(rec.commands) == len(presses))
    assert [(c.address, c.action) for c in rec.commands] == presses
    assert rec.commands[6].digits == "6"
    assert bus.stats.acks == len(presses) and bus.stats.garbled == 0


def test_evaluator_rating_is_acked_with_cmd_01(sim, bus, rec, wait_until) -> None:
    frame = sim.rate(0x21, 2)
    assert sim.wait_ack(frame, 5)
    ack = [f for f in sim.received if f.address == 0x21][0]
    assert ack.cmd == 0x01 and ack.data == b"\x02"
    assert wait_until(lambda: rec.ratings == [EvaluatorRating(0x21, 2)])


def test_show_number_reaches_the_keypad_display(sim, bus) -> None:
    assert bus.show_number(3, "A012")
    assert sim.wait_display(3, "012", 5)
    assert sim.display(3) == "   012"
    assert bus.show_waiting(3, 7) and sim.wait_display(3, "007", 5)
    assert bus.beep(3)
    assert bus.stats.frames_sent == 3


def test_garbled_frames_are_counted_not_acted_on(sim, bus, rec, wait_until) -> None:
    bad = bytearray(key_frame(3, KeyAction.NEXT))
    bad[-2] ^= 0x55
    sim.send_raw(b"\x00\x01noise" + bytes(bad))
    assert wait_until(lambda: bus.stats.garbled == 1)
    good = sim.press(3, KeyAction.RECALL)
    assert sim.wait_ack(good, 5)
    assert wait_until(lambda: len(rec.commands) == 1)
    assert rec.commands == [KeypadCommand(3, KeyAction.RECALL)]
    assert not sim.acked(bytes(bad[:-2]) + bytes([bad[-2] ^ 0x55, 0x16]))  # the garbled NEXT got no ack


def test_a_frame_cut_short_expires_and_is_counted(sim, bus, rec, wait_until) -> None:
    sim.send_raw(key_frame(3, KeyAction.NEXT)[:6])
    assert wait_until(lambda: bus.stats.garbled == 1, 5)
    frame = sim.press(3, KeyAction.NEXT)
    assert sim.wait_ack(frame, 5)
    assert wait_until(lambda: len(rec.commands) == 1)


def test_a_resent_frame_is_not_a_second_call(sim, bus, rec, wait_until) -> None:
    frame = key_frame(3, KeyAction.NEXT)
    sim.send_raw(frame + frame)
    assert wait_until(lambda: bus.stats.acks == 2)
    assert len(rec.commands) == 1 and bus.stats.repeats == 1


def test_a_failing_callback_does_not_stop_the_bus(sim, wait_until) -> None:
    seen: list[KeypadCommand] = []

    def flaky(cmd: KeypadCommand) -> None:
        seen.append(cmd)
        if len(seen) == 1:
            raise RuntimeError("queue server down")

    with KeypadBus(sim.port_path, on_command=flaky) as bus:
        assert bus.wait_connected(5)
        sim.press(1, KeyAction.NEXT)
        assert wait_until(lambda: len(seen) == 1)
        sim.press(2, KeyAction.NEXT)
        assert wait_until(lambda: len(seen) == 2)
        assert bus.connected


def test_reconnects_when_the_port_disappears_and_returns(tmp_path, rec, wait_until) -> None:
    # A udev-style symlink (/dev/serial/by-id/...) that points at whichever pty is current.
    link = tmp_path / "ttyKEYPAD"
    first = KeypadSimulator.open_pty().start()
    os.symlink(first.port_path, link)
    bus = KeypadBus(str(link), on_command=rec.commands.append, backoff=(0.05, 0.2)).start()
    second = None
    try:
        assert bus.wait_connected(5)
        first.press(1, KeyAction.NEXT)
        assert wait_until(lambda: len(rec.commands) == 1)
        first.stop()  # the adapter is unplugged
        assert wait_until(lambda: bus.stats.reconnects >= 1 and not bus.connected, 5)
        assert not bus.show_number(1, "A001")  # reported, not raised, while down
        second = KeypadSimulator.open_pty().start()
        fresh = tmp_path / "fresh"
        os.symlink(second.port_path, fresh)
        os.replace(fresh, link)  # ... and plugged back in
        assert bus.wait_connected(5) and wait_until(lambda: bus.connected, 5)
        frame = second.press(1, KeyAction.RECALL)
        assert second.wait_ack(frame, 5)
        assert wait_until(lambda: len(rec.commands) == 2)
        assert rec.commands[-1] == KeypadCommand(1, KeyAction.RECALL)
    finally:
        bus.stop()
        if second is not None:
            second.stop()


def test_missing_port_keeps_retrying_and_stops_promptly(tmp_path) -> None:
    bus = KeypadBus(str(tmp_path / "ttyUSB7"), backoff=(0.05, 0.1)).start()
    try:
        assert not bus.wait_connected(0.3)
        assert not bus.show_number(1, "A001")
    finally:
        started = time.monotonic()
        bus.stop()
        assert time.monotonic() - started < 2.0


def test_over_a_serial_to_ethernet_converter(rec, wait_until) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(5)
        bus = KeypadBus(f"socket://127.0.0.1:{server.getsockname()[1]}", on_command=rec.commands.append).start()
        conn, _ = server.accept()
        try:
            def read(timeout: float) -> bytes:
                conn.settimeout(timeout)
                try:
                    return conn.recv(1024)
                except socket.timeout:
                    return b""

            with KeypadSimulator(read, conn.sendall) as keypads:
                assert bus.wait_connected(5)
                frame = keypads.press(9, KeyAction.NEXT)
                assert keypads.wait_ack(frame, 5)
                assert wait_until(lambda: rec.commands == [KeypadCommand(9, KeyAction.NEXT)])
                assert bus.show_number(9, "A100") and keypads.wait_display(9, "100", 5)
        finally:
            bus.stop()
            conn.close()


def test_loop_with_local_echo_hears_nothing_of_its_own(wait_until) -> None:
    with KeypadBus("loop://", local_echo=True) as bus:
        assert bus.wait_connected(5)
        assert bus.show_number(1, "A001")
        assert wait_until(lambda: bus.stats.echo_bytes == len(display_frame(1, "A001")))
        stats = bus.stats
        assert (stats.frames, stats.garbled, stats.frames_sent) == (0, 0, 1)


def test_loop_without_local_echo_rejects_its_own_display_frame(wait_until) -> None:
    # What an echoing 2-wire RS-485 adapter does to a host that does not expect it: L=8 is no keypad frame.
    with KeypadBus("loop://") as bus:
        assert bus.wait_connected(5)
        bus.show_number(1, "A001")
        assert wait_until(lambda: bus.stats.garbled == 1)
        assert bus.stats.frames == 0
