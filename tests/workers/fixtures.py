"""Job functions for worker tests; RQ imports them by dotted path, like the product's own jobs."""

import os
import time

from queue_server import actions
from queue_server.domain.access import SYSTEM
from workers import jobs

SERVICES = ("SB", "YB", "MZ")


def slow_reroute(hall: str, pid_file: str) -> str:
    """Reroute three services one atomic step at a time, pausing after the first on the first try."""
    h = jobs.hub()
    for i, service in enumerate(SERVICES):
        actions.apply_route(h, SYSTEM, hall, service, "6", "1", "测试")
        if i == 0 and not os.path.exists(pid_file):
            with open(pid_file, "w") as f:
                f.write(str(os.getpid()))
            time.sleep(60)  # the test kills this work-horse here
    return "done"
