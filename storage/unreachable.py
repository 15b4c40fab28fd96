"""Places the bot could not post to: how many times in a row (`Strikes`), and what it
stopped because of it, kept so its setter can resume it with one click (`Parked`).

Keys name the thing's id, which starts like a Slack identity's key (a reminder's or a
feed's id), so an uninstall removes them with the rest of the workspace.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import redis

from storage.keys import key

KEEP = 30 * 86400  # a month to resume; strikes older than that are forgotten


class Strikes:
    def __init__(self, client: redis.Redis, *, kind: str):
        self._redis = client
        self.kind = kind

    def _key(self, thing_id: str) -> str:
        return key("strikes", self.kind, thing_id)

    def add(self, thing_id: str) -> int:
        """One more failure in a row; how many now."""
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(self._key(thing_id))
            pipe.expire(self._key(thing_id), KEEP)
            count, _ = pipe.execute()
        return int(count)

    def clear(self, thing_id: str) -> None:
        """It worked: the count starts again."""
        self._redis.delete(self._key(thing_id))


class Parked:
    def __init__(self, client: redis.Redis, *, kind: str):
        self._redis = client
        self.kind = kind

    def _key(self, thing_id: str) -> str:
        return key("parked", self.kind, thing_id)

    def park(self, thing_id: str, record: dict[str, Any]) -> None:
        self._redis.set(self._key(thing_id), json.dumps(record), ex=KEEP)

    def take(self, thing_id: str, *, allowed: Callable[[dict[str, Any]], bool] = lambda r: True
             ) -> tuple[dict[str, Any] | None, str]:
        """The parked record, once (resuming twice resumes once), for whoever `allowed`
        says may have it: (record, "ok"), or (None, "gone" or "not_allowed"; the record
        then stays parked for its owner)."""
        raw = self._redis.getdel(self._key(thing_id))
        if not raw:
            return None, "gone"
        record = json.loads(raw)
        if not allowed(record):
            self.park(thing_id, record)
            return None, "not_allowed"
        return record, "ok"
