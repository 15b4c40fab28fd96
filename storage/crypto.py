"""Sealing records before they reach Redis, so a dump of Redis holds no readable token.

Keys rotate with MultiFernet: the first key seals, every key opens. Add a new key
at the front, let `LinkStore.reseal_all()` rewrite the records, then drop the old key.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SealBroken(Exception):
    """A sealed value could not be opened with any configured key."""


class Sealer:
    def __init__(self, keys: Sequence[str | bytes]):
        if not keys:
            raise ValueError("at least one encryption key is needed")
        self._fernet = MultiFernet([Fernet(k) for k in keys])

    def seal(self, data: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(data, separators=(",", ":")).encode()).decode()

    def open(self, sealed: str, *, max_age: int | None = None) -> dict[str, Any]:
        """`max_age`: refuse what was sealed longer ago than this many seconds."""
        try:
            return json.loads(self._fernet.decrypt(sealed.encode(), ttl=max_age))
        except (InvalidToken, ValueError) as exc:
            raise SealBroken("stored value cannot be opened with the configured keys") from exc

    def reseal(self, sealed: str) -> str:
        """The same data sealed with the newest key."""
        try:
            return self._fernet.rotate(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SealBroken("stored value cannot be opened with the configured keys") from exc

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode()
