#!/usr/bin/env python3
"""Generate the lobby display's voice clips once, offline, into queue_server/web/static/voice/.

The display reads "请 A012 号到 3 号窗口办理" by concatenating these clips through Web Audio, so halls
never depend on an online or per-PC text-to-speech voice (HARDWARE_BRIEF §4). espeak-ng's `cmn` voice
reads Chinese characters as English-spelled pinyin; `cmn-latn-pinyin` fed with tone-numbered pinyin is
correct, so every Mandarin clip is given as pinyin here. A hall may replace any file with a human
recording of the same name (16 kHz mono 16-bit WAV keeps the set small); the names are the clip keys
used by `queue_server/web/static/js/voice.js`.

Run by hand (needs `apt-get install espeak-ng sox`); never at test or run time:
    python3 scripts/make_voice_clips.py [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
import string
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "queue_server" / "web" / "static" / "voice"

# Clip key -> tone-numbered pinyin for espeak-ng's cmn-latn-pinyin voice.
MANDARIN = {
    "qing": "qing3", "hao": "hao4", "dao": "dao4", "chuangkou": "chuang1 kou3", "banli": "ban4 li3",
    "ling": "ling2", "yi": "yi1", "er": "er4", "san": "san1", "si": "si4", "wu": "wu3",
    "liu": "liu4", "qi": "qi1", "ba": "ba1", "jiu": "jiu3", "shi": "shi2", "bai": "bai3",
}
# espeak-ng reads a lone capital letter by its English name (A -> "ei", W -> "double-u").
LETTERS = {f"letter_{c.lower()}": c for c in string.ascii_uppercase}

RATE_HZ = 16000
# Slightly slower than espeak's default (175 wpm): a lobby is noisy and residents are often elderly.
SPEED_WPM = 140
# Trim leading/trailing silence below 1% for 20 ms; the player adds its own gaps between words.
TRIM = ["silence", "1", "0.02", "1%", "reverse", "silence", "1", "0.02", "1%", "reverse"]


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
    args = ap.parse_args()
    for tool in ("espeak-ng", "sox"):
        if not shutil.which(tool):
            print(f"{tool} is missing: apt-get install -y espeak-ng sox", file=sys.stderr)
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for key, pinyin in MANDARIN.items():
            speak(pinyin, "cmn-latn-pinyin", args.out / f"{key}.wav", tmp)
        for key, letter in LETTERS.items():
            speak(letter, "en-us", args.out / f"{key}.wav", tmp)
        chime(args.out / "chime.wav", tmp)
    total = sum(p.stat().st_size for p in args.out.glob("*.wav"))
    print(f"wrote {len(MANDARIN) + len(LETTERS) + 1} clips to {args.out} ({total // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
