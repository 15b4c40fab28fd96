"""Which Slack workspace, with which token.

Single-workspace mode: one bot token from SLACK_BOT_TOKEN. Multi-workspace mode
(SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set): each workspace's token comes from
its installation, and with token rotation on, a token near expiry is rotated under
a per-team Redis lock, whether the request comes from Slack or from the clock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import redis
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.config import Settings
from bot.slack.gateway import web_client
from bot.slack.ratelimit import WorkspaceLimiters
from storage import SlackIdentity
from storage.keys import key
from storage.slack_oauth import RedisInstallationStore

log = logging.getLogger(__name__)

ROTATE_BEFORE_MINUTES = 120


class NotInstalled(LookupError):
    """The app is not (or no longer) installed in that workspace."""


def _lock_name(enterprise_id: str | None, team_id: str | None) -> str:
    return key("lock", "slack-rotation", enterprise_id or "-", team_id or "-")


class SlackClients:
    def __init__(self, settings: Settings, *, client: redis.Redis,
                 installations: RedisInstallationStore | None, limiters: WorkspaceLimiters,
                 clock: Callable[[], float] = time.time):
        self._settings = settings
        self._redis = client
        self.installations = installations
        self._limiters = limiters
        self._clock = clock
        self._clients: dict[str, WebClient] = {}
        self._guard = threading.Lock()
        self.base = web_client(None if installations else settings.slack_bot_token,
                               settings.slack_api_url,
                               limiter=limiters.for_workspace(None, None))
        self._rotator = TokenRotator(
            client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
            client=self.base) if installations and settings.slack_token_rotation else None

    def client_for(self, identity: SlackIdentity) -> WebClient:
        if self.installations is None:
            return self.base
        token = self.bot_token(identity.enterprise_id, identity.team_id)
        with self._guard:
            if token not in self._clients:
                self._clients[token] = web_client(token, self._settings.slack_api_url,
                                                  limiter=self._limiters.for_workspace(
                                                      identity.enterprise_id, identity.team_id))
            return self._clients[token]

    def installed(self, identity: SlackIdentity) -> bool:
        """Whether the bot can act in the person's workspace (always, with one token)."""
        if self.installations is None:
            return True
        return self._find(identity.enterprise_id, identity.team_id) is not None

    def bot_token(self, enterprise_id: str | None, team_id: str | None) -> str:
        bot = self._find(enterprise_id, team_id)
        if bot is None:
            raise NotInstalled(f"{enterprise_id or '-'}:{team_id}")
        if self._rotator is not None and self._expiring(bot):
            bot = self.rotate(enterprise_id, team_id)
        return bot.bot_token

    def _find(self, enterprise_id: str | None, team_id: str | None) -> Bot | None:
        bot = self.installations.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None and enterprise_id:  # an org-wide install covers every team
            bot = self.installations.find_bot(enterprise_id=enterprise_id, team_id=None,
                                              is_enterprise_install=True)
        return bot

    def _expiring(self, bot: Bot) -> bool:
        # The wall clock, not the injected one: slack_sdk dates the token's expiry, and
        # decides whether to rotate it, by time.time().
        return bot.bot_token_expires_at is not None and \
            bot.bot_token_expires_at <= time.time() + ROTATE_BEFORE_MINUTES * 60

    def rotate(self, enterprise_id: str | None, team_id: str | None) -> Bot:
        """Rotate the workspace's bot token, once, however many callers ask at once."""
        with self._redis.lock(_lock_name(enterprise_id, team_id), timeout=30,
                              blocking_timeout=15):
            bot = self._find(enterprise_id, team_id)  # someone may have rotated meanwhile
            if bot is None:
                raise NotInstalled(f"{enterprise_id or '-'}:{team_id}")
            refreshed = self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES)
            if refreshed is None:
                return bot
            self.installations.save_bot(refreshed)
            log.info("rotated the bot token of %s:%s", enterprise_id or "-", team_id)
            return refreshed


class LockedRotationAuthorize(InstallationStoreAuthorize):
    """Bolt's installation-store authorize, but a request that must rotate the bot
    token waits for the team's lock first, so two requests never spend one refresh
    token (the second then finds the fresh token)."""

    def __init__(self, *, clients: SlackClients, **kwargs):
        super().__init__(**kwargs)
        self._clients = clients

    def __call__(self, *, context, enterprise_id, team_id, user_id, **kwargs):
        bot = self._clients._find(enterprise_id, team_id) if self.token_rotator else None
        if bot is not None and self._clients._expiring(bot):
            self._clients.rotate(enterprise_id, team_id)
        return super().__call__(context=context, enterprise_id=enterprise_id,
                                team_id=team_id, user_id=user_id, **kwargs)
