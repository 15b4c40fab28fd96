"""7Geese's budget: GEESE_RATE requests a second per 7Geese company, every process summed.

A sliding window in Redis from pyrate-limiter, which is how a server counts requests.
Slack's budgets, per workspace, are in bot/slack/ratelimit.py.
"""

from __future__ import annotations

import threading

import redis
from pyrate_limiter import Duration, Limiter, Rate, RedisBucket

from storage.keys import key


class GeeseBudget:
    """7Geese requests per second per company, summed over every process."""

    def __init__(self, client: redis.Redis, per_second: float):
        self.per_second = per_second
        self._redis = client
        self._limiters: dict[str, Limiter] = {}
        self._lock = threading.Lock()

    def __deepcopy__(self, memo):
        return self

    def acquire(self, company: str) -> None:
        try:
            self._limiter(company).try_acquire(company, blocking=True)
        except redis.exceptions.NoScriptError:
            # Redis restarted and forgot the limiter's script: load it again, once.
            with self._lock:
                self._limiters.pop(company, None)
            self._limiter(company).try_acquire(company, blocking=True)

    def _limiter(self, company: str) -> Limiter:
        with self._lock:
            limiter = self._limiters.get(company)
            if limiter is None:
                rate = Rate(max(1, round(self.per_second)), Duration.SECOND)
                bucket = RedisBucket.init([rate], self._redis, key("budget", "geese", company))
                limiter = self._limiters[company] = Limiter(bucket)
            return limiter
