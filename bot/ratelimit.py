"""Pacing Slack calls so a fan-out of thousands of messages meets few 429s.

Slack counts rate limits per app and workspace, so each workspace gets one token
bucket per process for posting messages, sending evenly (no bursts, which is what
trips a rate window). A 429 pauses every sender to that workspace for its
Retry-After instead of letting the other threads storm on, and slows its pace by a
tenth; a minute's worth of sends without one lets it climb back by 2%, up to the
configured rate. Other workspaces go on at their own pace.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable

from slack_sdk.http_retry import RateLimitErrorRetryHandler


class RateLimiter:
    def __init__(self, per_second: float, *, burst: float = 1.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.configured = per_second
        self.per_second = per_second
        self.burst = burst
        self._since_penalty = 0
        self._tokens = self.burst
        self._updated = clock()
        self._paused_until = 0.0
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self.waited = 0.0  # seconds spent waiting, for the benchmark's report

    def __deepcopy__(self, memo):
        # Bolt deep-copies a request's client for lazy listeners; the limiter must
        # stay the one shared object, or pacing would be per copy.
        return self

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.burst, self._tokens + (now - self._updated)
                                   * self.per_second)
                self._updated = now
                # A hair of tolerance: float sums of refills can land just under 1.
                if now >= self._paused_until and self._tokens >= 1 - 1e-9:
                    self._tokens -= 1
                    self._since_penalty += 1
                    if self.per_second < self.configured and \
                            self._since_penalty >= 60 * self.per_second:
                        self.per_second = min(self.configured, self.per_second * 1.02)
                        self._since_penalty = 0
                    return
                wait = max(self._paused_until - now, (1 - self._tokens) / self.per_second,
                           1e-6)
            self.waited += wait
            self._sleep(wait)

    def pause(self, seconds: float) -> None:
        """Nobody sends for `seconds` (Slack said so), and the pace slows."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)
            self._tokens = 0
            self.per_second = max(self.configured * 0.1, self.per_second * 0.9)
            self._since_penalty = 0


class WorkspaceLimiters:
    """One RateLimiter per workspace, made on first use. With one bot token (single
    workspace mode) every caller shares one limiter, whatever team it names."""

    def __init__(self, per_second: float, *, per_workspace: bool = True,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.per_second = per_second
        self._per_workspace = per_workspace
        self._clock = clock
        self._sleep = sleep
        self._limiters: dict[tuple[str | None, str | None], RateLimiter] = {}
        self._lock = threading.Lock()

    def __deepcopy__(self, memo):
        return self  # shared, like the limiters it holds

    def for_workspace(self, enterprise_id: str | None, team_id: str | None) -> RateLimiter:
        key = (enterprise_id, team_id) if self._per_workspace else (None, None)
        with self._lock:
            limiter = self._limiters.get(key)
            if limiter is None:
                limiter = self._limiters[key] = RateLimiter(self.per_second, clock=self._clock,
                                                            sleep=self._sleep)
            return limiter

    @property
    def waited(self) -> float:
        with self._lock:
            return sum(limiter.waited for limiter in self._limiters.values())


class SharedRateLimitHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, but the wait is shared by every thread of the process."""

    def __init__(self, limiter: RateLimiter, max_retry_count: int = 5):
        super().__init__(max_retry_count=max_retry_count)
        self._limiter = limiter
        self.seen = 0  # 429s received, for the benchmark's report

    def prepare_for_next_attempt(self, *, state, request, response=None, error=None) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        self.seen += 1
        retry_after = 1.0
        for name, value in response.headers.items():
            if name.lower() == "retry-after":
                with contextlib.suppress(TypeError, ValueError):
                    retry_after = float(value[0] if isinstance(value, list) else value)
        self._limiter.pause(retry_after + random.random() * 0.2)  # noqa: S311
        self._limiter.acquire()
        state.next_attempt_requested = True
        state.increment_current_attempt()
