"""Which 7Geese notifications a person gets in Slack, and when (their working hours)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n import N_
from storage import SlackIdentity
from storage.preferences import Preferences

# kind -> (what the person reads in Slack, on by default)
KINDS = {
    "recognition": (N_("Recognition you receive"), True),
    "feedback_request": (N_("Requests for your feedback"), True),
    "checkin": (N_("Check-in reminders"), True),
    "feedback_received": (N_("Feedback you receive (a notice, never its words)"), False),
    "oneonone": (N_("1-on-1 reminders from 7Geese"), False),
    "other": (N_("Anything else 7Geese tells you"), False),
}
SHORT = {"recognition": N_("recognition"), "feedback_request": N_("feedback requests"),
         "checkin": N_("check-in reminders"), "feedback_received": N_("feedback received"),
         "oneonone": N_("1-on-1 reminders"), "other": N_("everything else")}
HOURS = "notify-hours"
DEFAULT_HOURS = (8 * 60, 19 * 60)
HOURS_TEXT = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class Hours:
    """Working hours, in minutes after midnight in the person's timezone."""

    start: int
    end: int

    def contains(self, minute_of_day: int) -> bool:
        if self.start <= self.end:
            return self.start <= minute_of_day < self.end
        return minute_of_day >= self.start or minute_of_day < self.end  # across midnight

    def describe(self) -> str:
        return f"{self.start // 60:02d}:{self.start % 60:02d}-{self.end // 60:02d}:" \
               f"{self.end % 60:02d}"


def parse_hours(text: str) -> Hours | None:
    found = HOURS_TEXT.match(text.strip())
    if not found:
        return None
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2) or (h1, m1) == (h2, m2):
        return None
    return Hours(h1 * 60 + m1, h2 * 60 + m2)


class NotificationSettings:
    def __init__(self, prefs: Preferences):
        self._prefs = prefs

    def is_on(self, identity: SlackIdentity, kind: str) -> bool:
        chosen = self._prefs.value(f"notify:{kind}", identity)
        return KINDS.get(kind, ("", False))[1] if chosen is None else chosen == "on"

    def set(self, identity: SlackIdentity, kind: str, on: bool) -> None:
        self._prefs.set_value(f"notify:{kind}", identity, "on" if on else "off")

    def all(self, identity: SlackIdentity) -> dict[str, bool]:
        return {kind: self.is_on(identity, kind) for kind in KINDS}

    def hours(self, identity: SlackIdentity) -> Hours:
        return parse_hours(self._prefs.value(HOURS, identity) or "") or Hours(*DEFAULT_HOURS)

    def set_hours(self, identity: SlackIdentity, hours: Hours) -> None:
        self._prefs.set_value(HOURS, identity, hours.describe())
