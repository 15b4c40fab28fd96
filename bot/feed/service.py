"""Starting, stopping and polling recognition feeds, free of Slack types.

A feed reads `recognitions(awardedDate_Gte: since)` with its setter's token once a
minute (a worker's job) and posts a card per recognition it has not shown. Each shown
recognition is claimed by its 7Geese pk for the channel, so two workers, a retry or an
overlapping read never post one twice; `since` moves only past what was handled, so
7Geese or Slack being down delays cards and loses none.

A feed shows the company's recognitions to the company's people only: it reads 7Geese
within the company the workspace is bound to, and refuses a channel shared with another
organisation (Slack Connect) or with guests in it, unless a workspace admin allows it.
That is checked when it starts, hourly, and on the next poll after someone joins the
channel or it is shared; a channel Slack will not describe gets no card (fail closed).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import redis

from bot.feed import blocks
from bot.feed.records import Feed
from bot.geese import GeeseClient, GeeseError, LinkBroken, NotLinked
from bot.geese.models import AwardedRecognition, Profile
from bot.geese.recognitions import awarded_since
from bot.i18n import Speak, _, unchanged
from bot.link.people import Directory
from bot.link.service import LinkingService
from bot.slack.blocks import Reply, cannot_post_yet, section
from bot.slack.gateway import SlackGateway
from bot.slack.ids import SlackIds
from storage import Link, LinkStore, SlackIdentity
from storage.keys import key
from storage.recognitions import OwnRecognitions
from storage.records import InChannel
from storage.unreachable import Parked, Strikes

log = logging.getLogger(__name__)

FEEDS = key("feeds")
BATCH = 50  # recognitions read per poll; the next poll goes on from the last one
SHOWN_TTL = 30 * 86400
GROUP_SECONDS = 120  # one recognition of several people arrives as a row per person


# Posts in a row to a channel out of reach before the feed stops (resumable).
STRIKES = 3
AUDIENCE_CHECK = 3600  # seconds between checks of who is in a feed's channel
LEGACY_COMPANY_TTL = 86400  # the 7Geese company of a link that did not keep it, cached
Shown = TypeVar("Shown", bound=InChannel)


def _said(text: str) -> Reply:
    return Reply(text, [section(text)])


class FeedService:
    def __init__(self, *, client: redis.Redis, geese: GeeseClient, links: LinkStore,
                 slack: SlackGateway, ids: SlackIds, own: OwnRecognitions,
                 linking: LinkingService, directory: Directory,
                 clock: Callable[[], float] = time.time,
                 sent: Callable[[str, str, float | None], None] | None = None,
                 speak: Speak = unchanged):
        self._speak = speak
        self._redis = client
        self._geese = geese
        self._links = links
        self._slack = slack
        self._ids = ids
        self._own = own
        self._linking = linking
        self._directory = directory
        self._clock = clock
        self._sent = sent or (lambda kind, outcome, lag: None)
        self._strikes = Strikes(client, kind="feed")  # its channel out of reach, in a row
        self._parked = Parked(client, kind="feed")  # stopped for it, for its setter

    # -- the commands ------------------------------------------------------------------

    def get(self, feed_id: str) -> Feed | None:
        raw = self._redis.hget(FEEDS, feed_id)
        return Feed.from_dict(json.loads(raw)) if raw else None

    def ids(self) -> list[str]:
        return sorted(self._redis.hkeys(FEEDS))

    def start(self, identity: SlackIdentity, channel_id: str | None, *,
              allow_outside: bool = False) -> Reply:
        """`allow_outside`: a workspace admin lets it post where guests or another
        organisation read."""
        if not channel_id or channel_id.startswith("D"):
            return blocks.not_a_channel()
        feed_id = Feed.id_of(identity.team_id, identity.enterprise_id, channel_id)
        existing = self.get(feed_id)
        if existing is not None:
            return blocks.already(existing)
        if not self.of_the_company(identity):
            return blocks.other_company()
        if allow_outside:
            if not self.is_admin_now(identity):
                return blocks.allow_admins_only()
        else:
            outside = self.outside(identity, channel_id)
            if outside == "unknown":
                return blocks.cannot_check(channel_id)
            if outside:
                return blocks.outside(channel_id, outside)
        # Posting the news in the channel proves the bot can post there.
        delivery = self._slack.post(identity, channel_id,
                                    **blocks.announced(identity.user_id).as_kwargs())
        if delivery.unreachable:
            return cannot_post_yet(channel_id, _("start the feed"))
        if not delivery:
            return blocks.slack_busy()
        now = self._clock()
        feed = Feed(identity.team_id, identity.enterprise_id, channel_id, identity.user_id,
                    created_at=now, since=now,
                    allowed_by=identity.user_id if allow_outside else None)
        if not self._redis.hsetnx(FEEDS, feed.id, json.dumps(feed.to_dict())):
            return blocks.already(self.get(feed.id) or feed)
        self._redis.set(self._checked(feed.id), now, ex=2 * AUDIENCE_CHECK)
        return blocks.started(channel_id)

    def outside(self, identity: SlackIdentity, channel_id: str) -> str | None:
        """Who beyond the company reads `channel_id`: "shared" (another organisation),
        "guests", None (nobody), or "unknown" (Slack would not say: treated as a no)."""
        info = self._slack.channel(identity, channel_id)
        if info is None:
            return "unknown"
        if info.shared_outside:
            return "shared"
        members = self._slack.members_or_none(identity, channel_id)
        if members is None:
            return "unknown"
        for user_id in members:
            person = self._directory.slack_person(
                SlackIdentity(identity.team_id, user_id, identity.enterprise_id))
            if person is None:
                return "unknown"
            if person.is_guest and not person.is_bot:
                return "guests"
        return None

    def of_the_company(self, identity: SlackIdentity, link: Link | None = None) -> bool:
        """The person's 7Geese account is of the company their workspace is bound to
        (`link`: theirs, when the caller has it already)."""
        bound = self._linking.company(identity)
        link = link or self._links.find(identity)
        if bound is None or link is None:
            return False
        return self._company_of(identity, link) == bound

    def _company_of(self, identity: SlackIdentity, link: Link) -> int | None:
        """A link made before links kept their company asks 7Geese, once a day at most
        (a feed checks every minute)."""
        if link.company_pk is not None:
            return link.company_pk
        cache = key("link-company", identity.key)
        found = self._redis.get(cache)
        if found is None:
            found = self._geese.as_user(identity).current_user().company_pk
            self._redis.set(cache, found if found is not None else "", ex=LEGACY_COMPANY_TTL)
        return int(found) if found not in (None, "") else None

    def is_admin_now(self, identity: SlackIdentity) -> bool:
        """A workspace admin or owner, asked afresh of Slack: it grants a power."""
        person = self._slack.person(identity)
        return person is not None and person.is_admin

    def may_stop(self, identity: SlackIdentity, thing: InChannel) -> bool:
        """Whoever set a feed or digest, or a workspace admin, may stop it."""
        return thing.set_by == identity.user_id or self.is_admin_now(identity)

    def stop(self, identity: SlackIdentity, channel_id: str | None) -> Reply:
        """Only whoever set the feed, or a workspace admin, stops it; the setter is told
        when someone else did."""
        feed_id = Feed.id_of(identity.team_id, identity.enterprise_id, channel_id or "")
        feed = self.get(feed_id)
        if feed is None:
            return blocks.stopped_here(None)
        if not self.may_stop(identity, feed):
            return blocks.not_yours(feed)
        if self._redis.hdel(FEEDS, feed_id) and feed.set_by != identity.user_id:
            with self._speak(feed.setter):
                self._slack.dm(feed.setter, **blocks.stopped_by(feed, identity.user_id)
                               .as_kwargs())
        return blocks.stopped_here(feed)

    def visible_to(self, identity: SlackIdentity, feeds: list[Shown]) -> list[Shown]:
        """The feeds (or digests) `identity` may know of: a private channel's only to its
        members (a channel Slack says nothing about counts as private)."""
        return [feed for feed in feeds
                if self._slack.is_private(identity, feed.channel_id) is False
                or self._slack.is_member(identity, feed.channel_id, identity.user_id)]

    def in_workspace(self, identity: SlackIdentity) -> list[Feed]:
        # One scan on the server (the Home tab asks on every refresh), not a read per feed.
        prefix = Feed.id_of(identity.team_id, identity.enterprise_id, "")
        found = self._redis.hscan_iter(FEEDS, match=prefix + "*", count=1000)
        return sorted((Feed.from_dict(json.loads(raw)) for _, raw in found),
                      key=lambda feed: feed.channel_id)

    def set_by(self, identity: SlackIdentity) -> list[Feed]:
        return [f for f in self.in_workspace(identity) if f.set_by == identity.user_id]

    def end(self, feed: Feed, why: str, *, resumable: bool = False) -> bool:
        """Stop a feed for a reason its setter is told about (once, by whoever removed it);
        `resumable`: kept, so its setter can bring it back with one click."""
        if not self._redis.hdel(FEEDS, feed.id):
            return False
        if resumable:
            self._parked.park(feed.id, feed.to_dict())
        with self._speak(feed.setter):
            self._slack.dm(feed.setter, **blocks.stopped(feed, why, resumable=resumable)
                           .as_kwargs())
        return True

    def resume(self, identity: SlackIdentity, feed_id: str) -> Reply:
        """A feed stopped because its channel was out of reach, back from where it left
        off (only for whoever set it)."""
        record, why = self._parked.take(
            feed_id, allowed=lambda r: Feed.from_dict(r).setter == identity)
        if record is None:
            return _said(_("Only whoever set that feed can resume it.") if why == "not_allowed"
                         else _("That feed was already resumed or removed. "
                         "`/geese feed recognition` in the channel starts one."))
        feed = Feed.from_dict(record)
        self._strikes.clear(feed.id)
        if not self._redis.hsetnx(FEEDS, feed.id, json.dumps(feed.to_dict())):
            return blocks.already(self.get(feed.id) or feed)
        return blocks.resumed(feed)

    def setter_unlinked(self, identity: SlackIdentity) -> int:
        return sum(self.end(feed, "unlinked") for feed in self.set_by(identity))

    def setter_left(self, identity: SlackIdentity) -> int:
        """The setter was deactivated in Slack: their feeds stop (their token must not
        go on reading 7Geese for a channel), and each channel is told why."""
        stopped = 0
        for feed in self.set_by(identity):
            if self._redis.hdel(FEEDS, feed.id):
                with self._speak(feed.setter):
                    self._slack.post(feed.setter, feed.channel_id,
                                     **blocks.setter_left(feed).as_kwargs())
                stopped += 1
        return stopped

    def audience_changed(self, team_id: str, enterprise_id: str | None,
                         channel_id: str) -> bool:
        """Someone joined a feed's channel, or it was shared: check it before the next
        card."""
        feed_id = Feed.id_of(team_id, enterprise_id, channel_id)
        return bool(self._redis.delete(self._checked(feed_id)))

    def channel_archived(self, team_id: str, enterprise_id: str | None,
                         channel_id: str) -> bool:
        feed = self.get(Feed.id_of(team_id, enterprise_id, channel_id))
        return feed is not None and self.end(feed, "is_archived")

    # -- polling (a worker's job) ------------------------------------------------------

    def poll(self, feed_id: str) -> str:
        feed = self.get(feed_id)
        if feed is None:
            return "gone"
        with self._speak(feed.setter):  # cards and notices in the setter's language
            return self._poll(feed)

    def _poll(self, feed: Feed) -> str:
        link = self._links.find(feed.setter)
        if link is None:
            self.end(feed, "unlinked")
            return "stopped"
        if link.broken:  # it would stick there unseen: stop, and say so, resumably
            self.end(feed, "link_broken", resumable=True)
            return "stopped"
        try:
            checked = self._check(feed, link)
            if checked != "ok":
                return checked
            rows = awarded_since(self._geese.as_user(feed.setter),
                                 datetime.fromtimestamp(feed.since, UTC), first=BATCH)
        except NotLinked:
            self.end(feed, "unlinked")
            return "stopped"
        except LinkBroken:
            self.end(feed, "link_broken", resumable=True)
            return "stopped"
        except GeeseError as exc:
            log.info("feed %s not read yet: %s", feed.id, type(exc).__name__)
            return "retry"
        # Never what was awarded before the feed began (a first read does not flood).
        rows = [r for r in rows if r.awarded.timestamp() >= feed.created_at]
        since, posted = feed.since, 0
        for group in grouped(rows):
            outcome = self._show(feed, group)
            if outcome in ("retry", "stopped"):
                break
            posted += outcome == "posted"
            since = max(since, max(r.awarded.timestamp() for r in group))
        else:
            outcome = "posted" if posted else "nothing_new"
        self._advance(feed, since)
        return outcome

    def _show(self, feed: Feed, group: list[AwardedRecognition]) -> str:
        hidden = self._own.hidden(feed.id, [r.pk for r in group])
        claimed = [r for r in group if r.pk not in hidden and self._redis.set(
            self._shown(feed, r.pk), 1, nx=True, ex=SHOWN_TTL)]
        if not claimed:
            return "skipped"
        first = claimed[0]
        card = blocks.card(self._who(feed, first.sender),
                           [self._who(feed, r.recipient) for r in claimed],
                           first.badge, first.message, first.web_url)
        delivery = self._slack.post(feed.setter, feed.channel_id, **card.as_kwargs(),
                                   builder="feed.blocks.card")
        lag = self._clock() - first.awarded.timestamp()
        if delivery:
            self._strikes.clear(feed.id)
            self._sent("feed", "sent", lag)
            return "posted"
        if delivery.transient:  # Slack was busy or down: the next minute tries again
            self._redis.delete(*[self._shown(feed, r.pk) for r in claimed])
            self._sent("feed", "retry", None)
            return "retry"
        if delivery.unreachable:
            self._redis.delete(*[self._shown(feed, r.pk) for r in claimed])
            # Three minutes in a row: one may be a passing restriction, three are not.
            if self._strikes.add(feed.id) < STRIKES:
                self._sent("feed", "unreachable", None)
                return "retry"
            self.end(feed, delivery.error, resumable=True)
            return "stopped"
        self._sent("feed", "refused", None)
        return "refused"  # logged with Slack's error; not counted as sent

    def _check(self, feed: Feed, link: Link) -> str:
        """"ok" when the feed may read and post now; else what became of it."""
        if not self.of_the_company(feed.setter, link):
            self.end(feed, "other_company")
            return "stopped"
        if feed.allowed_by:
            return "ok"
        # The last check's time on the bot's clock (a Redis expiry would run on another).
        last = self._redis.get(self._checked(feed.id))
        now = self._clock()
        if last is not None and now - float(last) < AUDIENCE_CHECK:
            return "ok"
        self._redis.set(self._checked(feed.id), now, ex=2 * AUDIENCE_CHECK)
        outside = self.outside(feed.setter, feed.channel_id)
        if outside == "unknown":
            self._redis.delete(self._checked(feed.id))  # no card until Slack says
            return "retry"
        if outside:
            self.end(feed, outside)
            return "stopped"
        return "ok"

    @staticmethod
    def _checked(feed_id: str) -> str:
        return key("feed", "audience-checked", feed_id)

    def _advance(self, feed: Feed, since: float) -> None:
        if since <= feed.since:
            return
        # Only while the feed still exists: a feed stopped meanwhile stays stopped.
        current = self.get(feed.id)
        if current is not None and current.since < since:
            updated = Feed(**{**current.__dict__, "since": since})
            self._redis.hset(FEEDS, feed.id, json.dumps(updated.to_dict()))

    @staticmethod
    def _shown(feed: Feed, pk: int) -> str:
        return key("feed", "shown", feed.id, str(pk))

    def _who(self, feed: Feed, profile: Profile | None) -> str:
        """A Slack mention when the person has a Slack account with their 7Geese email in
        this workspace; their 7Geese name otherwise."""
        if profile is None:
            return blocks.name(_("Someone"))
        found = self._ids.by_email(feed.setter, profile.email)
        return f"<@{found}>" if found else blocks.name(profile.name)


def grouped(rows: list[AwardedRecognition]) -> list[list[AwardedRecognition]]:
    """Rows of one recognition to several people (same sender, badge and words, given
    together) become one group, so the channel gets one card for it."""
    groups: list[list[AwardedRecognition]] = []
    for row in rows:
        last = groups[-1][0] if groups else None
        if last is not None and _sender(last) == _sender(row) and last.badge == row.badge \
                and last.message == row.message \
                and abs((row.awarded - last.awarded).total_seconds()) <= GROUP_SECONDS:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def _sender(row: AwardedRecognition) -> int | None:
    return row.sender.pk if row.sender else None
