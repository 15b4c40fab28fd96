"""What RQ runs in a worker: `run_batch(items)`, an importable function with JSON arguments.

A batch of small jobs runs side by side on the worker's threads, since each mostly waits
(on 7Geese, on Slack's pace). The worker process binds its services, the jobs it may run
(bot/jobs.py) and its threads once at start (`bind`), the one piece of process-wide
state, which only a worker process has.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rq.job import Job

from bot.work.queue import BATCH_FUNCTION, RUNNING, marker

log = logging.getLogger(__name__)


class RefusedJob(Exception):
    """A queued job that names something other than the bot's own batch runner."""


class OnlyOurJobs(Job):
    """RQ imports a job's function by the name stored in Redis, so anyone who can write
    there could have a worker (which holds TOKEN_ENCRYPTION_KEY) run any function. A
    worker runs only `run_batch`, and no callback: anything else is refused and logged,
    and never imported."""

    @property
    def func(self):
        if self.func_name != BATCH_FUNCTION or self.instance is not None:
            log.error("refused a queued job naming %r: not one of the bot's", self.func_name)
            raise RefusedJob(str(self.func_name))
        return super().func

    def _refuse_callback(self, which: str, name: str | None):
        if name:
            log.error("refused a queued job's %s callback %r", which, name)
            raise RefusedJob(name)
        return None

    @property
    def success_callback(self):
        return self._refuse_callback("success", self._success_callback_name)

    @property
    def failure_callback(self):
        return self._refuse_callback("failure", self._failure_callback_name)

    @property
    def stopped_callback(self):
        return self._refuse_callback("stopped", self._stopped_callback_name)

_bound: Any = None
_jobs: Mapping[str, Callable[..., Any]] = {}
_threads: ThreadPoolExecutor | None = None
_detached: frozenset[str] = frozenset()
_slots: threading.BoundedSemaphore | None = None


def bind(services, jobs: Mapping[str, Callable[..., Any]], *, threads: int = 16,
         detached: frozenset[str] = frozenset()) -> None:
    """The worker process's services, jobs and threads, for the batches RQ hands it.
    `detached`: jobs that arrive one to a batch (a Slack request's slow half) and must
    not wait for each other: the batch returns once they have a thread, so the worker
    takes the next while they run; with every thread busy it waits for one."""
    global _bound, _jobs, _threads, _detached, _slots
    _bound = services
    _jobs = jobs
    _threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="job")
    _detached = detached
    _slots = threading.BoundedSemaphore(threads)


def drain() -> None:
    """Let the work in hand finish (a worker's warm shutdown)."""
    if _threads is not None:
        _threads.shutdown(wait=True)


def run_batch(items: list[list[Any]]) -> dict[str, int]:
    """What RQ calls: each [name, natural id, *args] with this worker's services, side
    by side. The work is marked in hand while it runs and unmarked when done, so what
    is still due after (a retry) can be enqueued again; one job failing does not stop
    the others (its work stays due, and comes back)."""
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
            # A fresh context each: what a job set (its language, its log names) must
            # not carry into the next job this thread runs.
            return f"{name}:{contextvars.Context().run(_jobs[name], _bound, *args)}"
        except Exception:
            log.exception("job %s failed", name)
            return f"{name}:failed"
        finally:
            redis.delete(marker(name, natural))

    def detached(item: list[Any]) -> None:
        try:
            one(item)
        finally:
            _slots.release()

    waited = []
    for item in items:
        if item[0] in _detached and _slots is not None:
            _slots.acquire()
            _threads.submit(detached, item)
        else:
            waited.append(item)
    outcomes: dict[str, int] = {}
    for outcome in _threads.map(one, waited):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
