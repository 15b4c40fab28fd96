"""`/geese digest ...`, read into what to do (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack.blocks import shown
from bot.work.schedule import DAY_NAMES, DAY_WORDS, MONTHLY, WEEKDAYS, parse_time, valid_zone

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


@dataclass(frozen=True)
class Problem:
    text: str


def _team(words: list[str]) -> TeamOn | TeamOff | Problem:
    switch = words[0].lower() if words else ""
    if switch == "off" and len(words) == 1:
        return TeamOff()
    if switch != "on":
        return Problem(f"Turn your weekly team digest on or off: {TEAM_USAGE}")
    when = _when(words[1:], TEAM_USAGE, allow_tz=False)
    if isinstance(when, Problem):
        return when
    return TeamOn(when.day or "fri", *(when.time or (15, 0)))


@dataclass(frozen=True)
class _When:
    day: str | None  # mon..sun
    time: tuple[int, int] | None
    tz: str | None


def _when(words: list[str], usage: str, *, allow_tz: bool) -> _When | Problem:
    """A day, a time and (where allowed) `tz=Area/City`, in any order."""
    day, hour_minute, tz = None, None, None
    for word in words:
        low = word.lower()
        if allow_tz and low.startswith("tz="):
            tz = word[3:]
            if not valid_zone(tz):
                return Problem(f"`{shown(tz, 60)}` isn't a timezone I know. Use an IANA "
                               "name like `tz=Europe/Paris` or `tz=America/Toronto`.")
        elif low in DAY_NAMES or low in DAY_WORDS:
            day = DAY_WORDS.get(low, low)
        elif parse_time(word):
            hour_minute = parse_time(word)
        else:
            return Problem(f"I didn't understand `{shown(word, 60)}`. Try: {usage}")
    return _When(day, hour_minute, tz)


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
    when = _when(rest, USAGE, allow_tz=True)
    if isinstance(when, Problem):
        return when
    day, hour_minute, tz = when.day, when.time, when.tz
    if period == "daily" and day is not None:
        return Problem("A daily digest comes every weekday; leave the day out, or pick "
                       "`weekly` with it.")
    hour, minute = hour_minute or DEFAULT_TIME
    if period == "daily":
        days = WEEKDAYS
    elif period == "weekly":
        days = day or DEFAULT_DAY["weekly"]
    else:
        days = MONTHLY + (day or DEFAULT_DAY["monthly"])
    return Start(period, days, hour, minute, tz, allow)
