"""Fan-out benchmark: N personal nudges due at the same minute, sent as DMs through
the sandbox Slack, which enforces a per-method rate budget for chat.postMessage;
then DMs and channel reminders mixed, due together in two workspaces (one of them in
an Enterprise Grid org), each workspace with its own budget, as Slack counts them.

    python bench/fanout.py --people 5000 --budget 100

Prints, for each scenario: delivered, duplicates, lost, 429s seen, and the achieved
rate as a ratio of the budget (the baseline measured in the same run is the budget
itself, summed over the workspaces: a sender that never waits longer than the
budgets demand scores 1.0). Targets: ratio >= 0.9, 0 duplicates, 0 lost.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.reminders.records import Nudge, Reminder
from bot.work.schedule import Schedule
from playground.stack import start_stack
from storage import SlackIdentity


class FakeClock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def run(people: int, budget: float, rate: float, redis_url: str | None) -> dict:
    from storage import connect

    clock = FakeClock()
    client = connect(redis_url)
    if redis_url:
        client.flushdb()
    with start_stack(redis_client=client, clock=clock, slack_post_rate=rate) as stack:
        stack.slack.budgets["chat.postMessage"] = budget
        slack_people = stack.slack.add_people(people)
        stack.geese.add_people(people)
        now = datetime.fromtimestamp(clock(), UTC)
        slot = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
        schedule = Schedule(9, 0, "daily", "UTC")
        for person in slack_people:
            stack.quick_link(person.id)
            nudge = Nudge(SlackIdentity(stack.slack.TEAM_ID, person.id), schedule, clock())
            stack.services.reminders.nudges.save(nudge.id, nudge.to_dict(),
                                                 next_at=slot.timestamp())
        clock.offset += (slot - now).total_seconds() + 1

        started = time.monotonic()
        outcomes = stack.services.dispatcher.run_due()
        elapsed = time.monotonic() - started

        sent = Counter(c.args["channel"] for c in stack.slack.calls_to("chat.postMessage")
                       if c.ok)
        delivered = sum(sent.values())
        expected = {p.id for p in slack_people}
        return {
            "people": people,
            "budget_per_s": budget,
            "bot_rate_per_s": rate,
            "delivered": delivered,
            "duplicates": sum(n - 1 for n in sent.values() if n > 1),
            "lost": len(expected - set(sent)),
            "429s_seen": stack.slack.throttled,
            "seconds": round(elapsed, 1),
            "achieved_per_s": round(delivered / elapsed, 1),
            "ratio_to_budget": round(delivered / elapsed / budget, 3),
            "outcomes": dict(outcomes),
        }


def run_mixed(people: int, channels: int, budget: float, rate: float,
              redis_url: str | None) -> dict:
    """`people` DMs and `channels` channel reminders in each of two workspaces."""
    from storage import connect

    clock = FakeClock()
    client = connect(redis_url)
    if redis_url:
        client.flushdb()
    with start_stack(redis_client=client, clock=clock, slack_post_rate=rate,
                     multi_workspace=True) as stack:
        now = datetime.fromtimestamp(clock(), UTC)
        slot = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
        schedule = Schedule(9, 0, "daily", "UTC")
        expected: dict[str, set[str]] = {}
        for n, world in enumerate(stack.cloud.worlds):
            stack.install(world.TEAM_ID)
            world.budgets["chat.postMessage"] = budget
            slack_people = world.add_people(people)
            stack.geese.add_people(people, start_pk=1000 + n * people, network=world.workspace)
            for person in slack_people:
                stack.quick_link(person.id)
                nudge = Nudge(SlackIdentity(world.TEAM_ID, person.id, world.ENTERPRISE_ID),
                              schedule, clock())
                stack.services.reminders.nudges.save(nudge.id, nudge.to_dict(),
                                                     next_at=slot.timestamp())
            setter = slack_people[0].id
            made = world.add_channels(channels)
            for channel in made:
                reminder = Reminder(world.TEAM_ID, world.ENTERPRISE_ID, channel.id, schedule,
                                    setter, clock())
                stack.services.reminders.reminders.save(reminder.id, reminder.to_dict(),
                                                        next_at=slot.timestamp())
            expected[world.TEAM_ID] = {p.id for p in slack_people} | {c.id for c in made}
        clock.offset += (slot - now).total_seconds() + 1

        started = time.monotonic()
        outcomes = stack.services.dispatcher.run_due()
        elapsed = time.monotonic() - started

        delivered = duplicates = lost = throttled = 0
        per_workspace = {}
        for world in stack.cloud.worlds:
            sent = Counter(c.args["channel"] for c in world.calls_to("chat.postMessage")
                           if c.ok)
            delivered += sum(sent.values())
            duplicates += sum(n - 1 for n in sent.values() if n > 1)
            lost += len(expected[world.TEAM_ID] - set(sent))
            throttled += world.throttled
            per_workspace[world.TEAM_ID] = sum(sent.values())
        workspaces = len(stack.cloud.worlds)
        return {
            "workspaces": workspaces,
            "dms_per_workspace": people,
            "channel_reminders_per_workspace": channels,
            "budget_per_s_per_workspace": budget,
            "bot_rate_per_s_per_workspace": rate,
            "delivered": delivered,
            "delivered_by_workspace": per_workspace,
            "duplicates": duplicates,
            "lost": lost,
            "429s_seen": throttled,
            "seconds": round(elapsed, 1),
            "achieved_per_s": round(delivered / elapsed, 1),
            "ratio_to_budget": round(delivered / elapsed / (budget * workspaces), 3),
            "outcomes": dict(outcomes),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--budget", type=float, default=100.0,
                        help="chat.postMessage calls per second the sandbox Slack allows")
    parser.add_argument("--redis-url", default=None, help="default: an embedded store")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    mixed_people, channels = args.people // 4, args.people // 20
    scenarios = [
        ("paced at the budget", lambda: run(args.people, args.budget, args.budget,
                                            args.redis_url)),
        ("configured 2x too fast (a 429 pauses every sender to the workspace)",
         lambda: run(args.people, args.budget, args.budget * 2, args.redis_url)),
        (f"mixed: {mixed_people} DMs + {channels} channel reminders in each of 2 workspaces, "
         "paced at each workspace's budget",
         lambda: run_mixed(mixed_people, channels, args.budget / 2, args.budget / 2,
                           args.redis_url)),
    ]
    failed = False
    for name, scenario in scenarios:
        result = scenario()
        print(f"{name}:")
        for key, value in result.items():
            print(f"  {key}: {value}")
        ok = result["duplicates"] == 0 and result["lost"] == 0 and \
            result["ratio_to_budget"] >= 0.9
        print(f"  target (ratio >= 0.9, 0 duplicates, 0 lost): {'met' if ok else 'MISSED'}")
        failed = failed or not ok
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
