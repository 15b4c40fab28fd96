"""The slow half of a Slack request, handed to the worker tier before the ack returns.

Bolt runs a listener's `lazy` functions after its ack; by default in threads of the
process that must ack the next request, where they compete with it for the CPU, and
die with it. Here the web process seals the request's body (Fernet: the worker can
trust it came from us, and Redis holds no readable message) and queues it as a job
whose id comes from Slack's own ids (`trigger_id`, `event_id`); a request Slack sends
again runs once (the replay claims that id). A worker opens the job and replays it
through its own Bolt app as a lazy-only request: only the named lazy function runs,
with `respond`, `client` and `body` as in the web process. Slack's signature was
checked where the request arrived; the replay skips that check (as Socket Mode does)
because the seal vouches for it.

With no worker running (the playground, tests, a single-process deploy), the lazy
half runs in this process's lazy pool, as Bolt would.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import redis
from slack_bolt import App, BoltRequest
from slack_bolt.util.utils import get_name_for_callable

from bot.work.queue import RqQueue
from storage.crypto import Sealer
from storage.events import EventLedger
from storage.keys import key

log = logging.getLogger(__name__)

JOB = "slack_lazy"
MAX_AGE = 3600  # a slow half not started within the hour is dropped (its response_url
# lasts 30 minutes; a person has long since been told nothing came)
RAN_FOR = 24 * 3600  # how long a replayed request's id is remembered
WORKERS_SEEN_FOR = 5.0  # seconds a "workers are running" answer is trusted


def natural_id(body: dict[str, Any], lazy: str) -> str:
    """The same for a request Slack sends again: its trigger (commands, shortcuts,
    interactions) or event id, with the lazy function's name (one request may start
    several); a body without either, by its digest."""
    slack_id = body.get("trigger_id") or body.get("event_id") or hashlib.sha256(
        repr(sorted(body.items())).encode()).hexdigest()
    return f"{lazy}:{body.get('team_id') or ''}:{slack_id}"


class Handoff:
    """Queues lazy functions as worker jobs while a worker runs; runs them here otherwise.

    An event Slack delivers again (it retries when an ack seems late) must be handled
    once: a queued one is claimed when the worker replays it, one run here is claimed in
    the lazy pool (`events`), both after the ack, never in its path."""

    def __init__(self, *, queue: RqQueue, sealer: Sealer,
                 workers_running: Callable[[], bool], events: EventLedger,
                 executor: Executor, prepare: Callable[[dict[str, Any]], None] | None = None):
        self._prepare = prepare  # run first in the lazy thread, with the request's body
        self._queue = queue
        self._sealer = sealer
        self._workers_running = workers_running
        self._events = events
        self._executor = executor

    def queued(self, function: Callable[..., None], request: BoltRequest) -> bool:
        """True when the worker tier took it; False: run it here."""
        if not self._workers_running():
            return False
        lazy = get_name_for_callable(function)
        natural = natural_id(request.body, lazy)
        try:
            sealed = self._sealer.seal({"body": request.body, "lazy": lazy, "id": natural})
            self._queue.submit(JOB, sealed, natural_id=natural)
            return True
        except Exception:  # Redis refused it: do it here rather than lose it
            log.exception("could not queue %s; running it here", lazy)
            return False

    def install(self, app: App) -> None:
        """Bolt copies the whole request (a deep copy) before it starts a lazy function;
        a queued one needs only the body, so the copy is made only when it runs here."""
        runner = app._listener_runner
        start_here = runner._start_lazy_function

        def start(function: Callable[..., None], request: BoltRequest) -> None:
            if self.queued(function, request):
                return
            body = request.body or {}
            function = self._prepared(function, body)
            event_id = body.get("event_id") if body.get("type") == "event_callback" else None
            if not event_id:
                start_here(function, request)
                return

            def once() -> None:
                # One lazy function per event listener: the event's id is the claim.
                if not self._events.claim(event_id):
                    return
                name = get_name_for_callable(function)
                runner.lazy_listener_runner.run(function, runner._build_lazy_request(
                    request, name))
                self._events.done(event_id)

            self._executor.submit(once)

        runner._start_lazy_function = start

    def _prepared(self, function: Callable[..., None], body: dict[str, Any]):
        if self._prepare is None:
            return function
        prepare = self._prepare

        @functools.wraps(function)  # Bolt reads the arguments it wants through the wrapper
        def prepared(*args, **kwargs):
            prepare(body)
            return function(*args, **kwargs)

        return prepared


def replay(app: App, sealer: Sealer, client: redis.Redis, sealed: str) -> str:
    """A worker's job: run the sealed request's lazy function through `app`, once."""
    data = sealer.open(sealed, max_age=MAX_AGE)
    if not client.set(key("lazy-ran", data["id"]), 1, nx=True, ex=RAN_FOR):
        return "already"
    request = BoltRequest(body=data["body"], mode="socket_mode", headers={
        "x-slack-bolt-lazy-only": "1", "x-slack-bolt-lazy-function-name": data["lazy"]})
    response = app.dispatch(request)
    return "done" if response.status == 200 else f"status {response.status}"


class WorkersSeen:
    """Whether any worker is listening on the queue, asked of Redis at most every few
    seconds (RQ workers register themselves there while they run)."""

    def __init__(self, count: Callable[[], int], *, clock: Callable[[], float] = time.monotonic):
        self._count = count
        self._clock = clock
        self._until = 0.0
        self._seen = False

    def __call__(self) -> bool:
        now = self._clock()
        if now >= self._until:
            try:
                self._seen = self._count() > 0
            except Exception:  # Redis down: the lazy half stays here
                self._seen = False
            self._until = now + WORKERS_SEEN_FOR
        return self._seen
