"""What only an operator can mend, noted for `geese-bot status` (and kept a week):
7Geese refusing the bot's own OAuth client, for one."""

from __future__ import annotations

import json

import redis

from storage.keys import key

KEEP = 7 * 24 * 3600
ALERTS = key("alerts")


class Alerts:
    def __init__(self, client: redis.Redis):
        self._redis = client

    def note(self, kind: str, detail: str, *, at: float) -> None:
        self._redis.hset(ALERTS, kind, json.dumps({"detail": detail, "at": at}))
        self._redis.expire(ALERTS, KEEP)

    def all(self) -> dict[str, dict]:
        return {kind: json.loads(raw) for kind, raw in self._redis.hgetall(ALERTS).items()}
