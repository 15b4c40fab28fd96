"""Reading `/geese todo ...`. Pure.

    /geese todo
    /geese todo add @fox Send the rota [for @fox] [due friday | due 2026-12-11]

The 1-on-1 is the next one with the first person named; the item is yours unless
`for @person` names the other participant; `due` takes a weekday (the next one),
`today`, `tomorrow`, or a date. French words work too: `ajouter`, `pour`, `échéance`,
`vendredi`/`ven`, `demain`, `aujourd'hui`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.i18n import N_, _, fold
from bot.work.schedule import DAY_NAMES, DAY_WORDS

USAGE = N_("`/geese todo` or `/geese todo add @person what to do [for @person] [due friday]`")
TITLE_LIMIT = 255  # 7Geese's limit for an action item's title
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Listing:
    pass


@dataclass(frozen=True)
class Adding:
    partner: str  # Slack user id: whose 1-on-1 with me
    title: str
    assignee: str | None  # Slack user id; None: me
    due: str | None  # as typed; resolved against the person's own today


def parse(text: str) -> Listing | Adding | str:
    """What to do, or what is wrong (a sentence to show)."""
    words = text.split()
    if not words or words[0].lower() == "list":
        return Listing()
    if fold(words[0]) not in ("add", "ajouter"):
        return _("I didn't understand that. Try {USAGE}").format(USAGE=_(USAGE))
    if len(words) < 2 or not MENTION.match(words[1]):
        return _("Whose 1-on-1 is it from? Mention them with @, like this: {USAGE}").format(
                 USAGE=_(USAGE))
    partner = MENTION.match(words[1]).group(1)
    rest = words[2:]
    assignee = due = None
    while len(rest) >= 2:
        if fold(rest[-2]) in ("due", "echeance") and due is None:
            due, rest = rest[-1], rest[:-2]
        elif fold(rest[-2]) in ("for", "pour") and MENTION.match(rest[-1]) \
                and assignee is None:
            assignee, rest = MENTION.match(rest[-1]).group(1), rest[:-2]
        else:
            break
    title = " ".join(rest).strip()
    if not title:
        return _("What is there to do? Write it after the name: {USAGE}").format(USAGE=_(USAGE))
    if len(title) > TITLE_LIMIT:
        return _("Action items are limited to {TITLE_LIMIT} characters. Please shorten it.").format(
                 TITLE_LIMIT=TITLE_LIMIT)
    return Adding(partner, title, assignee, due)


def due_date(text: str, today: date) -> date | None:
    """`friday` (the next Friday, never today), `today`, `tomorrow`, `2026-12-11`;
    None when it is none of those."""
    word = fold(text.strip())
    if word in ("today", "aujourd'hui"):
        return today
    if word in ("tomorrow", "demain"):
        return today + timedelta(days=1)
    for index, name in enumerate(WEEKDAYS):
        if (name.startswith(word) and len(word) >= 3) or DAY_WORDS.get(word) == DAY_NAMES[index]:
            return today + timedelta(days=(index - today.weekday() - 1) % 7 + 1)
    try:
        return date.fromisoformat(word)
    except ValueError:
        return None
