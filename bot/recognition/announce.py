"""Telling people what happened to a recognition: the sender, the channel, the
recipients. Replies go through the command's response_url while it is fresh
(30 minutes, 5 uses), and by DM after that."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from bot.i18n import Speak, unchanged
from bot.recognition import blocks
from bot.recognition.records import Pending
from bot.slack.blocks import Reply
from bot.slack.gateway import SlackGateway
from storage.recognitions import OwnRecognitions

RESPONSE_URL_LIFETIME = 30 * 60 - 60  # a minute of margin
RESPONSE_URL_USES = 5


class Announcer:
    def __init__(self, slack: SlackGateway, *, own: OwnRecognitions | None = None,
                 clock: Callable[[], float] = time.time, speak: Speak = unchanged):
        self._speak = speak
        self._slack = slack
        self._own = own
        self._clock = clock

    def _can_respond(self, pending: Pending) -> bool:
        return bool(pending.response_url) \
            and pending.response_uses < RESPONSE_URL_USES \
            and self._clock() - pending.created_at < RESPONSE_URL_LIFETIME

    def tell_sender(self, pending: Pending, reply: Reply) -> None:
        """The sender's own answer: it replaces the last one while the response URL works."""
        if self._can_respond(pending):
            pending.response_uses += 1
            if self._slack.respond(pending.response_url, **reply.as_kwargs(),
                                   replace_original=True):
                return
        self._slack.dm(pending.sender, **reply.as_kwargs())

    def tell_once(self, pending: Pending, notice: str, reply: Reply) -> None:
        if notice in pending.told:
            return
        pending.told.append(notice)
        self.tell_sender(pending, reply)

    def posted(self, pending: Pending, *, recipients: Sequence[str], badge: str | None,
               message: str, web_urls: dict[str, str | None], late: bool,
               pks: Sequence[int] = ()) -> None:
        sender = pending.sender.user_id
        if self._own is not None:  # before the card, so a feed never races it to the channel
            self._own.given(pending.sender, pks, private=pending.private,
                            channel_id=pending.channel_id)
        self.tell_sender(pending, blocks.done(recipients, badge, private=pending.private,
                                              late=late))
        first_url = next((u for u in web_urls.values() if u), None)
        public = blocks.card(sender, recipients, badge, message, first_url)
        if not pending.private and pending.channel_id:
            self._share(pending, public)
        for recipient in recipients:
            with self._speak(pending.peer(recipient)):
                own = blocks.card(sender, recipients, badge, message,
                                  web_urls.get(recipient) or first_url)
            self._slack.dm(pending.peer(recipient), **own.as_kwargs())

    def _share(self, pending: Pending, card: Reply) -> None:
        # A command's response URL can speak in the channel even where the bot is
        # not a member; elsewhere the bot posts, and says so if it cannot.
        if pending.source == "command" and self._can_respond(pending):
            pending.response_uses += 1
            if self._slack.respond(pending.response_url, **card.as_kwargs(),
                                   response_type="in_channel"):
                return
        if self._slack.post(pending.sender, pending.channel_id, **card.as_kwargs(),
                            builder="recognition.blocks.card").unreachable:
            self._slack.dm(pending.sender, **blocks.not_shared(pending.channel_id).as_kwargs())
