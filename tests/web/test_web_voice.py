"""The voice call: which clips say "请 A012 号到 3 号窗口办理" and "社会保障业务请到6号窗口办理", and that
every clip ships, one per service of every hall included."""

import importlib.util
import json
import shutil
import subprocess
import wave
from pathlib import Path

import pytest
import yaml

WEB = Path(__file__).resolve().parents[2] / "queue_server" / "web"
VOICE_JS = WEB / "static" / "js" / "voice.js"
CLIPS = WEB / "static" / "voice"
ROOT = Path(__file__).resolve().parents[2]

node = shutil.which("node")
needs_node = pytest.mark.skipif(node is None, reason="node is not installed")


def run_js(expr: str):
    """Evaluate `expr` with voice.js imported as `v` and return its JSON value."""
    script = f"import * as v from {json.dumps(VOICE_JS.as_uri())}; console.log(JSON.stringify({expr}));"
    out = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=30,
                         check=True)
    return json.loads(out.stdout)


@needs_node
def test_ticket_digits_one_by_one_and_window_as_cardinal():
    assert run_js("v.callClips('A012', '3')") == [
        "qing", "letter_a", "ling", "yi", "er", "hao", "dao", "san", "hao", "chuangkou", "banli"]
    assert run_js("v.callClips('B120', '12')")[1:7] == ["letter_b", "yi", "er", "ling", "hao", "dao"]


@needs_node
@pytest.mark.parametrize("n, clips", [
    (1, ["yi"]), (10, ["shi"]), (12, ["shi", "er"]), (20, ["er", "shi"]), (21, ["er", "shi", "yi"]),
    (100, ["yi", "bai"]), (105, ["yi", "bai", "ling", "wu"]), (110, ["yi", "bai", "yi", "shi"]),
    (115, ["yi", "bai", "yi", "shi", "wu"]), (230, ["er", "bai", "san", "shi"]),
])
def test_window_numbers_read_as_chinese_cardinals(n, clips):
    assert run_js(f"v.cardinalClips({n})") == clips


@needs_node
def test_announcement_starts_with_a_chime_and_a_recall_says_it_twice():
    once = run_js("v.announcementClips('C007', '105')")
    assert once[0] == "chime" and once[1:] == run_js("v.callClips('C007', '105')")
    twice = run_js("v.announcementClips('C007', '105', {recall: true})")
    call = once[1:]
    assert twice == ["chime", *call, "-", *call]


@needs_node
def test_every_clip_the_player_can_ask_for_ships_as_a_small_wav():
    keys = run_js("v.ALL_CLIPS")
    total = 0
    for key in keys:
        path = CLIPS / f"{key}.wav"
        assert path.exists(), key
        with wave.open(str(path)) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000), key
            assert 0.1 < w.getnframes() / w.getframerate() < 2.0, key
        total += path.stat().st_size
    assert total < 1024 * 1024  # the whole set stays small enough to vendor in git


def clip_maker():
    """scripts/make_voice_clips.py as a module (its helpers need no espeak-ng and no pypinyin)."""
    spec = importlib.util.spec_from_file_location("make_voice_clips", ROOT / "scripts" / "make_voice_clips.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hall_services():
    for path in sorted((ROOT / "config" / "halls").glob("*.yaml")):
        hall = yaml.safe_load(path.read_text(encoding="utf-8"))
        for svc in hall["services"]:
            yield hall["code"], svc["code"], svc["name"]


@needs_node
def test_a_reroute_names_the_service_then_the_window():
    assert run_js("v.rerouteClips('demo', 'SB', '6')") == [
        "chime", "svc_demo_sb", "yewu", "qing", "dao", "liu", "hao", "chuangkou", "banli"]
    assert run_js("v.rerouteClips('demo', 'YB', '12')")[5:7] == ["shi", "er"]


@needs_node
def test_every_service_of_every_hall_has_its_name_clip():
    maker = clip_maker()
    services = list(hall_services())
    assert services
    keys = run_js(json.dumps([[h, s] for h, s, _ in services]) + ".map(([h, s]) => v.serviceClip(h, s))")
    for (hall, service, name), key in zip(services, keys):
        assert key == maker.service_clip(hall, service)  # the generator and the player name clips alike
        path = CLIPS / f"{key}.wav"
        assert path.exists(), f"{name}: run scripts/make_voice_clips.py"
        with wave.open(str(path)) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000), key
            assert 0.3 < w.getnframes() / w.getframerate() < 4.0, key


def test_service_names_are_read_without_their_asides():
    maker = clip_maker()
    assert maker.spoken_name("医疗保障（合疗）") == "医疗保障"
    assert maker.spoken_name("社会保障") == "社会保障"
