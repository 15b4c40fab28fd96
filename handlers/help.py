"""`/geese help`, `/geese` alone, and the answer to anything unknown."""

from __future__ import annotations

from slack_bolt import App

from bot.help import blocks
from bot.services import Services
from handlers.payloads import COMMAND, first_word, subcommand

HELP = ("", "help", "?")


def register(app: App, services: Services, *, claimed: tuple[str, ...]) -> None:
    @app.command(COMMAND, matchers=[subcommand(*HELP)])
    def show_help(ack):
        ack(**blocks.help_reply().as_kwargs(), response_type="ephemeral")

    # Bolt tries the next matching listener when one does not ack in time, so the
    # catch-all must not match words another module owns: a slow `link` would
    # otherwise be answered with "I don't know `link`".
    def unclaimed(body) -> bool:
        return first_word(body.get("text")) not in (*claimed, *HELP)

    @app.command(COMMAND, matchers=[unclaimed])
    def unknown(ack, body):
        ack(**blocks.unknown_command(first_word(body.get("text"))).as_kwargs(),
            response_type="ephemeral")
