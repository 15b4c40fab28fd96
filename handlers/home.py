"""The App Home tab: for now, which 7Geese account is linked and how to change it."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot import blocks
from bot.services import Services
from handlers.payloads import identity_of
from storage import STORAGE_ERRORS

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def publish_home(body, event, client):
        if event.get("tab") != "home":
            return
        identity = identity_of(body)
        try:
            view = home_view(services, identity)
        except STORAGE_ERRORS:
            view = {"type": "home", "blocks": blocks.problem(
                "I can't load your 7Geese details right now. Open this tab again in a "
                "minute.").blocks}
        client.views_publish(user_id=identity.user_id, view=view)


def home_view(services: Services, identity) -> dict:
    link = services.linking.find(identity)
    header = {"type": "header", "text": {"type": "plain_text", "text": "7Geese in Slack"}}
    if link is not None and not link.broken:
        body = blocks.status(link).blocks
    else:
        url = services.linking.ticket_url(identity)
        body = (blocks.reconnect(url, link.email) if link else blocks.link_prompt(url)).blocks
        body = [blocks.section("geese-bot lets you recognize teammates, check in on "
                               "objectives and prepare 1-on-1s without leaving Slack, "
                               "acting in 7Geese as you."), *body]
    return {"type": "home", "blocks": [header, *body]}
