"""Links between Slack users and their 7Geese accounts, sealed at rest.

One key per link (`geese-bot:link:<enterprise>:<team>:<user>`) holding a versioned
envelope `{"v": 1, "sealed": <Fernet token of the Link as JSON>}`, plus a set of
linked identities so the clock can walk them without SCAN, split again into SHARDS
sets by a hash of the identity, so a job that visits everyone over ten minutes reads
one tenth of them a minute without walking them all.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator

import redis

from storage.crypto import SealBroken, Sealer
from storage.keys import key
from storage.records import Link, OAuthToken, SlackIdentity

log = logging.getLogger(__name__)

VERSION = 1
INDEX = key("links")
BROKEN = key("links", "broken")  # identities whose link 7Geese stopped accepting
SHARDS = 60


def shard_of(identity: SlackIdentity) -> int:
    return int.from_bytes(hashlib.sha256(identity.key.encode()).digest()[:4], "big") % SHARDS


def _shard_key(shard: int) -> str:
    return key("links", "shard", str(shard))


def _link_key(identity: SlackIdentity) -> str:
    return key("link", identity.key)


class LinkStore:
    def __init__(self, client: redis.Redis, sealer: Sealer, *,
                 on_broken: Callable[[], None] | None = None):
        self._redis = client
        self._sealer = sealer
        self._on_broken = on_broken or (lambda: None)  # a link went broken (metrics)

    # -- reading ---------------------------------------------------------

    def find(self, identity: SlackIdentity) -> Link | None:
        return self._decode(self._redis.get(_link_key(identity)), identity)

    def identities(self) -> Iterator[SlackIdentity]:
        for member in self._redis.sscan_iter(INDEX):
            yield SlackIdentity.from_key(member)

    def identities_in(self, shards: list[int]) -> list[SlackIdentity]:
        """The linked people of these shards (see SHARDS)."""
        if not self._redis.exists(key("links", "sharded")):
            self._shard_existing()
        with self._redis.pipeline(transaction=False) as pipe:
            for shard in shards:
                pipe.smembers(_shard_key(shard))
            found = pipe.execute()
        return [SlackIdentity.from_key(m) for members in found for m in sorted(members)]

    def _shard_existing(self) -> None:
        """Links stored before shards existed get theirs, once."""
        for identity in self.identities():
            self._redis.sadd(_shard_key(shard_of(identity)), identity.key)
        self._redis.set(key("links", "sharded"), 1)

    # -- writing ---------------------------------------------------------

    def save(self, link: Link) -> None:
        """Store `link`, replacing any earlier link of the same Slack user."""
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(_link_key(link.identity), self._encode(link))
            pipe.sadd(INDEX, link.identity.key)
            pipe.sadd(_shard_key(shard_of(link.identity)), link.identity.key)
            if link.broken:
                pipe.sadd(BROKEN, link.identity.key)
            else:
                pipe.srem(BROKEN, link.identity.key)
            pipe.execute()

    def delete(self, identity: SlackIdentity) -> Link | None:
        """Remove the link and return what was there, so the caller can revoke it."""
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.getdel(_link_key(identity))
            pipe.srem(INDEX, identity.key)
            pipe.srem(_shard_key(shard_of(identity)), identity.key)
            pipe.srem(BROKEN, identity.key)
            raw, *_ = pipe.execute()
        return self._decode(raw, identity)

    def update_token(self, identity: SlackIdentity, token: OAuthToken) -> Link | None:
        """Swap in a refreshed token, but only on the link it was refreshed for:
        an unlink or a new link made meanwhile wins."""
        return self._rewrite(identity, lambda link: link.with_token(token))

    def mark_broken(self, identity: SlackIdentity) -> Link | None:
        broken = self._rewrite(identity, Link.as_broken)
        if broken is not None:
            self._redis.sadd(BROKEN, identity.key)
            self._on_broken()
        return broken

    def refresh_lock(self, identity: SlackIdentity, *, timeout: float = 30, wait: float = 15):
        """Serialises token refreshes for one user across threads and processes:
        7Geese refresh tokens rotate, so two concurrent refreshes would break the link."""
        return self._redis.lock(
            key("lock", "refresh", identity.key), timeout=timeout, blocking_timeout=wait
        )

    # -- internals -------------------------------------------------------

    def _rewrite(self, identity: SlackIdentity, change) -> Link | None:
        k = _link_key(identity)
        with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(k)
                    current = self._decode(pipe.get(k), identity)
                    if current is None:
                        pipe.unwatch()
                        return None
                    updated = change(current)
                    pipe.multi()
                    pipe.set(k, self._encode(updated), xx=True)
                    pipe.execute()
                    return updated
                except redis.WatchError:
                    continue

    def _encode(self, link: Link) -> str:
        return json.dumps({"v": VERSION, "sealed": self._sealer.seal(link.to_dict())})

    def _decode(self, raw: str | None, identity: SlackIdentity) -> Link | None:
        if raw is None:
            return None
        envelope = json.loads(raw)
        if envelope.get("v") != VERSION:
            log.error("link record for %s has unknown version %r", identity.key, envelope.get("v"))
            return None
        try:
            return Link.from_dict(self._sealer.open(envelope["sealed"]))
        except SealBroken:
            log.error(
                "link record for %s cannot be opened: was TOKEN_ENCRYPTION_KEY changed "
                "without keeping the old key?",
                identity.key,
            )
            return None
