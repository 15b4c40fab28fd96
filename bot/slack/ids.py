"""A 7Geese person's Slack user in a workspace, found by email (users.lookupByEmail, a
Tier 3 method) and remembered for a day, so feeds and notifications can mention people
without asking Slack for each card. Only Slack's own answers are remembered (a user, or
`users_not_found`); an error is not, or one 429 would hide a person for a day."""

from __future__ import annotations

import hashlib

import redis

from bot.slack.gateway import SlackGateway
from storage import SlackIdentity
from storage.keys import key

REMEMBER = 86400


class SlackIds:
    def __init__(self, client: redis.Redis, slack: SlackGateway):
        self._redis = client
        self._slack = slack

    def by_email(self, identity: SlackIdentity, email: str | None) -> str | None:
        """In the workspace of `identity` (whose token asks)."""
        if not email:
            return None
        digest = hashlib.sha256(email.encode()).hexdigest()[:32]
        # Named after the workspace, so an uninstall removes it (bot/link/uninstall.py).
        cache = key("slack-id", f"{identity.enterprise_id or '-'}:{identity.team_id}:", digest)
        found = self._redis.get(cache)
        if found is None:
            user_id, definitive = self._slack.user_by_email(identity, email)
            if not definitive:  # Slack busy or down: ask again next time
                return None
            found = user_id or ""
            self._redis.set(cache, found, ex=REMEMBER)
        return found or None
