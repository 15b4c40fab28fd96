"""The company's active 7Geese badges, cached per Slack team for an hour.

Badges are company values, the same for everyone in a workspace; any member's
session may read them. Inactive (deleted) badges are never offered.
"""

from __future__ import annotations

import json

import redis

from bot.geese import UserSession
from bot.geese.models import Badge
from bot.geese.recognitions import list_badges
from storage import SlackIdentity
from storage.keys import key

TTL = 3600


class BadgeCatalog:
    def __init__(self, client: redis.Redis):
        self._redis = client

    def _key(self, identity: SlackIdentity) -> str:
        return key("badges", identity.enterprise_id or "-", identity.team_id)

    def cached(self, identity: SlackIdentity) -> list[Badge] | None:
        raw = self._redis.get(self._key(identity))
        if raw is None:
            return None
        return [Badge(**item) for item in json.loads(raw)]

    def get(self, session: UserSession) -> list[Badge]:
        found = self.cached(session.identity)
        if found is not None:
            return found
        active = [b for b in list_badges(session) if b.active]
        self._redis.set(self._key(session.identity),
                        json.dumps([b.__dict__ for b in active]), ex=TTL)
        return active

    def forget(self, identity: SlackIdentity) -> None:
        self._redis.delete(self._key(identity))
