"""Soak: simulated days of the web and two clock processes against the sandbox.

    python bench/soak.py --minutes 5 --people 200

For `--minutes` of real time, days pass on a fake clock in 15-minute steps. People
set their nudges through signed `/geese nudges ...` commands (each with its own time
and days), some turn them off and on again or pause them through the same commands,
and some recognize a colleague. At every step two clock processes (two Services
sharing one Redis) run the clock's jobs side by side: the reminders' catch-up pass,
the recognition outbox and the 1-on-1 tick.

Checks, per person: every nudge that was due was sent once and none twice; and the
process's memory is flat once warm (the sandbox's own logs are cleared every day, so
what grows is ours): Python's allocated blocks and the RSS, day by day. Not in CI:
it runs for minutes.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.services import build_services
from bot.work.schedule import Schedule
from playground.stack import start_stack

STEP = timedelta(minutes=15)
MINUTES = (5, 10, 20, 25, 35, 40, 50, 55)  # never on a step, so no ties at toggles
NUDGE_TEXT = "Time to check in on your objectives"
WARM_DAYS = 2
FLAT_MB = 8.0  # RSS growth allowed from the warm day to the last (allocator noise)
FLAT_HEAP_PCT = 2.0  # the same for Python's allocated blocks, which are exact


class FakeClock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@dataclass
class Person:
    user_id: str
    schedule: Schedule
    on_since: datetime | None = None
    spans: list[tuple[datetime, datetime]] = field(default_factory=list)
    pause: tuple[datetime, date] | None = None  # (asked at, the day nudges come back)

    def expected(self, end: datetime) -> set[datetime]:
        spans = self.spans + ([(self.on_since, end)] if self.on_since else [])
        return {slot for start, stop in spans for slot in self.schedule.slots_between(start, stop)
                if not self.paused_on(slot)}

    def paused_on(self, slot: datetime) -> bool:
        return self.pause is not None and slot > self.pause[0] and \
            slot.date() < self.pause[1]


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def run(minutes: float, people_count: int, redis_url: str | None) -> dict:
    from storage import connect

    clock = FakeClock()
    client = connect(redis_url)
    client.flushdb()
    with start_stack(redis_client=client, clock=clock) as stack:
        second = build_services(stack.settings, redis_client=stack.services.redis, clock=clock)
        clocks = [stack.services, second]
        slack_people = stack.slack.add_people(people_count)
        stack.geese.add_people(people_count)
        # Start at a quiet midnight, so the first day is whole.
        start = (datetime.fromtimestamp(clock(), UTC) + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0)
        clock.offset += (start - datetime.fromtimestamp(clock(), UTC)).total_seconds()
        people = []
        for n, slack_person in enumerate(slack_people):
            stack.quick_link(slack_person.id)
            hour, minute = 6 + n % 12, MINUTES[n % len(MINUTES)]
            days = "daily" if n % 3 else "weekdays"
            person = Person(slack_person.id, Schedule(hour, minute, days, "UTC"))
            say(stack, person.user_id, f"nudges on {hour:02d}:{minute:02d} {days}")
            person.on_since = now(clock)
            people.append(person)

        sent: Counter[tuple[str, datetime]] = Counter()
        memory: list[float] = []
        heap: list[int] = []
        pool = ThreadPoolExecutor(max_workers=len(clocks), thread_name_prefix="clock")
        days = 0
        deadline = time.monotonic() + minutes * 60
        while time.monotonic() < deadline or days < WARM_DAYS + 2:
            day_start = now(clock)
            for step in range(int(timedelta(days=1) / STEP)):
                clock.offset += STEP.total_seconds()
                run_clocks(pool, clocks)  # first: what came due by now went out at its time
                if step == 40:  # 10:15: people use the web
                    daytime_commands(stack, clock, people, days)
            sent.update(tally(stack, people, day_start))
            days += 1
            for log in (stack.slack.calls, stack.slack.posted, stack.slack.response_urls,
                        stack.slack.triggers, stack.slack.views, stack.geese.requests,
                        stack.geese.finished):
                log.clear()  # the sandbox's history, not ours
            stack.geese.forget_rotated(older_than=86400)
            gc.collect()
            memory.append(round(rss_mb(), 1))
            heap.append(sys.getallocatedblocks())
        end = now(clock)
        pool.shutdown()
        second.close()

    expected = {(p.user_id, slot) for p in people for slot in p.expected(end)}
    got = set(sent)
    warm = memory[WARM_DAYS - 1]
    warm_heap = heap[WARM_DAYS - 1]
    return {
        "people": people_count,
        "simulated_days": days,
        "nudges_due": len(expected),
        "nudges_sent": sum(sent.values()),
        "sent_twice": sum(1 for n in sent.values() if n > 1),
        "missed": len(expected - got),
        "sent_but_not_due": len(got - expected),
        "rss_mb_by_day": memory,
        "rss_growth_after_warm_up_mb": round(memory[-1] - warm, 1),
        "python_heap_blocks_by_day": heap,
        "python_heap_growth_after_warm_up_pct": round(100 * (heap[-1] - warm_heap) / warm_heap,
                                                      2),
        "first_missed": sorted(expected - got)[:3],
        "first_not_due": sorted(got - expected)[:3],
    }


def now(clock: FakeClock) -> datetime:
    return datetime.fromtimestamp(clock(), UTC)


def say(stack, user_id: str, text: str) -> None:
    reply = stack.driver.command(user_id, text)
    if reply.status != 200:
        raise RuntimeError(f"/geese {text} answered {reply.status}")
    stack.services.settle()


def daytime_commands(stack, clock: FakeClock, people: list[Person], day: int) -> None:
    """Every day a different handful turns nudges off or on, pauses, recognizes."""
    for n, person in enumerate(people):
        if (n + day) % 17 == 0:
            if person.on_since:
                say(stack, person.user_id, "nudges off")
                person.spans.append((person.on_since, now(clock)))
                person.on_since = None
            else:
                s = person.schedule
                say(stack, person.user_id, f"nudges on {s.hour:02d}:{s.minute:02d} {s.days}")
                person.on_since = now(clock)
        elif (n + day) % 23 == 0 and person.pause is None:
            until = now(clock).date() + timedelta(days=2)
            say(stack, person.user_id, f"pause until {until.isoformat()}")
            person.pause = (now(clock), until)
        elif (n + day) % 29 == 0:
            colleague = people[(n + 1) % len(people)].user_id
            say(stack, person.user_id, f"recognize <@{colleague}> kept the lights on")


def run_clocks(pool: ThreadPoolExecutor, clocks) -> None:
    """Both clock processes run their jobs at once, on long-lived threads as
    APScheduler's executor does."""
    def jobs(services):
        nudger = services.oneonone_nudges
        services.dispatcher.run_due()
        services.recognition.process_due()
        minute = int(services.clock() // 60)
        for identity in nudger.due_to_poll(minute):
            nudger.poll_one(identity)
        nudger.send_due()

    for done in [pool.submit(jobs, services) for services in clocks]:
        done.result()


def tally(stack, people: list[Person], day_start: datetime) -> Counter[tuple[str, datetime]]:
    """Nudges Slack received today, keyed by person and the slot they were for."""
    by_id = {p.user_id: p for p in people}
    found: Counter[tuple[str, datetime]] = Counter()
    for call in stack.slack.calls_to("chat.postMessage"):
        person = by_id.get(call.args.get("channel"))
        if call.ok and person and NUDGE_TEXT in (call.args.get("text") or ""):
            slots = person.schedule.slots_between(day_start - timedelta(hours=1),
                                                  day_start + timedelta(days=1))
            found[(person.user_id, slots[-1] if slots else day_start)] += 1
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="real time to run for")
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--redis-url", default=None,
                        help="default: a throwaway redis-server (or, without one, an "
                             "embedded store, whose memory then counts as ours)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    server = None
    if args.redis_url is None and shutil.which("redis-server"):
        from tests.helpers import RedisProcess

        server = RedisProcess().start()
    try:
        result = run(args.minutes, args.people, args.redis_url or (server and server.url))
    finally:
        if server is not None:
            server.cleanup()
    for key, value in result.items():
        print(f"{key}: {value}")
    ok = (result["sent_twice"] == 0 and result["missed"] == 0
          and result["sent_but_not_due"] == 0
          and result["rss_growth_after_warm_up_mb"] <= FLAT_MB
          and result["python_heap_growth_after_warm_up_pct"] <= FLAT_HEAP_PCT)
    print(f"target (each due nudge once, none twice; memory flat: RSS within {FLAT_MB} MB, "
          f"Python heap within {FLAT_HEAP_PCT}%): "
          f"{'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
