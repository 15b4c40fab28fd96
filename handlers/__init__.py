"""Slack listeners, one module per feature; `register` wires them all in one place."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers import (
    admin,
    digest,
    errors,
    events,
    feed,
    feedback,
    help,
    home,
    language,
    linking,
    notifications,
    objectives,
    oneonones,
    reactions,
    recognition,
    reminders,
    todo,
    workspace,
)

FEATURES = (linking, admin, reactions, recognition, objectives, reminders, oneonones, todo,
            feedback, feed, digest, notifications, language)


def register(app: App, services: Services) -> None:
    errors.register(app, services)
    events.register(app, services)
    for feature in FEATURES:
        feature.register(app, services)
    home.register(app, services)
    workspace.register(app, services)
    # Last: it answers every /geese text no other module claimed.
    help.register(app, services,
                  claimed=tuple(word for f in FEATURES for word in f.SUBCOMMANDS))
