"""The clock process: one APScheduler scheduler that will send reminders and nudges.

Jobs are rebuilt from settings stored in Redis at every start (a memory job store:
nothing is pickled into Redis). Features add their jobs through `JOB_SOURCES`.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.services import Services

log = logging.getLogger(__name__)

# Each feature that schedules work contributes a function that adds its jobs.
JOB_SOURCES: list[Callable[[BlockingScheduler, Services], int]] = []


def build_scheduler(services: Services) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    added = sum(source(scheduler, services) for source in JOB_SOURCES)
    if added == 0:
        log.info("clock started: no jobs are scheduled yet")
    else:
        log.info("clock started with %d jobs", added)
    return scheduler


def run(services: Services) -> None:
    scheduler = build_scheduler(services)

    def stop(signum, _frame):
        log.info("clock stopping (signal %s)", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()
