"""KeypadSimulator: device-side frames, display state and ack checks, on a pty or any pyserial port."""

from __future__ import annotations

import os

from devices.keypad.protocol import KeyAction, beep_frame, display_frame, key_frame, waiting_frame
from devices.keypad.simulator import KeypadSimulator
from devices.transport import open_port


def test_pty_path_is_a_raw_tty() -> None:
    sim = KeypadSimulator.open_pty()
    try:
        assert sim.port_path is not None and os.path.exists(sim.port_path)
    finally:
        sim.stop()


def test_host_frames_update_displays_and_beeps() -> None:
    port = open_port("loop://", timeout=0.05)
    sim = KeypadSimulator.on_port(port).start()
    try:
        sim.send_raw(display_frame(2, "A045") + waiting_frame(3, 120) + beep_frame(2))
        assert sim.wait_display(2, "045")
        assert sim.wait_display(3, "120")
        assert sim.display(3) == "120   "
        assert sim.beeps == {2: 1}
        assert sim.display(9) == "      "
    finally:
        sim.stop()
        port.close()


def test_press_sends_the_device_frame_and_ack_is_checked() -> None:
    port = open_port("loop://", timeout=0.05)
    sim = KeypadSimulator.on_port(port).start()
    try:
        frame = sim.press(4, KeyAction.NO_SHOW)
        assert frame == key_frame(4, KeyAction.NO_SHOW)
        # loop:// hands the frame straight back, which is exactly what a host ack (an echo) looks like
        assert sim.wait_ack(frame, 2)
        assert not sim.wait_ack(sim.rate(5, 1), 0.2)  # an evaluator ack must carry CMD 0x01, not 0x11
    finally:
        sim.stop()
        port.close()


def test_nobody_listening_means_no_ack() -> None:
    with KeypadSimulator.open_pty() as sim:
        assert not sim.wait_ack(sim.press(1, KeyAction.NEXT), 0.2)


def test_garbage_from_the_host_is_counted() -> None:
    port = open_port("loop://", timeout=0.05)
    sim = KeypadSimulator.on_port(port).start()
    try:
        bad = bytearray(display_frame(1, "001"))
        bad[-2] ^= 1
        sim.send_raw(bytes(bad) + display_frame(1, "002"))
        assert sim.wait_display(1, "002")
        assert sim.splitter.garbled == 1
    finally:
        sim.stop()
        port.close()
