"""The app leaves a workspace: uninstalled, or its bot token revoked."""

from __future__ import annotations

from slack_bolt import App

from bot.link.uninstall import forget_workspace
from bot.services import Services


def register(app: App, services: Services) -> None:
    def forget(body) -> None:
        enterprise = body.get("enterprise_id") or None
        # An org-wide (Enterprise Grid) install leaves every team of its enterprise.
        team = None if body.get("is_enterprise_install") else body.get("team_id")
        forget_workspace(services, enterprise, team)

    def uninstalled(body):
        forget(body)

    def tokens_revoked(body, event):
        # Only the bot's token matters: without it the bot can do nothing there.
        if (event.get("tokens") or {}).get("bot"):
            forget(body)

    # Acknowledged at once; the forgetting (a walk over Redis, revocations at 7Geese)
    # comes after, once per event.
    app.event("app_uninstalled")(ack=lambda ack: ack(), lazy=[uninstalled])
    app.event("tokens_revoked")(ack=lambda ack: ack(), lazy=[tokens_revoked])
