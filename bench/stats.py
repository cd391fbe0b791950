"""Percentiles, process accounting (/proc) and plain-text tables."""

from __future__ import annotations

import math
import os
import resource

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summary(values_ms) -> dict:
    """n, p50, p95, p99, max and mean of a list of milliseconds (None when empty)."""
    values = sorted(values_ms)
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None, "mean": None}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "p99": round(percentile(values, 99), 2),
        "max": round(values[-1], 2),
        "mean": round(sum(values) / len(values), 2),
    }


def raise_nofile(want: int = 20000) -> int:
    """Raise this process's open-file limit as far as the hard limit allows; return the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def children(pid: int) -> list[int]:
    """Direct children of a process (from /proc)."""
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(p) for p in fh.read().split()]
    except OSError:
        pass
    return out


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children(p)
    return out


def rss_bytes(pid: int) -> int:
    """Resident set size of one process, 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except OSError:
        return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far, 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores, /proc/stat), including other people's work."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLK_TCK


class CpuMeter:
    """CPU seconds used by groups of processes between start() and stop(); "machine" is every process
    on the machine, so machine minus the groups shows load that was not ours."""

    def __init__(self, groups: dict[str, list[int]]):
        self.groups = groups
        self.before: dict[str, float] = {}
        self.used: dict[str, float] = {}

    def _read(self) -> dict[str, float]:
        out = {name: sum(cpu_seconds(p) for p in pids) for name, pids in self.groups.items()}
        out["machine"] = machine_busy_seconds()
        return out

    def start(self) -> "CpuMeter":
        self.before = self._read()
        return self

    def stop(self) -> dict[str, float]:
        after = self._read()
        self.used = {k: round(after[k] - self.before.get(k, 0.0), 3) for k in after}
        return self.used


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(headers: list[str], rows: list[list]) -> str:
    """A GitHub-flavoured Markdown table, readable as plain text too."""
    cells = [[fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = lambda items: "| " + " | ".join(s.ljust(w) for s, w in zip(items, widths)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), sep] + [line(r) for r in cells])


def machine_busy_pct(seconds: float = 1.0) -> float:
    """How busy the whole machine is right now, in % of one core (200 = both cores of this box)."""
    import time

    before = machine_busy_seconds()
    time.sleep(seconds)
    return round(100 * (machine_busy_seconds() - before) / seconds, 1)


def wait_quiet(max_wait_s: float, below_pct: float = 25.0, log=print, sample_s: float = 1.0) -> float:
    """Wait up to max_wait_s for the machine (other people's work included) to be nearly idle.

    Returns the last busy figure; the bench records it next to each part, since clients, servers and
    anything else running here share the same two cores.
    """
    import time

    deadline = time.monotonic() + max_wait_s
    busy = machine_busy_pct(sample_s)
    while busy > below_pct and time.monotonic() < deadline:
        log(f"  machine is {busy:.0f}% busy with other work; waiting for it to settle …")
        busy = machine_busy_pct(5.0)
    return busy
