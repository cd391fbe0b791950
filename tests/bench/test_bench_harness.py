"""The benchmark harness itself, in its tiny mode: it must start the system, drive it and report
well-formed figures (nothing here asserts on speed; `make bench` is where the numbers come from)."""

import json
import os
import subprocess
import sys

import pytest

from config.settings import ROOT

pytestmark = pytest.mark.slow


def well_formed(s: dict) -> bool:
    """A percentile summary with samples, in order."""
    return s["n"] > 0 and 0 <= s["p50"] <= s["p95"] <= s["p99"] <= s["max"]


def test_tiny_bench_run_reports_every_figure(tmp_path):
    out = tmp_path / "results.json"
    env = dict(os.environ, BENCH_TINY="1", BENCH_ONLY="issue,latency,screens", BENCH_OUT=str(out))
    env.pop("REDIS_URL", None)  # always the embedded Redis: the bench writes into the Redis it uses
    run = subprocess.run([sys.executable, "-m", "bench"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=110)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "(1) Ticket issue" in run.stdout and "(2) Call-to-display" in run.stdout
    assert "(3) Connected screens" in run.stdout
    res = json.loads(out.read_text("utf-8"))
    assert res["mode"] == "tiny" and res["machine"]["nproc"]

    (mode, issue), = res["issue"]["modes"].items()
    assert mode == "everysec"
    assert len(issue["lua"]) == 3 and all(v["per_s"] > 0 for v in issue["lua"].values())
    assert issue["ceiling"] == max(v["per_s"] for v in issue["lua"].values())
    assert set(issue["http"]) == {"1", "2"}
    for h in issue["http"].values():
        assert h["ok"] > 0 and h["errors"] == [] and set(h["codes"]) == {"201"}
        assert well_formed(h["latency_ms"]) and 0 < h["ratio_to_ceiling"]

    (lat,) = res["latency"]
    assert lat["displays"]["connected"] == 4 and lat["displays"]["failed"] == 0
    assert lat["calls"] > 0 and lat["errors"] == []
    for key in ("display_ms", "all_displays_ms", "next_reply_ms", "send_to_event_ms", "event_to_display_ms"):
        assert well_formed(lat[key]), key
    assert lat["display_ms"]["n"] + lat["missed"] == lat["calls"] * 4
    assert lat["board"]["ready"]

    one, two = res["screens"]
    assert (one["servers"], two["servers"]) == (1, 2)
    for row in (one, two):
        assert row["connected"] == row["asked"] and row["failed"] == 0
        assert row["kb_per_display"] is not None and row["events"] > 0
        assert well_formed(row["latency_ms"]) and well_formed(row["last_ms"])
