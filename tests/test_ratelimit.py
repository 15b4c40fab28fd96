"""Pacing: even spacing, a shared pause after a 429, and a pace that learns."""

from __future__ import annotations

import fakeredis
import pytest

from bot.slack.ratelimit import SharedRateLimiter, WorkspaceLimiters


def store():
    return fakeredis.FakeRedis(server=fakeredis.FakeServer(), decode_responses=True)


class Time:
    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_sends_are_spaced_evenly():
    t = Time()
    limiter = SharedRateLimiter(store(), "w", 10, clock=t.clock, sleep=t.sleep)
    for _ in range(11):
        limiter.acquire()
    assert t.now == pytest.approx(1.0, abs=0.02)  # the first is free, then one every 0.1 s


def test_a_429_pauses_everyone_and_slows_the_pace():
    t = Time()
    limiter = SharedRateLimiter(store(), "w", 10, clock=t.clock, sleep=t.sleep)
    limiter.acquire()
    limiter.pause(2.0)
    assert limiter.per_second == pytest.approx(9.0)
    limiter.acquire()
    assert t.now >= 2.0


def test_the_pace_climbs_back_but_never_past_the_configured_rate():
    t = Time()
    limiter = SharedRateLimiter(store(), "w", 10, clock=t.clock, sleep=t.sleep)
    limiter.pause(0)
    slowed = limiter.per_second
    for _ in range(10 * 60 * 3):
        limiter.acquire()
    assert slowed < limiter.per_second <= 10


def test_two_processes_share_one_pace_and_one_pause():
    t, redis = Time(), store()
    first = SharedRateLimiter(redis, "slack:-:T0GANDER", 10, clock=t.clock, sleep=t.sleep)
    second = SharedRateLimiter(redis, "slack:-:T0GANDER", 10, clock=t.clock, sleep=t.sleep)
    for _ in range(5):
        first.acquire()
        second.acquire()
    assert t.now == pytest.approx(0.9, abs=0.02)  # ten sends at 10/s, not twice that
    first.pause(3)  # a 429 seen by one process...
    before = t.now
    second.acquire()  # ...holds the other too
    assert t.now - before >= 3


def test_a_limiter_survives_bolts_deep_copies():
    import copy

    limiter = SharedRateLimiter(store(), "w", 5)
    assert copy.deepcopy({"limiter": limiter})["limiter"] is limiter


def test_a_429_in_one_workspace_does_not_slow_another():
    t = Time()
    limiters = WorkspaceLimiters(store(), 10, clock=t.clock, sleep=t.sleep)
    gander, honk = limiters.for_workspace(None, "T0GANDER"), limiters.for_workspace("E0HONK",
                                                                                   "T0HONK")
    assert limiters.for_workspace(None, "T0GANDER") is gander and gander is not honk
    gander.pause(30)
    honk.acquire()
    assert t.now == 0 and honk.per_second == 10  # honk went straight on, at full pace
    gander.acquire()
    assert t.now >= 30


def test_with_one_bot_token_every_team_shares_one_limiter():
    limiters = WorkspaceLimiters(store(), 10, per_workspace=False)
    assert limiters.for_workspace(None, "T0GANDER") is limiters.for_workspace("E0", "T0OTHER")


def test_7geese_budget_is_shared_by_processes(redis_client):
    """Two processes' budgets for one company, on one Redis: together they keep to the
    rate. Twelve requests at 5 a second need three one-second windows, so at least two
    seconds; two separate budgets of 5 would let them through in about one. (Measured
    from before the start, so a busy machine can only make it longer: a stamp taken
    after each acquire would let scheduling delays crowd them into one window.)"""
    import threading
    import time

    from bot.geese.budget import GeeseBudget

    budgets = [GeeseBudget(redis_client, 5), GeeseBudget(redis_client, 5)]
    done: list[float] = []
    lock = threading.Lock()

    def spend(budget):
        for _ in range(6):
            budget.acquire("gander")
            with lock:
                done.append(time.monotonic())

    start = time.monotonic()
    threads = [threading.Thread(target=spend, args=(b,)) for b in budgets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(done) == 12
    assert max(done) - start >= 1.5


def test_a_429_on_one_method_holds_back_that_method_alone():
    """Slack's limits are per method: a users.info 429 must not hold back posting."""
    t = Time()
    limiter = SharedRateLimiter(store(), "w", 10, clock=t.clock, sleep=t.sleep)
    limiter.pause(5.0, "users.info")
    limiter.wait("chat.postMessage")  # posting goes straight on, at full pace
    assert t.now == 0 and limiter.per_second == 10
    limiter.wait("conversations.members")
    assert t.now == 0
    limiter.wait("users.info")  # users.info waits out its pause
    assert t.now == pytest.approx(5.0)


def test_a_users_info_429_over_http_leaves_posting_alone(stack):
    """Through real clients: Slack answers users.info with 429; the person is still
    looked up (after Retry-After), users.info is held in Redis for every process, and
    posting's pace is neither paused nor slowed."""
    from storage import SlackIdentity
    from storage.keys import key

    dana = SlackIdentity("T0GANDER", "U0DANA")
    slack = stack.services.slack
    stack.slack.rate_limit("users.info", retry_after=1)
    assert slack.person(dana).name == "Dana Ito"
    assert slack.dm(dana, text="hello")
    redis = stack.services.redis
    name = "slack:-:-"  # one bot token: one workspace's limits
    assert redis.zscore(key("held", name), "users.info") is not None
    assert redis.hget(key("pace", name), "paused_until") is None
    assert redis.hget(key("pace", name), "interval") is None  # the pace did not slow
