"""Everything the handlers and web routes use, built once from settings.

No module-level state: the CLI, gunicorn, the playground and each test call
`build_services` and get their own clients, stores and connections.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx2
import redis
from slack_sdk import WebClient

from bot.config import Settings
from bot.geese import Credentials, GeeseApi, GeeseClient, GeeseOAuth
from bot.linking import LinkingService
from bot.people import Directory
from bot.recognition.announce import Announcer
from bot.recognition.badges import BadgeCatalog
from bot.recognition.service import RecognitionService
from bot.slack import SlackGateway, web_client
from storage import LinkStore, OneTimeStore, Sealer, connect
from storage.outbox import Outbox

LINK_TTL = 600  # tickets, states and browser bindings: 10 minutes


@dataclass
class Services:
    settings: Settings
    redis: redis.Redis
    links: LinkStore
    linking: LinkingService
    geese: GeeseClient
    slack: SlackGateway
    slack_client: WebClient
    directory: Directory
    badges: BadgeCatalog
    recognition: RecognitionService
    http: httpx2.Client
    # Bolt runs listeners and lazy listeners here, after the ack has gone out.
    listeners: ThreadPoolExecutor
    # Small background jobs that must not hold up a Slack request (a badge list for a
    # modal, posting what a person typed before they linked).
    background: ThreadPoolExecutor
    clock: Callable[[], float]

    def drain(self) -> None:
        """Let the work already started finish (before a shutdown)."""
        self.listeners.shutdown(wait=True)
        self.background.shutdown(wait=True)

    def close(self) -> None:
        self.drain()
        self.http.close()
        self.redis.close()


def build_services(
    settings: Settings,
    *,
    redis_client: redis.Redis | None = None,
    clock: Callable[[], float] = time.time,
    geese_timeout: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Services:
    client = redis_client if redis_client is not None else connect(settings.redis_url)
    sealer = Sealer(settings.token_encryption_keys)
    links = LinkStore(client, sealer)

    def once(kind: str) -> OneTimeStore:
        return OneTimeStore(client, sealer, kind=kind, ttl_seconds=LINK_TTL, clock=clock)

    oauth = GeeseOAuth(
        base_url=settings.geese_base_url,
        client_id=settings.geese_client_id,
        client_secret=settings.geese_client_secret,
        redirect_uri=settings.redirect_uri,
        scopes=settings.geese_scopes,
        timeout=geese_timeout,
        clock=clock,
    )
    http = httpx2.Client(timeout=geese_timeout, follow_redirects=False,
                         headers={"User-Agent": "geese-bot"})
    api = GeeseApi(settings.geese_base_url, http, sleep=sleep)
    credentials = Credentials(links, oauth, clock=clock)
    slack_client = web_client(settings.slack_bot_token, settings.slack_api_url)
    slack = SlackGateway(lambda identity: slack_client)
    linking = LinkingService(
        links=links,
        tickets=once("ticket"),
        states=once("state"),
        browsers=once("browser"),
        oauth=oauth,
        api=api,
        slack_person=slack.person,
        start_url=settings.link_start_url,
        require_same_email=settings.link_require_same_email,
        clock=clock,
    )
    geese = GeeseClient(api, credentials, links)
    directory = Directory(client, sealer, links, slack, clock=clock)
    badges = BadgeCatalog(client)
    recognition = RecognitionService(
        outbox=Outbox(client, sealer, kind="recognition", clock=clock),
        geese=geese,
        links=links,
        directory=directory,
        badges=badges,
        announcer=Announcer(slack, clock=clock),
        linking=linking,
        clock=clock,
    )
    return Services(
        settings=settings,
        redis=client,
        links=links,
        linking=linking,
        geese=geese,
        slack=slack,
        slack_client=slack_client,
        directory=directory,
        badges=badges,
        recognition=recognition,
        http=http,
        listeners=ThreadPoolExecutor(max_workers=32, thread_name_prefix="geese-bot-listener"),
        background=ThreadPoolExecutor(max_workers=4, thread_name_prefix="geese-bot-bg"),
        clock=clock,
    )

