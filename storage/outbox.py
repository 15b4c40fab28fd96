"""Durable work that must reach 7Geese: added once, delivered later, never lost.

Each item is a sealed, versioned payload under its own key. A sorted set orders
items by when to try next; items waiting for their owner (a person who must link
7Geese first) are parked in a set per owner instead, and expire after a week.
Whoever delivers an item holds its lock, so two clock processes never work on
the same item at once; a lock dies with its holder after `lock_timeout`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import redis

from storage.crypto import SealBroken, Sealer
from storage.keys import key

VERSION = 1
PARKED_TTL = 7 * 24 * 3600
SEEN_TTL = 24 * 3600


class Outbox:
    def __init__(self, client: redis.Redis, sealer: Sealer, *, kind: str,
                 clock: Callable[[], float] = time.time, lock_timeout: float = 120):
        self._redis = client
        self._sealer = sealer
        self._kind = kind
        self._clock = clock
        self.lock_timeout = lock_timeout

    def _item(self, item_id: str) -> str:
        return key("outbox", self._kind, "item", item_id)

    @property
    def _due(self) -> str:
        return key("outbox", self._kind, "due")

    def _parked(self, owner: str) -> str:
        return key("outbox", self._kind, "parked", owner)

    @property
    def _created(self) -> str:
        return key("outbox", self._kind, "created")

    def add(self, item_id: str, payload: dict[str, Any], *, due_at: float | None = None) -> bool:
        """Store a new item; False (and nothing changed) when the id was seen in the
        last day, even if that item was delivered and removed since."""
        if not self._redis.set(key("outbox", self._kind, "seen", item_id), 1, nx=True,
                               ex=SEEN_TTL):
            return False
        now = self._clock()
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._item(item_id), self._encode(payload))
            pipe.zadd(self._due, {item_id: now if due_at is None else due_at})
            pipe.zadd(self._created, {item_id: now})
            pipe.execute()
        return True

    def load(self, item_id: str) -> dict[str, Any] | None:
        raw = self._redis.get(self._item(item_id))
        if raw is None:
            return None
        envelope = json.loads(raw)
        if envelope.get("v") != VERSION:
            return None
        try:
            return self._sealer.open(envelope["sealed"])
        except SealBroken:
            return None

    def save(self, item_id: str, payload: dict[str, Any]) -> None:
        self._redis.set(self._item(item_id), self._encode(payload), xx=True, keepttl=True)

    def schedule(self, item_id: str, at: float) -> None:
        self._redis.zadd(self._due, {item_id: at})

    def due(self, *, limit: int = 50) -> list[str]:
        return list(self._redis.zrangebyscore(self._due, "-inf", self._clock(),
                                              start=0, num=limit))

    def next_due(self, item_id: str) -> float | None:
        return self._redis.zscore(self._due, item_id)

    def park(self, item_id: str, owner: str) -> None:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(self._due, item_id)
            pipe.sadd(self._parked(owner), item_id)
            pipe.expire(self._parked(owner), PARKED_TTL)
            pipe.expire(self._item(item_id), PARKED_TTL)
            pipe.execute()

    def unpark(self, owner: str) -> list[str]:
        """Make the owner's parked items due now; returns their ids."""
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.smembers(self._parked(owner))
            pipe.delete(self._parked(owner))
            ids, _ = pipe.execute()
        alive = [i for i in sorted(ids) if self._redis.persist(self._item(i))
                 or self._redis.exists(self._item(i))]
        if alive:
            self._redis.zadd(self._due, dict.fromkeys(alive, self._clock()))
        return alive

    def remove(self, item_id: str) -> None:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(self._item(item_id))
            pipe.zrem(self._due, item_id)
            pipe.zrem(self._created, item_id)
            pipe.execute()

    def depth(self) -> tuple[int, float | None]:
        """How many items wait (due or parked), and when the oldest was added."""
        with self._redis.pipeline(transaction=False) as pipe:
            pipe.zcard(self._created)
            pipe.zrange(self._created, 0, 0, withscores=True)
            count, first = pipe.execute()
        return int(count), (first[0][1] if first else None)

    def drop_where(self, matches: Callable[[dict[str, Any]], bool]) -> int:
        """Remove every item whose payload `matches` (each is opened); how many."""
        dropped = 0
        for item_id in self.ids():
            payload = self.load(item_id)
            if payload is not None and matches(payload):
                self.remove(item_id)
                dropped += 1
        return dropped

    def ids(self) -> list[str]:
        prefix = self._item("")
        return [k[len(prefix):] for k in self._redis.scan_iter(prefix + "*")]

    def lock(self, item_id: str):
        return self._redis.lock(key("lock", "outbox", self._kind, item_id),
                                timeout=self.lock_timeout, blocking=False)

    def _encode(self, payload: dict[str, Any]) -> str:
        return json.dumps({"v": VERSION, "sealed": self._sealer.seal(payload)})
