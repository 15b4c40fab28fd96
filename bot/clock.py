"""The clock process: one APScheduler scheduler that will send reminders and nudges.

Jobs are rebuilt from settings stored in Redis at every start (a memory job store:
nothing is pickled into Redis). Features add their jobs through `JOB_SOURCES`.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from bot import revocations
from bot.oneonones import jobs as oneonone_jobs
from bot.recognition import jobs as recognition_jobs
from bot.reminders import jobs as reminder_jobs
from bot.services import Services

log = logging.getLogger(__name__)

# Each feature that schedules work contributes a function that adds its jobs.
JOB_SOURCES: tuple[Callable[[BackgroundScheduler, Services], int], ...] = (
    recognition_jobs.add_jobs,
    reminder_jobs.add_jobs,
    oneonone_jobs.add_jobs,
    revocations.add_jobs,
)


def build_scheduler(services: Services) -> tuple[BackgroundScheduler, int]:
    scheduler = BackgroundScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    return scheduler, sum(source(scheduler, services) for source in JOB_SOURCES)


def run(services: Services) -> None:
    # Signals are handled from the first moment, so a stop during start-up is clean.
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda s, _f: stopping.set())
    scheduler, jobs = build_scheduler(services)
    scheduler.start()
    log.info("clock started with %d job%s", jobs, "" if jobs == 1 else "s")
    stopping.wait()
    log.info("clock stopping")
    scheduler.shutdown(wait=True)
