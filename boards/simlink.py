"""Attach a board simulator to a bus endpoint: a pty pair, a TCP socket, or a child process."""

from __future__ import annotations

import errno
import json
import logging
import os
import select
import socket
import subprocess
import sys
import threading
import tty
from collections.abc import Iterable
from typing import Any, Protocol

log = logging.getLogger(__name__)

POLL_S = 0.05  # how often serving threads re-check their stop flag


class Feeder(Protocol):
    """Anything that turns bus bytes into reply bytes (a BoardSimulator)."""

    def feed(self, data: bytes) -> bytes:
        """Consume bus bytes and return the reply bytes."""
        ...


def _write_all(write: Any, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[write(view):]


class PtyLink:
    """Serve a simulator on a new pty pair; open .path (the slave) with pyserial as the bus."""

    def __init__(self, simulator: Feeder) -> None:
        self.simulator = simulator
        self._master, self._slave = os.openpty()
        # Raw mode: no echo, no CR/LF translation, no line buffering between host and boards.
        tty.setraw(self._slave)
        # Keeping our slave fd open means the master never sees EIO while the host reconnects.
        self.path = os.ttyname(self._slave)
        self.url = self.path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"sim-pty:{self.path}", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], POLL_S)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError as exc:
                if exc.errno != errno.EIO:
                    log.error("pty %s: read failed, simulator stops serving: %s", self.path, exc)
                    return
                self._stop.wait(POLL_S)  # no slave open right now; the host will reopen it
                continue
            reply = self.simulator.feed(data)
            if reply:
                try:
                    _write_all(lambda b: os.write(self._master, b), reply)
                except OSError:
                    pass  # the host went away mid-reply; it will time out and retry

    def stop(self) -> None:
        """Stop serving and close both ends: to the host this is an unplugged cable."""
        self._stop.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(5)
        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass
        self._master = self._slave = -1

    def __enter__(self) -> PtyLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class TcpLink:
    """Serve a simulator on 127.0.0.1, like a serial-to-Ethernet converter; .url is socket://host:port."""

    def __init__(self, simulator: Feeder, host: str = "127.0.0.1", port: int | None = 0) -> None:
        self.simulator = simulator
        # create_server sets SO_REUSEADDR, so a test can "plug back in" on the same port at once.
        self._server = socket.create_server((host, port or 0))
        self.host, self.port = self._server.getsockname()[:2]
        self.url = f"socket://{self.host}:{self.port}"
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"sim-tcp:{self.port}", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                conns = list(self._conns)
            try:
                ready, _, _ = select.select([self._server, *conns], [], [], POLL_S)
            except (OSError, ValueError):
                continue  # a socket was closed under us by stop()
            for sock in ready:
                if sock is self._server:
                    self._accept()
                else:
                    self._pump(sock)

    def _accept(self) -> None:
        try:
            conn, _ = self._server.accept()
        except OSError:
            return
        with self._lock:
            if self._stop.is_set():
                conn.close()
            else:
                self._conns.append(conn)

    def _pump(self, conn: socket.socket) -> None:
        try:
            data = conn.recv(4096)
            if data:
                reply = self.simulator.feed(data)
                if reply:
                    conn.sendall(reply)
                return
        except OSError:
            pass
        with self._lock:  # peer closed (or failed): forget the connection
            if conn in self._conns:
                self._conns.remove(conn)
        conn.close()

    def stop(self) -> None:
        """Stop serving and close the listener and every connection: the converter is unplugged."""
        self._stop.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(5)
        with self._lock:
            conns, self._conns = self._conns, []
        for sock in [*conns, self._server]:
            try:
                sock.close()
            except OSError:
                pass

    def __enter__(self) -> TcpLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SimulatorProcess:
    """A `python -m boards.simulator` child process; .path is its pty, .state() its JSON view."""

    def __init__(
        self,
        driver: str,
        addresses: Iterable[int],
        *,
        state_file: str | None = None,
        width: int = 64,
        height: int = 16,
        startup_timeout: float = 10.0,
    ) -> None:
        cmd = [sys.executable, "-m", "boards.simulator", "--driver", driver, "--width", str(width),
               "--height", str(height)]
        for address in addresses:
            cmd += ["--address", str(address)]
        if state_file:
            cmd += ["--state-file", state_file]
        self.state_file = state_file
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], startup_timeout)
        line = self.proc.stdout.readline().strip() if ready else ""
        if not line:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=5)
            raise RuntimeError(f"simulator did not start: {(err or '').strip()}")
        self.path = self.url = line

    def state(self) -> dict[str, Any]:
        """Return the last state the child wrote to its state file."""
        if not self.state_file:
            raise RuntimeError("simulator was started without a state file")
        with open(self.state_file, encoding="utf-8") as fh:
            return json.load(fh)

    def stop(self, timeout: float = 5.0) -> int | None:
        """Terminate the child (kill it after timeout) and return its exit code."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return self.proc.returncode

    def __enter__(self) -> SimulatorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def spawn_simulator(driver: str, addresses: Iterable[int], **kwargs: Any) -> SimulatorProcess:
    """Start a simulator child process and return it once its pty path is known."""
    return SimulatorProcess(driver, addresses, **kwargs)
