"""A reaction offers a recognition: `reaction_added`, and the offer's three buttons."""

from __future__ import annotations

import json

from slack_bolt import App

from bot.recognition import blocks
from bot.recognition.offers import Reaction
from bot.services import Services
from handlers.payloads import identity_of
from handlers.recognition import open_modal
from storage import SlackIdentity

SUBCOMMANDS = ()


def _offer(action) -> dict:
    try:
        value = json.loads(action.get("value") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def register(app: App, services: Services) -> None:
    offers = services.offers

    def offer(body, event):
        item = event.get("item") or {}
        if item.get("type") != "message":
            return
        offers.consider(Reaction(
            reactor=SlackIdentity(body.get("team_id") or "", event.get("user") or "",
                                  body.get("enterprise_id")),
            emoji=event.get("reaction") or "", author=event.get("item_user"),
            channel=item.get("channel"), ts=item.get("ts")))

    # Acknowledged at once; the checks (Redis, users.info) and the offer come after.
    app.event("reaction_added")(ack=lambda ack: ack(), lazy=[offer])

    @app.action(blocks.OFFER_RECOGNIZE)
    def recognize(ack, body, action, client):
        ack()
        value = _offer(action)
        author, channel, ts = value.get("a"), value.get("c"), value.get("ts")
        if not all(isinstance(v, str) and v for v in (author, channel, ts)):
            return
        identity = identity_of(body)
        domain = (body.get("team") or {}).get("domain")
        link = (f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
                if domain else "")
        open_modal(services, client, identity, body["trigger_id"], recipients=[author],
                   message=link, channel_id=channel,
                   # The outcome replaces the offer (its response URL).
                   metadata={"channel": channel, "source": "reaction",
                             "from": f"{channel}:{ts}",
                             "response_url": body.get("response_url")})

    @app.action(blocks.OFFER_NOT_NOW)
    def not_now(ack, respond):
        ack()
        respond(delete_original=True)

    @app.action(blocks.OFFER_NEVER)
    def never(ack, body, respond):
        ack()
        offers.set_wanted(identity_of(body), False)
        respond(**blocks.offer_dismissed(True).as_kwargs(), replace_original=True)
        services.home.refresh_later(identity_of(body))
