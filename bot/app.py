"""The Bolt app, assembled from settings and services (an app factory, no globals)."""

from __future__ import annotations

import logging

from rq import Worker
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener_matcher import ListenerMatcher
from slack_bolt.oauth.oauth_settings import OAuthSettings

import handlers
from bot import i18n
from bot.config import Settings
from bot.services import Services
from bot.slack.handoff import Handoff, WorkersSeen, replay
from bot.slack.workspaces import LockedRotationAuthorize
from bot.work.queue import RqQueue
from handlers.events import speak_to_sender
from handlers.payloads import COMMAND, first_word
from storage.connection import binary_twin
from storage.slack_oauth import RedisOAuthStateStore

# The bot scopes the code needs, and no more. manifest.yml must declare exactly
# these (a test checks), and the sandbox Slack refuses calls outside them.
BOT_SCOPES = (
    "channels:read",  # conversations.members: who a channel reminder counts
    "chat:write",
    "commands",
    "groups:read",  # the same, in private channels
    "reactions:read",  # reaction_added: the chosen emoji offers a recognition
    "team:read",  # team.info: the workspace's domain on the link confirmation page
    "users:read",
    "users:read.email",
)


def build_app(settings: Settings, services: Services) -> App:
    i18n.check()  # a missing catalog fails here, not at a French speaker's first message
    common = {
        "client": services.slack_client,
        # Bolt verifies every HTTP request's signature and timestamp with this;
        # Socket Mode requests arrive over an authenticated socket instead.
        "signing_secret": settings.slack_signing_secret or "",
        # The ack function runs in the request's own thread: every ack function is small
        # (the slow half is lazy, queued for the worker tier), and Bolt otherwise hands it
        # to a pool and polls for the ack every 10 ms. Those that open a modal do so
        # before answering, within the trigger's 3 seconds as Slack requires anyway.
        "process_before_response": True,
        "listener_executor": services.listeners,
        "logger": logging.getLogger("geese_bot.bolt"),
    }
    if settings.multi_workspace:
        app = App(**common, **_oauth(settings, services))
    else:
        # auth.test runs on the first request instead of at import, so a worker
        # still boots while Slack is briefly unreachable.
        app = App(**common, token_verification_enabled=False)
    # The slow half of each request goes to the worker tier; with no worker running,
    # to this process's own lazy pool (Bolt's default would share the pool that acks,
    # and a slow 7Geese would fill it and delay acks).
    app._listener_runner.lazy_listener_runner.executor = services.lazy
    queue = RqQueue(services.redis, binary_twin(services.redis))
    Handoff(queue=queue, sealer=services.sealer, workers_running=WorkersSeen(
        lambda: Worker.count(queue=queue.queue)), events=services.events,
        executor=services.lazy,
        prepare=lambda body: speak_to_sender(services, body)).install(app)
    handlers.register(app, services)
    _read_the_subcommand_once(app)
    return app


class _Subcommand(ListenerMatcher):
    """The first word of a command's text, read once per request and kept in its
    context: Bolt tries listeners in turn, and would otherwise parse it (and build the
    matcher's arguments) for each of the twenty `/geese` listeners."""

    def __init__(self, words: frozenset[str]):
        self.words = words

    def matches(self, req: BoltRequest, resp: BoltResponse) -> bool:
        word = req.context.get("geese_subcommand")
        if word is None:
            word = req.context["geese_subcommand"] = first_word(req.body.get("text"))
        return word in self.words


class _Command(ListenerMatcher):
    """The slash command itself, without building matcher arguments for each try."""

    def matches(self, req: BoltRequest, resp: BoltResponse) -> bool:
        return req.body.get("command") == COMMAND


def _read_the_subcommand_once(app: App) -> None:
    for listener in app._listeners:
        _command, *others = listener.matchers
        if any(hasattr(getattr(m, "func", None), "words") for m in others):
            # A `/geese <word>` listener (`subcommand` is only used with the command).
            listener.matchers = [_Command(), *(
                _Subcommand(m.func.words) if hasattr(getattr(m, "func", None), "words")
                else m for m in others)]


def replay_job(app: App, services: Services):
    """The worker's job that runs a queued request's slow half through `app`."""
    return lambda _services, sealed: replay(app, services.sealer, services.redis, sealed)


def _oauth(settings: Settings, services: Services) -> dict:
    """Bolt's install flow (/slack/install, /slack/oauth_redirect) on Redis stores;
    Bolt's browser-cookie check on the install state stays on."""
    rotation = 120 if settings.slack_token_rotation else None
    return {
        "oauth_settings": OAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            scopes=list(BOT_SCOPES),
            redirect_uri=settings.slack_install_redirect_uri,
            install_path="/slack/install",
            redirect_uri_path="/slack/oauth_redirect",
            authorization_url=settings.slack_authorize_url,
            installation_store=services.installations,
            state_store=RedisOAuthStateStore(services.redis),
            installation_store_bot_only=True,
            token_rotation_expiration_minutes=rotation or 120,
        ),
        "authorize": LockedRotationAuthorize(
            clients=services.slack_clients,
            logger=logging.getLogger("geese_bot.bolt.authorize"),
            installation_store=services.installations,
            client_id=settings.slack_client_id if rotation else None,
            client_secret=settings.slack_client_secret if rotation else None,
            token_rotation_expiration_minutes=rotation,
            bot_only=True,
            client=services.slack_client,
        ),
    }
