"""What every request carries into the logs. (Each event is handled once, but a retry
of one whose handling died is not dropped: bot/slack/handoff.py claims event ids after
the ack, for the lazy listeners every event has.)"""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.ops.logs import add_context
from bot.services import Services

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.middleware
    def name_the_request_in_logs(body, next):
        event_user = (body.get("event") or {}).get("user")
        add_context(
            workspace=body.get("team_id") or (body.get("team") or {}).get("id"),
            user=body.get("user_id") or (body.get("user") or {}).get("id")
            or (event_user if isinstance(event_user, str) else None),
            event=body.get("event_id"))
        return next()
