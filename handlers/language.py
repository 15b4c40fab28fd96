"""`/geese language fr|en|auto` and the Home tab's language menu."""

from __future__ import annotations

from slack_bolt import App

from bot import i18n
from bot.i18n import fold
from bot.link import blocks
from bot.services import Services
from handlers.payloads import COMMAND, after_subcommand, identity_of, subcommand

LANGUAGE = ("language", "lang")
SUBCOMMANDS = LANGUAGE
# What a person may type for each choice, in either language, accents optional.
WORDS = {"fr": "fr", "french": "fr", "francais": "fr", "en": "en", "english": "en",
         "anglais": "en", "auto": None, "automatic": None, "automatique": None,
         "slack": None}


def register(app: App, services: Services) -> None:
    languages = services.languages

    @app.command(COMMAND, matchers=[subcommand(*LANGUAGE)])
    def language_command(ack, body):
        identity = identity_of(body)
        word = fold(after_subcommand(body).strip())
        if not word:
            reply = blocks.language_now(i18n.current(), languages.choice(identity))
        elif word not in WORDS:
            reply = blocks.language_usage(after_subcommand(body).strip())
        else:
            chosen = WORDS[word]
            i18n.activate(languages.choose(identity, chosen))  # the answer is in it already
            reply = blocks.language_set(i18n.current(), chosen)
            services.home.refresh_later(identity)
        ack(**reply.as_kwargs(), response_type="ephemeral")

    @app.action(blocks.LANGUAGE_PICK)
    def pick_language(ack, body, action):
        ack()
        value = (action.get("selected_option") or {}).get("value")
        if value not in ("auto", *i18n.LANGUAGES):
            return  # only our menu sends this
        identity = identity_of(body)
        languages.choose(identity, None if value == "auto" else value)
        services.home.refresh_later(identity)
