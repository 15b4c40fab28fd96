"""Building the Redis client: real Redis from a URL, or an embedded fakeredis server."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import redis
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.retry import Retry

# What Redis raises when it is down or hung. A tuple: write `except STORAGE_ERRORS`,
# or unpack it (`except (*STORAGE_ERRORS, ValueError)`) alongside other classes.
STORAGE_ERRORS = (redis.ConnectionError, redis.TimeoutError)


def connect(url: str | None, *, ca_cert: str | None = None,
            tls_verify: bool = True) -> redis.Redis:
    """A client for `url`, or an in-process fakeredis server when `url` is None.

    `redis://`, `rediss://` (TLS: verified against `ca_cert` when given, else the
    system's CAs; `tls_verify=False` only for a provider that offers no CA to verify
    against) and `unix://` URLs, and `redis+sentinel://[:password@]host:port[,host:port]
    /service[/db]` for Redis Sentinel, which finds the current master and follows a
    failover.

    Timeouts are short on purpose: a Slack request must be answered within 3 s,
    so a Redis that does not answer has to fail fast enough to say "try again".
    """
    if url is None:
        import fakeredis  # only the playground and tests embed a store

        return fakeredis.FakeRedis(server=fakeredis.FakeServer(), decode_responses=True)
    options = {
        "decode_responses": True,
        # A hung Redis costs at most 2 tries x 2 connect attempts x 0.5 s: the
        # person still hears "try again" inside Slack's 3 s.
        "socket_connect_timeout": 0.5,
        "socket_timeout": 0.5,
        "health_check_interval": 30,
        "retry": Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.2), retries=1),
    }
    if url.startswith("redis+sentinel://"):
        return _sentinel_master(url, options)
    if url.startswith("rediss://"):
        options["ssl_cert_reqs"] = "required" if tls_verify else "none"
        if ca_cert:
            options["ssl_ca_certs"] = ca_cert
    return redis.Redis.from_url(url, **options)


def _sentinel_master(url: str, options: dict) -> redis.Redis:
    from redis.sentinel import Sentinel

    parts = urlsplit(url)
    hosts = parts.netloc.rpartition("@")[2]
    sentinels = []
    for host in hosts.split(","):
        name, _, port = host.rpartition(":")
        sentinels.append((name or host, int(port or 26379)))
    path = [p for p in parts.path.split("/") if p]
    if not path:
        raise ValueError("a redis+sentinel:// URL names the master's service: .../service")
    service, db = path[0], int(path[1]) if len(path) > 1 else 0
    sentinel = Sentinel(sentinels, socket_timeout=0.5, socket_connect_timeout=0.5)
    return sentinel.master_for(service, db=db, password=unquote(parts.password or "") or None,
                               **options)


def ping(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except STORAGE_ERRORS:
        return False


def binary_twin(client: redis.Redis) -> redis.Redis:
    """The same Redis through another connection pool that answers bytes and waits as
    long as asked: what RQ needs (it stores its own encodings, and a worker blocks on
    the queue for longer than our short timeouts allow)."""
    return _twin(client, decode_responses=False, socket_timeout=None)


def brief_twin(client: redis.Redis, timeout: float = 0.1) -> redis.Redis:
    """The same Redis, giving up after `timeout` seconds without a retry: for a read an
    ack can do without (a hung Redis must not hold up the answer that says so)."""
    return _twin(client, socket_timeout=timeout, socket_connect_timeout=timeout,
                 retry=Retry(NoBackoff(), retries=0))


def _twin(client: redis.Redis, **overrides) -> redis.Redis:
    pool = client.connection_pool
    server = pool.connection_kwargs.get("server")
    if server is not None:  # fakeredis: the same in-process server
        import fakeredis

        return fakeredis.FakeRedis(
            server=server, decode_responses=overrides.get(
                "decode_responses", pool.connection_kwargs.get("decode_responses", False)))
    kwargs = {k: v for k, v in pool.connection_kwargs.items()
              if not k.startswith("orig_") and k != "maint_notifications_pool_handler"}
    kwargs.update(overrides)
    if hasattr(pool, "service_name"):  # Sentinel: ask the sentinels for the master
        return pool.sentinel_manager.master_for(pool.service_name, **kwargs)
    return redis.Redis(connection_pool=type(pool)(connection_class=pool.connection_class,
                                                  **kwargs))
