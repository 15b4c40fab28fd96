"""What an operator watches: Prometheus metrics for every process.

Counters and histograms are recorded where things happen (a Slack request answered,
a 7Geese call, a token refresh, a nudge sent); gauges that describe the whole bot
(links, workspaces, the outbox, the queue, the clock's last tick) are read from Redis
when /metrics is scraped, so every process reports the same figures.

`geese-bot serve` runs several gunicorn workers: with PROMETHEUS_MULTIPROC_DIR set
(the serve command sets it), each worker writes its figures to files there and a
scrape sums them. The clock and the workers serve their own on METRICS_PORT.
Names follow Prometheus' conventions: a `geese_bot_` prefix, `_total` counters,
`_seconds` units.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import generate_latest

from storage.keys import key

ACK_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5)
CALL_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10)
LAG_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600)


class Metrics:
    """The process's metrics, in a registry of its own (a test's stack has its own)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.ack_seconds = Histogram(
            "geese_bot_slack_ack_seconds", "Time to answer a Slack request, by kind.",
            ["kind"], buckets=ACK_BUCKETS, registry=r)
        self.geese_requests = Counter(
            "geese_bot_geese_requests_total", "7Geese calls, by operation and outcome "
            "(ok, 4xx, 5xx, timeout, rate_limited, unreachable).",
            ["operation", "outcome"], registry=r)
        self.geese_seconds = Histogram(
            "geese_bot_geese_request_seconds", "7Geese call latency, by operation.",
            ["operation"], buckets=CALL_BUCKETS, registry=r)
        self.token_refreshes = Counter(
            "geese_bot_token_refreshes_total", "7Geese token refreshes, by outcome "
            "(ok, refused, failed).", ["outcome"], registry=r)
        self.links_broken = Counter(
            "geese_bot_links_broken_total", "Links 7Geese stopped accepting.", registry=r)
        self.sends = Counter(
            "geese_bot_scheduled_sends_total", "Reminders and nudges, by kind and outcome.",
            ["kind", "outcome"], registry=r)
        self.send_lag = Histogram(
            "geese_bot_scheduled_send_lag_seconds",
            "From a reminder's or nudge's moment to Slack taking it, by kind.",
            ["kind"], buckets=LAG_BUCKETS, registry=r)
        self.payload_refused = Counter(
            "geese_bot_slack_payload_refused_total", "Payloads Slack refused (a builder broke "
            "a Block Kit rule; the person got plain text instead), by builder.",
            ["builder"], registry=r)
        self.slack_rate_limited = Counter(
            "geese_bot_slack_rate_limited_total", "Slack 429 answers, by workspace.",
            ["workspace"], registry=r)

    def geese_call(self, operation: str, outcome: str, seconds: float) -> None:
        self.geese_requests.labels(operation, outcome).inc()
        self.geese_seconds.labels(operation).observe(seconds)

    def sent(self, kind: str, outcome: str, lag: float | None = None) -> None:
        """A reminder or nudge done: its outcome, and when Slack took it, how late."""
        self.sends.labels(kind, outcome).inc()
        if lag is not None:
            self.send_lag.labels(kind).observe(max(0.0, lag))

    def scrape(self, redis_reader: RedisFigures | None) -> bytes:
        """The text a Prometheus server scrapes: this process's figures (or, under
        gunicorn, every worker's), and the whole bot's from Redis."""
        registry = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        if redis_reader is not None:
            extra = CollectorRegistry()
            extra.register(redis_reader)
            return generate_latest(registry) + generate_latest(extra)
        return generate_latest(registry)


class RedisFigures:
    """Gauges read from Redis at scrape time: the same whichever process is asked."""

    def __init__(self, services, *, clock: Callable[[], float] = time.time):
        self._services = services
        self._clock = clock

    def describe(self):
        return []

    def collect(self):
        services = self._services
        redis = services.redis
        links = GaugeMetricFamily("geese_bot_linked_people",
                                  "Slack users linked to 7Geese, by state.", labels=["state"])
        total = redis.scard(key("links"))
        broken = redis.scard(key("links", "broken"))
        links.add_metric(["healthy"], max(0, total - broken))
        links.add_metric(["broken"], broken)
        yield links
        workspaces = GaugeMetricFamily("geese_bot_workspaces", "Slack workspaces installed.")
        installs = services.installations
        workspaces.add_metric([], len(installs.scopes()) if installs is not None else 1)
        yield workspaces
        depth = GaugeMetricFamily("geese_bot_outbox_depth", "Items waiting in an outbox.",
                                  labels=["kind"])
        oldest = GaugeMetricFamily("geese_bot_outbox_oldest_age_seconds",
                                   "Age of the oldest item waiting in an outbox.",
                                   labels=["kind"])
        now = self._clock()
        for kind, outbox in (("recognition", services.recognition.outbox),
                             ("write", services.writes.outbox),
                             ("revocation", services.revoker.outbox)):
            count, first = outbox.depth()
            depth.add_metric([kind], count)
            oldest.add_metric([kind], max(0.0, now - first) if first is not None else 0.0)
        yield depth
        yield oldest
        pending = GaugeMetricFamily("geese_bot_scheduled_work_pending",
                                    "Reminder and nudge moments decided and not yet done.",
                                    labels=["kind"])
        for kind, store in (("reminder", services.reminders.reminders),
                            ("nudge", services.reminders.nudges)):
            pending.add_metric([kind], store.pending_work())
        yield pending
        queue = GaugeMetricFamily("geese_bot_queue_depth", "Jobs waiting for a worker.")
        queue.add_metric([], queue_depth(services))
        yield queue
        tick = GaugeMetricFamily("geese_bot_clock_last_tick_age_seconds",
                                 "Seconds since the leading clock last ticked.")
        heartbeat = redis.get(key("clock", "heartbeat"))
        if heartbeat is not None:
            tick.add_metric([], max(0.0, now - json.loads(heartbeat)["at"]))
            yield tick


def queue_depth(services) -> int:
    from bot.work.queue import QUEUE_NAME

    return int(services.redis.llen(f"rq:queue:{QUEUE_NAME}") or 0)


def serve_metrics(services, port: int, *, token: str | None = None):
    """/metrics for a process without a web app (the clock, a worker), on its own port."""
    from werkzeug.serving import make_server

    figures = RedisFigures(services, clock=services.clock)

    def app(environ, start_response):
        if environ.get("PATH_INFO") != "/metrics":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found\n"]
        given = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        # Bytes: compare_digest refuses a str that is not ASCII (a 500, not a 401).
        if token and not secrets.compare_digest(given.encode(), token.encode()):
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"unauthorized\n"]
        start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
        return [services.metrics.scrape(figures)]

    # Loopback unless a token guards it (DESIGN: METRICS_PORT).
    host = "0.0.0.0" if token else "127.0.0.1"  # noqa: S104
    server = make_server(host, port, app, threaded=True)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    return server
