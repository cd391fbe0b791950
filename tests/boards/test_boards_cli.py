"""Installer CLI `python -m boards`, run as a real subprocess: exact hex output and exit codes."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "boards", *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )


def test_encode_cpower_reproduces_the_vendor_example(golden):
    result = run("encode", "cpower", "--address", "1", "--width", "64", "--height", "16", "abc\ncba")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == golden["cpower_pure_text_example_2"] + "\n"


def test_encode_onbon_with_sdk_defaults():
    result = run("encode", "onbon_bx5k", "--address", "0xFFFE", "--width", "64", "--height", "16",
                 "\\C1A001 请到3号窗口")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "A5 A5 A5 A5 A5 A5 A5 A5 FE FF 00 80 00 00 00 00 00 00 FE 02 37 00 A3 06 01 00 00 00 01 2E 00 00 00 00 00 "
        "00 08 00 10 00 00 00 00 05 00 00 00 00 02 01 02 00 00 08 13 00 00 00 5C 43 31 41 30 30 31 20 C7 EB B5 BD "
        "33 BA C5 B4 B0 BF DA 7F 85 5A\n"
    )


def test_explicit_options_change_the_frame():
    result = run("encode", "onbon_bx5k", "--address", "3", "--width", "128", "--height", "32", "--x", "8",
                 "--y", "16", "--effect", "left", "--hold", "2.5", "A")
    assert result.returncode == 0, result.stderr
    frame = bytes.fromhex(result.stdout)
    assert frame[8:10] == b"\x03\x00"  # destination address 3
    area = frame[31:]  # preamble 8, header 14, A3 06 reply mode r2, 0 deleted, 1 area, u16 length
    assert area[:9] == bytes.fromhex("00 0100 1000 1000 2000")  # x 8/8, y 16, w 128/8, h 32
    assert area[19:23] == bytes.fromhex("03 00 00 05")  # display mode left, exit, speed, hold 2.5 s


def test_output_format_is_uppercase_space_separated():
    result = run("encode", "fake", "--address", "1", "--width", "8", "--height", "8", "x")
    assert result.returncode == 0
    tokens = result.stdout.split()
    assert all(len(t) == 2 and t == t.upper() for t in tokens)
    assert bytes.fromhex(result.stdout).startswith(b"SHOW 1 static 5 1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["encode", "alpha", "--address", "1", "--width", "64", "--height", "16", "x"], "known drivers: cpower"),
        (["encode", "onbon_bx5k", "--address", "1", "--width", "60", "--height", "16", "x"], "multiples of 8"),
        (["encode", "onbon_bx5k", "--address", "1", "--width", "64", "--height", "16", "--hold", "0.3", "x"],
         "hold time"),
        (["encode", "onbon_bx5k", "--address", "1", "--width", "64", "--height", "16", "--hold", "soon", "x"],
         "not a number"),
        (["encode", "onbon_bx5k", "--address", "1", "--width", "64", "--height", "16", "--effect", "spin", "x"],
         "invalid choice"),
        (["encode", "onbon_bx5k", "--address", "99999", "--width", "64", "--height", "16", "x"], "address"),
        (["encode", "onbon_bx5k", "--address", "one", "--width", "64", "--height", "16", "x"], "not an integer"),
        (["encode", "cpower", "--address", "0", "--width", "64", "--height", "16", "x"], "card id"),
        (["encode", "onbon_bx5k", "--address", "1", "--width", "-8", "--height", "16", "x"], "width"),
        (["encode", "onbon_bx5k", "--address", "1", "--width", "64", "--height", "16", "¥12"], "U+00A5"),
        (["encode", "onbon_bx5k", "--address", "1", "--width", "64", "--height", "16", "--charset", "gb2312",
          "王喆"], "GB2312"),
        (["encode", "onbon_bx5k", "--width", "64", "--height", "16", "x"], "--address"),
        (["encode", "onbon_bx5k", "--address", "1", "--width", "64", "--height", "16"], "TEXT"),
        (["decode", "onbon_bx5k", "A5 ZZ"], "not hex"),
        (["decode", "onbon_bx5k", "A5 01 02 5A"], "too short"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_decode_round_trip_and_driver_list():
    encoded = run("encode", "cpower", "--address", "5", "--width", "64", "--height", "16", "A012\n请到3号窗口")
    decoded = run("decode", "cpower", *encoded.stdout.split())
    assert decoded.returncode == 0, decoded.stderr
    assert '"lines": ["A012", "请到3号窗口"]' in decoded.stdout
    listed = run("drivers")
    assert listed.stdout.split() == ["cpower", "fake", "onbon_bx5k", "onbon_bx6k"]
