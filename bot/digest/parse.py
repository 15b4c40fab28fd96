"""`/geese digest ...`, read into what to do (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.reminders.commands import Problem, parse_when
from bot.work.schedule import MONTHLY, WEEKDAYS

USAGE = ("`/geese digest recognition weekly fri 16:00` (or `daily`, `monthly`; "
         "`tz=Area/City` for another timezone), `/geese digest off`, `/geese digests`")
PERIODS = ("daily", "weekly", "monthly")
DEFAULT_DAY = {"weekly": "fri", "monthly": "mon"}
DEFAULT_TIME = (16, 0)


@dataclass(frozen=True)
class Start:
    period: str
    days: str  # a Schedule's days
    hour: int
    minute: int
    tz: str | None  # None: the setter's Slack timezone
    allow_outside: bool = False


@dataclass(frozen=True)
class Stop:
    pass


@dataclass(frozen=True)
class TeamOn:
    days: str
    hour: int
    minute: int


@dataclass(frozen=True)
class TeamOff:
    pass


TEAM_USAGE = "`/geese digest team on fri 15:00` (any day and time) or `/geese digest team off`"


TEAM_DEFAULT_TIME = (15, 0)


def _team(words: list[str]) -> TeamOn | TeamOff | Problem:
    switch = words[0].lower() if words else ""
    if switch == "off" and len(words) == 1:
        return TeamOff()
    if switch != "on":
        return Problem(f"Turn your weekly team digest on or off: {TEAM_USAGE}")
    when = parse_when(words[1:], usage=TEAM_USAGE, allow_tz=False,
                      default_time=TEAM_DEFAULT_TIME, weekly=True)
    if isinstance(when, Problem):
        return when
    return TeamOn(when.days or DEFAULT_DAY["weekly"], when.hour, when.minute)


def parse_digest(text: str) -> Start | Stop | TeamOn | TeamOff | Problem:
    """`text` is what follows `digest`."""
    words = text.split()
    if not words:
        return Problem(f"Which digest? Try: {USAGE}")
    head = words[0].lower()
    if head in ("off", "stop"):
        return Stop() if len(words) == 1 else Problem("`/geese digest off` stops this "
                                                      "channel's digest.")
    if head == "team":
        return _team(words[1:])
    if head not in ("recognition", "recognitions"):
        return Problem(f"I can post a recognition digest in a channel. Try: {USAGE}")
    rest = list(words[1:])
    allow = "--allow-outside" in (w.lower() for w in rest)
    rest = [w for w in rest if w.lower() != "--allow-outside"]
    period = rest.pop(0).lower() if rest and rest[0].lower() in PERIODS else "weekly"
    when = parse_when(rest, usage=USAGE, allow_tz=True, default_time=DEFAULT_TIME,
                      weekly=True)
    if isinstance(when, Problem):
        return when
    day, hour, minute, tz = when.days or None, when.hour, when.minute, when.tz
    if period == "daily" and day is not None:
        return Problem("A daily digest comes every weekday; leave the day out, or pick "
                       "`weekly` with it.")
    if period == "daily":
        days = WEEKDAYS
    elif period == "weekly":
        days = day or DEFAULT_DAY["weekly"]
    else:
        days = MONTHLY + (day or DEFAULT_DAY["monthly"])
    return Start(period, days, hour, minute, tz, allow)
