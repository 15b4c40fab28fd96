"""`/geese digest ...`, read into what to do (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_, _, fold
from bot.reminders.commands import Problem, parse_when
from bot.work.schedule import MONTHLY, WEEKDAYS

USAGE = (N_("`/geese digest recognition weekly fri 16:00` (or `daily`, `monthly`; "
         "`tz=Area/City` for another timezone), `/geese digest off`, `/geese digests`"))
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


TEAM_USAGE = N_("`/geese digest team on fri 15:00` (any day and time) or `/geese digest team off`")


TEAM_DEFAULT_TIME = (15, 0)


def _team(words: list[str]) -> TeamOn | TeamOff | Problem:
    switch = words[0].lower() if words else ""
    if switch == "off" and len(words) == 1:
        return TeamOff()
    if switch != "on":
        return Problem(_("Turn your weekly team digest on or off: {TEAM_USAGE}").format(
                         TEAM_USAGE=_(TEAM_USAGE)))
    when = parse_when(words[1:], usage=_(TEAM_USAGE), allow_tz=False,
                      default_time=TEAM_DEFAULT_TIME, weekly=True)
    if isinstance(when, Problem):
        return when
    return TeamOn(when.days or DEFAULT_DAY["weekly"], when.hour, when.minute)


# French words for this command's own (accents dropped before looking them up).
FRENCH = {"reconnaissance": "recognition", "reconnaissances": "recognition",
          "equipe": "team", "quotidien": "daily", "hebdomadaire": "weekly",
          "mensuel": "monthly", "arret": "off"}


def _english(word: str) -> str:
    return FRENCH.get(fold(word), word)


def parse_digest(text: str) -> Start | Stop | TeamOn | TeamOff | Problem:
    """`text` is what follows `digest`."""
    words = [_english(word) for word in text.split()]
    if not words:
        return Problem(_("Which digest? Try: {USAGE}").format(USAGE=_(USAGE)))
    head = words[0].lower()
    if head in ("off", "stop"):
        return Stop() if len(words) == 1 else Problem(_("`/geese digest off` stops this "
                                                      "channel's digest."))
    if head == "team":
        return _team(words[1:])
    if head not in ("recognition", "recognitions"):
        return Problem(_("I can post a recognition digest in a channel. Try: {USAGE}").format(
                         USAGE=_(USAGE)))
    rest = list(words[1:])
    allow = "--allow-outside" in (w.lower() for w in rest)
    rest = [w for w in rest if w.lower() != "--allow-outside"]
    period = rest.pop(0).lower() if rest and rest[0].lower() in PERIODS else "weekly"
    when = parse_when(rest, usage=_(USAGE), allow_tz=True, default_time=DEFAULT_TIME,
                      weekly=True)
    if isinstance(when, Problem):
        return when
    day, hour, minute, tz = when.days or None, when.hour, when.minute, when.tz
    if period == "daily" and day is not None:
        return Problem(_("A daily digest comes every weekday; leave the day out, or pick "
                       "`weekly` with it."))
    if period == "daily":
        days = WEEKDAYS
    elif period == "weekly":
        days = day or DEFAULT_DAY["weekly"]
    else:
        days = MONTHLY + (day or DEFAULT_DAY["monthly"])
    return Start(period, days, hour, minute, tz, allow)
