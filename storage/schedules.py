"""Schedules as data: channel reminders and personal nudges, and who was sent what.

Each schedule is a versioned JSON record under its own key, listed in a set per kind,
and indexed by its next firing time in a sorted set, so finding what is due costs
O(due), not O(schedules). Due slots move into a durable work set (sorted by when to
try them) until one of them is done: a clock or worker that dies leaves them there
for another to take.

A slot (schedule, moment) is sent under a lease: its owner holds it for a while
(SET NX with an expiry) and marks it sent when Slack took the message. A second
process never sends a leased or sent slot; a lease whose owner died expires, and
another may then take the slot over, so a crash neither sends twice nor loses it
(only a crash between Slack's answer and the mark, a moment, could repeat it).
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
        self._lease = client.register_script(LEASE)
        self._release = client.register_script(RELEASE)

    def _key(self, schedule_id: str) -> str:
        return key("schedule", self.kind, schedule_id)

    @property
    def _index(self) -> str:
        return key("schedules", self.kind)

    @property
    def _due(self) -> str:
        return key("schedules", self.kind, "due")

    @property
    def _work(self) -> str:
        return key("schedules", self.kind, "work")

    def save(self, schedule_id: str, record: dict[str, Any], *, next_at: float) -> None:
        """Store (or replace) a schedule whose next slot is at `next_at` (epoch seconds)."""
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key(schedule_id), json.dumps({"v": VERSION, "record": record}))
            pipe.sadd(self._index, schedule_id)
            pipe.zadd(self._due, {schedule_id: next_at})
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
            pipe.zrem(self._due, schedule_id)
            pipe.incr(VERSION_KEY)
            deleted, *_ = pipe.execute()
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

    # -- when: the index of next slots, and the work set -----------------------------

    def due(self, until: float, *, limit: int = 10_000) -> list[tuple[str, float]]:
        """Schedules whose next slot is at or before `until`: (id, slot), oldest first."""
        return [(member, score) for member, score in self._redis.zrangebyscore(
            self._due, "-inf", until, start=0, num=limit, withscores=True)]

    def get_many(self, schedule_ids: list[str]) -> dict[str, dict[str, Any]]:
        if not schedule_ids:
            return {}
        raws = self._redis.mget([self._key(i) for i in schedule_ids])
        out = {}
        for schedule_id, raw in zip(schedule_ids, raws, strict=True):
            if raw is not None:
                envelope = json.loads(raw)
                if envelope.get("v") == VERSION:
                    out[schedule_id] = envelope["record"]
        return out

    def decided(self, work: dict[str, float], next_at: dict[str, float]) -> None:
        """Slots that came go to the work set (member "<schedule id>|<slot>", to try at
        its time), and each schedule's next slot to the index (if it still exists)."""
        with self._redis.pipeline(transaction=False) as pipe:
            if work:
                pipe.zadd(self._work, work, nx=True)
            for schedule_id, at in next_at.items():
                pipe.zadd(self._due, {schedule_id: at}, xx=True)
            pipe.execute()

    def next_at(self, schedule_id: str) -> float | None:
        return self._redis.zscore(self._due, schedule_id)

    def work(self, until: float) -> list[str]:
        """Every slot to try by `until` (all of them: the clock hands out what is not in
        hand already, in turns across workspaces, and a cut by name would not be)."""
        return list(self._redis.zrangebyscore(self._work, "-inf", until))

    def retry_work(self, member: str, at: float) -> None:
        self._redis.zadd(self._work, {member: at}, xx=True)

    def finish_work(self, member: str) -> None:
        self._redis.zrem(self._work, member)

    def pending_work(self) -> int:
        return int(self._redis.zcard(self._work))

    # -- who sends: leases on slots ---------------------------------------------------

    def lease(self, schedule_id: str, slot: str, owner: str, *, seconds: int) -> str:
        """"leased" for the caller that may send this slot now; "sent" when it was;
        "busy" while another owner's lease lives."""
        return self._lease(keys=[self._slot_key(schedule_id, slot)],
                           args=[owner, seconds * 1000])

    def mark_sent(self, schedule_id: str, slot: str, *, ttl_seconds: int) -> None:
        self._redis.set(self._slot_key(schedule_id, slot), SENT, ex=ttl_seconds)

    def release(self, schedule_id: str, slot: str, owner: str) -> None:
        """Give a leased slot back (nothing was sent), so a later try may send it."""
        self._release(keys=[self._slot_key(schedule_id, slot)], args=[owner])

    def sent(self, schedule_id: str, slot: str) -> bool:
        return self._redis.get(self._slot_key(schedule_id, slot)) == SENT

    def _slot_key(self, schedule_id: str, slot: str) -> str:
        return key("fired", self.kind, schedule_id, slot)



SENT = "sent"
LEASE = """
local held = redis.call('GET', KEYS[1])
if held == 'sent' then return 'sent' end
if held and held ~= ARGV[1] then return 'busy' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'leased'
"""
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
"""
