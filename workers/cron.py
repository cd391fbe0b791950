"""The RQ cron schedule (`rq cron workers.cron`): what runs by itself, and how often."""

from rq import cron

from config.settings import QUEUES  # noqa: F401  (the queue names below must be among these)

from .jobs import rollover_all, scan_all

# Every 5 s: absences, rerouting and alerts react within a heartbeat timeout plus 5 s.
cron.register(scan_all, "reroute", interval=5, job_timeout=60, result_ttl=60)
# Every 5 min: closing a day is not urgent, and the job does nothing most of the time.
cron.register(rollover_all, "default", interval=300, job_timeout=600, result_ttl=600)
