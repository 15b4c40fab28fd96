"""`/geese link`, `/geese status`, `/geese unlink`, and the link button's click."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.geese import GeeseError, LinkBroken
from bot.link import blocks
from bot.services import Services
from handlers.errors import reporting
from handlers.payloads import COMMAND, identity_of, subcommand
from storage import Link, SlackIdentity

log = logging.getLogger(__name__)

LINK = ("link", "connect", "reconnect")
STATUS = ("status", "whoami")
UNLINK = ("unlink", "disconnect")
SUBCOMMANDS = (*LINK, *STATUS, *UNLINK)


def after_unlink(services: Services, identity: SlackIdentity, removed: Link | None) -> None:
    """After the ack, and off the listener pool (7Geese may take its time): revoke the
    tokens, stop the feeds that read 7Geese as this person, refresh their Home tab."""
    services.home.refresh_later(identity)
    if removed is not None:
        services.lazy.submit(services.linking.revoke, removed)
        services.lazy.submit(services.feeds.setter_unlinked, identity)
        services.lazy.submit(services.digests.setter_unlinked, identity)


def register(app: App, services: Services) -> None:
    linking = services.linking

    @app.command(COMMAND, matchers=[subcommand(*LINK)])
    def link(ack, body):
        identity = identity_of(body)
        if linking.needs_binding(identity):
            ack(**blocks.needs_binding().as_kwargs(), response_type="ephemeral")
            return
        current = linking.find(identity)
        url = linking.ticket_url(identity, response_url=body.get("response_url"))
        ack(**blocks.link_prompt(url, current=current).as_kwargs(), response_type="ephemeral")

    def show_status(ack, body):
        identity = identity_of(body)
        current = linking.find(identity)
        if current is None and linking.needs_binding(identity):
            reply = blocks.needs_binding()
        elif current is None or current.broken:
            url = linking.ticket_url(identity, response_url=body.get("response_url"))
            reply = blocks.link_prompt(url) if current is None else blocks.reconnect(
                url, current.email)
        else:
            reply = blocks.status(current)
        ack(**reply.as_kwargs(), response_type="ephemeral")

    def verify_link(body, respond):
        """Ask 7Geese who we are, and speak up only if the link no longer works."""
        identity = identity_of(body)
        with reporting(services, body, respond):
            current = linking.find(identity)
            if current is None or current.broken:
                return
            try:
                services.geese.as_user(identity).current_user()
            except LinkBroken:
                raise
            except GeeseError as exc:
                # Inconclusive (7Geese down or slow): the stored link still stands.
                log.info("status check could not reach 7Geese: %s", type(exc).__name__)

    app.command(COMMAND, matchers=[subcommand(*STATUS)])(
        ack=show_status, lazy=[verify_link]
    )

    @app.command(COMMAND, matchers=[subcommand(*UNLINK)])
    def unlink(ack, body):
        identity = identity_of(body)
        removed = linking.unlink(identity)
        ack(**blocks.unlinked(removed).as_kwargs(), response_type="ephemeral")
        after_unlink(services, identity, removed)

    @app.action(blocks.LINK_BUTTON)
    def link_button_clicked(ack):
        ack()  # the browser follows the URL; Slack only needs to hear back
