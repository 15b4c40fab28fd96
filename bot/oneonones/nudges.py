"""The nudge two hours before each 1-on-1.

Every minute, a tenth (by default) of the linked people have their upcoming 1-on-1s
read (one GraphQL query each, `poll_one`: a worker's job), so each person is polled
every ten minutes and 7Geese sees an even trickle, not a burst. Each meeting's nudge
is planned in a Redis sorted set by (meeting, start time, person): a meeting that
moves gets a new entry at its new time, and the old entry finds the meeting moved
and stays silent. Before sending (`send_one`, a job too), the meeting is read again
(not cancelled, not completed, same start) and (meeting, start, person) is claimed
with SET NX, so a restart, a second clock or a second worker never sends twice.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import redis

from bot.geese import GeeseClient, GeeseError, NotLinked
from bot.geese.oneonones import Meeting
from bot.geese.oneonones import meeting as read_meeting
from bot.i18n import Speak, unchanged
from bot.oneonones import blocks
from bot.oneonones.planned import PlannedSends
from bot.oneonones.service import OneOnOneService
from bot.slack.gateway import SlackGateway
from bot.slack.ids import SlackIds
from bot.work.pausing import is_paused
from storage import STORAGE_ERRORS, LinkStore, SlackIdentity
from storage.keys import key
from storage.links import SHARDS
from storage.preferences import Preferences

log = logging.getLogger(__name__)

PREFERENCE = "oneonone-nudges"
PLANNED = key("oneonone", "planned")
LEAD = timedelta(hours=2)
LOOK_AHEAD_DAYS = 2  # nudges and follow-ups are planned this far ahead
INVITE_AHEAD_DAYS = 14  # a new 1-on-1 this far ahead is noticed, for the invitation


class OneOnOneNudger(PlannedSends):
    PLANNED = PLANNED

    def __init__(self, *, service: OneOnOneService, geese: GeeseClient, links: LinkStore,
                 prefs: Preferences, client: redis.Redis, slack: SlackGateway, ids: SlackIds,
                 clock: Callable[[], float] = time.time, interval_minutes: int = 10,
                 web_url: str | None = None, sent: Callable[..., None] | None = None,
                 followups=None, speak: Speak = unchanged):
        self._speak = speak
        self._service = service
        self._geese = geese
        self._links = links
        self._prefs = prefs
        self._redis = client
        self._slack = slack
        self._ids = ids
        self._clock = clock
        self.interval_minutes = interval_minutes
        self._web_url = web_url
        self._sent = sent or (lambda kind, outcome, lag=None: None)  # the metrics
        self.followups = followups  # bot/oneonones/followups.py: after, and set up

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def due_to_poll(self, minute: int) -> list[SlackIdentity]:
        """The people whose turn it is this minute (a tenth of everyone, by default)."""
        shards = [s for s in range(SHARDS) if s % self.interval_minutes
                  == minute % self.interval_minutes]
        return self._links.identities_in(shards)

    def poll(self) -> int:
        """Plan nudges for everyone's upcoming 1-on-1s at once (the playground, tests)."""
        return sum(self.poll_one(identity) for identity in list(self._links.identities()))

    @property
    def horizon_days(self) -> int:
        """How far ahead a poll reads: far enough to invite, else only to nudge."""
        return INVITE_AHEAD_DAYS if self.followups else LOOK_AHEAD_DAYS

    def wants_poll(self, identity: SlackIdentity) -> bool:
        return not self._prefs.is_off(PREFERENCE, identity)

    def poll_one(self, identity: SlackIdentity, meetings: list[Meeting] | None = None) -> int:
        """Plan the nudges for one person's upcoming 1-on-1s; how many are new.
        `meetings`: open ones, soonest first, when the person's turn already read them."""
        if not self.wants_poll(identity):
            return 0
        if meetings is None:
            try:
                meetings = self._service.upcoming(identity, days=self.horizon_days)
            except (GeeseError, *STORAGE_ERRORS) as exc:
                log.info("1-on-1 poll for %s skipped: %s", identity.key, type(exc).__name__)
                return 0
        now = self.now()
        planned = 0
        link = self._links.find(identity)
        soon = now + timedelta(days=LOOK_AHEAD_DAYS)
        for meeting in meetings:
            if meeting.start <= now:
                continue
            if self.followups is not None and link is not None:
                self.followups.invite(
                    identity, link.profile_pk, link.linked_at, meeting,
                    lambda email: self._ids.by_email(identity, email))
            if meeting.start > soon:
                continue
            member = json.dumps({"m": meeting.pk, "s": meeting.start.isoformat(),
                                 "i": identity.key}, sort_keys=True)
            planned += self._redis.zadd(PLANNED, {member: (meeting.start - LEAD)
                                                  .timestamp()}, nx=True)
            if self.followups is not None:
                self.followups.plan(identity, meeting)
        return planned

    def send_one(self, member: str) -> str:
        """Send one planned nudge (a worker's job); it stays planned only to retry."""
        now = self.now()
        outcome = self._send(member, now)
        if outcome != "retry":
            self._redis.zrem(PLANNED, member)
        if outcome == "sent":  # how long after its moment (two hours before the meeting)
            moment = datetime.fromisoformat(json.loads(member)["s"]) - LEAD
            self._sent("oneonone", outcome, (now - moment).total_seconds())
        else:
            self._sent("oneonone", outcome)
        return outcome

    def _send(self, member: str, now: datetime) -> str:
        entry = json.loads(member)
        identity = SlackIdentity.from_key(entry["i"])
        start = datetime.fromisoformat(entry["s"])
        if start <= now:
            return "too_late"
        if self._prefs.is_off(PREFERENCE, identity):
            return "turned_off"
        if is_paused(self._prefs, identity, start.date()):
            return "paused"
        session = self._geese.as_user(identity)
        try:
            current = read_meeting(session, int(entry["m"]))
        except NotLinked:
            return "unlinked"
        except GeeseError:
            return "retry"  # read again next minute, while the meeting is still ahead
        if current is None or current.cancelled:
            return "cancelled"
        if current.completed:
            return "completed"
        if current.start != start:
            return "moved"  # the entry for the new time sends the nudge
        claim = key("fired", "oneonone", str(current.pk), entry["s"], identity.key)
        if not self._redis.set(claim, 1, nx=True, ex=7 * 24 * 3600):
            return "already_sent"
        link = self._links.find(identity)
        other = current.other(link.profile_pk) if link else current.participant
        other_slack = self._ids.by_email(identity, other.email)
        with self._speak(identity):
            reply = blocks.nudge(current, other, other_slack, self._web_url)
        delivery = self._slack.dm(identity, **reply.as_kwargs(), builder="oneonones.blocks.nudge")
        if delivery:
            return "sent"
        if delivery.transient:  # Slack was busy or down: the next minute tries again
            self._redis.delete(claim)
            return "retry"
        return "refused"  # logged with Slack's error; not counted as sent
