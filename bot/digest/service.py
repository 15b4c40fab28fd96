"""Channel recognition digests: set up, stopped, and sent when their slot comes.

A digest is a standing send on the reminders' index (bot/reminders/dispatch.py sends
each slot once, retries within the hour, and drops a slot later than that). At its slot
it reads the period's recognitions with its setter's token, bounded (MAX_PAGES pages),
keeps the public ones whose recipient is in the channel, and posts one message, or none
when there is nothing. Who may set one, where, and when it stops follow the feed: the
setter's account must be of the workspace's company; no channel shared with another
organisation or with guests unless an admin allowed it; it stops when its setter
unlinks or leaves, or the channel is archived or out of reach.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.digest import blocks
from bot.digest.parse import Start
from bot.digest.records import Digest
from bot.feed.service import FeedService, grouped
from bot.geese import GeeseClient, LinkBroken, NotLinked
from bot.geese.models import AwardedRecognition, Profile
from bot.geese.recognitions import awarded_since
from bot.i18n import Speak, _, unchanged
from bot.slack.blocks import Reply, cannot_post_yet, shown
from bot.slack.gateway import SlackGateway
from bot.slack.ids import SlackIds
from bot.work.schedule import Schedule
from storage import LinkStore, SlackIdentity
from storage.recognitions import OwnRecognitions
from storage.schedules import ScheduleStore

log = logging.getLogger(__name__)

KIND = "digest"
PAGE = 100  # recognitions read per request
MAX_PAGES = 5  # a digest reads at most PAGE * MAX_PAGES recognitions
PERIOD_DAYS = {"daily": 1, "weekly": 7, "monthly": 31}


class DigestService:
    def __init__(self, *, store: ScheduleStore, geese: GeeseClient, links: LinkStore,
                 slack: SlackGateway, ids: SlackIds, own: OwnRecognitions,
                 feeds: FeedService, tz_of: Callable[[SlackIdentity], str],
                 clock: Callable[[], float] = time.time, speak: Speak = unchanged):
        self._speak = speak
        self.store = store
        self._geese = geese
        self._links = links
        self._slack = slack
        self._ids = ids
        self._own = own
        self._feeds = feeds  # the same rules for who and where
        self._tz_of = tz_of
        self._clock = clock

    @staticmethod
    def schedule_of(record: dict) -> Schedule:
        return Digest.from_dict(record).schedule

    # -- the commands ------------------------------------------------------------------

    def get(self, digest_id: str) -> Digest | None:
        record = self.store.get(digest_id)
        return Digest.from_dict(record) if record else None

    def start(self, identity: SlackIdentity, channel_id: str | None, wanted: Start) -> Reply:
        if not channel_id or channel_id.startswith("D"):
            return blocks.usage(_("A recognition digest is for channels. Run `/geese digest "
                                "recognition` in the channel that should get it."))
        existing = self.get(Digest.id_of(identity.team_id, identity.enterprise_id, channel_id))
        if existing is not None:
            return blocks.already(existing)
        if not self._feeds.of_the_company(identity):
            return blocks.usage(_("Your 7Geese account isn't in the company this workspace is "
                                "connected to, so I can't bring its recognitions here."))
        if wanted.allow_outside:
            if not self._feeds.is_admin_now(identity):
                return blocks.usage(_("Only a workspace admin can let a digest post where "
                                    "guests or another organisation can read it."))
        else:
            outside = self._feeds.outside(identity, channel_id)
            if outside == "unknown":
                return blocks.usage(_("I couldn't check who's in <#{channel_id}>, so I "
                                      "didn't set up the digest. Add me to the channel, or "
                                      "try again in a minute.").format(
                                      channel_id=channel_id))
            if outside:
                why = (_("is shared with another organisation") if outside == "shared"
                       else _("has guests in it"))
                return blocks.usage(_("I didn't set up the digest: <#{channel_id}> {why}, "
                                      "and 7Geese recognitions are for people in your "
                                      "company. A workspace admin can allow it with `/geese "
                                      "digest recognition --allow-outside` here.").format(
                                      channel_id=channel_id, why=why))
        delivery = self._slack.post(identity, channel_id, **blocks.announced(
            identity.user_id, wanted.period).as_kwargs())
        if delivery.unreachable:
            return cannot_post_yet(channel_id, _("set up the digest"))
        if not delivery:
            return blocks.usage(_("Slack didn't let me post in this channel, so I didn't set up "
                                "the digest. Please try again in a minute."))
        schedule = Schedule(wanted.hour, wanted.minute, wanted.days,
                            wanted.tz or self._tz_of(identity))
        digest = Digest(identity.team_id, identity.enterprise_id, channel_id, schedule,
                        wanted.period, identity.user_id, self._clock(),
                        identity.user_id if wanted.allow_outside else None)
        now = datetime.fromtimestamp(self._clock(), UTC)
        self.store.save(digest.id, digest.to_dict(),
                        next_at=schedule.next_after(now).timestamp())
        return blocks.started(digest)

    def stop(self, identity: SlackIdentity, channel_id: str | None) -> Reply:
        digest = self.get(Digest.id_of(identity.team_id, identity.enterprise_id,
                                       channel_id or ""))
        if digest is None:
            return blocks.stopped_here(None)
        if not self._feeds.may_stop(identity, digest):
            return blocks.not_yours(digest)
        self.store.delete(digest.id)
        return blocks.stopped_here(digest)

    def in_workspace(self, identity: SlackIdentity) -> list[Digest]:
        prefix = Digest.id_of(identity.team_id, identity.enterprise_id, "")
        records = self.store.get_many(self.store.ids(prefix))
        return [Digest.from_dict(records[i]) for i in sorted(records)]

    def visible_to(self, identity: SlackIdentity, digests: list[Digest]) -> list[Digest]:
        """A private channel's digest only to its members (as for feeds)."""
        return self._feeds.visible_to(identity, digests)

    def set_by(self, identity: SlackIdentity) -> list[Digest]:
        return [d for d in self.in_workspace(identity) if d.set_by == identity.user_id]

    def end(self, digest: Digest, why: str) -> bool:
        if not self.store.delete(digest.id):
            return False
        self._slack.dm(digest.setter, **blocks.stopped(digest, why).as_kwargs())
        return True

    def setter_unlinked(self, identity: SlackIdentity) -> int:
        return sum(self.end(d, _("you unlinked your 7Geese account, and the digest reads "
                            "7Geese as you")) for d in self.set_by(identity))

    def setter_left(self, identity: SlackIdentity) -> int:
        return sum(bool(self.store.delete(d.id)) for d in self.set_by(identity))

    def channel_archived(self, team_id: str, enterprise_id: str | None,
                         channel_id: str) -> bool:
        digest = self.get(Digest.id_of(team_id, enterprise_id, channel_id))
        return digest is not None and self.end(digest, _("the channel was archived"))

    # -- sending (the dispatcher's, at each slot) --------------------------------------

    def send(self, record: dict, slot: datetime) -> str:
        digest = Digest.from_dict(record)
        with self._speak(digest.setter):  # the digest and any notice in their language
            return self._send(digest, slot)

    def _send(self, digest: Digest, slot: datetime) -> str:
        link = self._links.find(digest.setter)
        if link is None or link.broken:
            self.end(digest, _("your 7Geese link no longer works, and the digest reads 7Geese "
                             "as you (run `/geese link` to reconnect)"))
            return "stopped"
        try:
            if not self._feeds.of_the_company(digest.setter, link):
                self.end(digest, _("your 7Geese account isn't in the company this workspace "
                                 "is connected to"))
                return "stopped"
            if not digest.allowed_by:
                outside = self._feeds.outside(digest.setter, digest.channel_id)
                if outside == "unknown":
                    return "retry"  # no digest while Slack won't say who reads it
                if outside:
                    self.end(digest, _("the channel now has guests or another organisation in "
                                     "it"))
                    return "stopped"
            since = digest.schedule.last_at_or_before(slot - timedelta(microseconds=1)) or \
                slot - timedelta(days=PERIOD_DAYS.get(digest.period, 7))
            rows = self._read(digest, since, slot)
        except (NotLinked, LinkBroken):
            self.end(digest, _("your 7Geese link no longer works"))
            return "stopped"
        members = self._slack.members_or_none(digest.setter, digest.channel_id)
        if members is None:
            return "retry"
        reply = self._compose(digest, rows, set(members))
        if reply is None:
            return "nothing"
        delivery = self._slack.post(digest.setter, digest.channel_id, **reply.as_kwargs(),
                                    builder="digest.blocks.digest")
        if delivery:
            return "sent"
        if delivery.transient:
            return "retry"
        if delivery.unreachable:
            self.end(digest, _("I can no longer post in the channel"))
            return "stopped"
        return "refused"

    def _read(self, digest: Digest, since: datetime, until: datetime
              ) -> list[AwardedRecognition]:
        """The recognitions awarded in (since, until], at most PAGE * MAX_PAGES."""
        session = self._geese.as_user(digest.setter)
        found: dict[int, AwardedRecognition] = {}
        start = since
        for _page in range(MAX_PAGES):
            page = awarded_since(session, start, first=PAGE)
            for row in page:
                if since < row.awarded <= until:
                    found.setdefault(row.pk, row)
            if len(page) < PAGE or page[-1].awarded > until:
                break
            start = page[-1].awarded  # the next page goes on from the last one seen
        return sorted(found.values(), key=lambda r: (r.awarded, r.pk))

    def _compose(self, digest: Digest, rows: list[AwardedRecognition],
                 members: set[str]) -> Reply | None:
        private = self._own.private([r.pk for r in rows])
        slack_ids: dict[str, str | None] = {}  # by email: a person is in many rows

        def slack_id_of(email: str) -> str | None:
            if email not in slack_ids:
                slack_ids[email] = self._ids.by_email(digest.setter, email)
            return slack_ids[email]

        kept = []
        for row in rows:
            if row.pk in private or row.recipient is None:
                continue
            slack_id = slack_id_of(row.recipient.email)
            if slack_id and slack_id in members:
                kept.append((row, slack_id))
        if not kept:
            return None
        groups = grouped([row for row, _ in kept])
        badges = Counter(group[0].badge for group in groups if group[0].badge)
        people: dict[str, tuple[list[str], str | None]] = {}
        for row, slack_id in kept:
            senders = people.setdefault(slack_id, ([], row.web_url))[0]
            sender = _who(row.sender, slack_id_of)
            if sender not in senders:
                senders.append(sender)
        recognized = [blocks.Recognized(f"<@{slack_id}>", tuple(senders), url)
                      for slack_id, (senders, url) in people.items()]
        return blocks.digest(digest.period, len(groups), badges.most_common(), recognized)


def _who(profile: Profile | None, slack_id_of: Callable[[str], str | None]) -> str:
    """A mention when the person's 7Geese email is in the workspace; their name else."""
    if profile is None:
        return "*Someone*"
    found = slack_id_of(profile.email)
    return f"<@{found}>" if found else f"*{shown(profile.name or 'Someone', 80)}*"
