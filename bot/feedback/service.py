"""Giving feedback through 7Geese, free of Slack types (run by bot/geese/writes.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.feedback import blocks
from bot.geese import GeeseClient, web
from bot.geese.feedback import VISIBILITY, give, given_since
from bot.i18n import Speak, _, unchanged
from bot.oneonones.service import NotInGeese, OneOnOneService
from bot.slack.blocks import Reply
from bot.slack.gateway import SlackGateway
from storage import SlackIdentity


class FeedbackService:
    def __init__(self, *, geese: GeeseClient, oneonones: OneOnOneService,
                 slack: SlackGateway, web_url: str, speak: Speak = unchanged):
        self._speak = speak
        self._geese = geese
        self._oneonones = oneonones
        self._slack = slack
        self._web_url = web_url

    def apply_give(self, identity: SlackIdentity, args: dict[str, Any]) -> Reply:
        recipient = args["recipient"]
        visible_to = [f for f in args.get("visible_to") or [] if f in VISIBILITY]
        try:
            profile = self._oneonones.person(identity, recipient)
        except NotInGeese:
            return blocks.problem(_("I couldn't find <@{recipient}> in 7Geese (no account "
                                    "with their Slack email), so your feedback was not "
                                    "sent.").format(
                                    recipient=recipient))
        give(self._geese.as_user(identity), recipient_pk=profile.pk,
             subject=args["subject"], message=args["message"],
             visible_to=frozenset(visible_to))
        return self._given(identity, recipient, visible_to)

    def landed_give(self, identity: SlackIdentity, args: dict[str, Any],
                    since: float) -> Reply | None:
        """After an attempt that may have landed: the feedback 7Geese has for it (from
        this person to that one, with this subject, since the first attempt), if any."""
        try:
            profile = self._oneonones.person(identity, args["recipient"])
        except NotInGeese:
            return None  # the attempt could not have written anything
        found = given_since(self._geese.as_user(identity),
                            me_pk=self._oneonones.me(identity), recipient_pk=profile.pk,
                            subject=args["subject"],
                            since=datetime.fromtimestamp(since, UTC))
        if found is None:
            return None
        visible_to = [f for f in args.get("visible_to") or [] if f in VISIBILITY]
        return self._given(identity, args["recipient"], visible_to)

    def _given(self, identity: SlackIdentity, recipient: str, visible_to: list[str]) -> Reply:
        """The recipient hears that feedback arrived (never its words); the giver, that
        it is in 7Geese."""
        peer = SlackIdentity(identity.team_id, recipient, identity.enterprise_id)
        with self._speak(peer):
            told = bool(self._slack.dm(peer, **blocks.arrived(
                identity.user_id, web.feedback_received(self._web_url)).as_kwargs()))
        return blocks.given(recipient, visible_to, told)
