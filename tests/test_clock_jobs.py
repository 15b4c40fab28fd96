"""The clock decides, workers do: what is due is found by index and enqueued once,
one clock leads at a time, and a worker that dies mid-job loses nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import jobs
from bot.clock import Clock
from bot.work.leader import Leadership
from bot.work.queue import InlineQueue, RqQueue, job_id
from storage.connection import binary_twin


def due_at(stack, clock, user="U0FOX"):
    schedule = stack.services.reminders.nudge_of(
        next(i for i in stack.services.links.identities() if i.user_id == user)).schedule
    slot = schedule.next_after(datetime.fromtimestamp(clock(), UTC))
    clock.advance(slot.timestamp() - clock() + 2)
    return slot


def test_a_schedule_is_indexed_by_its_next_slot_and_follows_changes(stack, clock):
    stack.quick_link("U0DANA")
    stack.driver.command("U0DANA", "nudges on 07:45 daily")
    nudges = stack.services.reminders.nudges
    first = datetime.fromtimestamp(nudges.next_at("-:T0GANDER:U0DANA"), UTC)
    schedule = stack.services.reminders.nudge_of(
        next(stack.services.links.identities())).schedule
    assert first == schedule.next_after(datetime.fromtimestamp(clock(), UTC))
    assert first.astimezone(schedule.zone).strftime("%H:%M") == "07:45"
    stack.driver.command("U0DANA", "nudges on 08:30 weekdays")
    moved = datetime.fromtimestamp(nudges.next_at("-:T0GANDER:U0DANA"), UTC)
    assert moved.astimezone(schedule.zone).strftime("%H:%M") == "08:30"
    stack.driver.command("U0DANA", "nudges off")
    assert nudges.next_at("-:T0GANDER:U0DANA") is None
    assert nudges.due(clock() + 7 * 86400) == []


def test_the_clock_enqueues_what_is_due_and_workers_send_it_once(stack, clock):
    stack.quick_link("U0FOX")
    stack.driver.command("U0FOX", "nudges on 06:00 daily")
    queue = InlineQueue(stack.services, jobs.JOBS)
    the_clock = Clock(stack.services, queue)
    assert the_clock.tick() == {}  # nothing due yet (the minute's polls aside)
    due_at(stack, clock)
    assert the_clock.tick().get("schedule_slot") == 1
    assert ("schedule_slot", "sent") in queue.done
    assert the_clock.tick().get("schedule_slot") is None  # the slot left the work set
    queue.close()


def test_enqueueing_is_idempotent(stack, clock, redis_client):
    queue = RqQueue(redis_client, binary_twin(redis_client))
    work = [("schedule_slot", ("nudge", "-:T0GANDER:U0FOX|2026-11-19T06:00:00+00:00"), "a")]
    assert queue.enqueue_many(work) == 1
    assert queue.enqueue_many(work) == 0  # the same work, again: the same job, not twice
    assert queue.depth() == 1
    assert queue.queue.fetch_job(job_id("batch", "a")) is not None


def test_a_worker_that_dies_mid_job_loses_nothing(stack, clock):
    """A worker leased Fox's slot and died before sending: the slot stays in the work
    set; once the lease lapses, the next enqueue finds it and another worker sends it."""
    stack.quick_link("U0FOX")
    stack.driver.command("U0FOX", "nudges on 06:00 daily")
    services = stack.services
    slot = due_at(stack, clock)
    services.dispatcher.decide()
    (kind, member), = services.dispatcher.due_work()
    nudges = services.reminders.nudges
    assert nudges.lease("-:T0GANDER:U0FOX", slot.isoformat(), "dead-worker",
                        seconds=60) == "leased"
    assert jobs.schedule_slot(services, kind, member) == "busy"  # not while it lives
    assert stack.slack.calls_to("chat.postMessage") == []
    clock.advance(61)
    nudges.release("-:T0GANDER:U0FOX", slot.isoformat(), "dead-worker")  # it lapsed
    (again,) = services.dispatcher.due_work()
    assert again == (kind, member)
    assert jobs.schedule_slot(services, kind, member) == "sent"
    assert jobs.schedule_slot(services, kind, member) == "already_sent"
    assert len([c for c in stack.slack.calls_to("chat.postMessage") if c.ok]) == 1


def test_one_clock_leads_and_another_takes_over(stack, redis_client):
    first = Leadership(redis_client, "clock-a", ttl_seconds=1)
    second = Leadership(redis_client, "clock-b", ttl_seconds=1)
    assert first.hold() and not second.hold()
    assert first.hold()  # renewing
    import time

    time.sleep(1.2)  # clock-a died: its lease lapses
    assert second.hold() and not first.hold()
    second.resign()
    assert first.hold()


def test_a_missed_slot_within_the_hour_goes_out_and_an_older_one_does_not(stack, clock):
    stack.quick_link("U0FOX")
    stack.driver.command("U0FOX", "nudges on 06:00 daily")
    dispatcher = stack.services.dispatcher
    slot = due_at(stack, clock)
    clock.advance(59 * 60)  # the clock was down
    assert dispatcher.run_due() == {"sent": 1}
    clock.advance(timedelta(days=1, minutes=2).total_seconds())  # down past the grace
    assert dispatcher.run_due() == {}
    assert dispatcher.fire("nudge", "-:T0GANDER:U0FOX", slot + timedelta(days=1)) == \
        "too_late"


def test_a_worker_runs_only_the_bots_jobs(redis_client, tmp_path, caplog):
    """Anyone who can write to Redis could queue a job naming any function (JSON rules
    out pickle, not a name like os.system); a worker holds TOKEN_ENCRYPTION_KEY."""
    import logging

    from rq import Queue, SimpleWorker
    from rq.serializers import JSONSerializer

    from bot.work.runner import OnlyOurJobs

    connection = binary_twin(redis_client)
    queue = Queue("geese-bot", connection=connection, serializer=JSONSerializer)
    target = tmp_path / "made-by-an-injected-job"
    injected = queue.enqueue("os.mkdir", str(target))  # as plain HSET/RPUSH would leave it
    worker = SimpleWorker([queue], connection=connection, serializer=JSONSerializer,
                          job_class=OnlyOurJobs)
    with caplog.at_level(logging.ERROR):
        worker.work(burst=True)
    assert not target.exists()
    assert "refused a queued job naming 'os.mkdir'" in caplog.text
    assert injected.get_status(refresh=True) == "failed"
