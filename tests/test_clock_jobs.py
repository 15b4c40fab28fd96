"""The clock's APScheduler jobs follow the stored schedules without a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.clock import build_scheduler
from bot.reminders.jobs import SlotTrigger


def jobs(scheduler) -> dict[str, object]:
    return {j.id: j for j in scheduler.get_jobs()}


def test_jobs_are_built_from_stored_schedules_and_follow_changes(stack):
    stack.quick_link("U0DANA")
    stack.driver.command("U0DANA", "nudges on 07:45 daily")
    scheduler, count = build_scheduler(stack.services)
    assert isinstance(scheduler, BackgroundScheduler)
    assert count == 6  # outbox, sync, catch-up, 1-on-1 nudges, revocations, Dana's nudge
    scheduler.start(paused=True)
    try:
        job = jobs(scheduler)["nudge:-:T0GANDER:U0DANA"]
        assert isinstance(job.trigger, SlotTrigger)
        # APScheduler dates its jobs by the wall clock, so the test does not ask "when";
        # it checks that the job's next run is one of the schedule's own slots.
        schedule = job.trigger.schedule
        assert schedule.next_after(job.next_run_time - timedelta(seconds=1)) == \
            job.next_run_time
        assert job.next_run_time.astimezone(job.trigger.schedule.zone).strftime("%H:%M") == \
            "07:45"

        sync = jobs(scheduler)["schedules-sync"].func
        stack.driver.command("U0DANA", "nudges on 08:30 weekdays")
        stack.driver.command("U0DANA", "remind objectives 10:00", channel="C0ENG")
        stack.services.settle()
        sync()
        now_jobs = jobs(scheduler)
        assert now_jobs["nudge:-:T0GANDER:U0DANA"].trigger.schedule.hour == 8
        assert "reminder:-:T0GANDER:C0ENG:1000" in now_jobs

        stack.driver.command("U0DANA", "nudges off")
        sync()
        assert "nudge:-:T0GANDER:U0DANA" not in jobs(scheduler)
    finally:
        scheduler.shutdown(wait=False)


def test_a_scheduler_job_fires_the_slot_that_just_came(stack, clock):
    stack.quick_link("U0FOX")
    stack.driver.command("U0FOX", "nudges on 06:00 daily")
    schedule = stack.services.reminders.nudge_of(
        next(iter(stack.services.links.identities()))).schedule
    slot = schedule.next_after(datetime.fromtimestamp(clock(), UTC))
    clock.advance(slot.timestamp() - clock() + 2)
    dispatcher = stack.services.dispatcher
    assert dispatcher.fire_latest("nudge", "-:T0GANDER:U0FOX") == "sent"
    assert dispatcher.fire_latest("nudge", "-:T0GANDER:U0FOX") == "already_sent"
    assert dispatcher.fire_latest("nudge", "-:T0GANDER:U0NOBODY") == "gone"
