"""Reading `/geese remind ...` and `/geese nudges ...`. Pure.

    remind objectives [HH:MM] [weekdays|daily] [tz=Area/City]
    remind off
    nudges on [HH:MM] [weekdays|daily]
    nudges off
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.i18n import N_, _, fold
from bot.slack.blocks import shown
from bot.work.schedule import (
    DAILY,
    DAY_NAMES,
    DAY_WORDS,
    DAYS,
    WEEKDAYS,
    parse_time,
    valid_zone,
)

REMIND_USAGE = N_("`/geese remind objectives [HH:MM] [weekdays|daily] [tz=Area/City]`")
NUDGE_USAGE = (N_("`/geese nudges on [HH:MM] [weekdays|daily]`, `/geese nudges off`, or "
               "`/geese nudges 1on1 on|off`"))
DEFAULT_TIME = (9, 0)


@dataclass(frozen=True)
class When:
    hour: int
    minute: int
    days: str
    tz: str | None  # None: the person's own Slack timezone


@dataclass(frozen=True)
class Off:
    pass


@dataclass(frozen=True)
class Problem:
    text: str


@dataclass(frozen=True)
class OneOnOneNudges:
    on: bool


# Other words for `daily` and `weekdays`, French ones among them.
EVERY_DAY = ("every-day", "everyday", "quotidien", "tous-les-jours", "chaque-jour")
WORK_DAYS = ("weekday", "semaine", "jours-ouvrables")


def parse_when(words: list[str], *, usage: str, allow_tz: bool,
               default_time: tuple[int, int] = DEFAULT_TIME,
               weekly: bool = False) -> When | Problem:
    """A time, the days and (where allowed) `tz=Area/City`, in any order. `weekly`: the
    day is one day of the week (`fri`, `friday`), and `days` is "" when none is given."""
    hour, minute = default_time
    days, tz = ("" if weekly else WEEKDAYS), None
    seen_time = False
    for word in words:
        lowered = word.lower()
        if not weekly and (lowered in DAYS or lowered in EVERY_DAY or lowered in WORK_DAYS):
            days = DAILY if lowered in (DAILY, *EVERY_DAY) else WEEKDAYS
        elif weekly and (lowered in DAY_NAMES or lowered in DAY_WORDS):
            days = DAY_WORDS.get(lowered, lowered)
        elif allow_tz and lowered.startswith("tz="):
            tz = word[3:]
            if not valid_zone(tz):
                return Problem(_("I don't know the timezone `{tz}`. Use a name like "
                                 "`tz=Europe/Berlin` or `tz=America/New_York`.").format(
                                 tz=shown(tz, 60)))
        elif (parsed := parse_time(word)) is not None and not seen_time:
            hour, minute = parsed
            seen_time = True
        elif re.match(r"^\d{1,2}:\d{1,2}$", word):
            return Problem(_("`{word}` isn't a time of day. Use 24-hour time, like "
                             "`09:30`.").format(word=shown(word, 60)))
        else:
            return Problem(_("I didn't understand `{word}`. Try: {usage}").format(
                             word=shown(word, 60), usage=usage))
    return When(hour, minute, days, tz)


def parse_remind(text: str) -> When | Off | Problem:
    """`text` is what follows `remind`."""
    words = text.split()
    if not words:
        return Problem(_("What should I remind this channel about? Try: {REMIND_USAGE}").format(
                         REMIND_USAGE=_(REMIND_USAGE)))
    head = words[0].lower()
    if head in ("off", "stop", "none"):
        return Off() if len(words) == 1 else Problem(
            _("`/geese remind off` removes every reminder in this channel."))
    if head not in ("objectives", "objective", "okrs", "checkins"):
        return Problem(_("I can remind a channel about objectives. Try: {REMIND_USAGE}").format(
                         REMIND_USAGE=_(REMIND_USAGE)))
    return parse_when(words[1:], usage=_(REMIND_USAGE), allow_tz=True)


def switch(word: str) -> bool | None:
    """`on` or `off` (in French `activer`, `désactiver`): True, False, or None."""
    return SWITCHES.get(fold(word))


SWITCHES = {"on": True, "activer": True, "off": False, "desactiver": False}


def parse_pause(text: str, today: date) -> date | Problem:
    """`text` is what follows `pause`: `until YYYY-MM-DD` (or just the date)."""
    words = text.split()
    if words and fold(words[0]) in ("until", "jusqu'au", "jusqu'a"):
        words = words[1:]
    if len(words) != 1:
        return Problem(_("Pause nudges until a date: `/geese pause until 2026-12-24`. "
                       "`/geese resume` ends a pause."))
    try:
        until = date.fromisoformat(words[0])
    except ValueError:
        return Problem(_("`{words}` isn't a date. Use YYYY-MM-DD, like `2026-12-24`.").format(
                         words=shown(words[0], 60)))
    if until <= today:
        return Problem(_("Pick a date after today: the day your nudges should come back."))
    if until > today + timedelta(days=366):
        return Problem(_("A pause can last up to a year. Pick an earlier date."))
    return until


def parse_nudges(text: str) -> When | Off | OneOnOneNudges | Problem:
    """`text` is what follows `nudges`."""
    words = text.split()
    if words and words[0].lower() in ("1on1", "1:1", "oneonone"):
        if len(words) == 2 and switch(words[1]) is not None:
            return OneOnOneNudges(on=bool(switch(words[1])))
        return Problem(_("Turn the reminder before each 1-on-1 on or off: "
                       "`/geese nudges 1on1 on` or `/geese nudges 1on1 off`"))
    if not words or switch(words[0]) is None:
        return Problem(_("Turn your daily objective nudge on or off: {NUDGE_USAGE}").format(
                         NUDGE_USAGE=_(NUDGE_USAGE)))
    if switch(words[0]) is False:
        return Off() if len(words) == 1 else Problem(_("Try: {NUDGE_USAGE}").format(
                                                       NUDGE_USAGE=_(NUDGE_USAGE)))
    return parse_when(words[1:], usage=_(NUDGE_USAGE), allow_tz=False)
