"""Slack retries an event it thinks was not received; handle each event once, but
never drop a retry whose first delivery died (Bolt itself does not deduplicate)."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltResponse

from bot.ops.logs import add_context
from bot.services import Services
from storage import STORAGE_ERRORS

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    # One middleware, not two: Bolt builds each one's arguments on every request.
    @app.middleware
    def name_it_and_take_each_event_once(body, next):
        event_user = (body.get("event") or {}).get("user")
        add_context(
            workspace=body.get("team_id") or (body.get("team") or {}).get("id"),
            user=body.get("user_id") or (body.get("user") or {}).get("id")
            or (event_user if isinstance(event_user, str) else None),
            event=body.get("event_id"))
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id:
            return next()
        try:
            fresh = services.events.claim(event_id)
        except STORAGE_ERRORS:
            return next()  # cannot tell: handling twice beats losing it
        if not fresh:
            return BoltResponse(status=200, body="")
        return next()
