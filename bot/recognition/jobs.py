"""The clock's part in recognition: retrying what 7Geese could not take earlier."""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler

from bot.services import Services

INTERVAL_SECONDS = 30


def add_jobs(scheduler: BaseScheduler, services: Services) -> int:
    scheduler.add_job(services.recognition.process_due, "interval", seconds=INTERVAL_SECONDS,
                      id="recognition-outbox", replace_existing=True,
                      misfire_grace_time=INTERVAL_SECONDS)
    return 1
