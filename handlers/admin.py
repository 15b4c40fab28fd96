"""`/geese admin`: a workspace admin binds the workspace to their 7Geese company
(`bind`), picks the reaction that offers a recognition (`reaction :emoji:|off`), or
sees both (no word)."""

from __future__ import annotations

from slack_bolt import App

from bot.i18n import _
from bot.link import blocks as link_blocks
from bot.recognition import blocks as recognition_blocks
from bot.recognition.offers import emoji_name
from bot.services import Services
from bot.slack.blocks import Reply
from handlers.errors import reporting
from handlers.payloads import COMMAND, identity_of, subcommand, working
from storage import SlackIdentity

SUBCOMMANDS = ("admin",)


ADMIN_ONLY = ("bind", "reaction", "")  # `/geese admin` alone: the settings


def _what(body) -> str:
    words = (body.get("text") or "").lower().split()
    return words[1] if len(words) > 1 else ""


def _rest(body) -> list[str]:
    return (body.get("text") or "").split()[2:]


def register(app: App, services: Services) -> None:
    linking = services.linking

    def ack_admin(ack, body):
        if _what(body) in ADMIN_ONLY:  # asks Slack whether they are an admin: after the ack
            ack(**working(_("Checking you're a workspace admin")))
        else:
            ack(**link_blocks.admin_usage().as_kwargs(), response_type="ephemeral")

    def act(body, respond):
        what = _what(body)
        if what not in ADMIN_ONLY:
            return
        identity = identity_of(body)
        with reporting(services, body, respond):
            person = services.slack.person(identity)  # asked afresh: it grants a power
            if person is None or not person.is_admin:
                reply = link_blocks.bind_admins_only() if what == "bind" else \
                    link_blocks.admins_only()
            elif what == "bind":
                reply = bind(identity, body)
            elif what == "reaction":
                reply = choose_reaction(identity, _rest(body))
            else:
                reply = link_blocks.admin_settings(linking.company_name(identity),
                                                   linking.company(identity) is not None,
                                                   services.offers.emoji(identity))
            respond(**reply.as_kwargs(), replace_original=True, response_type="ephemeral")

    def bind(identity: SlackIdentity, body) -> Reply:
        if linking.company(identity) is not None:
            return link_blocks.already_bound(linking.company_name(identity))
        return link_blocks.bind_prompt(linking.ticket_url(
            identity, response_url=body.get("response_url"), binds=True))

    def choose_reaction(identity: SlackIdentity, words: list[str]) -> Reply:
        if len(words) != 1:
            return recognition_blocks.reaction_usage()
        if words[0].lower() == "off":
            services.offers.choose(identity, None)
            return recognition_blocks.reaction_chosen(None)
        emoji = emoji_name(words[0])
        if emoji is None:
            return recognition_blocks.reaction_usage()
        services.offers.choose(identity, emoji)
        return recognition_blocks.reaction_chosen(emoji)

    app.command(COMMAND, matchers=[subcommand(*SUBCOMMANDS)])(ack=ack_admin, lazy=[act])
