"""`/geese notifications ...`, and the buttons on 7Geese's notifications in Slack:
*Say thanks*, *Decline*, the on/off switches, and the links."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.notify import blocks
from bot.notify.settings import KINDS, parse_hours
from bot.services import Services
from handlers.errors import reporting, tell
from handlers.payloads import COMMAND, identity_of, subcommand
from handlers.recognition import open_modal
from storage import SlackIdentity

NOTIFICATIONS = ("notifications", "notification", "notify")
SUBCOMMANDS = NOTIFICATIONS


def _words(body: dict[str, Any]) -> list[str]:
    return (body.get("text") or "").lower().split()[1:]


def register(app: App, services: Services) -> None:
    notifications = services.notifications
    settings = notifications.settings

    def current(identity: SlackIdentity):
        return blocks.settings(settings.all(identity), settings.hours(identity))

    @app.command(COMMAND, matchers=[subcommand(*NOTIFICATIONS)])
    def notifications_command(ack, body):
        identity, words = identity_of(body), _words(body)
        if not words:
            reply = current(identity)
        elif words[0] in ("on", "off") and len(words) == 2 and words[1] in KINDS:
            settings.set(identity, words[1], words[0] == "on")
            reply = current(identity)
        elif words[0] == "hours" and len(words) == 2 and (hours := parse_hours(words[1])):
            settings.set_hours(identity, hours)
            reply = current(identity)
        else:
            reply = blocks.usage()
        ack(**reply.as_kwargs(), response_type="ephemeral")
        services.home.refresh_later(identity)

    @app.action(blocks.TOGGLES)
    def toggle(ack, body, action, respond):
        ack()
        kind, _, state = (action.get("value") or "").partition(":")
        if kind not in KINDS or state not in ("on", "off"):
            return  # only our buttons send this
        identity = identity_of(body)
        settings.set(identity, kind, state == "on")
        if (body.get("view") or {}).get("type") != "home" and respond.response_url:
            respond(**current(identity).as_kwargs(), replace_original=True,
                    response_type="ephemeral")
        services.home.refresh_later(identity)

    @app.action(blocks.THANKS)
    def say_thanks(ack, body, action, client):
        ack()
        sender = action.get("value") or ""
        open_modal(services, client, identity_of(body), body["trigger_id"],
                   recipients=[sender] if sender.startswith(("U", "W")) else [],
                   metadata={"source": "home"})

    def ack_decline(ack):
        ack()

    def decline(body, action, respond):
        value = action.get("value") or ""
        if not value.isdigit():
            return
        identity = identity_of(body)
        with reporting(services, body, respond):
            reply = services.writes.submit("feedback_decline", identity, {"pk": int(value)})
            tell(services, body, respond, reply)

    app.action(blocks.DECLINE)(ack=ack_decline, lazy=[decline])

    @app.action(blocks.OPEN)
    def opened(ack):
        ack()  # the browser follows the URL; Slack only needs to hear back
