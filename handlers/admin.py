"""`/geese admin bind`: a workspace admin binds the workspace to their 7Geese company."""

from __future__ import annotations

from slack_bolt import App

from bot.link import blocks
from bot.services import Services
from handlers.errors import reporting
from handlers.payloads import COMMAND, identity_of, subcommand, working

SUBCOMMANDS = ("admin",)


def _what(body) -> str:
    words = (body.get("text") or "").lower().split()
    return words[1] if len(words) > 1 else ""


def register(app: App, services: Services) -> None:
    linking = services.linking

    def ack_admin(ack, body):
        if _what(body) == "bind":  # asks Slack whether the person is an admin: after the ack
            ack(**working("Checking you're a workspace admin"))
        else:
            ack(**blocks.admin_usage().as_kwargs(), response_type="ephemeral")

    def bind(body, respond):
        if _what(body) != "bind":
            return
        identity = identity_of(body)
        with reporting(services, body, respond):
            person = services.slack.person(identity)  # asked afresh: it grants a power
            if person is None or not person.is_admin:
                reply = blocks.bind_admins_only()
            elif linking.company(identity) is not None:
                reply = blocks.already_bound(linking.company_name(identity))
            else:
                reply = blocks.bind_prompt(linking.ticket_url(
                    identity, response_url=body.get("response_url"), binds=True))
            respond(**reply.as_kwargs(), replace_original=True, response_type="ephemeral")

    app.command(COMMAND, matchers=[subcommand(*SUBCOMMANDS)])(ack=ack_admin, lazy=[bind])
