"""The clock's part in 1-on-1s: a minute tick that polls a share of people and sends
the nudges that are due."""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler


def add_jobs(scheduler: BaseScheduler, services) -> int:
    scheduler.add_job(services.oneonone_nudges.tick, "interval", seconds=60,
                      id="oneonone-nudges", replace_existing=True, coalesce=True,
                      max_instances=1)
    return 1
