"""Handing work to workers: an RQ queue in Redis, or, in one process, right here.

Each piece of work has a natural id (a reminder's slot, a meeting's nudge for one
person, an outbox item, a person's poll for one minute) and a marker in Redis while it
is in hand: set when it is enqueued (for as long as a queue may reasonably wait,
WAITING), shortened to RUNNING when a worker starts it, and removed when the worker is
done. Work that is still due is enqueued again only when it has no marker: the worker
finished and it asked to be retried, or the worker died (the marker lapses). Work
travels in batches of up to BATCH items (one RQ job, its id derived from the natural
ids), which a worker runs side by side on its threads.

Why RQ: the clock-plus-worker pattern (APScheduler decides, an RQ worker does) is
what Heroku documents for Python; RQ needs only the Redis the bot already has, keeps
failed jobs in a registry an operator can read, and its jobs are plain functions.
Celery would add a broker and a result backend for no gain here.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import redis
from rq import Queue
from rq.serializers import JSONSerializer

from storage.keys import key

log = logging.getLogger(__name__)

QUEUE_NAME = "geese-bot"
# The one function a worker runs (bot/work/runner.py refuses any other name).
BATCH_FUNCTION = "bot.work.runner.run_batch"
BATCH = 16
WAITING = 15 * 60  # how long enqueued work may wait before it counts as lost
RUNNING = 3 * 60  # how long a started job's work counts as in hand
JOB_TIMEOUT = 120  # a job past this is killed and counts as failed
RESULT_TTL = 300
FAILURE_TTL = 7 * 24 * 3600  # failed jobs stay visible to an operator for a week


def job_id(name: str, natural_id: str) -> str:
    """RQ ids are [A-Za-z0-9_-]: a digest of the natural id, the same every time."""
    return f"{name}-{hashlib.sha256(natural_id.encode()).hexdigest()[:32]}"


def marker(name: str, natural_id: str) -> str:
    """The Redis key that says this work is in hand."""
    return key("enqueued", job_id(name, natural_id))


class WorkQueue(Protocol):
    def enqueue(self, name: str, *args: Any, natural_id: str) -> bool: ...

    def enqueue_many(self, work: list[tuple[str, tuple[Any, ...], str]]) -> int: ...


class RqQueue:
    """Jobs for `geese-bot worker` processes, anywhere that reaches the same Redis."""

    def __init__(self, client: redis.Redis, connection: redis.Redis, *,
                 name: str = QUEUE_NAME, batch: int = BATCH):
        self._redis = client
        self.queue = Queue(name, connection=connection, serializer=JSONSerializer,
                           default_timeout=JOB_TIMEOUT)
        self.batch = batch

    def enqueue(self, name: str, *args: Any, natural_id: str) -> bool:
        return self.enqueue_many([(name, args, natural_id)]) == 1

    def enqueue_many(self, work: list[tuple[str, tuple[Any, ...], str]]) -> int:
        """Enqueue the work that is not in hand already; how many pieces."""
        if not work:
            return 0
        with self._redis.pipeline(transaction=False) as pipe:
            for name, _, natural in work:
                pipe.set(marker(name, natural), 1, nx=True, ex=WAITING)
            fresh = [item for item, new in zip(work, pipe.execute(), strict=True) if new]
        batches = [fresh[i:i + self.batch] for i in range(0, len(fresh), self.batch)]
        if batches:
            self.queue.enqueue_many([_job(batch) for batch in batches])
        return len(fresh)

    def submit(self, name: str, *args: Any, natural_id: str) -> None:
        """One job now, in one round trip, with no in-hand marker: for work that
        dedupes itself when it runs (a Slack request's slow half)."""
        self.queue.enqueue_many([_job([(name, args, natural_id)])])

    def depth(self) -> int:
        return self.queue.count


def _job(batch: list[tuple[str, tuple[Any, ...], str]]):
    """A batch as one RQ job of the runner, its id derived from the natural ids."""
    return Queue.prepare_data(
        BATCH_FUNCTION, args=([[name, natural, *args] for name, args, natural in batch],),
        job_id=job_id("batch", "\n".join(natural for _, _, natural in batch)),
        result_ttl=RESULT_TTL, failure_ttl=FAILURE_TTL,
        description=f"{len(batch)} x {batch[0][0]}")


class InlineQueue:
    """The work done in this process (the playground needs no Redis server and no
    worker): each job runs in a small thread pool as it is enqueued."""

    def __init__(self, services, jobs: Mapping[str, Callable[..., Any]], *, workers: int = 8):
        self._services = services
        self._jobs = jobs
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="inline-job")
        self.done: list[tuple[str, Any]] = []

    def enqueue(self, name: str, *args: Any, natural_id: str) -> bool:
        return self.enqueue_many([(name, args, natural_id)]) == 1

    def enqueue_many(self, work: list[tuple[str, tuple[Any, ...], str]]) -> int:
        futures = [(name, self._pool.submit(self._jobs[name], self._services, *args))
                   for name, args, _ in work]
        for name, future in futures:
            try:
                self.done.append((name, future.result()))
            except Exception:
                log.exception("job %s failed", name)
        return len(work)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
