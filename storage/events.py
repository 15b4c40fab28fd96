"""Which Slack events were seen, so a retried delivery is not handled twice, and a
retry of one whose handling died is not dropped either."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import redis

from storage.keys import key

TTL = 3600
STALE_AFTER = 30  # a first delivery not done after this long probably died


class EventLedger:
    def __init__(self, client: redis.Redis, *, clock: Callable[[], float] = time.time):
        self._redis = client
        self._clock = clock

    def _key(self, event_id: str) -> str:
        return key("event", event_id)

    def claim(self, event_id: str) -> bool:
        """True when this delivery should be handled."""
        now = self._clock()
        record = json.dumps({"at": now, "done": False})
        if self._redis.set(self._key(event_id), record, nx=True, ex=TTL):
            return True
        seen = json.loads(self._redis.get(self._key(event_id)) or "{}")
        if seen.get("done") or now - float(seen.get("at", now)) < STALE_AFTER:
            return False  # handled, or being handled right now
        # The first delivery started long ago and never finished: take it over.
        self._redis.set(self._key(event_id), record, ex=TTL)
        return True

    def done(self, event_id: str) -> None:
        self._redis.set(self._key(event_id), json.dumps({"at": self._clock(), "done": True}),
                        ex=TTL)
