"""Child processes for load generators and clients (spawned, so nothing of the parent leaks in)."""

from __future__ import annotations

import multiprocessing as mp
import time
import traceback
from queue import Empty

CTX = mp.get_context("spawn")


def wait_for_start(spec: dict) -> float:
    """In a child: say it is ready (imports done, connections open), wait for the common start time."""
    ready, go, start = spec["_sync"]
    ready.put(1)
    if not go.wait(120):
        raise TimeoutError("never told to start")
    return start.value


def run_all(func, specs: list[dict], timeout: float, on_start=None, lead_s: float = 0.3) -> list:
    """Run func(spec) in one child process per spec; return the results in order (raise on failure).

    Children call wait_for_start(spec) once set up; when all are ready the parent picks a start time
    `lead_s` ahead, calls on_start(start_at) and lets them go, so slow spawning never eats the run.
    """
    queue = CTX.Queue()
    ready, go, start = CTX.Queue(), CTX.Event(), CTX.Value("d", 0.0)
    procs = []
    for i, spec in enumerate(specs):
        p = CTX.Process(target=_indexed, args=(func, i, dict(spec, _sync=(ready, go, start)), queue), daemon=True)
        p.start()
        procs.append(p)
    results: list = [None] * len(specs)
    try:
        waiting, deadline = len(specs), time.monotonic() + 120
        while waiting:
            try:
                ready.get(timeout=0.5)
                waiting -= 1
            except Empty:
                if not queue.empty():  # a child failed while setting up: report it now
                    i, status, value = queue.get()
                    raise RuntimeError(f"load process {i} failed:\n{value}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{waiting} load processes never got ready")
        start.value = time.time() + lead_s
        if on_start is not None:
            on_start(start.value)
        go.set()
        for _ in specs:
            i, status, value = queue.get(timeout=timeout)
            if status == "error":
                raise RuntimeError(f"load process {i} failed:\n{value}")
            results[i] = value
    finally:
        for p in procs:
            p.join(5)
            if p.is_alive():
                p.kill()
                p.join(5)
    return results


def _indexed(func, i, spec, queue):
    try:
        queue.put((i, "ok", func(spec)))
    except BaseException:  # noqa: BLE001
        queue.put((i, "error", traceback.format_exc()))


class Child:
    """A long-lived child talking over a Pipe (display clients, the device agent)."""

    def __init__(self, func, spec: dict):
        self.pipe, child_end = CTX.Pipe()
        self.process = CTX.Process(target=func, args=(spec, child_end), daemon=True)
        self.process.start()
        child_end.close()

    def recv(self, timeout: float):
        if not self.pipe.poll(timeout):
            raise TimeoutError(f"child {self.process.pid} sent nothing within {timeout:.0f}s")
        return self.pipe.recv()

    def send(self, msg) -> None:
        self.pipe.send(msg)

    def close(self) -> None:
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.pipe.close()
