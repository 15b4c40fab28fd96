"""Reading a person's 7Geese notifications and sending what is new, free of Slack types.

One poll per person (a worker's job, on the 1-on-1 poller's rota): open notifications,
newest first. Only what was created after the person linked (a first poll does not
flood), of the kinds they have on, none already sent (claimed by pk for 60 days). In
quiet hours or during a pause nothing is read: what arrived waits, and goes as one
message when the person is back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import redis

from bot.geese import GeeseClient, GeeseError, LinkBroken, NotLinked
from bot.geese.models import Profile
from bot.geese.notifications import Notice, decline_feedback, epoch, open_notices
from bot.i18n import Speak, unchanged
from bot.notify import blocks
from bot.notify.settings import NotificationSettings
from bot.slack.blocks import Reply
from bot.slack.gateway import SlackGateway
from bot.slack.ids import SlackIds
from bot.work.pausing import is_paused
from storage import Link, LinkStore, SlackIdentity
from storage.keys import key
from storage.preferences import Preferences

SENT_TTL = 60 * 86400
READ = 20  # open notifications read per poll


class NotificationService:
    def __init__(self, *, client: redis.Redis, geese: GeeseClient, links: LinkStore,
                 prefs: Preferences, slack: SlackGateway, ids: SlackIds, web_url: str,
                 tz_of: Callable[[SlackIdentity], str],
                 oneonone_nudges_on: Callable[[SlackIdentity], bool],
                 clock: Callable[[], float] = time.time,
                 sent: Callable[[str, str, float | None], None] | None = None,
                 speak: Speak = unchanged):
        self._speak = speak
        self._redis = client
        self._geese = geese
        self._links = links
        self._prefs = prefs
        self.settings = NotificationSettings(prefs)
        self._slack = slack
        self._ids = ids
        self._web_url = web_url
        self._tz_of = tz_of
        self._oneonone_nudges_on = oneonone_nudges_on
        self._clock = clock
        self._sent = sent or (lambda kind, outcome, lag: None)

    def _gate(self, identity: SlackIdentity) -> tuple[Link, dict[str, bool]] | str:
        """The link and the kinds on, when something may be sent now; else why not."""
        link = self._links.find(identity)
        if link is None or link.broken:
            return "unlinked"
        local = datetime.fromtimestamp(self._clock(), ZoneInfo(self._tz_of(identity)))
        if is_paused(self._prefs, identity, local.date()):
            return "paused"
        if not self.settings.hours(identity).contains(local.hour * 60 + local.minute):
            return "quiet_hours"
        chosen = self.settings.all(identity)
        if not any(chosen.values()):
            return "all_off"  # nothing to send: 7Geese is not even asked
        return link, chosen

    def ready(self, identity: SlackIdentity) -> bool:
        """Whether a poll now would read 7Geese (and may send)."""
        return not isinstance(self._gate(identity), str)

    def poll_one(self, identity: SlackIdentity, notices: list[Notice] | None = None) -> str:
        """Send what is new; `notices` when the person's turn already read them."""
        gate = self._gate(identity)
        if isinstance(gate, str):
            return gate
        link, chosen = gate
        if notices is None:
            try:
                notices = open_notices(self._geese.as_user(identity), first=READ)
            except (NotLinked, LinkBroken):
                return "unlinked"
            except GeeseError:
                return "retry"  # read again at the person's next turn: nothing is lost
        wanted = [n for n in notices if self._wanted(identity, n, link.linked_at, chosen)]
        claimed = [n for n in wanted if self._redis.set(
            self._claim(identity, n), 1, nx=True, ex=SENT_TTL)]
        if not claimed:
            return "nothing_new"
        claimed.sort(key=lambda n: epoch(n.created))
        with self._speak(identity):
            reply = blocks.digest(claimed, slack_id_of=lambda p: self._slack_id(identity, p),
                                  web_url=self._web_url, me_pk=link.profile_pk)
        delivery = self._slack.dm(identity, **reply.as_kwargs(), builder="notify.blocks.digest")
        oldest = self._clock() - epoch(claimed[0].created)
        if delivery:
            self._sent("notification", "sent", oldest)
            return "sent"
        if delivery.transient:  # Slack busy or down: the next turn sends them
            self._redis.delete(*[self._claim(identity, n) for n in claimed])
            self._sent("notification", "retry", None)
            return "retry"
        self._sent("notification", "refused", None)
        return "refused"

    def _wanted(self, identity: SlackIdentity, notice: Notice, linked_at: float,
                chosen: dict[str, bool]) -> bool:
        if notice.pk is None or epoch(notice.created) < linked_at:
            return False
        if not chosen.get(notice.kind):
            return False
        if notice.typename == "UpcomingOneOnOneNotificationNode" \
                and self._oneonone_nudges_on(identity):
            # The bot's own reminder two hours before the 1-on-1 covers it: handled.
            self._redis.set(self._claim(identity, notice), 1, nx=True, ex=SENT_TTL)
            return False
        return True

    @staticmethod
    def _claim(identity: SlackIdentity, notice: Notice) -> str:
        return key("notify", "sent", identity.key, str(notice.pk))

    def _slack_id(self, identity: SlackIdentity, profile: Profile | None) -> str | None:
        return self._ids.by_email(identity, profile.email) if profile else None

    # -- the Decline button (run through the outbox by bot/geese/writes.py) --------------------

    def apply_decline(self, identity: SlackIdentity, args: dict) -> Reply:
        decline_feedback(self._geese.as_user(identity), int(args["pk"]))
        return blocks.declined()
