"""Everything running together on loopback ports: sandbox 7Geese, sandbox Slack,
and the bot's web app with its own store. The playground, the end-to-end tests
and the benchmarks all start the same stack."""

from __future__ import annotations

import html
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import redis

from bot.app import BOT_SCOPES
from bot.config import Settings
from bot.services import Services, build_services
from bot.web import create_app
from sandbox.browser import Browser, Page
from sandbox.geese import World
from sandbox.geese import create_app as create_geese
from sandbox.geese.seed import NETWORKS
from sandbox.servers import RunningServer, serve_in_thread
from sandbox.slack import SlackDriver, SlackWorld
from sandbox.slack import create_app as create_slack
from sandbox.slack.cloud import SlackCloud
from storage import Link, OAuthToken, Sealer, SlackIdentity, connect


class _LateApp:
    """Lets the bot's server take a port before the app (which must know its own URL)
    exists."""

    app: Any = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@dataclass
class Stack:
    geese: World
    slack: SlackWorld
    settings: Settings
    services: Services
    driver: SlackDriver
    servers: list[RunningServer] = field(default_factory=list)
    cloud: SlackCloud | None = None
    drivers: dict[str, SlackDriver] = field(default_factory=dict)  # by team id

    @property
    def geese_url(self) -> str:
        return self.settings.geese_base_url

    @property
    def app_url(self) -> str:
        return self.settings.public_url

    def stop(self) -> None:
        for driver in {id(d): d for d in [self.driver, *self.drivers.values()]}.values():
            driver.close()
        self.services.drain()  # lazy listeners still talk to the sandboxes
        for server in reversed(self.servers):
            server.stop()
        self.services.close()

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- shortcuts for tests and the playground ---------------------------------

    def link_button_url(self, user_id: str, since: int = 0) -> str:
        """The URL of the newest link button `user_id` can see."""
        for item in reversed(self.slack.visible_to(user_id, since)):
            for block in item.blocks or []:
                for element in block.get("elements", []):
                    if element.get("action_id") == "link_open" and element.get("url"):
                        return element["url"]
        raise LookupError(f"no link button visible to {user_id}")

    def follow_link(self, url: str, *, email: str, authorize: bool = True,
                    browser: Browser | None = None) -> Page:
        """Open a link button's URL and answer 7Geese's consent page as `email`."""
        own = browser is None
        browser = browser or Browser()
        try:
            page = browser.open(url)
            if page.is_confirmation:
                page = browser.confirm(page)
            if not page.is_consent:
                return page
            return browser.consent(page, email=email, authorize=authorize)
        finally:
            if own:
                browser.close()

    def world(self, team_id: str) -> SlackWorld:
        return next(w for w in (self.cloud.worlds if self.cloud else [self.slack])
                    if team_id == w.TEAM_ID)

    def install(self, team_id: str, *, browser: Browser | None = None,
                allow: bool = True) -> Page:
        """Add the app to a workspace through Slack's OAuth flow, as an admin would."""
        own = browser is None
        browser = browser or Browser()
        try:
            page = browser.open(self.app_url + "/slack/install")
            found = re.search(r'href="([^"]*/oauth/v2/authorize[^"]*)"', page.text)
            if not found:
                return page
            page = browser.open(html.unescape(found.group(1)))
            return browser.install(page, team_id=team_id, allow=allow)
        finally:
            if own:
                browser.close()

    def quick_link(self, user_id: str, *, scope: str = "all") -> None:
        """Link a Slack user without the browser round trip (for many users at once):
        the sandbox issues a token as the code grant would, and the link is stored."""
        world = next(w for w in (self.cloud.worlds if self.cloud else [self.slack])
                     if user_id in w.users)
        email = world.users[user_id].email
        person = self.geese.person_by_email(email)
        token = self.geese.issue_token(person.pk, self.settings.geese_client_id, scope)
        self.services.links.save(Link(
            identity=SlackIdentity(team_id=world.TEAM_ID, user_id=user_id,
                                   enterprise_id=world.ENTERPRISE_ID),
            token=OAuthToken.from_response(token, self.services.clock()),
            profile_pk=person.pk, name=person.full_name, email=person.email,
            linked_at=int(self.services.clock()), company_pk=NETWORKS[person.network][0]))
        if self.cloud is None:  # with one workspace, the first link binds it
            self.quick_bind(world.TEAM_ID)

    def quick_bind(self, team_id: str) -> None:
        """Bind a sandbox workspace to its 7Geese company, as its admin's
        `/geese admin bind` would (Gander Labs: company 1, Honk Industries: 2)."""
        world = self.world(team_id)
        pk, name = NETWORKS[world.workspace]
        self.services.companies.bind(enterprise_id=world.ENTERPRISE_ID, team_id=team_id,
                                     company_pk=pk, name=name)

    def link(self, user_id: str, *, command: str = "link") -> Page:
        """The whole linking flow for a seeded Slack user, as they would do it
        (`command="admin bind"`: an admin binding the workspace as they link)."""
        since = self.slack.posted[-1].seq if self.slack.posted else 0
        self.driver.command(user_id, command)
        self.services.settle()  # `admin bind` answers from a lazy listener
        url = self.link_button_url(user_id, since)
        return self.follow_link(url, email=self.slack.users[user_id].email)


