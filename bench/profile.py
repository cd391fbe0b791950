"""Sampling profiles of a web process under load, with py-spy (a bench-only tool; optional).

py-spy samples from outside, so the product runs unmodified; under gevent the sampled stack is the
greenlet running at that instant, and the hub's idle wait shows up as its own frames, dropped here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

IDLE = ("gevent/hub.py", "gevent/_hub_primitives", "selectors.py", "threading.py:wait", "_wait (gevent")


def py_spy() -> str | None:
    exe = Path(sys.executable).parent / "py-spy"
    return str(exe) if exe.exists() else shutil.which("py-spy")


class Profile:
    """py-spy record on a pid for `seconds`, started in the background; .result() summarises it."""

    def __init__(self, pid: int, seconds: float, out: Path, rate: int = 200):
        self.out = out
        self.error = None
        exe = py_spy()
        self.proc = None
        if exe is None:
            self.error = "py-spy is not installed"
            return
        self.proc = subprocess.Popen(
            [exe, "record", "--pid", str(pid), "--duration", str(max(1, int(seconds))), "--rate", str(rate),
             "--format", "raw", "--output", str(out), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._err = b""
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self):
        self._err = self.proc.stderr.read()

    def result(self, top: int = 15) -> dict:
        if self.proc is None:
            return {"error": self.error}
        self.proc.wait(120)
        self._reader.join(5)
        if self.proc.returncode != 0 or not self.out.exists():
            return {"error": self._err.decode(errors="replace")[-500:]}
        return summarise(self.out.read_text(), top)


def _name(frame: str) -> str:
    # py-spy raw frames look like "function (path/to/file.py:123)"; keep "function (file.py)".
    fn, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path = where.rsplit(":", 1)[0]
    short = "/".join(path.split("/")[-2:])
    return f"{fn} ({short})"


def summarise(raw: str, top: int = 15) -> dict:
    """Self and inclusive sample shares of the busiest functions, idle hub time excluded."""
    self_c, incl_c, product = Counter(), Counter(), Counter()
    total = idle = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        leaf = frames[-1]
        total += n
        if any(marker in leaf for marker in IDLE):
            idle += n
            continue
        self_c[_name(leaf)] += n
        seen = set()
        for f in frames:
            name = _name(f)
            if name not in seen:
                seen.add(name)
                incl_c[name] += n
        # The innermost product frame: where in our code the time goes (libraries below it included).
        for f in reversed(frames):
            if any(p in f for p in ("queue_server/", "config/", "workers/")):
                product[_name(f)] += n
                break
    busy = total - idle
    pct = lambda c: round(100 * c / busy, 1) if busy else 0.0  # noqa: E731
    return {
        "samples": total, "busy_samples": busy, "busy_pct": round(100 * busy / total, 1) if total else 0.0,
        "self": [[name, pct(c)] for name, c in self_c.most_common(top)],
        "inclusive": [[name, pct(c)] for name, c in incl_c.most_common(top * 2)
                      if not name.startswith(("<module>", "run (", "handle", "_bootstrap"))][:top],
        "innermost_product": [[name, pct(c)] for name, c in product.most_common(top)],
    }
