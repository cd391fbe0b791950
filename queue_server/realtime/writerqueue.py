"""engine.io's per-client packet queue, without a new timer for every wait (gevent mode)."""

from __future__ import annotations

from gevent.queue import JoinableQueue


class PatientQueue(JoinableQueue):
    """A packet queue whose blocking get() waits without a timeout.

    engine.io's writer for each client waits on its queue with a timeout of ping interval + ping
    timeout, so every packet to every display starts and cancels a new gevent Timeout: about a fifth of
    the web process's time during a broadcast (py-spy, docs/performance.md). The timeout is only a
    backstop: every way a connection ends already puts None on the queue (the reader's exit and
    Socket.close), and pings put a packet there every ping interval, so nothing waits for ever.
    """

    def get(self, block=True, timeout=None):
        return super().get(block, None)


def use_patient_queue(eio_server) -> bool:
    """Give this gevent-mode engine.io server patient queues; False (unchanged) in any other mode."""
    if eio_server.async_mode != "gevent":
        return False
    # A copy: the driver's table is shared by every engine.io server in the process.
    eio_server._async = {**eio_server._async, "queue": PatientQueue}
    return True
