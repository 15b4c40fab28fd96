"""What the bot itself did with recognitions it gave, so the feed neither shows one made
with `--private` nor repeats a card the bot already posted in that channel."""

from __future__ import annotations

from collections.abc import Iterable

import redis

from storage.keys import key
from storage.records import SlackIdentity, channel_key

PRIVATE_TTL = 180 * 86400  # a feed reads back minutes, not months
CARDED_TTL = 7 * 86400


class OwnRecognitions:
    def __init__(self, client: redis.Redis):
        self._redis = client

    def given(self, sender: SlackIdentity, pks: Iterable[int], *, private: bool,
              channel_id: str | None) -> None:
        pks = [pk for pk in pks if pk]
        if not pks:
            return
        with self._redis.pipeline(transaction=False) as pipe:
            for pk in pks:
                if private:
                    pipe.set(key("recognition", "private", str(pk)), 1, ex=PRIVATE_TTL)
                elif channel_id:
                    channel = channel_key(sender.team_id, sender.enterprise_id, channel_id)
                    pipe.set(key("feed", "carded", channel, str(pk)), 1, ex=CARDED_TTL)
            pipe.execute()

    def private(self, pks: list[int]) -> set[int]:
        """Of `pks`, those made with `--private` (never in a channel, nor a digest)."""
        if not pks:
            return set()
        with self._redis.pipeline(transaction=False) as pipe:
            for pk in pks:
                pipe.exists(key("recognition", "private", str(pk)))
            found = pipe.execute()
        return {pk for pk, there in zip(pks, found, strict=True) if there}

    def hidden(self, channel: str, pks: list[int]) -> set[int]:
        """Of `pks`, those made private, or already shown in the channel (its
        `channel_key`, which is a feed's id)."""
        if not pks:
            return set()
        with self._redis.pipeline(transaction=False) as pipe:
            for pk in pks:
                pipe.exists(key("recognition", "private", str(pk)))
                pipe.exists(key("feed", "carded", channel, str(pk)))
            found = pipe.execute()
        return {pk for i, pk in enumerate(pks) if found[2 * i] or found[2 * i + 1]}
