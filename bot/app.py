"""The Bolt app, assembled from settings and services (an app factory, no globals)."""

from __future__ import annotations

import logging

from slack_bolt import App

import handlers
from bot.config import Settings
from bot.services import Services

# The bot scopes the code needs, and no more. manifest.yml must declare exactly
# these (a test checks), and the sandbox Slack refuses calls outside them.
BOT_SCOPES = (
    "channels:read",  # conversations.members: who a channel reminder counts
    "chat:write",
    "commands",
    "groups:read",  # the same, in private channels
    "users:read",
    "users:read.email",
)


def build_app(settings: Settings, services: Services) -> App:
    app = App(
        client=services.slack_client,
        # Bolt verifies every HTTP request's signature and timestamp with this;
        # Socket Mode requests arrive over an authenticated socket instead.
        signing_secret=settings.slack_signing_secret or "",
        # auth.test runs on the first request instead of at import, so a worker
        # still boots while Slack is briefly unreachable.
        token_verification_enabled=False,
        process_before_response=False,
        listener_executor=services.listeners,
        logger=logging.getLogger("geese_bot.bolt"),
    )
    handlers.register(app, services)
    return app
