"""Single-use secrets with an expiry: link tickets, OAuth states, browser bindings.

The secret itself never reaches Redis; only its SHA-256 does, so a Redis dump
cannot replay a link in flight. The payload is sealed. Consuming is one atomic
GETDEL: two requests racing with the same secret cannot both win.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import redis

from storage.crypto import SealBroken, Sealer
from storage.keys import key

VERSION = 1


class OneTimeStore:
    def __init__(
        self,
        client: redis.Redis,
        sealer: Sealer,
        *,
        kind: str,
        ttl_seconds: int,
        clock: Callable[[], float] = time.time,
    ):
        self._redis = client
        self._sealer = sealer
        self._kind = kind
        self.ttl_seconds = ttl_seconds
        self._clock = clock

    def issue(self, payload: dict[str, Any]) -> str:
        secret = secrets.token_urlsafe(32)
        self.put(secret, payload)
        return secret

    def put(self, secret: str, payload: dict[str, Any]) -> None:
        """Store `payload` under a secret chosen by the caller (it must be random)."""
        # The expiry is checked against the injected clock as well as enforced by
        # Redis, so tests can move time without sleeping.
        envelope = {
            "v": VERSION,
            "expires_at": self._clock() + self.ttl_seconds,
            "sealed": self._sealer.seal(payload),
        }
        stored = self._redis.set(
            self._key(secret), json.dumps(envelope), nx=True, ex=self.ttl_seconds
        )
        if not stored:
            raise ValueError(f"{self._kind} secret already in use")

    def exists(self, secret: str) -> bool:
        """Whether an unspent secret is stored (it may still turn out expired)."""
        return bool(secret) and len(secret) <= 256 and bool(self._redis.exists(self._key(secret)))

    def consume(self, secret: str) -> dict[str, Any] | None:
        """The payload, once; None when unknown, used, or expired."""
        if not secret or len(secret) > 256:
            return None
        return self._open(self._redis.getdel(self._key(secret)))

    def peek(self, secret: str) -> dict[str, Any] | None:
        """The payload, leaving it unspent (a page that only shows what it is for)."""
        if not secret or len(secret) > 256:
            return None
        return self._open(self._redis.get(self._key(secret)))

    def _open(self, raw: str | None) -> dict[str, Any] | None:
        if raw is None:
            return None
        envelope = json.loads(raw)
        if envelope.get("v") != VERSION or envelope.get("expires_at", 0) <= self._clock():
            return None
        try:
            return self._sealer.open(envelope["sealed"])
        except SealBroken:
            return None

    def _key(self, secret: str) -> str:
        digest = hashlib.sha256(secret.encode()).hexdigest()
        return key("once", self._kind, digest)
