"""Schedules as data: channel reminders and personal nudges, and who was sent what.

Each schedule is a versioned JSON record under its own key, listed in a set per
kind. Every change bumps one version counter, so the clock process can notice a
change with a single GET and bring its jobs in step without a restart.
A slot (schedule, moment) is claimed with SET NX before anything is sent, so a
second clock process or a restart never sends the same slot twice.
"""

from __future__ import annotations

import json
from typing import Any

import redis

from storage.keys import key

VERSION = 1
VERSION_KEY = key("schedules", "version")


class ScheduleStore:
    def __init__(self, client: redis.Redis, *, kind: str):
        self._redis = client
        self.kind = kind

    def _key(self, schedule_id: str) -> str:
        return key("schedule", self.kind, schedule_id)

    @property
    def _index(self) -> str:
        return key("schedules", self.kind)

    def save(self, schedule_id: str, record: dict[str, Any]) -> None:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key(schedule_id), json.dumps({"v": VERSION, "record": record}))
            pipe.sadd(self._index, schedule_id)
            pipe.incr(VERSION_KEY)
            pipe.execute()

    def get(self, schedule_id: str) -> dict[str, Any] | None:
        raw = self._redis.get(self._key(schedule_id))
        if raw is None:
            return None
        envelope = json.loads(raw)
        return envelope["record"] if envelope.get("v") == VERSION else None

    def delete(self, schedule_id: str) -> bool:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(self._key(schedule_id))
            pipe.srem(self._index, schedule_id)
            pipe.incr(VERSION_KEY)
            deleted, _, _ = pipe.execute()
        return bool(deleted)

    def ids(self, prefix: str = "") -> list[str]:
        return sorted(i for i in self._redis.smembers(self._index) if i.startswith(prefix))

    def all(self) -> dict[str, dict[str, Any]]:
        ids = self.ids()
        if not ids:
            return {}
        raws = self._redis.mget([self._key(i) for i in ids])
        out = {}
        for schedule_id, raw in zip(ids, raws, strict=True):
            if raw is not None:
                envelope = json.loads(raw)
                if envelope.get("v") == VERSION:
                    out[schedule_id] = envelope["record"]
        return out

    def version(self) -> int:
        return int(self._redis.get(VERSION_KEY) or 0)

    def claim(self, schedule_id: str, slot: str, *, ttl_seconds: int) -> bool:
        """True for the one caller that may send this slot."""
        return bool(self._redis.set(key("fired", self.kind, schedule_id, slot), 1, nx=True,
                                    ex=ttl_seconds))

    def release(self, schedule_id: str, slot: str) -> None:
        """Give a claimed slot back (nothing was sent), so a later pass may send it."""
        self._redis.delete(key("fired", self.kind, schedule_id, slot))

    def claimed(self, schedule_id: str, slot: str) -> bool:
        return bool(self._redis.exists(key("fired", self.kind, schedule_id, slot)))
