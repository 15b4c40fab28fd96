"""Building the Redis client: real Redis from a URL, or an embedded fakeredis server."""

from __future__ import annotations

import redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry

# What Redis raises when it is down or hung. A tuple: write `except STORAGE_ERRORS`,
# or unpack it (`except (*STORAGE_ERRORS, ValueError)`) alongside other classes.
STORAGE_ERRORS = (redis.ConnectionError, redis.TimeoutError)


def connect(url: str | None) -> redis.Redis:
    """A client for `url`, or an in-process fakeredis server when `url` is None.

    Timeouts are short on purpose: a Slack request must be answered within 3 s,
    so a Redis that does not answer has to fail fast enough to say "try again".
    """
    if url is None:
        import fakeredis  # only the playground and tests embed a store

        return fakeredis.FakeRedis(server=fakeredis.FakeServer(), decode_responses=True)
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        # A hung Redis costs at most 2 tries x 2 connect attempts x 0.5 s: the
        # person still hears "try again" inside Slack's 3 s.
        socket_connect_timeout=0.5,
        socket_timeout=0.5,
        health_check_interval=30,
        retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.2), retries=1),
    )


def ping(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except STORAGE_ERRORS:
        return False


def binary_twin(client: redis.Redis) -> redis.Redis:
    """The same Redis through another connection pool that answers bytes and waits as
    long as asked: what RQ needs (it stores its own encodings, and a worker blocks on
    the queue for longer than our short timeouts allow)."""
    pool = client.connection_pool
    server = pool.connection_kwargs.get("server")
    if server is not None:  # fakeredis: the same in-process server
        import fakeredis

        return fakeredis.FakeRedis(server=server)
    kwargs = {k: v for k, v in pool.connection_kwargs.items()
              if not k.startswith("orig_") and k != "maint_notifications_pool_handler"}
    kwargs.update(decode_responses=False, socket_timeout=None)
    if hasattr(pool, "service_name"):  # Sentinel: ask the sentinels for the master
        return pool.sentinel_manager.master_for(pool.service_name, **kwargs)
    return redis.Redis(connection_pool=type(pool)(connection_class=pool.connection_class,
                                                  **kwargs))
