"""The nudge two hours before each 1-on-1: planned by polling, spread over the
interval, sent once per (meeting, start), never for a cancelled, completed or moved
meeting, and not twice across a clock restart. On a fake clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import build_services

DANA, ADA = "U0DANA", "U0ADA"


@pytest.fixture
def linked(stack):
    stack.quick_link(DANA)
    stack.quick_link(ADA)
    return stack


def move_to(stack, clock, moment):
    clock.advance(moment.timestamp() - clock())


def dms(stack, channel):
    return [p for p in stack.slack.posted if p.channel == channel and p.kind == "message"]


def test_both_linked_participants_are_nudged_two_hours_before(linked, clock):
    stack, nudger = linked, linked.services.oneonone_nudges
    meeting = stack.geese.oneonones[12]  # Ada and Dana, tomorrow
    assert nudger.poll() > 0
    move_to(stack, clock, meeting.start - timedelta(hours=2, minutes=1))
    assert "sent" not in nudger.send_due()
    move_to(stack, clock, meeting.start - timedelta(hours=2) + timedelta(seconds=5))
    outcomes = nudger.send_due()
    assert outcomes.get("sent") == 2
    for channel, other in (("D0DANA", "Ada Okafor"), ("D0ADA", "Dana Ito")):
        (dm,) = [d for d in dms(stack, channel) if "1-on-1 with" in str(d.blocks)]
        text = str(dm.blocks)
        assert f"Your 1-on-1 with *{other}*" in text and "1. Hiring plan" in text
        assert "oneonone_add" in text  # the Add talking point button
        assert f"<!date^{int(meeting.start.timestamp())}^" in text
    assert nudger.send_due() == {}
    # A restarted clock (nothing shared but Redis) plans again and sends nothing twice.
    restarted = build_services(stack.settings, redis_client=stack.services.redis, clock=clock)
    try:
        restarted.oneonone_nudges.poll()
        assert "sent" not in restarted.oneonone_nudges.send_due()
    finally:
        restarted.drain()
    assert len([d for d in dms(stack, "D0DANA") if "1-on-1 with" in str(d.blocks)]) == 1


def test_a_moved_meeting_is_nudged_at_its_new_time_only(linked, clock):
    stack, nudger = linked, linked.services.oneonone_nudges
    meeting = stack.geese.oneonones[12]
    old_start = meeting.start
    nudger.poll()
    meeting.start = old_start + timedelta(hours=5)  # moved in 7Geese after planning
    move_to(stack, clock, old_start - timedelta(hours=2) + timedelta(seconds=5))
    assert nudger.send_due() == {"moved": 2}
    nudger.poll()
    move_to(stack, clock, meeting.start - timedelta(hours=2) + timedelta(seconds=5))
    assert nudger.send_due() == {"sent": 2}
    (dm,) = [d for d in dms(stack, "D0DANA") if "1-on-1 with" in str(d.blocks)]
    assert f"<!date^{int(meeting.start.timestamp())}^" in str(dm.blocks)


@pytest.mark.parametrize("change", ["cancelled", "completed"])
def test_cancelled_or_completed_meetings_are_not_nudged(linked, clock, change):
    stack, nudger = linked, linked.services.oneonone_nudges
    meeting = stack.geese.oneonones[12]
    nudger.poll()
    if change == "cancelled":
        meeting.deleted = True
    else:
        meeting.completed = meeting.start - timedelta(hours=3)
    move_to(stack, clock, meeting.start - timedelta(hours=2) + timedelta(seconds=5))
    assert nudger.send_due() == {change: 2}
    assert not any("1-on-1 with" in str(d.blocks) for d in dms(stack, "D0DANA"))


def test_turning_the_nudge_off_is_honoured(linked, clock):
    stack, nudger = linked, linked.services.oneonone_nudges
    reply = stack.driver.command(DANA, "nudges 1on1 off").body["text"]
    assert reply.startswith("No more reminders before your 1-on-1s")
    meeting = stack.geese.oneonones[12]
    nudger.poll()
    move_to(stack, clock, meeting.start - timedelta(hours=2) + timedelta(seconds=5))
    assert nudger.send_due() == {"sent": 1}  # Ada only
    assert not any("1-on-1 with" in str(d.blocks) for d in dms(stack, "D0DANA"))
    assert stack.driver.command(DANA, "nudges 1on1 on").body["text"].startswith("I'll remind")


def test_a_late_clock_sends_before_the_meeting_but_not_after(linked, clock):
    stack, nudger = linked, linked.services.oneonone_nudges
    meeting = stack.geese.oneonones[12]
    nudger.poll()
    move_to(stack, clock, meeting.start - timedelta(minutes=30))  # the clock was down
    assert nudger.send_due() == {"sent": 2}
    other = stack.geese.oneonones[10]  # Dana and Bea: Bea is not linked
    nudger.poll()
    move_to(stack, clock, other.start + timedelta(minutes=5))
    assert set(nudger.send_due()) == {"too_late"}  # it and others it passed: all skipped
    assert len([d for d in dms(stack, "D0DANA") if "1-on-1 with" in str(d.blocks)]) == 1


def test_polls_are_spread_over_the_interval(stack, clock):
    people = stack.slack.add_people(60)
    stack.geese.add_people(60)
    for person in people:
        stack.quick_link(person.id)
    nudger = stack.services.oneonone_nudges
    graphql = lambda: sum(1 for _, p, _ in stack.geese.requests if p == "/graphql")  # noqa: E731
    counts = []
    for minute in range(nudger.interval_minutes):
        before = graphql()
        for identity in nudger.due_to_poll(minute):
            nudger.poll_one(identity)
        counts.append(graphql() - before)
    assert sum(counts) == 60  # everyone once per interval
    assert max(counts) < 60 / 2  # and never most of them in the same minute
