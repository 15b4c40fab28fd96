"""Fixtures. Redis-backed tests run on a real redis-server when one is installed
(CI installs it) and on fakeredis otherwise; store tests run on both."""

from __future__ import annotations

import os

import fakeredis
import pytest
from hypothesis import settings

from playground.stack import start_stack
from storage import connect
from tests.helpers import REDIS_SERVER, FakeClock, RedisProcess

# `make test` is deterministic; HYPOTHESIS_PROFILE=explore searches fresh inputs
# (with FUZZ_EXAMPLES=2000 for a long hunt).
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def redis_process():
    if REDIS_SERVER is None:
        yield None
        return
    process = RedisProcess().start()
    yield process
    process.cleanup()


def _real_client(redis_process):
    client = connect(redis_process.url)
    client.flushdb()
    return client


@pytest.fixture(params=["fakeredis", "redis-server"])
def any_redis(request, redis_process):
    """Each store test runs on fakeredis and on a real redis-server."""
    if request.param == "fakeredis":
        client = fakeredis.FakeRedis(server=fakeredis.FakeServer(), decode_responses=True)
    elif redis_process is None:
        pytest.skip("redis-server is not installed here (CI installs it)")
    else:
        client = _real_client(redis_process)
    yield client
    client.close()


@pytest.fixture
def redis_client(redis_process):
    """Real Redis when installed, else fakeredis."""
    if redis_process is None:
        client = fakeredis.FakeRedis(server=fakeredis.FakeServer(), decode_responses=True)
    else:
        client = _real_client(redis_process)
    yield client
    client.close()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def stack(redis_client, clock):
    with start_stack(redis_client=redis_client, clock=clock) as running:
        yield running
        running.services.settle()
    # Whatever a test did, the bot sent nothing that real Slack would refuse.
    assert running.slack.refusals == [], running.slack.refusals


@pytest.fixture
def two(unbound_two):
    """Multi-workspace mode with Gander Labs and Honk Industries (an Enterprise Grid org)
    both installed through Slack's OAuth flow, each bound to its 7Geese company."""
    unbound_two.quick_bind("T0GANDER")
    unbound_two.quick_bind("T0HONK")
    return unbound_two


@pytest.fixture
def unbound_two(redis_client, clock):
    """The same, before any admin bound either workspace to a 7Geese company."""
    with start_stack(redis_client=redis_client, clock=clock, multi_workspace=True) as stack:
        assert stack.install("T0GANDER").status == 200
        assert stack.install("T0HONK").status == 200
        yield stack
        stack.services.settle()
    assert [r for world in stack.cloud.worlds for r in world.refusals] == []


@pytest.fixture
def dana(stack):
    """The stack with Dana (an engineer, 7Geese profile 102) linked; nobody else is."""
    stack.quick_link("U0DANA")
    return stack


@pytest.fixture
def ada(stack):
    """The stack with Ada (the CEO, 7Geese profile 101) linked; nobody else is."""
    stack.link("U0ADA")
    return stack
