"""Everything the Home tab shows, gathered with one 7Geese request and a few Redis reads.

7Geese down or slow never empties the tab: what Redis knows (the link, settings,
reminders) is shown, with a note about the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bot.digest.records import Digest
from bot.feed.records import Feed
from bot.geese import GeeseClient, GeeseError, LinkBroken, NotLinked, documents
from bot.geese.actions import ActionItem, items_of
from bot.geese.models import Objective, _moment
from bot.geese.oneonones import Meeting
from bot.i18n import _
from bot.link.languages import CHOICE as LANGUAGE_CHOICE
from bot.link.people import Directory
from bot.notify.settings import Hours, NotificationSettings
from bot.oneonones.nudges import PREFERENCE as ONEONONE_NUDGES
from bot.recognition.offers import ReactionOffers
from bot.reminders.records import Nudge, Reminder
from bot.reminders.service import RemindersService
from bot.work.pausing import paused_until
from bot.work.schedule import Schedule
from storage import Link, LinkStore, SlackIdentity
from storage.preferences import Preferences

RECOGNITION_DAYS = 30


@dataclass(frozen=True)
class Received:
    sender: str
    badge: str | None
    message: str
    web_url: str | None
    awarded: datetime | None


@dataclass
class HomeData:
    identity: SlackIdentity
    now: datetime
    tz: str
    link: Link | None
    nudge: Nudge | None
    oneonone_nudges: bool
    paused_until: date | None
    reminders: list[Reminder] = field(default_factory=list)
    feeds: list[Feed] = field(default_factory=list)  # recognition feeds the person set
    digests: list[Digest] = field(default_factory=list)  # recognition digests they set
    notify: dict[str, bool] | None = None  # which 7Geese notifications come to Slack
    notify_hours: Hours | None = None
    objectives: list[Objective] | None = None
    objectives_total: int = 0
    meetings: list[Meeting] | None = None
    received: list[Received] | None = None
    action_items: list[ActionItem] | None = None
    action_items_total: int = 0
    problem: str | None = None  # why the 7Geese parts are missing
    reaction: str | None = None  # the workspace's emoji that offers a recognition
    reaction_offers: bool = True  # the person wants those offers
    is_admin: bool = False  # a workspace admin: sees how to change workspace settings
    is_manager: bool = False  # someone reports to them in 7Geese: the team digest is offered
    team_digest: Schedule | None = None  # when their team digest comes (None: off)
    language_choice: str | None = None  # the language they chose (None: their Slack's)


class HomeGatherer:
    def __init__(self, *, geese: GeeseClient, links: LinkStore, directory: Directory,
                 reminders: RemindersService, prefs: Preferences,
                 feeds_of: Callable[[SlackIdentity], list[Feed]] = lambda identity: [],
                 digests_of: Callable[[SlackIdentity], list[Digest]] = lambda identity: [],
                 team_digest_of: Callable[[SlackIdentity], Schedule | None] = (
                     lambda identity: None),
                 notify: NotificationSettings | None = None,
                 offers: ReactionOffers | None = None,
                 clock: Callable[[], float] = time.time):
        self._geese = geese
        self._links = links
        self._directory = directory
        self._reminders = reminders
        self._prefs = prefs
        self._feeds_of = feeds_of
        self._digests_of = digests_of
        self._team_digest_of = team_digest_of
        self._notify = notify
        self._offers = offers
        self._clock = clock

    def gather(self, identity: SlackIdentity) -> HomeData:
        data = self.local(identity)
        if data.link is None or data.link.broken:
            return data
        try:
            self._from_7geese(data)
        except (NotLinked, LinkBroken):
            data.link = self._links.find(identity)
        except GeeseError:
            data.problem = (_("7Geese didn't answer just now, so your objectives, 1-on-1s, "
                            "action items and recognition aren't shown. Open this tab again "
                            "in a minute."))
        return data

    def local(self, identity: SlackIdentity) -> HomeData:
        """What the bot itself knows (the link, settings, reminders): no 7Geese call."""
        now = datetime.fromtimestamp(self._clock(), UTC)
        person = self._directory.slack_person(identity)
        return HomeData(
            identity=identity, now=now,
            tz=(person.tz if person and person.tz else None) or "UTC",
            link=self._links.find(identity),
            nudge=self._reminders.nudge_of(identity),
            oneonone_nudges=not self._prefs.is_off(ONEONONE_NUDGES, identity),
            paused_until=paused_until(self._prefs, identity),
            reminders=[r for r in (Reminder.from_dict(v) for v in
                                   self._reminders.reminders.all().values())
                       if r.setter == identity],
            feeds=self._feeds_of(identity),
            digests=self._digests_of(identity),
            team_digest=self._team_digest_of(identity),
            notify=self._notify.all(identity) if self._notify else None,
            notify_hours=self._notify.hours(identity) if self._notify else None,
            reaction=self._offers.emoji(identity) if self._offers else None,
            reaction_offers=self._offers.wanted(identity) if self._offers else True,
            is_admin=bool(person and person.is_admin),
            language_choice=self._prefs.value(LANGUAGE_CHOICE, identity),
        )

    def _from_7geese(self, data: HomeData) -> None:
        answer = self._geese.as_user(data.identity).graphql(documents.HOME, {
            "me": data.link.profile_pk, "from": data.now.isoformat(),
            "to": (data.now + timedelta(days=30)).isoformat(),
            "since": (data.now - timedelta(days=RECOGNITION_DAYS)).isoformat(),
        })
        data.is_manager = bool((answer.get("currentUser") or {}).get("isManager"))
        owned = ((answer.get("currentUser") or {}).get("ownedObjectives")) or {}
        data.objectives = [Objective.from_node(e["node"]) for e in owned.get("edges") or []
                           if e and e.get("node")]
        data.objectives_total = int(owned.get("totalCount") or len(data.objectives))
        meetings = [Meeting.from_node(e["node"]) for e in
                    ((answer.get("oneonones") or {}).get("edges") or []) if e and e.get("node")]
        data.meetings = sorted((m for m in meetings if m.open), key=lambda m: m.start)
        data.received = []
        for edge in ((answer.get("recognitions") or {}).get("edges")) or []:
            node = (edge or {}).get("node") or {}
            data.received.append(Received(
                sender=(node.get("sender") or {}).get("fullName") or _("Someone"),
                badge=(node.get("badge") or {}).get("name"),
                message=node.get("message") or "",
                web_url=node.get("recognitionWebViewUrl"),
                awarded=_moment(node.get("awardedDate"))))
        data.action_items, data.action_items_total = items_of(answer)
