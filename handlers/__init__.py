"""Slack listeners, one module per feature; `register` wires them all in one place."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers import errors, help, home, linking, recognition


def register(app: App, services: Services) -> None:
    errors.register(app, services)
    linking.register(app, services)
    recognition.register(app, services)
    home.register(app, services)
    # Last: it answers every /geese text no other module claimed.
    help.register(app, services, claimed=linking.SUBCOMMANDS + recognition.SUBCOMMANDS)
