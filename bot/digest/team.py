"""A manager's week in one DM: per direct report, the recognition they received, their
objectives going stale, the next 1-on-1 with them (and whether it has an agenda) and the
action items due in the coming week.

Off by default; on with `/geese digest team on [DAY HH:MM]` (Friday 15:00 in the
person's timezone). A standing send on the reminders' index, like the channel digest:
sent once a slot, retried within the hour, skipped when there is nothing to tell and
while the person's nudges are paused. It reads 7Geese once, with the manager's own
token, so it shows only what 7Geese shows them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from bot.digest import blocks
from bot.geese import GeeseClient, LinkBroken, NotLinked
from bot.geese.team import team_week
from bot.i18n import Speak, unchanged
from bot.slack.blocks import Reply
from bot.slack.gateway import SlackGateway
from bot.slack.ids import SlackIds
from bot.work.pausing import is_paused
from bot.work.schedule import Schedule
from storage import LinkStore, SlackIdentity
from storage.preferences import Preferences
from storage.schedules import ScheduleStore

KIND = "team-digest"
DEFAULT_DAY, DEFAULT_TIME = "fri", (15, 0)


def _schedule(record: dict) -> Schedule:
    s = record["schedule"]
    return Schedule(int(s["hour"]), int(s["minute"]), s["days"], s["tz"])


class TeamDigests:
    def __init__(self, *, store: ScheduleStore, geese: GeeseClient, links: LinkStore,
                 slack: SlackGateway, ids: SlackIds, prefs: Preferences,
                 tz_of: Callable[[SlackIdentity], str], clock: Callable[[], float] = time.time,
                 speak: Speak = unchanged):
        self._speak = speak
        self.store = store
        self._geese = geese
        self._links = links
        self._slack = slack
        self._ids = ids
        self._prefs = prefs
        self._tz_of = tz_of
        self._clock = clock

    schedule_of = staticmethod(_schedule)

    def of(self, identity: SlackIdentity) -> Schedule | None:
        record = self.store.get(identity.key)
        return _schedule(record) if record else None

    def turn_on(self, identity: SlackIdentity, days: str = DEFAULT_DAY,
                hour_minute: tuple[int, int] = DEFAULT_TIME) -> Reply:
        schedule = Schedule(*hour_minute, days, self._tz_of(identity))
        now = datetime.fromtimestamp(self._clock(), UTC)
        self.store.save(identity.key, {"identity": identity.key, "schedule": {
            "hour": schedule.hour, "minute": schedule.minute, "days": schedule.days,
            "tz": schedule.tz}}, next_at=schedule.next_after(now).timestamp())
        return blocks.team_on(schedule.describe())

    def turn_off(self, identity: SlackIdentity) -> Reply:
        return blocks.team_off(bool(self.store.delete(identity.key)))

    def send(self, record: dict, slot: datetime) -> str:
        identity = SlackIdentity.from_key(record["identity"])
        schedule = _schedule(record)
        if is_paused(self._prefs, identity, slot.astimezone(schedule.zone).date()):
            return "paused"
        link = self._links.find(identity)
        if link is None or link.broken:
            self.store.delete(identity.key)  # it reads 7Geese as them: nothing to read with
            return "stopped"
        try:
            week = team_week(self._geese.as_user(identity), link.profile_pk, now=slot)
        except (NotLinked, LinkBroken):
            return "stopped"
        if not week.reports or all(r.quiet for r in week.reports):
            return "nothing"
        slack_ids = {r.profile.pk: self._ids.by_email(identity, r.profile.email)
                     for r in week.reports if r.next_meeting is not None}
        with self._speak(identity):
            delivery = self._slack.dm(identity, **blocks.team_week(week, slack_ids=slack_ids)
                                      .as_kwargs(), builder="digest.blocks.team_week")
        if delivery:
            return "sent"
        return "retry" if delivery.transient else "refused"
