"""When reminders fire: DST changes in three hemispheres' zones, weekdays and daily,
on a fake clock (the schedule is pure: nothing sleeps)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.work.schedule import Schedule, parse_time, valid_zone


def local(schedule: Schedule, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(schedule.tz)).strftime("%a %Y-%m-%d %H:%M %Z")


def firings(schedule: Schedule, start: str, days: int) -> list[str]:
    begin = datetime.fromisoformat(start).replace(tzinfo=UTC)
    return [local(schedule, s) for s in
            schedule.slots_between(begin, begin + timedelta(days=days))]


@pytest.mark.parametrize(
    ("tz", "spring", "fall"),
    [
        ("America/New_York", "2027-03-14", "2027-11-07"),
        ("Europe/London", "2027-03-28", "2027-10-31"),
        ("Australia/Sydney", "2027-10-03", "2027-04-04"),
    ],
)
def test_a_normal_time_keeps_its_wall_clock_across_both_changes(tz, spring, fall):
    schedule = Schedule(9, 30, "daily", tz)
    for change in (spring, fall):
        day = datetime.fromisoformat(change)
        around = firings(schedule, (day - timedelta(days=2)).isoformat(), 4)
        assert len(around) == 4
        assert all(f.split()[2] == "09:30" for f in around), around
        # ...while the UTC moment moves by the hour the clocks changed.
        utc = schedule.slots_between(day.replace(tzinfo=UTC) - timedelta(days=2),
                                     day.replace(tzinfo=UTC) + timedelta(days=2))
        assert len({s.astimezone(UTC).strftime("%H:%M") for s in utc}) == 2


@pytest.mark.parametrize(
    ("tz", "day", "missing", "shown_at"),
    [
        ("America/New_York", "2027-03-14", (2, 30), "03:30"),
        ("Europe/London", "2027-03-28", (1, 30), "02:30"),
        ("Australia/Sydney", "2027-10-03", (2, 30), "03:30"),
    ],
)
def test_a_time_that_does_not_exist_fires_once_just_after_the_gap(tz, day, missing, shown_at):
    schedule = Schedule(*missing, "daily", tz)
    begin = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(tz)) - timedelta(hours=12)
    slots = schedule.slots_between(begin.astimezone(UTC), begin.astimezone(UTC)
                                   + timedelta(days=1))
    assert [local(schedule, s).split()[2] for s in slots] == [shown_at]
    notes = schedule.dst_notes(datetime(2027, 1, 1, tzinfo=UTC))
    assert any("doesn't exist" in n and f"that day it comes at {shown_at}" in n for n in notes)


@pytest.mark.parametrize(
    ("tz", "day", "repeated"),
    [
        ("America/New_York", "2027-11-07", (1, 30)),
        ("Europe/London", "2027-10-31", (1, 30)),
        ("Australia/Sydney", "2027-04-04", (2, 30)),
    ],
)
def test_a_time_that_happens_twice_fires_once_the_first_time(tz, day, repeated):
    schedule = Schedule(*repeated, "daily", tz)
    start = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(tz)) - timedelta(hours=6)
    slots = schedule.slots_between(start.astimezone(UTC), start.astimezone(UTC)
                                   + timedelta(hours=24))
    assert len(slots) == 1
    first = datetime.combine(datetime.fromisoformat(day).date(),
                             datetime.min.time().replace(hour=repeated[0], minute=repeated[1]),
                             ZoneInfo(tz))  # fold=0: the first occurrence
    assert slots[0] == first.astimezone(UTC)
    notes = schedule.dst_notes(datetime(2027, 1, 1, tzinfo=UTC))
    assert any("happens twice" in n for n in notes)


def test_weekdays_skip_the_weekend_and_daily_does_not():
    weekdays = Schedule(9, 0, "weekdays", "Europe/London")
    # Friday 2027-03-26 to Tuesday 2027-03-30, across London's spring change on Sunday.
    assert firings(weekdays, "2027-03-26T00:00:00", 5) == [
        "Fri 2027-03-26 09:00 GMT", "Mon 2027-03-29 09:00 BST", "Tue 2027-03-30 09:00 BST"]
    daily = Schedule(9, 0, "daily", "Europe/London")
    assert len(firings(daily, "2027-03-26T00:00:00", 5)) == 5
    friday_evening = datetime(2027, 3, 26, 18, 0, tzinfo=UTC)
    assert local(weekdays, weekdays.next_after(friday_evening)) == "Mon 2027-03-29 09:00 BST"
    assert local(daily, daily.next_after(friday_evening)) == "Sat 2027-03-27 09:00 GMT"
    assert local(weekdays, weekdays.last_at_or_before(friday_evening)) == \
        "Fri 2027-03-26 09:00 GMT"


def test_next_after_a_slot_is_the_following_slot():
    schedule = Schedule(9, 30, "weekdays", "America/New_York")
    slot = datetime(2027, 3, 12, 14, 30, tzinfo=UTC)  # Fri 09:30 EST
    assert schedule.next_after(slot - timedelta(seconds=1)) == slot
    assert local(schedule, schedule.next_after(slot)) == "Mon 2027-03-15 09:30 EDT"


def test_no_notes_for_ordinary_times_and_zones_without_dst():
    assert Schedule(9, 30, "daily", "America/New_York").dst_notes(
        datetime(2027, 1, 1, tzinfo=UTC)) == []
    assert Schedule(2, 30, "daily", "Asia/Singapore").dst_notes(
        datetime(2027, 1, 1, tzinfo=UTC)) == []


@pytest.mark.parametrize(("text", "parsed"), [
    ("09:30", (9, 30)), ("9:30", (9, 30)), ("9", (9, 0)), ("9am", (9, 0)), ("12am", (0, 0)),
    ("2:15pm", (14, 15)), ("23:59", (23, 59)), ("24:00", None), ("9:60", None),
    ("13pm", None), ("noon", None), ("", None),
])
def test_parse_time(text, parsed):
    assert parse_time(text) == parsed


def test_valid_zone():
    assert valid_zone("Europe/Berlin") and valid_zone("UTC")
    assert not valid_zone("Mars/Base") and not valid_zone("EST5") and not valid_zone("")
