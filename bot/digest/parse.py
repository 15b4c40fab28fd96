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
class TeamDigest:
    pass


@dataclass(frozen=True)
class Problem:
    text: str


def parse_digest(text: str) -> Start | Stop | TeamDigest | Problem:
    """`text` is what follows `digest`."""
    words = text.split()
    if not words:
        return Problem(f"Which digest? Try: {USAGE}")
    head = words[0].lower()
    if head in ("off", "stop"):
        return Stop() if len(words) == 1 else Problem("`/geese digest off` stops this "
                                                      "channel's digest.")
    if head == "team":
        return TeamDigest()
    if head not in ("recognition", "recognitions"):
        return Problem(f"I can post a recognition digest in a channel. Try: {USAGE}")
    rest = list(words[1:])
    allow = "--allow-outside" in (w.lower() for w in rest)
    rest = [w for w in rest if w.lower() != "--allow-outside"]
    period = rest.pop(0).lower() if rest and rest[0].lower() in PERIODS else "weekly"
    day, hour_minute, tz = None, None, None
    for word in rest:
        low = word.lower()
        if low.startswith("tz="):
            tz = word[3:]
            if not valid_zone(tz):
                return Problem(f"`{shown(word[3:], 60)}` isn't a timezone I know. Use an IANA name "
                               "like `tz=Europe/Paris` or `tz=America/Toronto`.")
        elif low in DAY_NAMES or low in DAY_WORDS:
            day = DAY_WORDS.get(low, low)
        elif parse_time(word):
            hour_minute = parse_time(word)
        else:
            return Problem(f"I didn't understand `{shown(word, 60)}`. Try: {USAGE}")
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
