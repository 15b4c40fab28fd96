"""What the bot last saw of each person's check-ins, so a channel reminder can count
who went a week without one without reading everyone's objectives at the slot.

Per person: the oldest "last check-in" among their open objectives (0 when one was
never checked in), or "none" when nothing is open; kept for a day, refreshed whenever
the bot reads that person's objectives (a nudge, /geese objectives, a check-in).
"""

from __future__ import annotations

import redis

from storage.keys import key

TTL = 24 * 3600
NOTHING_OPEN = "none"


class CheckinMemory:
    def __init__(self, client: redis.Redis):
        self._redis = client

    def remember(self, identity_key: str, oldest: float | None) -> None:
        """`oldest`: the oldest last check-in of an open objective (0: never), or None
        when the person has no open objective."""
        value = NOTHING_OPEN if oldest is None else repr(float(oldest))
        self._redis.set(key("checkins", identity_key), value, ex=TTL)

    def recall(self, identity_keys: list[str]) -> dict[str, float | None]:
        """What is known, for those it is known of (missing: never seen, or too old)."""
        if not identity_keys:
            return {}
        values = self._redis.mget([key("checkins", k) for k in identity_keys])
        return {k: (None if v == NOTHING_OPEN else float(v))
                for k, v in zip(identity_keys, values, strict=True) if v is not None}

    def forget(self, identity_key: str) -> None:
        self._redis.delete(key("checkins", identity_key))
