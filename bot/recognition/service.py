"""Giving recognition: from what a person asked for to posts in 7Geese, losing nothing.

Every request becomes an outbox item first; delivery then either finishes it,
parks it until the sender links 7Geese, reschedules it while 7Geese is down
(the clock process retries with backoff), or drops it for a reason the sender
is told (unknown badge, recipient not in 7Geese, refused by 7Geese).
Each recipient is posted at most once: delivery holds the item's lock, records
each recipient as it goes, and before re-sending a POST that got no clear answer
asks 7Geese whether it landed.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from bot.geese import (
    GeeseClient,
    GeeseError,
    Invalid,
    LinkBroken,
    NotLinked,
    Profile,
    RateLimited,
    Unavailable,
    UserSession,
)
from bot.geese.models import Badge
from bot.geese.recognitions import find_given, give
from bot.i18n import Speak, _, unchanged
from bot.link.people import Directory
from bot.link.service import LinkingService
from bot.recognition import blocks
from bot.recognition.announce import Announcer
from bot.recognition.badges import BadgeCatalog
from bot.recognition.parse import Draft, Refusal, parse, plain_text, slack_display
from bot.recognition.records import DONE, INFLIGHT, Delivery, Pending
from bot.slack.blocks import mrkdwn_escape, refusal_text
from storage import LinkStore, SlackIdentity
from storage.outbox import Outbox

log = logging.getLogger(__name__)

GIVE_UP_AFTER = 3 * 24 * 3600
KEPT = ("waiting_for_link", "saved")  # outcomes that leave the item in the outbox
BACKOFF = (30, 60, 120, 300, 600, 1800, 3600)
RECONCILE_MARGIN = 300  # look this far before an unclear POST for what it created


def find_badge(badges: list[Badge], ref: str) -> Badge | None:
    """A badge by name, or by `pk:<n>` (what the modal's select sends)."""
    if ref.startswith("pk:"):
        return next((b for b in badges if str(b.pk) == ref[3:]), None)
    return next((b for b in badges if b.name == ref), None)


class Refused(Exception):
    """The recognition cannot be posted as asked; `text` tells the sender why."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Prepared:
    recipients: tuple[str, ...]
    profiles: dict[str, Profile]
    badge: Badge | None
    message: str  # safe to show in Slack: a command's Slack markup, or escaped text
    plain: str  # as 7Geese shows it


class RecognitionService:
    def __init__(self, *, outbox: Outbox, geese: GeeseClient, links: LinkStore,
                 directory: Directory, badges: BadgeCatalog, announcer: Announcer,
                 linking: LinkingService, clock: Callable[[], float] = time.time,
                 speak: Speak = unchanged):
        self._speak = speak
        self._outbox = outbox
        self._geese = geese
        self._links = links
        self._directory = directory
        self._badges = badges
        self._announce = announcer
        self._linking = linking
        self._clock = clock

    @property
    def outbox(self) -> Outbox:
        return self._outbox

    # -- asking --------------------------------------------------------------------

    def check(self, text: str, sender: SlackIdentity) -> Draft | Refusal:
        """What can be said at once, before any call to 7Geese."""
        cached = self._badges.cached(sender)
        return parse(text, sender=sender.user_id,
                     badges=[b.name for b in cached] if cached is not None else None)

    def submit(self, pending: Pending) -> str:
        """Keep the request, then try to deliver it now. Returns what happened."""
        if not self._outbox.add(pending.id, pending.to_dict()):
            return "duplicate"  # a double-clicked submit, or a retried request
        return self.deliver(pending.id)

    def process_due(self) -> int:
        """The clock's job: try every item whose time has come."""
        count = 0
        for item_id in self._outbox.due():
            self.deliver(item_id)
            count += 1
        return count

    def forget_sent_by(self, sent_by: Callable[[SlackIdentity], bool]) -> int:
        """Drop queued recognitions whose sender `sent_by` names (an uninstall); how many."""
        return self._outbox.drop_where(lambda data: sent_by(Pending.from_dict(data).sender))

    def after_link(self, identity: SlackIdentity) -> list[str]:
        """The sender just linked 7Geese: post what they typed before."""
        return [self.deliver(item_id) for item_id in self._outbox.unpark(identity.key)]

    # -- delivering ----------------------------------------------------------------

    def deliver(self, item_id: str) -> str:
        lock = self._outbox.lock(item_id)
        if not lock.acquire():
            return "busy"
        try:
            data = self._outbox.load(item_id)
            if data is None:
                self._outbox.remove(item_id)
                return "gone"
            pending = Pending.from_dict(data)
            with self._speak(pending.sender):
                outcome = self._deliver(pending)
            if outcome in KEPT:
                self._outbox.save(item_id, pending.to_dict())  # attempts, notices given
            return outcome
        finally:
            # A lock that expired mid-delivery has nothing left to release.
            with contextlib.suppress(redis.exceptions.LockError):
                lock.release()

    def _deliver(self, pending: Pending) -> str:
        session = self._geese.as_user(pending.sender)
        try:
            link = self._links.find(pending.sender)
            if link is None:
                raise NotLinked()
            if link.broken:
                raise LinkBroken(link.email)
            prepared = self._prepare(session, pending)
            web_urls = self._post_each(session, pending, prepared, sender_pk=link.profile_pk)
        except (NotLinked, LinkBroken):
            self._outbox.park(pending.id, pending.sender.key)
            url = self._linking.ticket_url(pending.sender, response_url=None)
            self._announce.tell_once(pending, "link",
                                     blocks.waiting_for_link(self._who(pending), url))
            return "waiting_for_link"
        except (Unavailable, RateLimited) as exc:
            return self._retry_later(pending, exc)
        except Refused as exc:
            self._outbox.remove(pending.id)
            self._announce.tell_sender(pending, blocks.refused(exc.text))
            return "refused"
        late = pending.attempts > 0 or "link" in pending.told
        self._announce.posted(pending, recipients=prepared.recipients,
                              badge=prepared.badge.name if prepared.badge else None,
                              message=prepared.message, web_urls=web_urls, late=late,
                              pks=[pending.deliveries[u].pk or 0 for u in prepared.recipients])
        self._outbox.remove(pending.id)
        return "posted"

    def _prepare(self, session: UserSession, pending: Pending) -> Prepared:
        badges = self._badges.get(session)
        if pending.text is not None:
            draft = parse(pending.text, sender=pending.sender.user_id,
                          badges=[b.name for b in badges])
            if isinstance(draft, Refusal):
                raise Refused(draft.text + _(" Nothing was posted."))
            recipients, message, badge_name = draft.recipients, draft.message, draft.badge
            pending.private = pending.private or draft.private
        else:
            recipients, message, badge_name = pending.recipients, pending.message or "", \
                pending.badge
        badge = None
        if badge_name:
            badge = find_badge(badges, badge_name)
            if badge is None:
                shown = _("you picked") if badge_name.startswith("pk:") else badge_name
                raise Refused(_("The badge {shown} is no longer available in 7Geese. Nothing "
                                "was posted; please send it again with another badge.").format(
                                shown=shown))

        names: dict[str, str] = {}
        problems: list[str] = []
        for user_id in recipients:
            person = self._directory.slack_person(pending.peer(user_id))
            if person is None or person.deleted:
                problems.append(_("<@{user_id}> is no longer in this Slack workspace").format(
                                  user_id=user_id))
            elif person.is_bot:
                problems.append(_("<@{user_id}> is a bot, and bots can't "
                                  "receive recognition").format(
                                  user_id=user_id))
            else:
                names[user_id] = person.name
        # Others mentioned in the message are not looked up (70 made-up mentions were 70
        # users.info calls): 7Geese gets them as Slack labelled them ("@bea").
        profiles: dict[str, Profile] = {}
        missing = []
        for user_id in (r for r in recipients if r in names):
            profile = self._directory.profile(session, pending.peer(user_id))
            if profile is None:
                missing.append(f"<@{user_id}>")
            else:
                profiles[user_id] = profile
        if missing:
            problems.append(_("I couldn't find {value} in 7Geese (no account with their "
                              "Slack email)").format(
                              value=blocks.mentions([m[2:-1] for m in missing])))
        if problems:
            raise Refused("; ".join(problems) + _(". Nothing was posted."))
        plain = plain_text(message, names)
        # A command's text is Slack's own markup: people stay mentions, links show their
        # address; a form's text is raw, so Slack sees it escaped.
        display = slack_display(message) if pending.text is not None \
            else mrkdwn_escape(plain)
        return Prepared(tuple(recipients), profiles, badge, display, plain)

    def _post_each(self, session: UserSession, pending: Pending, prepared: Prepared, *,
                   sender_pk: int) -> dict[str, str | None]:
        web_urls: dict[str, str | None] = {}
        for user_id in prepared.recipients:
            delivery = pending.deliveries.setdefault(user_id, Delivery())
            if delivery.state == INFLIGHT:
                landed = find_given(session, sender_pk=sender_pk,
                                    recipient_pk=prepared.profiles[user_id].pk,
                                    since=delivery.attempted_at - RECONCILE_MARGIN,
                                    message=prepared.plain)
                if landed is not None:
                    delivery.state, delivery.web_url = DONE, landed.web_url
                    delivery.pk = landed.id or None
            if delivery.state != DONE:
                delivery.state, delivery.attempted_at = INFLIGHT, self._clock()
                self._outbox.save(pending.id, pending.to_dict())
                try:
                    given = give(session, recipient=prepared.profiles[user_id],
                                 badge=prepared.badge, message=prepared.plain)
                except Invalid as exc:
                    delivery.state = "refused"
                    raise Refused(self._partial(pending, prepared, user_id, exc)) from None
                delivery.state, delivery.web_url = DONE, given.web_url
                delivery.pk = given.id or None
                self._outbox.save(pending.id, pending.to_dict())
            web_urls[user_id] = delivery.web_url
        return web_urls

    def _partial(self, pending: Pending, prepared: Prepared, user_id: str,
                 exc: Invalid) -> str:
        reason = refusal_text(exc.messages)
        posted = [u for u in prepared.recipients if pending.deliveries.get(u, Delivery()).state
                  == DONE]
        head = (_("I posted your recognition of {posted}, but ").format(
                  posted=blocks.mentions(posted))
                if posted else "")
        return (_("{head}7Geese refused the one for <@{user_id}>: {reason}. That one was not "
                  "posted.").format(
                  head=head, user_id=user_id, reason=reason))

    def _retry_later(self, pending: Pending, exc: GeeseError) -> str:
        pending.attempts += 1
        if self._clock() - pending.created_at > GIVE_UP_AFTER:
            self._outbox.remove(pending.id)
            self._announce.tell_sender(pending, blocks.refused(
                _("7Geese has not answered for three days, so I've stopped trying to post "
                  "your recognition of {pending}. Please send it again.").format(
                  pending=blocks.mentions(self._who(pending)))))
            return "given_up"
        delay = BACKOFF[min(pending.attempts - 1, len(BACKOFF) - 1)]
        if isinstance(exc, RateLimited) and exc.retry_after:
            delay = max(delay, exc.retry_after)
        delay *= random.uniform(0.9, 1.1)  # noqa: S311 - spreading retries, not security
        self._outbox.schedule(pending.id, self._clock() + delay)
        log.info("7Geese unavailable (%s); recognition %s retries in %.0f s",
                 type(exc).__name__, pending.id, delay)
        self._announce.tell_once(pending, "saved", blocks.saved(self._who(pending)))
        return "saved"

    def _who(self, pending: Pending) -> tuple[str, ...]:
        if pending.recipients:
            return pending.recipients
        draft = parse(pending.text or "", sender=pending.sender.user_id)
        return draft.recipients if isinstance(draft, Draft) else ()
