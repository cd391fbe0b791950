#!/usr/bin/env python3
"""Generate the lobby display's voice clips once, offline, into queue_server/web/static/voice/.

The display reads "请 A012 号到 3 号窗口办理" and, when AB岗 reroutes a service, "社会保障业务请到6号窗口办理"
by concatenating these clips through Web Audio, so halls
never depend on an online or per-PC text-to-speech voice (HARDWARE_BRIEF §4). espeak-ng's `cmn` voice
reads Chinese characters as English-spelled pinyin; `cmn-latn-pinyin` fed with tone-numbered pinyin is
correct, so every Mandarin clip is given as pinyin here. A hall may replace any file with a human
recording of the same name (16 kHz mono 16-bit WAV keeps the set small); the names are the clip keys
used by `queue_server/web/static/js/voice.js`.

Service names (one clip per service of every hall in config/halls, keyed like voice.js::serviceClip) are
turned into tone-numbered pinyin with pypinyin, a development-only dependency: the server and the display
never need it, they only play the committed WAV files. Re-run after adding a hall or renaming a service.

Only missing clips are made, so a human recording put in place of a file is kept and the committed clips
do not churn (sox output differs by a few bytes from run to run); --force remakes every clip.

Run by hand (needs `apt-get install espeak-ng sox` and `pip install pypinyin`); never at test or run time:
    .venv/bin/python scripts/make_voice_clips.py [--out DIR] [--halls DIR] [--force]
"""

from __future__ import annotations

import argparse
import re
import shutil
import string
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "queue_server" / "web" / "static" / "voice"
HALLS = ROOT / "config" / "halls"

# Clip key -> tone-numbered pinyin for espeak-ng's cmn-latn-pinyin voice.
MANDARIN = {
    "qing": "qing3", "hao": "hao4", "dao": "dao4", "chuangkou": "chuang1 kou3", "banli": "ban4 li3",
    "ling": "ling2", "yi": "yi1", "er": "er4", "san": "san1", "si": "si4", "wu": "wu3",
    "liu": "liu4", "qi": "qi1", "ba": "ba1", "jiu": "jiu3", "shi": "shi2", "bai": "bai3",
    "yewu": "ye4 wu4",
}
# espeak-ng reads a lone capital letter by its English name (A -> "ei", W -> "double-u").
LETTERS = {f"letter_{c.lower()}": c for c in string.ascii_uppercase}

RATE_HZ = 16000
# Slightly slower than espeak's default (175 wpm): a lobby is noisy and residents are often elderly.
SPEED_WPM = 140
# Trim leading/trailing silence below 1% for 20 ms; the player adds its own gaps between words.
TRIM = ["silence", "1", "0.02", "1%", "reverse", "silence", "1", "0.02", "1%", "reverse"]


def service_clip(hall: str, service: str) -> str:
    """The clip key of a service's name; the same rule as voice.js::serviceClip."""
    def slug(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "_", str(text).lower())
    return f"svc_{slug(hall)}_{slug(service)}"


def spoken_name(name: str) -> str:
    """What the lobby says for a service: its name without bracketed asides (医疗保障（合疗） -> 医疗保障)."""
    return re.sub(r"[（(【\[].*?[）)】\]]", "", name).strip() or name


def service_pinyin(name: str) -> str:
    """Tone-numbered pinyin of a service name for cmn-latn-pinyin; pypinyin picks readings by phrase."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(spoken_name(name), style=Style.TONE3, neutral_tone_with_five=True,
                            errors=lambda chunk: [c for c in chunk if c.isalnum()])
    return " ".join(s for s in syllables if s.strip())


def hall_services(halls_dir: Path) -> dict[str, str]:
    """Clip key -> service name for every service of every hall file."""
    import yaml

    out = {}
    for path in sorted(halls_dir.glob("*.yaml")):
        hall = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for svc in hall.get("services") or []:
            out[service_clip(hall["code"], svc["code"])] = svc["name"]
    return out


def run(argv: list[str]) -> None:
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def speak(text: str, voice: str, out: Path, tmp: Path) -> None:
    """Synthesize `text`, then trim, resample to 16 kHz mono and normalise to -3 dBFS."""
    raw = tmp / "raw.wav"
    run(["espeak-ng", "-v", voice, "-s", str(SPEED_WPM), "-w", str(raw), text])
    run(["sox", str(raw), "-r", str(RATE_HZ), "-c", "1", "-b", "16", str(out), *TRIM, "gain", "-n", "-3"])


def chime(out: Path, tmp: Path) -> None:
    """A two-tone ding-dong (E6 then C6) that makes the lobby look up before the call."""
    ding, dong = tmp / "ding.wav", tmp / "dong.wav"
    for path, freq, length in ((ding, "1318.5", "0.35"), (dong, "1046.5", "0.6")):
        run(["sox", "-n", "-r", str(RATE_HZ), "-c", "1", "-b", "16", str(path),
             "synth", length, "sine", freq, "fade", "q", "0.005", length, str(float(length) - 0.02),
             "gain", "-n", "-6"])
    run(["sox", str(ding), str(dong), str(out)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--halls", type=Path, default=HALLS, help="folder of hall YAML files (config/halls)")
    ap.add_argument("--force", action="store_true", help="remake clips that already exist")
    args = ap.parse_args()
    try:
        import pypinyin  # noqa: F401
    except ImportError:
        print("pypinyin is missing: .venv/bin/pip install pypinyin", file=sys.stderr)
        return 1
    services = hall_services(args.halls)
    for tool in ("espeak-ng", "sox"):
        if not shutil.which(tool):
            print(f"{tool} is missing: apt-get install -y espeak-ng sox", file=sys.stderr)
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    made = 0

    def wanted(key: str) -> Path | None:
        nonlocal made
        path = args.out / f"{key}.wav"
        if path.exists() and not args.force:
            return None
        made += 1
        return path

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for key, pinyin in MANDARIN.items():
            if path := wanted(key):
                speak(pinyin, "cmn-latn-pinyin", path, tmp)
        for key, letter in LETTERS.items():
            if path := wanted(key):
                speak(letter, "en-us", path, tmp)
        for key, name in services.items():
            if path := wanted(key):
                pinyin = service_pinyin(name)
                speak(pinyin, "cmn-latn-pinyin", path, tmp)
                print(f"{key}: {name} -> {pinyin}")
        if path := wanted("chime"):
            chime(path, tmp)
    total = sum(p.stat().st_size for p in args.out.glob("*.wav"))
    count = len(MANDARIN) + len(LETTERS) + len(services) + 1
    print(f"made {made} of {count} clips in {args.out} ({total // 1024} KiB in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
