"""What every request carries: its names in the logs, and the language of the person
who sent it. (Each event is handled once, but a retry of one whose handling died is not
dropped: bot/slack/handoff.py claims event ids after the ack, for the lazy listeners
every event has.)"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot import i18n
from bot.ops.logs import add_context
from bot.services import Services
from handlers.payloads import sender_of

log = logging.getLogger(__name__)


def speak_to_sender(services: Services, body: dict[str, Any]) -> None:
    """The slow half of a request (a worker's replay, the lazy pool): the sender's
    language, asking Slack for it if nothing is known yet."""
    sender = sender_of(body)
    try:
        i18n.activate(services.languages.of(sender) if sender else services.languages.default)
    except Exception:  # Redis or Slack down: the error reply says so in the default
        i18n.activate(services.languages.default)


def register(app: App, services: Services) -> None:
    languages = services.languages

    @app.middleware
    def name_the_request(req, body, next):
        sender = sender_of(body)
        add_context(workspace=sender.team_id if sender else body.get("team_id"),
                    user=sender.user_id if sender else None, event=body.get("event_id"))
        if req.lazy_only:
            speak_to_sender(services, body)
        else:  # the ack: what this process or Redis knows (Languages.quick)
            i18n.activate(languages.quick(sender) if sender else languages.default)
        return next()
