"""`/geese digest recognition ...`, `/geese digest off` and `/geese digests`."""

from __future__ import annotations

from slack_bolt import App

from bot.digest import blocks
from bot.digest.parse import Problem, Start, Stop, TeamOff, TeamOn, parse_digest
from bot.i18n import _
from bot.services import Services
from handlers.errors import reporting, require_link
from handlers.payloads import COMMAND, after_subcommand, identity_of, subcommand, working

DIGEST = ("digest",)
LIST = ("digests",)
SUBCOMMANDS = DIGEST + LIST


def register(app: App, services: Services) -> None:
    digests = services.digests

    def ack_digest(ack, body):
        parsed = parse_digest(after_subcommand(body))
        if isinstance(parsed, Problem):
            ack(**blocks.usage(parsed.text).as_kwargs(), response_type="ephemeral")
        elif isinstance(parsed, Start):
            ack(**working(_("Setting up the recognition digest")))
        elif isinstance(parsed, Stop):
            ack(**working(_("Stopping the recognition digest")))
        elif isinstance(parsed, TeamOff):
            ack(**working(_("Turning off your team digest")))
        else:
            ack(**working(_("Setting up your team digest")))

    def act(body, respond):
        parsed = parse_digest(after_subcommand(body))
        if isinstance(parsed, Problem):
            return
        identity = identity_of(body)
        with reporting(services, body, respond):
            if isinstance(parsed, TeamOff):
                reply = services.team_digests.turn_off(identity)
            elif isinstance(parsed, TeamOn):
                require_link(services, identity)  # it reads 7Geese as this person
                reply = services.team_digests.turn_on(identity, parsed.days,
                                                      (parsed.hour, parsed.minute))
            elif isinstance(parsed, Stop):
                reply = digests.stop(identity, body.get("channel_id"))
            else:
                require_link(services, identity)  # the digest reads 7Geese as this person
                reply = digests.start(identity, body.get("channel_id"), parsed)
            respond(**reply.as_kwargs(), replace_original=True, response_type="ephemeral")
        services.home.refresh_later(identity)

    app.command(COMMAND, matchers=[subcommand(*DIGEST)])(ack=ack_digest, lazy=[act])

    def ack_list(ack):
        ack(**working(_("Looking up the recognition digests")))

    def list_digests(body, respond):
        identity = identity_of(body)
        with reporting(services, body, respond):
            shown = digests.visible_to(identity, digests.in_workspace(identity))
            respond(**blocks.listing(shown).as_kwargs(), replace_original=True,
                    response_type="ephemeral")

    app.command(COMMAND, matchers=[subcommand(*LIST)])(ack=ack_list, lazy=[list_digests])
