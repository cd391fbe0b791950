"""Enqueue background jobs by dotted path, so web processes never import worker code."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rq import Retry
from rq.exceptions import DuplicateJobError

from .store import keys

log = logging.getLogger(__name__)

# Reroutes are retried quickly: residents are waiting while the job is failing.
REROUTE_RETRY = Retry(max=3, interval=[1, 5, 15])


def reroute_soon(hub, hall: str) -> None:
    """Ask the workers to re-plan a hall's routing now (the periodic scan would within seconds)."""
    try:
        hub.queue("reroute").enqueue(
            "workers.jobs.reroute_hall", hall, job_id=f"reroute-{hall}", unique=True,
            result_ttl=0, failure_ttl=24 * 3600, retry=REROUTE_RETRY)
    except DuplicateJobError:
        pass  # one is already queued; it will read the newest state when it runs
    except RedisError as exc:
        # The change itself is committed; the periodic scan reroutes even if this nudge is lost.
        log.warning("could not enqueue reroute for %s: %s", hall, exc)


# A printer that is out of paper for a minute should not lose the slip: five tries over ~2 minutes.
PRINT_RETRY = Retry(max=4, interval=[2, 5, 15, 60])


def print_soon(hub, hall: str, printer: str, ticket_id: str) -> None:
    """Queue a slip on one printer's queue, consumed by the device agent it is plugged into."""
    hub.queue(keys.print_queue(hall, printer)).enqueue(
        "devices.printjobs.print_ticket", hall, ticket_id, printer, retry=PRINT_RETRY,
        job_timeout=120, result_ttl=3600, failure_ttl=7 * 24 * 3600)
