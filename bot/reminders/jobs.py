"""The clock's jobs for reminders and nudges (APScheduler 3, memory job store).

One job per stored schedule, fired by `SlotTrigger` at the schedule's next slot;
a sync job brings the jobs in step when a schedule is set or removed (watching
one version counter in Redis, no restart needed); a catch-up job sends any slot
of the last hour that was missed (the clock was down, or 7Geese was).
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger

from bot.reminders.dispatch import NUDGES, REMINDERS, Dispatcher
from bot.reminders.records import Nudge, Reminder
from bot.schedule import Schedule
from storage import STORAGE_ERRORS
from storage.schedules import ScheduleStore

log = logging.getLogger(__name__)

SYNC_SECONDS = 15
CATCH_UP_SECONDS = 60


class SlotTrigger(BaseTrigger):
    """Fires at a `Schedule`'s slots, with its DST rules (not cron's)."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime:
        return self.schedule.next_after(previous_fire_time or now)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SlotTrigger) and other.schedule == self.schedule

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return f"slots[{self.schedule.describe()}]"


class ScheduleSync:
    def __init__(self, scheduler: BaseScheduler, dispatcher: Dispatcher,
                 stores: dict[str, ScheduleStore]):
        self._scheduler = scheduler
        self._dispatcher = dispatcher
        self._stores = stores
        self._seen_version: int | None = None
        self._scheduled: dict[str, Schedule] = {}

    def sync(self) -> int:
        """Make the scheduler's jobs match the stored schedules; returns how many exist."""
        version = next(iter(self._stores.values())).version()
        if version == self._seen_version:
            return len(self._scheduled)
        wanted: dict[str, tuple[str, str, Schedule]] = {}
        for kind, store in self._stores.items():
            record_type = Reminder if kind == REMINDERS else Nudge
            for schedule_id, record in store.all().items():
                wanted[f"{kind}:{schedule_id}"] = (kind, schedule_id,
                                                   record_type.from_dict(record).schedule)
        for job_id in set(self._scheduled) - set(wanted):
            self._scheduler.remove_job(job_id)
            del self._scheduled[job_id]
        for job_id, (kind, schedule_id, schedule) in wanted.items():
            if self._scheduled.get(job_id) == schedule:
                continue
            self._scheduler.add_job(
                self._dispatcher.fire_latest, SlotTrigger(schedule), args=(kind, schedule_id),
                id=job_id, name=job_id, replace_existing=True,
                misfire_grace_time=self._dispatcher.grace, coalesce=True)
            self._scheduled[job_id] = schedule
        self._seen_version = version
        log.info("schedules in step: %d jobs", len(self._scheduled))
        return len(self._scheduled)


def add_jobs(scheduler: BaseScheduler, services) -> int:
    dispatcher: Dispatcher = services.dispatcher
    sync = ScheduleSync(scheduler, dispatcher, {REMINDERS: services.reminders.reminders,
                                                NUDGES: services.reminders.nudges})
    try:
        count = sync.sync()
    except STORAGE_ERRORS:
        log.warning("Redis is unreachable; reminders and nudges load when it answers")
        count = 0
    scheduler.add_job(sync.sync, "interval", seconds=SYNC_SECONDS, id="schedules-sync",
                      replace_existing=True, coalesce=True, max_instances=1)
    # At start and every minute: whatever was missed within the grace period goes out.
    scheduler.add_job(dispatcher.run_due, "interval", seconds=CATCH_UP_SECONDS,
                      id="schedules-catch-up", replace_existing=True, coalesce=True,
                      max_instances=1, next_run_time=datetime.now().astimezone())
    return count + 2
