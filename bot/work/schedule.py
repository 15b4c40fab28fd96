"""When a daily reminder fires, in a given IANA timezone, across DST changes. Pure.

A local time that does not exist on a spring-forward day (02:30 in New York on the
second Sunday of March) fires at the same distance past the gap (03:30). A local
time that happens twice on a fall-back day fires once, the first time. The person
setting the reminder is told about both at set-up (`dst_notes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import _, format_date, format_time

WEEKDAYS = "weekdays"
DAILY = "daily"
DAYS = (WEEKDAYS, DAILY)
# Weekly on one day ("fri"), or monthly on the first such day of the month ("monthly:mon").
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_WORDS = {"monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu",
             "friday": "fri", "saturday": "sat", "sunday": "sun",
             # French, whole and short: a French speaker may type either language
             "lundi": "mon", "mardi": "tue", "mercredi": "wed", "jeudi": "thu",
             "vendredi": "fri", "samedi": "sat", "dimanche": "sun", "lun": "mon",
             "mar": "tue", "mer": "wed", "jeu": "thu", "ven": "fri", "sam": "sat",
             "dim": "sun"}
A_MONDAY = date(2024, 1, 1)
MONTHLY = "monthly:"
TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.I)


@dataclass(frozen=True)
class Schedule:
    hour: int
    minute: int
    days: str  # weekdays | daily | a day ("fri": weekly) | "monthly:mon" (its first Monday)
    tz: str  # an IANA zone name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def describe(self) -> str:
        if self.days in DAY_NAMES:
            days = _("on {weekday}s").format(weekday=_long(self.days))
        elif self.days.startswith(MONTHLY):
            days = _("on the first {weekday} of each month").format(
                weekday=_long(self.days.removeprefix(MONTHLY)))
        else:
            days = _("on weekdays") if self.days == WEEKDAYS else _("every day")
        return _("{time} {days} ({tz})").format(
            time=format_time(time(self.hour, self.minute)), days=days, tz=self.tz)

    def runs_on(self, day: date) -> bool:
        if self.days in DAY_NAMES:
            return day.weekday() == DAY_NAMES.index(self.days)
        if self.days.startswith(MONTHLY):
            return day.day <= 7 and \
                day.weekday() == DAY_NAMES.index(self.days.removeprefix(MONTHLY))
        return self.days == DAILY or day.weekday() < 5

    def at(self, day: date) -> datetime:
        """The UTC moment this schedule fires on local `day` (whether or not it runs)."""
        local = datetime.combine(day, time(self.hour, self.minute), self.zone)  # fold=0
        moment = local.astimezone(UTC)
        # A wall time inside a spring-forward gap normalises past it: keep that.
        return moment

    def slots_between(self, start: datetime, end: datetime) -> list[datetime]:
        """Every firing moment in (start, end], in UTC, oldest first."""
        zone = self.zone
        first_day = start.astimezone(zone).date() - timedelta(days=1)
        last_day = end.astimezone(zone).date() + timedelta(days=1)
        slots = []
        day = first_day
        while day <= last_day:
            if self.runs_on(day):
                moment = self.at(day)
                if start < moment <= end:
                    slots.append(moment)
            day += timedelta(days=1)
        return slots

    def next_after(self, moment: datetime) -> datetime:
        day = moment.astimezone(self.zone).date()
        for offset in range(0, SEARCH_DAYS):
            candidate_day = day + timedelta(days=offset)
            if self.runs_on(candidate_day):
                candidate = self.at(candidate_day)
                if candidate > moment:
                    return candidate
        raise AssertionError("every schedule fires within 40 days")

    def last_at_or_before(self, moment: datetime) -> datetime | None:
        day = moment.astimezone(self.zone).date()
        for offset in range(0, SEARCH_DAYS):
            candidate_day = day - timedelta(days=offset)
            if self.runs_on(candidate_day):
                candidate = self.at(candidate_day)
                if candidate <= moment:
                    return candidate
        return None

    def dst_notes(self, now: datetime, *, horizon_days: int = 366) -> list[str]:
        """What a person should know about DST days in the coming year."""
        notes = []
        zone = self.zone
        start = now.astimezone(zone).date()
        for offset in range(horizon_days):
            day = start + timedelta(days=offset)
            if not self.runs_on(day):
                continue
            wall = datetime.combine(day, time(self.hour, self.minute))
            first = wall.replace(tzinfo=zone, fold=0)
            second = wall.replace(tzinfo=zone, fold=1)
            if first.utcoffset() == second.utcoffset():
                continue
            round_trip = first.astimezone(UTC).astimezone(zone)
            when = format_date(day, "date")
            at = format_time(time(self.hour, self.minute))
            if round_trip.replace(tzinfo=None) != wall:
                notes.append(_("{time} doesn't exist on {when} in {tz} (clocks jump forward); "
                               "that day it comes at {instead}.").format(
                    time=at, when=when, tz=self.tz,
                    instead=format_time(round_trip.replace(tzinfo=None))))
            else:
                notes.append(_("{time} happens twice on {when} in {tz} (clocks go back); it "
                               "comes once, the first time.").format(
                    time=at, when=when, tz=self.tz))
        return notes


SEARCH_DAYS = 40  # a monthly schedule's next slot is at most 35 days away


def _long(day: str) -> str:
    """A day of the week in the current language ("Friday", "vendredi")."""
    return format_date(A_MONDAY + timedelta(days=DAY_NAMES.index(day)), "weekday")


def parse_time(text: str) -> tuple[int, int] | None:
    """"09:30", "9:30", "9", "9am", "2:15pm" -> (hour, minute); None if not a time."""
    found = TIME.match(text.strip())
    if not found:
        return None
    hour, minute, meridiem = int(found.group(1)), int(found.group(2) or 0), found.group(3)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return hour, minute


def valid_zone(name: str) -> bool:
    if not name or ("/" not in name and name != "UTC"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
