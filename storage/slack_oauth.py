"""Slack app installations and OAuth states in Redis (slack_sdk ships no Redis stores).

Keys follow slack_sdk's file store: per enterprise and team, the latest bot, the
latest installer, and the latest installation of each installing user. An org-wide
(Enterprise Grid) install is stored under its enterprise with no team. Values are
sealed like every other token the bot keeps.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from typing import Any

import redis
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore

from storage.crypto import SealBroken, Sealer
from storage.keys import key

log = logging.getLogger(__name__)

NONE = "-"


def _scope(enterprise_id: str | None, team_id: str | None,
           is_enterprise_install: bool | None) -> str:
    team = NONE if is_enterprise_install else (team_id or NONE)
    return f"{enterprise_id or NONE}:{team}"


class RedisInstallationStore(InstallationStore):
    def __init__(self, client: redis.Redis, sealer: Sealer):
        self._redis = client
        self._sealer = sealer
        self._logger = log

    @property
    def logger(self):
        return self._logger

    def _key(self, scope: str, name: str) -> str:
        return key("slack", "install", scope, name)

    def _put(self, redis_key: str, data: dict[str, Any]) -> None:
        self._redis.set(redis_key, json.dumps({"v": 1, "sealed": self._sealer.seal(data)}))

    def _get(self, redis_key: str) -> dict[str, Any] | None:
        raw = self._redis.get(redis_key)
        if raw is None:
            return None
        try:
            return self._sealer.open(json.loads(raw)["sealed"])
        except (SealBroken, ValueError, KeyError):
            log.error("installation record %s cannot be opened", redis_key)
            return None

    # -- saving ---------------------------------------------------------------------

    def save(self, installation: Installation) -> None:
        scope = _scope(installation.enterprise_id, installation.team_id,
                       installation.is_enterprise_install)
        self.save_bot(installation.to_bot())
        data = dict(vars(installation))
        self._put(self._key(scope, "installer-latest"), data)
        self._put(self._key(scope, f"installer-{installation.user_id or NONE}-latest"), data)
        self._redis.sadd(key("slack", "installs"), scope)

    def save_bot(self, bot: Bot) -> None:
        if bot.bot_token is None:
            return
        scope = _scope(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        self._put(self._key(scope, "bot-latest"), dict(vars(bot)))

    # -- finding --------------------------------------------------------------------

    def find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                 is_enterprise_install: bool | None = False) -> Bot | None:
        data = self._get(self._key(_scope(enterprise_id, team_id, is_enterprise_install),
                                   "bot-latest"))
        return Bot(**data) if data else None

    def find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                          user_id: str | None = None,
                          is_enterprise_install: bool | None = False) -> Installation | None:
        scope = _scope(enterprise_id, team_id, is_enterprise_install)
        name = f"installer-{user_id}-latest" if user_id else "installer-latest"
        data = self._get(self._key(scope, name))
        if data is None:
            return None
        installation = Installation(**data)
        if user_id is not None or installation.bot_token is None:
            # A user's installation may predate the newest bot token (rotation,
            # reinstall): the bot part always comes from the latest bot.
            bot = self.find_bot(enterprise_id=enterprise_id, team_id=team_id,
                                is_enterprise_install=is_enterprise_install)
            if bot is not None and bot.bot_token != installation.bot_token:
                installation.bot_id = bot.bot_id
                installation.bot_user_id = bot.bot_user_id
                installation.bot_token = bot.bot_token
                installation.bot_scopes = bot.bot_scopes
                installation.bot_refresh_token = bot.bot_refresh_token
                installation.bot_token_expires_at = bot.bot_token_expires_at
        return installation

    # -- deleting -------------------------------------------------------------------

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._redis.delete(self._key(_scope(enterprise_id, team_id, False), "bot-latest"))

    def delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                            user_id: str | None = None) -> None:
        scope = _scope(enterprise_id, team_id, False)
        if user_id is not None:
            self._redis.delete(self._key(scope, f"installer-{user_id}-latest"))
            return
        for found in self._redis.scan_iter(self._key(scope, "installer-*")):
            self._redis.delete(found)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        scope = _scope(enterprise_id, team_id, False)
        for found in self._redis.scan_iter(self._key(scope, "*")):
            self._redis.delete(found)
        self._redis.srem(key("slack", "installs"), scope)

    def scopes(self) -> list[str]:
        """Every enterprise:team with an installation (for the clock)."""
        return sorted(self._redis.smembers(key("slack", "installs")))


class RedisOAuthStateStore(OAuthStateStore):
    """Single-use install states with an expiry (Bolt also checks a browser cookie)."""

    def __init__(self, client: redis.Redis, *, expiration_seconds: int = 600):
        self._redis = client
        self.expiration_seconds = expiration_seconds
        self._logger = log

    @property
    def logger(self):
        return self._logger

    @staticmethod
    def _key(state: str) -> str:
        return key("slack", "state", hashlib.sha256(state.encode()).hexdigest())

    def issue(self, *args, **kwargs) -> str:
        state = secrets.token_urlsafe(32)
        self._redis.set(self._key(state), 1, nx=True, ex=self.expiration_seconds)
        return state

    def consume(self, state: str) -> bool:
        if not state or len(state) > 256:
            return False
        return self._redis.getdel(self._key(state)) is not None