def start_stack(
    *,
    redis_client: redis.Redis | None = None,
    clock: Callable[[], float] = time.time,
    scopes: tuple[str, ...] = BOT_SCOPES,
    expires_in: int = 36000,
    geese_timeout: float = 10.0,
    multi_workspace: bool = False,
    token_rotation: bool = False,
    **settings_changes: Any,
) -> Stack:
    """Everything on loopback. `multi_workspace`: two workspaces (one in an Enterprise
    Grid org) and Slack's OAuth install flow instead of one bot token."""
    servers: list[RunningServer] = []
    geese = World(clock=clock, expires_in=expires_in)
    servers.append(serve_in_thread(create_geese(geese), name="sandbox-7geese"))
    slack = SlackWorld(scopes=set(scopes), clock=clock)
    cloud = SlackCloud([slack, SlackWorld(scopes=set(scopes), clock=clock, workspace="honk")],
                       clock=clock) if multi_workspace else None
    servers.append(serve_in_thread(create_slack(cloud or slack), name="sandbox-slack"))
    late = _LateApp()
    app_server = serve_in_thread(late, name="geese-bot-web")
    servers.append(app_server)

    settings = Settings(
        geese_client_id="geese-bot-playground",
        geese_client_secret=secrets.token_urlsafe(24),
        token_encryption_keys=(Sealer.generate_key(),),
        slack_bot_token=slack.bot_token,
        slack_signing_secret=secrets.token_hex(16),
        slack_api_url=servers[1].url + "/api/",
        geese_base_url=servers[0].url,
        public_url=app_server.url,
        port=app_server.server.server_port,
        # The sandbox 7Geese has no rate limit; a benchmark or test that measures the
        # budget sets its own.
        geese_rate=500.0,
    )
    if multi_workspace:
        settings = replace(settings, slack_bot_token=None,
                           slack_client_id="111.222", slack_client_secret=secrets.token_hex(16),
                           slack_token_rotation=token_rotation)
        cloud.register_app(settings.slack_client_id, settings.slack_client_secret,
                           [settings.slack_install_redirect_uri], token_rotation=token_rotation)
    settings = replace(settings, **settings_changes)
    geese.register_client(settings.geese_client_id, settings.geese_client_secret,
                          [settings.redirect_uri])
    services = build_services(
        settings,
        redis_client=redis_client if redis_client is not None else connect(None),
        clock=clock,
        geese_timeout=geese_timeout,
    )
    late.app = create_app(settings, services)
    # Signatures carry real time: Bolt checks them against the real clock.
    drivers = {world.TEAM_ID: SlackDriver(world, slack_url=servers[1].url,
                                          app_url=app_server.url,
                                          signing_secret=settings.slack_signing_secret)
               for world in (cloud.worlds if cloud else [slack])}
    return Stack(geese=geese, slack=slack, settings=settings, services=services,
                 driver=drivers[slack.TEAM_ID], servers=servers, cloud=cloud, drivers=drivers)
