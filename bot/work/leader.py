"""One clock decides at a time: a lease in Redis that its holder renews.

Run two or more `geese-bot clock` processes: each asks every tick; the holder renews
its lease, the others wait. When the holder dies its lease lapses (TTL) and the next
clock to ask takes over: within TTL + one tick of the death.
"""

from __future__ import annotations

import redis

from storage.keys import key

LEADER = key("clock", "leader")
TTL_SECONDS = 20

HOLD = """
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] or not held then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""
RESIGN = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Leadership:
    def __init__(self, client: redis.Redis, owner: str, *, ttl_seconds: int = TTL_SECONDS):
        self._redis = client
        self.owner = owner
        self.ttl_seconds = ttl_seconds
        self._hold = client.register_script(HOLD)
        self._resign = client.register_script(RESIGN)

    def hold(self) -> bool:
        """Take or renew the lease; True while this clock leads."""
        return bool(self._hold(keys=[LEADER], args=[self.owner, self.ttl_seconds * 1000]))

    def resign(self) -> None:
        """Hand over at once (a clean stop), instead of after the lease lapses."""
        self._resign(keys=[LEADER], args=[self.owner])

    def holder(self) -> str | None:
        return self._redis.get(LEADER)
