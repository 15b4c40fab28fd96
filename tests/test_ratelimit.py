"""Pacing: even spacing, a shared pause after a 429, and a pace that learns."""

from __future__ import annotations

import pytest

from bot.ratelimit import RateLimiter


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
    limiter = RateLimiter(10, clock=t.clock, sleep=t.sleep)
    for _ in range(11):
        limiter.acquire()
    assert t.now == pytest.approx(1.0)  # the first is free, then one every 0.1 s


def test_a_429_pauses_everyone_and_slows_the_pace():
    t = Time()
    limiter = RateLimiter(10, clock=t.clock, sleep=t.sleep)
    limiter.acquire()
    limiter.pause(2.0)
    assert limiter.per_second == pytest.approx(9.0)
    limiter.acquire()
    assert t.now >= 2.0


def test_the_pace_climbs_back_but_never_past_the_configured_rate():
    t = Time()
    limiter = RateLimiter(10, clock=t.clock, sleep=t.sleep)
    limiter.pause(0)
    slowed = limiter.per_second
    for _ in range(10 * 60 * 20):
        limiter.acquire()
    assert slowed < limiter.per_second <= 10


def test_a_limiter_survives_bolts_deep_copies():
    import copy

    limiter = RateLimiter(5)
    assert copy.deepcopy({"limiter": limiter})["limiter"] is limiter
