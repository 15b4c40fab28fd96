"""The clock process: it decides what is due and hands it to workers.

Every TICK_SECONDS the leading clock (bot/work/leader.py) finds, by index, the
reminder and nudge slots that came (bot/reminders/dispatch.py), the planned 1-on-1
nudges that are due, this minute's share of people to poll for 1-on-1s and 7Geese
notifications, each recognition feed (once a minute), and the recognitions waiting in
the outbox, and enqueues each as a job (bot/work/queue.py); `geese-bot worker` processes do them. It
also retries owed token revocations and leaves a heartbeat for `geese-bot status`.
Nothing is pickled; no job is kept in the clock: another clock takes over within half
a minute of this one's death.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import threading
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.reminders.dispatch import interleaved, sender_name
from bot.services import Services
from bot.work.leader import Leadership
from bot.work.queue import WorkQueue
from storage import STORAGE_ERRORS
from storage.keys import key

log = logging.getLogger(__name__)

TICK_SECONDS = 5
HEARTBEAT = key("clock", "heartbeat")


class Clock:
    def __init__(self, services: Services, queue: WorkQueue, *,
                 leadership: Leadership | None = None):
        self.services = services
        self.queue = queue
        self.leadership = leadership or Leadership(services.redis, sender_name())

    def tick(self) -> dict[str, int]:
        """Enqueue everything that is due (only while leading); counts by kind."""
        services = self.services
        if not self.leadership.hold():
            return {}
        now = services.clock()
        moment = datetime.fromtimestamp(now, UTC)
        dispatcher, nudger = services.dispatcher, services.oneonone_nudges
        dispatcher.decide(moment)
        work = {
            # Workspaces in turn: each has its own Slack pace, so a batch of one
            # workspace's work would leave the others' budgets idle.
            "schedule_slot": [("schedule_slot", (kind, member), f"{kind}|{member}")
                              for kind, member in interleaved(dispatcher.due_work(moment))],
            "oneonone_nudge": [("oneonone_nudge", (member,), member)
                               for member in nudger.due()],
            "recognition": [("recognition", (item,), item)
                            for item in services.recognition.outbox.due(limit=1000)],
            "write": [("write", (item,), item) for item in services.writes.outbox.due(limit=1000)],
            "oneonone_followup": [("oneonone_followup", (member,), member)
                                  for member in services.followups.due()],
        }
        minute = int(now // 60)
        if services.redis.set(key("clock", "polled", str(minute)), self.leadership.owner,
                              nx=True, ex=600):
            # Each person about every 10 minutes: 1-on-1s and notifications, one read.
            work["person_poll"] = [("person_poll", (identity.key,), f"{identity.key}@{minute}")
                                   for identity in nudger.due_to_poll(minute)]
            work["feed_poll"] = [("feed_poll", (feed_id,), f"{feed_id}@{minute}")
                                 for feed_id in services.feeds.ids()]
        counts = {kind: self.queue.enqueue_many(items) for kind, items in work.items()}
        counts["revocations"] = sum(services.revoker.retry_due().values())
        services.redis.set(HEARTBEAT, json.dumps({"at": now,
                                                  "leader": self.leadership.owner}))
        return {kind: n for kind, n in counts.items() if n}

    def safe_tick(self) -> None:
        try:
            counts = self.tick()
        except STORAGE_ERRORS:
            log.warning("Redis is unreachable; the clock tries again in %d s", TICK_SECONDS)
            return
        if counts:
            log.info("enqueued %s", counts)


def run(services: Services, queue: WorkQueue) -> None:
    # Signals are handled from the first moment, so a stop during start-up is clean.
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda s, _f: stopping.set())
    clock = Clock(services, queue)
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(clock.safe_tick, "interval", seconds=TICK_SECONDS, id="tick",
                      coalesce=True, max_instances=1,
                      next_run_time=datetime.now(UTC))
    scheduler.start()
    log.info("clock started as %s: ticking every %d s", clock.leadership.owner, TICK_SECONDS)
    # A timed wait: a signal the kernel hands to one of the scheduler's threads reaches
    # Python's handler only when the main thread wakes, and an untimed wait never does.
    while not stopping.wait(0.5):
        pass
    log.info("clock stopping")
    scheduler.shutdown(wait=True)
    with contextlib.suppress(*STORAGE_ERRORS):
        clock.leadership.resign()
