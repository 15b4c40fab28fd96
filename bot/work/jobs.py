"""The jobs a worker runs: name -> function(services, *plain arguments).

RQ runs `run_batch(items)` (an importable function with JSON arguments): a batch of
small jobs, run side by side on the worker's threads, since each mostly waits (on
7Geese, on Slack's pace). The worker process binds its services and threads once at
start (`bind`), the one piece of process-wide state, which only a worker process has.
Tests and the playground call the functions in JOBS directly with their own services.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.geese import GeeseError, LinkBroken, NotLinked
from bot.geese.notifications import person_turn
from bot.notify.service import READ
from storage import SlackIdentity


def schedule_slot(services, kind: str, member: str) -> str:
    """Send one reminder or nudge slot from the work set."""
    return services.dispatcher.do(kind, member)


def oneonone_nudge(services, member: str) -> str:
    """Send one planned 1-on-1 nudge."""
    return services.oneonone_nudges.send_one(member)


def recognition(services, item_id: str) -> str:
    """Deliver one queued recognition (the outbox item's lock keeps it single)."""
    return services.recognition.deliver(item_id)


def write(services, item_id: str) -> str:
    """Try again a write 7Geese could not take (an action item, feedback)."""
    return services.writes.deliver(item_id)


def oneonone_followup(services, member: str) -> str:
    """Send one planned follow-up after a 1-on-1."""
    return services.followups.send_one(member)


def feed_poll(services, feed_id: str) -> str:
    """Post what is new in one channel's recognition feed."""
    return services.feeds.poll(feed_id)


def person_poll(services, identity_key: str) -> str:
    """A person's turn on the poller's rota: their upcoming 1-on-1s and their 7Geese
    notifications in one request when both are wanted (a company's 7Geese budget pays
    for each person every 10 minutes: one read, not two), else each as it needs."""
    identity = SlackIdentity.from_key(identity_key)
    nudger, notify = services.oneonone_nudges, services.notifications
    if not (nudger.wants_poll(identity) and notify.ready(identity)):
        return f"1on1:{nudger.poll_one(identity)} notify:{notify.poll_one(identity)}"
    try:
        meetings, notices = person_turn(
            services.geese.as_user(identity), services.oneonones.me(identity),
            now=nudger.now(), days=nudger.horizon_days, first=READ)
    except (NotLinked, LinkBroken):
        return "unlinked"
    except GeeseError:
        return "retry"  # both read again at the person's next turn: nothing is lost
    return (f"1on1:{nudger.poll_one(identity, meetings)} "
            f"notify:{notify.poll_one(identity, notices)}")


JOBS: dict[str, Callable[..., Any]] = {
    "schedule_slot": schedule_slot,
    "oneonone_nudge": oneonone_nudge,
    "recognition": recognition,
    "write": write,
    "oneonone_followup": oneonone_followup,
    "feed_poll": feed_poll,
    "person_poll": person_poll,
}

log = logging.getLogger(__name__)

_bound: Any = None
_threads: ThreadPoolExecutor | None = None


def bind(services, *, threads: int = 16) -> None:
    """The worker process's services and threads, for the jobs RQ hands it."""
    global _bound, _threads
    _bound = services
    _threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="job")


def run_batch(items: list[list[Any]]) -> dict[str, int]:
    """What RQ calls: each [name, natural id, *args] with this worker's services, side
    by side. The work is marked in hand while it runs and unmarked when done, so what
    is still due after (a retry) can be enqueued again; one job failing does not stop
    the others (its work stays due, and comes back)."""
    from bot.work.queue import RUNNING, marker

    if _bound is None or _threads is None:
        raise RuntimeError("no services bound: jobs run in `geese-bot worker`")
    redis = _bound.redis
    with redis.pipeline(transaction=False) as pipe:
        for name, natural, *_ in items:
            pipe.set(marker(name, natural), 1, ex=RUNNING)
        pipe.execute()

    def one(item: list[Any]) -> str:
        name, natural, *args = item
        try:
            return f"{name}:{JOBS[name](_bound, *args)}"
        except Exception:
            log.exception("job %s failed", name)
            return f"{name}:failed"
        finally:
            redis.delete(marker(name, natural))

    outcomes: dict[str, int] = {}
    for outcome in _threads.map(one, items):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
