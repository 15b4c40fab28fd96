"""Recognize with a reaction: the workspace's chosen emoji on a person's message offers
the reactor a recognition of its author, which they confirm in the usual form.

Nothing reaches 7Geese without that click, so a reaction taken back has nothing to
undo. An offer is made at most once per person and message, never for a bot's or one's
own message, one already recognized from, or one older than a week, never to someone
who said "don't ask me again", and at most OFFERS_PER_HOUR an hour to one person (a
burst of reactions is not a burst of messages).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from bot.link.people import Directory
from bot.link.service import LinkingService
from bot.recognition import blocks
from bot.slack.gateway import SlackGateway
from storage import SlackIdentity
from storage.keys import key
from storage.preferences import Preferences
from storage.workspace_settings import WorkspaceSettings

log = logging.getLogger(__name__)

OFFERS = "reaction_offers"  # the person's switch (off: "don't ask me again")
MAX_AGE = 7 * 86400  # a message older than this gets no offer
OFFERS_PER_HOUR = 10
REMEMBER = 8 * 86400  # an offer made (or a message recognized from) is remembered so long
EMOJI = re.compile(r"^[a-z0-9_+'\-]{1,100}$")


def emoji_name(text: str) -> str | None:
    """`:raised_hands:` or `raised_hands` as Slack names it; None when it can't be one."""
    name = text.strip().strip(":").lower()
    return name if EMOJI.match(name) else None


@dataclass(frozen=True)
class Reaction:
    """A `reaction_added` event, as far as an offer needs it."""

    reactor: SlackIdentity
    emoji: str
    author: str | None  # item_user: whose message it is
    channel: str | None
    ts: str | None  # the message's timestamp (its id)

    @property
    def message(self) -> str:
        return f"{self.channel}:{self.ts}"


class ReactionOffers:
    def __init__(self, *, client: redis.Redis, settings: WorkspaceSettings,
                 prefs: Preferences, directory: Directory, slack: SlackGateway,
                 linking: LinkingService, clock: Callable[[], float] = time.time):
        self._redis = client
        self._settings = settings
        self._prefs = prefs
        self._directory = directory
        self._slack = slack
        self._linking = linking
        self._clock = clock

    def emoji(self, identity: SlackIdentity) -> str | None:
        return self._settings.reaction(enterprise_id=identity.enterprise_id,
                                       team_id=identity.team_id)

    def choose(self, identity: SlackIdentity, emoji: str | None) -> None:
        self._settings.set_reaction(enterprise_id=identity.enterprise_id,
                                    team_id=identity.team_id, emoji=emoji)

    def wanted(self, identity: SlackIdentity) -> bool:
        return not self._prefs.is_off(OFFERS, identity)

    def set_wanted(self, identity: SlackIdentity, wanted: bool) -> None:
        self._prefs.set_off(OFFERS, identity, not wanted)

    def recognized_from(self, identity: SlackIdentity, message: str) -> None:
        """The person recognized someone from this message: no offer for it again."""
        self._redis.set(self._done(identity, message), 1, ex=REMEMBER)

    def consider(self, reaction: Reaction) -> str:
        """Offer a recognition for this reaction when it should be; what happened."""
        why_not = self._why_not(reaction)
        if why_not:
            return why_not
        reactor = reaction.reactor
        # Once per person and message, claimed before anything is posted.
        if not self._redis.set(self._offered(reaction), 1, nx=True, ex=REMEMBER):
            return "offered"
        hour = key("offers-hour", reactor.key, str(int(self._clock() // 3600)))
        count = self._redis.incr(hour)
        if count == 1:
            self._redis.expire(hour, 3600)
        if count > OFFERS_PER_HOUR:
            self._redis.delete(self._offered(reaction))  # a later reaction may still offer
            return "too_many"
        link = self._linking.find(reactor)
        link_url = self._linking.ticket_url(reactor) if link is None or link.broken else None
        offer = blocks.offer(reaction.author or "", reaction.channel or "", reaction.ts or "",
                             link_url=link_url)
        delivery = self._slack.ephemeral(reactor, reaction.channel or "", **offer.as_kwargs(),
                                         builder="recognition.blocks.offer")
        if delivery:
            return "offered_here"
        # Not in the channel (or the bot is not): by DM instead.
        return "offered_by_dm" if self._slack.dm(reactor, **offer.as_kwargs()) else "failed"

    def _why_not(self, reaction: Reaction) -> str | None:
        chosen = self.emoji(reaction.reactor)
        if chosen is None or reaction.emoji.split("::")[0] != chosen:
            return "not_the_emoji"
        if not (reaction.author and reaction.channel and reaction.ts):
            return "not_a_message"
        if reaction.channel.startswith("D"):
            return "not_a_channel"
        if reaction.author == reaction.reactor.user_id:
            return "own_message"
        try:
            if self._clock() - float(reaction.ts) > MAX_AGE:
                return "too_old"
        except ValueError:
            return "not_a_message"
        if not self.wanted(reaction.reactor):
            return "not_wanted"
        if self._redis.exists(self._done(reaction.reactor, reaction.message)):
            return "already_recognized"
        author = self._directory.slack_person(SlackIdentity(
            reaction.reactor.team_id, reaction.author, reaction.reactor.enterprise_id))
        if author is None or author.is_bot or author.deleted:
            return "not_a_person"
        return None

    def _offered(self, reaction: Reaction) -> str:
        return key("offered", reaction.reactor.key, reaction.message)

    @staticmethod
    def _done(identity: SlackIdentity, message: str) -> str:
        return key("recognized-from", identity.key, message)
