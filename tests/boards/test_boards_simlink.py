"""Simulator links: a pty pair, a TCP server and a child process, driven through real pyserial ports."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import serial

from boards.config import BoardConfig
from boards.registry import get_driver
from boards.simlink import PtyLink, TcpLink, spawn_simulator
from boards.simulator import BoardSimulator

WAIT = 10.0
REPO = Path(__file__).resolve().parents[2]


def transact(url, driver_name, frame):
    """Write frame to url with pyserial and return the first reply frame (or None on timeout)."""
    driver = get_driver(driver_name)
    splitter = driver.splitter()
    with serial.serial_for_url(url, timeout=0.05) as port:
        port.write(frame)
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            frames = splitter.feed(port.read(64))
            if frames:
                return frames[0]
    return None


def show(driver_name, address, lines):
    return get_driver(driver_name).encode_show(BoardConfig(driver_name, address, 64, 16), lines)


@pytest.mark.parametrize("link_cls", [PtyLink, TcpLink])
def test_link_serves_acks_over_pyserial(link_cls):
    sim = BoardSimulator("onbon_bx5k", [1])
    with link_cls(sim) as link:
        reply = transact(link.url, "onbon_bx5k", show("onbon_bx5k", 1, ["A012 请到3号窗口"]))
        assert get_driver("onbon_bx5k").decode_reply(reply).ok
        assert sim.shown(1) == ("A012 请到3号窗口",)


def test_pty_is_raw_so_binary_frames_pass_unchanged():
    sim = BoardSimulator("cpower", [1])
    with PtyLink(sim) as link:
        frame = show("cpower", 1, ["A·B"])  # "·" is A1 A4 in GBK
        assert transact(link.path, "cpower", frame) is not None
        assert sim.history[0].lines == ("A·B",)


def test_pty_unplug_breaks_the_open_port():
    sim = BoardSimulator("fake", [1])
    link = PtyLink(sim)
    port = serial.serial_for_url(link.path, timeout=0.05)
    try:
        link.stop()
        with pytest.raises(serial.SerialException):
            port.read(1)
    finally:
        port.close()


def test_tcp_link_accepts_a_new_client_after_the_first_leaves():
    sim = BoardSimulator("fake", [1])
    with TcpLink(sim) as link:
        assert transact(link.url, "fake", show("fake", 1, ["one"])) == b"ACK 1\n"
        assert transact(link.url, "fake", show("fake", 1, ["two"])) == b"ACK 1\n"
        assert sim.shown(1) == ("two",)


def test_tcp_unplug_and_replug_on_the_same_port():
    sim = BoardSimulator("fake", [1])
    link = TcpLink(sim)
    port_number = link.port
    link.stop()
    with pytest.raises(serial.SerialException):
        serial.serial_for_url(link.url, timeout=0.05)
    with TcpLink(sim, port=port_number) as again:
        assert again.url == link.url
        assert transact(again.url, "fake", show("fake", 1, ["back"])) == b"ACK 1\n"


def test_simulator_process_end_to_end(tmp_path):
    state_file = tmp_path / "view.json"
    with spawn_simulator("onbon_bx5k", [1, 2], state_file=str(state_file), width=128, height=32) as proc:
        assert proc.path.startswith("/dev/")
        assert proc.state()["boards"]["1"]["width"] == 128
        reply = transact(proc.path, "onbon_bx5k", show("onbon_bx5k", 2, ["A012 请到3号窗口"]))
        assert get_driver("onbon_bx5k").decode_reply(reply).address == 2
        # The reply is sent before the state file is rewritten: wait for it, bounded.
        deadline, tick = time.monotonic() + WAIT, threading.Event()
        while proc.state()["boards"]["2"]["lines"] != ["A012 请到3号窗口"] and time.monotonic() < deadline:
            tick.wait(0.02)
        assert proc.state()["boards"]["2"]["text"] == "A012 请到3号窗口"
    assert proc.proc.returncode == 0  # SIGTERM is a clean shutdown


def test_simulator_process_over_tcp(tmp_path):
    cmd = [sys.executable, "-m", "boards.simulator", "--driver", "fake", "--address", "4", "--tcp", "0"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("socket://127.0.0.1:")
        assert transact(url, "fake", show("fake", 4, ["hi"])) == b"ACK 4\n"
    finally:
        proc.terminate()
        proc.communicate(timeout=WAIT)
    assert proc.returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--driver", "alpha", "--address", "1"], "invalid choice"), (["--driver", "fake"], "--address")],
)
def test_simulator_process_rejects_bad_arguments(args, message):
    result = subprocess.run(
        [sys.executable, "-m", "boards.simulator", *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_spawn_reports_a_child_that_fails_to_start(tmp_path):
    with pytest.raises(RuntimeError, match="did not start"):
        spawn_simulator("no_such_driver", [1])


def test_state_requires_a_state_file():
    with spawn_simulator("fake", [1]) as proc:
        with pytest.raises(RuntimeError):
            proc.state()
