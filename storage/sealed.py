"""Every kind of record the bot seals, in one registry, and resealing them all.

Key rotation (README): put a new key first, run `geese-bot reseal`, drop the old key.
Whatever is not resealed before the old key goes is lost, so every store that seals
must appear here; a test walks a Redis full of every kind of record and fails on any
sealed value under a key no entry matches.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import redis

from storage.crypto import SealBroken, Sealer
from storage.keys import key

log = logging.getLogger(__name__)

# kind -> the keys holding it (a SCAN pattern). Each value is a JSON envelope with the
# sealed payload under "sealed".
SEALED_KINDS = {
    "links": key("link", "*"),
    "installations": key("slack", "install", "*"),
    "outbox items": key("outbox", "*", "item", "*"),
    "link tickets and states": key("once", "*"),
    "cached people": key("people", "*"),
}


@dataclass
class ResealCount:
    resealed: int = 0
    unreadable: list[str] = field(default_factory=list)  # keys no configured key opens


def reseal_all(client: redis.Redis, sealer: Sealer) -> dict[str, ResealCount]:
    """Seal every record again with the first key. A record none of the keys opens is
    left as it is and reported; running it twice is harmless."""
    counts = {kind: ResealCount() for kind in SEALED_KINDS}
    for kind, pattern in SEALED_KINDS.items():
        for name in client.scan_iter(pattern, count=1000):
            if not _reseal_one(client, sealer, name):
                counts[kind].unreadable.append(name)
                log.warning("%s: %s cannot be opened with any configured key", kind, name)
            else:
                counts[kind].resealed += 1
    return counts


def _reseal_one(client: redis.Redis, sealer: Sealer, name: str) -> bool:
    # WATCH: a record rewritten by the running bot meanwhile is read again, not clobbered.
    for _ in range(5):
        with client.pipeline() as pipe:
            try:
                pipe.watch(name)
                raw = pipe.get(name)
                if raw is None:
                    return True  # expired or deleted meanwhile: nothing to keep
                envelope = json.loads(raw)
                envelope["sealed"] = sealer.reseal(envelope["sealed"])
                pipe.multi()
                pipe.set(name, json.dumps(envelope), xx=True, keepttl=True)
                pipe.execute()
                return True
            except redis.WatchError:
                continue
            except (SealBroken, ValueError, KeyError, TypeError):
                return False
    return False
