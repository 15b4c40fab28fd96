"""What the 1-on-1 nudger and the follow-ups share: sends planned in a Redis sorted set,
scored by when each is due; a worker sends one (`send_one`), the playground all."""

from __future__ import annotations

from datetime import datetime

import redis


class PlannedSends:
    PLANNED: str  # the sorted set's key
    _redis: redis.Redis

    def now(self) -> datetime:
        raise NotImplementedError

    def send_one(self, member: str) -> str:
        raise NotImplementedError

    def due(self) -> list[str]:
        """Planned sends whose time has come."""
        return list(self._redis.zrangebyscore(self.PLANNED, "-inf", self.now().timestamp()))

    def send_due(self) -> dict[str, int]:
        """Send everything that is due, here (the playground, tests): outcomes counted."""
        outcomes: dict[str, int] = {}
        for member in self.due():
            outcome = self.send_one(member)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return outcomes
