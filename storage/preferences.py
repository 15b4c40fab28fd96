"""Small per-person settings: on/off switches and dates, keyed by Slack identity."""

from __future__ import annotations

import redis

from storage.keys import key
from storage.records import SlackIdentity


class Preferences:
    def __init__(self, client: redis.Redis):
        self._redis = client

    def _key(self, name: str) -> str:
        return key("prefs", name)

    def set_off(self, name: str, identity: SlackIdentity, off: bool) -> None:
        """Record that the person turned `name` off (or back on)."""
        if off:
            self._redis.sadd(self._key(name), identity.key)
        else:
            self._redis.srem(self._key(name), identity.key)

    def is_off(self, name: str, identity: SlackIdentity) -> bool:
        return bool(self._redis.sismember(self._key(name), identity.key))

    def set_value(self, name: str, identity: SlackIdentity, value: str | None) -> None:
        if value is None:
            self._redis.hdel(self._key(name), identity.key)
        else:
            self._redis.hset(self._key(name), identity.key, value)

    def forget(self, identity: SlackIdentity) -> None:
        """Every setting of this person (their workspace uninstalled the app)."""
        for found in self._redis.scan_iter(self._key("*")):
            if self._redis.type(found) == "set":
                self._redis.srem(found, identity.key)
            else:
                self._redis.hdel(found, identity.key)

    def close(self) -> None:
        self._redis.close()

    def value(self, name: str, identity: SlackIdentity) -> str | None:
        return self._redis.hget(self._key(name), identity.key)

    def values(self, names: tuple[str, ...], identity: SlackIdentity) -> list[str | None]:
        """Several of the person's values in one round trip."""
        pipe = self._redis.pipeline(transaction=False)
        for name in names:
            pipe.hget(self._key(name), identity.key)
        return pipe.execute()
