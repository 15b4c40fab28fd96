"""`geese-bot status`: what an operator asks first, read from Redis alone.

Links (healthy, broken), workspaces, schedules by kind and the next ones due, the
outboxes, the queue, what only an operator can mend (storage/alerts.py), and the
clock: its last tick and who leads. Healthy means the
clock ticked within the last three minutes; the command exits non-zero otherwise,
so it serves as a health check for the clock.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import redis

from bot.work.queue import QUEUE_NAME
from storage.alerts import Alerts
from storage.keys import key

STALE_AFTER = 180  # seconds without a tick: the clock is down


@dataclass(frozen=True)
class Status:
    lines: list[str]
    healthy: bool


def status(client: redis.Redis, *, clock: Callable[[], float] = time.time) -> Status:
    now = clock()
    lines = []
    total, broken = client.scard(key("links")), client.scard(key("links", "broken"))
    lines.append(f"links: {total} ({total - broken} healthy, {broken} broken)")
    installs = client.scard(key("slack", "installs"))
    lines.append(f"workspaces: {installs if installs else '1 (one bot token)'}")
    for kind, label in (("reminder", "channel reminders"), ("nudge", "personal nudges")):
        count = client.scard(key("schedules", kind))
        upcoming = client.zrange(key("schedules", kind, "due"), 0, 0, withscores=True)
        pending = client.zcard(key("schedules", kind, "work"))
        nxt = (f"; next at {_when(upcoming[0][1])}" if upcoming else "")
        lines.append(f"{label}: {count}{nxt}; {pending} moment(s) decided, not yet done")
    for kind in ("recognition", "write", "revocation"):
        waiting = client.zrange(key("outbox", kind, "created"), 0, 0, withscores=True)
        count = client.zcard(key("outbox", kind, "created"))
        oldest = f", oldest {_ago(now - waiting[0][1])}" if waiting else ""
        lines.append(f"{kind} outbox: {count} waiting{oldest}")
    queued = client.llen(f"rq:queue:{QUEUE_NAME}")
    failed = client.zcard(f"rq:failed:{QUEUE_NAME}")
    lines.append(f"queue: {queued} job(s) waiting, {failed} failed in the last week")
    for kind, alert in sorted(Alerts(client).all().items()):
        lines.append(f"ALERT {kind}: {alert['detail']}, {_ago(now - alert['at'])}"
                     + (" (check GEESE_CLIENT_ID, GEESE_CLIENT_SECRET and GEESE_SCOPES)"
                        if kind == "geese_client_refused" else ""))
    leader = client.get(key("clock", "leader"))
    heartbeat = client.get(key("clock", "heartbeat"))
    healthy = False
    if heartbeat is None:
        lines.append("clock: has never ticked (is `geese-bot clock` running?)")
    else:
        beat = json.loads(heartbeat)
        age = now - beat["at"]
        healthy = age <= STALE_AFTER
        lines.append(f"clock: last tick {_ago(age)} by {beat['leader']}; "
                     f"leader now {leader or 'nobody (its lease lapsed)'}"
                     + ("" if healthy else " -- NOT TICKING"))
    return Status(lines, healthy)


def _ago(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M UTC")
