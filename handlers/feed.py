"""`/geese feed recognition`, `/geese feed off` and `/geese feeds`."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.feed import blocks
from bot.i18n import _
from bot.services import Services
from handlers.errors import reporting, require_link
from handlers.payloads import COMMAND, identity_of, subcommand, working
from storage import SlackIdentity

FEED = ("feed",)
LIST = ("feeds",)
SUBCOMMANDS = FEED + LIST
START = ("recognition", "recognitions", "on")
STOP = ("off", "stop")
ALLOW_OUTSIDE = "--allow-outside"  # an admin's: guests or another organisation may read


def _what(body: dict[str, Any]) -> str:
    words = (body.get("text") or "").lower().split()
    return words[1] if len(words) > 1 else ""


def register(app: App, services: Services) -> None:
    feeds = services.feeds

    def ack_feed(ack, body):
        what = _what(body)
        if what in STOP:  # may ask Slack whether the person is an admin: after the ack
            ack(**working(_("Stopping the recognition feed")))
        elif what in START:
            ack(**working(_("Starting the recognition feed")))
        else:
            ack(**blocks.usage().as_kwargs(), response_type="ephemeral")

    def start(body, respond):
        identity = identity_of(body)
        if _what(body) in STOP:
            with reporting(services, body, respond):
                reply = feeds.stop(identity, body.get("channel_id"))
                respond(**reply.as_kwargs(), replace_original=True, response_type="ephemeral")
            services.home.refresh_later(identity)
            return
        if _what(body) not in START:
            return
        with reporting(services, body, respond):
            require_link(services, identity)  # the feed reads 7Geese as this person
            reply = feeds.start(identity, body.get("channel_id"),
                                allow_outside=ALLOW_OUTSIDE in (body.get("text") or "").lower())
            respond(**reply.as_kwargs(), replace_original=True, response_type="ephemeral")
        services.home.refresh_later(identity)

    app.command(COMMAND, matchers=[subcommand(*FEED)])(ack=ack_feed, lazy=[start])

    @app.action(blocks.RESUME)
    def resume_feed(ack, body, action, respond):
        ack()
        reply = feeds.resume(identity_of(body), action.get("value") or "")
        respond(**reply.as_kwargs(), replace_original=True)

    def list_feeds(ack, body):
        ack(**working(_("Looking up the recognition feeds")))

    def list_feeds_lazy(body, respond):
        identity = identity_of(body)
        with reporting(services, body, respond):
            shown = feeds.visible_to(identity, feeds.in_workspace(identity))
            respond(**blocks.listing(shown).as_kwargs(), replace_original=True,
                    response_type="ephemeral")

    app.command(COMMAND, matchers=[subcommand(*LIST)])(ack=list_feeds, lazy=[list_feeds_lazy])

    def archived(body, event):
        where = (body.get("team_id") or "", body.get("enterprise_id"),
                 event.get("channel") or "")
        feeds.channel_archived(*where)
        services.digests.channel_archived(*where)

    for name in ("channel_archive", "group_archive"):
        app.event(name)(ack=lambda ack: ack(), lazy=[archived])

    def user_changed(body, event):
        user = event.get("user") or {}
        if user.get("deleted") and user.get("id"):
            setter = SlackIdentity(body.get("team_id") or user.get("team_id") or "",
                                   user["id"], body.get("enterprise_id"))
            feeds.setter_left(setter)
            services.digests.setter_left(setter)

    app.event("user_change")(ack=lambda ack: ack(), lazy=[user_changed])

    def audience_changed(body, event):
        """Someone joined a channel, or it was shared: a feed there checks who reads it
        before its next card."""
        feeds.audience_changed(body.get("team_id") or "", body.get("enterprise_id"),
                               event.get("channel") or "")

    for name in ("member_joined_channel", "channel_shared"):
        app.event(name)(ack=lambda ack: ack(), lazy=[audience_changed])
