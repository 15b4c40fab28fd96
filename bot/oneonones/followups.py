"""After a 1-on-1, and when one is set up: the two DMs that close the loop.

- Two hours after a meeting's end (its end time, or its start plus an hour when 7Geese
  gives none), each linked participant gets one DM: the talking points and action
  items, with *Done* per item, *Add action item*, and a link to the notes. Skipped when
  the meeting was cancelled or moved (the poller plans the new time), or completed in
  7Geese with nothing left open; never twice; the pause and the 1-on-1 nudge setting
  apply.
- When the poller first sees a 1-on-1 set up after the person linked, and they are its
  participant (someone else set it up), they are invited to add talking points: once
  per meeting, and once for a whole recurring series.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import redis

from bot.geese import GeeseClient, GeeseError, NotLinked
from bot.geese.actions import meeting_items
from bot.geese.oneonones import Meeting
from bot.geese.oneonones import meeting as read_meeting
from bot.i18n import Speak, unchanged
from bot.oneonones import blocks
from bot.oneonones.planned import PlannedSends
from bot.slack.gateway import SlackGateway
from bot.slack.ids import SlackIds
from bot.work.pausing import is_paused
from storage import LinkStore, SlackIdentity
from storage.keys import key
from storage.preferences import Preferences

log = logging.getLogger(__name__)

FOLLOWUPS = key("oneonone", "followups")
AFTER = timedelta(hours=2)
UNKNOWN_LENGTH = timedelta(hours=1)
GRACE = timedelta(hours=6)  # a follow-up more than this late is not sent


class FollowUps(PlannedSends):
    PLANNED = FOLLOWUPS

    def __init__(self, *, geese: GeeseClient, links: LinkStore, prefs: Preferences,
                 client: redis.Redis, slack: SlackGateway, ids: SlackIds, preference: str,
                 web_url: str | None = None, clock: Callable[[], float] = time.time,
                 sent: Callable[..., None] | None = None, speak: Speak = unchanged):
        self._speak = speak
        self._geese = geese
        self._links = links
        self._prefs = prefs
        self._redis = client
        self._slack = slack
        self._ids = ids
        self._preference = preference
        self._web_url = web_url
        self._clock = clock
        self._sent = sent or (lambda kind, outcome, lag=None: None)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    # -- planning, from the poller ----------------------------------------------------

    def plan(self, identity: SlackIdentity, meeting: Meeting) -> None:
        end = meeting.end or meeting.start + UNKNOWN_LENGTH
        member = json.dumps({"m": meeting.pk, "s": meeting.start.isoformat(),
                             "i": identity.key}, sort_keys=True)
        self._redis.zadd(FOLLOWUPS, {member: (end + AFTER).timestamp()}, nx=True)

    def invite(self, identity: SlackIdentity, me_pk: int, linked_at: float,
               meeting: Meeting, slack_id_of: Callable[[str], str | None]) -> bool:
        """Invite the participant to add talking points to a meeting set up for them
        (`slack_id_of` finds the organizer's Slack id by email, only when one is sent)."""
        if meeting.participant.pk != me_pk or meeting.created is None:
            return False
        if meeting.created.timestamp() <= linked_at:
            return False  # it was there before they linked: no flood on the first poll
        once = key("invited", "oneonone", str(meeting.series or f"m{meeting.pk}"),
                   identity.key)
        if not self._redis.set(once, 1, nx=True, ex=90 * 24 * 3600):
            return False
        if self._prefs.is_off(self._preference, identity):
            return False
        organizer = meeting.facilitator
        other_slack = slack_id_of(organizer.email) if organizer.email else None
        with self._speak(identity):
            reply = blocks.invitation(meeting, organizer, other_slack)
        self._slack.dm(identity, **reply.as_kwargs(), builder="oneonones.blocks.invitation")
        return True

    # -- sending, as a worker's job ----------------------------------------------------

    def send_one(self, member: str) -> str:
        outcome = self._send(member)
        if outcome != "retry":
            self._redis.zrem(FOLLOWUPS, member)
        self._sent("followup", outcome)
        return outcome

    def _send(self, member: str) -> str:
        entry = json.loads(member)
        identity = SlackIdentity.from_key(entry["i"])
        start = datetime.fromisoformat(entry["s"])
        now = self.now()
        due = self._redis.zscore(FOLLOWUPS, member)
        if due is not None and now.timestamp() - due > GRACE.total_seconds():
            return "too_late"
        if self._prefs.is_off(self._preference, identity):
            return "turned_off"
        if is_paused(self._prefs, identity, now.date()):
            return "paused"
        session = self._geese.as_user(identity)
        try:
            current = read_meeting(session, int(entry["m"]))
            items = meeting_items(session, int(entry["m"])) if current else []
        except NotLinked:
            return "unlinked"
        except GeeseError:
            return "retry"  # read again next minute, within the grace
        if current is None or current.cancelled:
            return "cancelled"
        if current.start != start:
            return "moved"
        if current.completed and not any(not i.completed for i in items):
            return "nothing_open"
        claim = key("fired", "followup", str(current.pk), entry["s"], identity.key)
        if not self._redis.set(claim, 1, nx=True, ex=14 * 24 * 3600):
            return "already_sent"
        link = self._links.find(identity)
        other = current.other(link.profile_pk) if link else current.participant
        other_slack = self._ids.by_email(identity, other.email)
        with self._speak(identity):
            delivery = self._slack.dm(
                identity, builder="oneonones.blocks.followup", **blocks.followup(
                current, other, other_slack, items, self._web_url).as_kwargs())
        if delivery:
            return "sent"
        if delivery.transient:
            self._redis.delete(claim)
            return "retry"
        return "refused"
