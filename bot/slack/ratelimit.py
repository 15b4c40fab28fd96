"""Slack's rate budgets, shared by every process through Redis.

Slack counts rate limits per app, workspace and method, whichever process or machine
sends: each workspace has one pace for posting (`SharedRateLimiter`), shared through
Redis, sending evenly (no bursts, which is what trips a rate window). A 429 pauses the
method that got it, in that workspace, in every process, for its Retry-After: a 429 on
posting also slows the pace by a tenth (a minute's worth of sends without one lets it
climb back by 2%, up to the configured rate); a 429 on users.info holds back only
users.info. Other workspaces go on at their own pace. The pace is a generic cell
rate algorithm in one Lua script (a library's sliding window would allow the bursts
this avoids).

7Geese's budget is per company: bot/geese/budget.py.

Times come from the injected clock (the wall clock in production): machines sharing a
budget keep their clocks in step with NTP, as they do anyway for TLS.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable

import redis
from slack_sdk.http_retry import RateLimitErrorRetryHandler

from storage.keys import key

# The methods the posting pace governs (SlackGateway.post paces itself before each).
POSTING = "chat.postMessage"
PACED = frozenset({POSTING})

# KEYS: the pace's state (a hash). ARGV: now (ms), the configured interval between
# sends (ms). Returns 0 when the caller may send now, else how many ms to wait first.
TAKE = """
local now, base = tonumber(ARGV[1]), tonumber(ARGV[2])
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused_until') or 0)
if paused > now then return math.ceil(paused - now) end
local interval = tonumber(redis.call('HGET', KEYS[1], 'interval') or base)
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or now)
if tat > now then return math.ceil(tat - now) end
local sends = redis.call('HINCRBY', KEYS[1], 'sends', 1)
if interval > base and sends >= 60000 / interval then
  interval = math.max(base, interval / 1.02)
  redis.call('HSET', KEYS[1], 'interval', interval, 'sends', 0)
end
redis.call('HSET', KEYS[1], 'tat', math.max(tat, now) + interval)
redis.call('PEXPIRE', KEYS[1], 3600000)
return 0
"""

# KEYS: the state. ARGV: now (ms), the pause (ms), the configured interval (ms).
PAUSE = """
local now, pause, base = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused_until') or 0)
local interval = tonumber(redis.call('HGET', KEYS[1], 'interval') or base)
redis.call('HSET', KEYS[1], 'paused_until', math.max(paused, now + pause),
           'interval', math.min(base * 10, interval / 0.9), 'sends', 0)
redis.call('PEXPIRE', KEYS[1], 3600000)
"""


class SharedRateLimiter:
    """One workspace's Slack pace, the same in every process that shares the Redis."""

    def __init__(self, client: redis.Redis, name: str, per_second: float, *,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep,
                 on_pause: Callable[[str], None] | None = None):
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.name = name
        self._on_pause = on_pause or (lambda name: None)  # Slack said 429 (metrics)
        self.configured = per_second
        self._redis = client
        self._keys = [key("pace", name)]
        self._held = key("held", name)  # method -> until (ms): methods Slack paused
        self._take = client.register_script(TAKE)
        self._pause = client.register_script(PAUSE)
        self._clock = clock
        self._sleep = sleep
        self.waited = 0.0  # seconds this process spent waiting, for the benchmarks

    def __deepcopy__(self, memo):
        # Bolt deep-copies a request's client for lazy listeners; the limiter stays one.
        return self

    @property
    def _interval_ms(self) -> float:
        return 1000.0 / self.configured

    @property
    def per_second(self) -> float:
        """The pace now (it slows after a 429 and climbs back)."""
        interval = self._redis.hget(self._keys[0], "interval")
        return 1000.0 / float(interval) if interval else self.configured

    def acquire(self) -> None:
        while True:
            wait_ms = int(self._take(keys=self._keys,
                                     args=[self._clock() * 1000, self._interval_ms]))
            if wait_ms <= 0:
                return
            self.waited += wait_ms / 1000
            self._sleep(wait_ms / 1000)

    def pause(self, seconds: float, method: str = POSTING) -> None:
        """`method` is not called for `seconds` (Slack said so); posting's pace slows too."""
        self._on_pause(self.name)
        if method in PACED:
            self._pause(keys=self._keys,
                        args=[self._clock() * 1000, seconds * 1000, self._interval_ms])
            return
        until = (self._clock() + seconds) * 1000
        self._redis.zadd(self._held, {method: until}, gt=True)
        self._redis.pexpire(self._held, int(seconds * 1000) + 60_000)

    def wait(self, method: str = POSTING) -> None:
        """Before calling `method`: posting keeps the pace; any other method waits out a
        pause Slack put on it (in any process)."""
        if method in PACED:
            self.acquire()
            return
        until = self._redis.zscore(self._held, method)
        wait = (until / 1000 - self._clock()) if until else 0
        if wait > 0:
            self.waited += wait
            self._sleep(wait)



class WorkspaceLimiters:
    """One shared pace per workspace, made on first use. With one bot token (single
    workspace mode) every caller shares one pace, whatever team it names."""

    def __init__(self, client: redis.Redis, per_second: float, *, per_workspace: bool = True,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep,
                 on_pause: Callable[[str], None] | None = None):
        self.per_second = per_second
        self._on_pause = on_pause
        self._redis = client
        self._per_workspace = per_workspace
        self._clock = clock
        self._sleep = sleep
        self._limiters: dict[str, SharedRateLimiter] = {}
        self._lock = threading.Lock()

    def __deepcopy__(self, memo):
        return self  # shared, like the limiters it holds

    def for_workspace(self, enterprise_id: str | None, team_id: str | None) -> SharedRateLimiter:
        name = f"slack:{enterprise_id or '-'}:{team_id or '-'}" if self._per_workspace \
            else "slack:-:-"
        with self._lock:
            limiter = self._limiters.get(name)
            if limiter is None:
                limiter = self._limiters[name] = SharedRateLimiter(
                    self._redis, name, self.per_second, clock=self._clock, sleep=self._sleep,
                    on_pause=self._on_pause)
            return limiter

    @property
    def waited(self) -> float:
        with self._lock:
            return sum(limiter.waited for limiter in self._limiters.values())


class SharedRateLimitHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, but the wait is shared by every sender to the workspace."""

    def __init__(self, limiter: SharedRateLimiter, max_retry_count: int = 5):
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
        method = str(request.url).rstrip("/").rsplit("/", 1)[-1] or POSTING
        self._limiter.pause(retry_after + random.random() * 0.2, method)  # noqa: S311
        self._limiter.wait(method)
        state.next_attempt_requested = True
        state.increment_current_attempt()
