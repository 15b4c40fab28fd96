"""The slow half of a Slack request, handed to the worker tier before the ack returns.

Bolt runs a listener's `lazy` functions after its ack; by default in threads of the
process that must ack the next request, where they compete with it for the CPU, and
die with it. Here the web process seals the request (Fernet: the worker can trust it
came from us, and Redis holds no readable message) and queues it as a job whose id
comes from Slack's own ids (`trigger_id`, `event_id`), so a request Slack sends again
does not run twice. A worker opens it and replays it through its own Bolt app as a
lazy-only request: only the named lazy function runs, with `respond`, `client` and
`body` as in the web process. Slack's signature was checked where the request arrived;
the replay skips that check (as Socket Mode does) because the seal vouches for it.

With no worker running (the playground, tests, a single-process deploy), the lazy
half runs in this process's lazy pool, as Bolt would.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor

from slack_bolt import App, BoltRequest
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_bolt.lazy_listener.thread_runner import ThreadLazyListenerRunner

from bot.work.queue import WorkQueue
from storage.crypto import Sealer

log = logging.getLogger(__name__)

JOB = "slack_lazy"
MAX_AGE = 3600  # a slow half not started within the hour is dropped (its response_url
# lasts 30 minutes; a person has long since been told nothing came)
WORKERS_SEEN_FOR = 5.0  # seconds a "workers are running" answer is trusted


def natural_id(request: BoltRequest) -> str:
    """The same for a request Slack sends again: its trigger (commands, shortcuts,
    interactions) or event id, else the body's digest; with the lazy function's name,
    since one request may start several."""
    body = request.body or {}
    slack_id = body.get("trigger_id") or body.get("event_id") or \
        hashlib.sha256(request.raw_body.encode()).hexdigest()
    return f"{request.lazy_function_name}:{body.get('team_id') or ''}:{slack_id}"


class QueuedLazyRunner(LazyListenerRunner):
    """Lazy functions as worker jobs; in this process when no worker is running."""

    def __init__(self, *, queue: WorkQueue, sealer: Sealer, executor: Executor,
                 workers_running: Callable[[], bool], logger: logging.Logger):
        self.logger = logger
        self._queue = queue
        self._sealer = sealer
        self._here = ThreadLazyListenerRunner(logger, executor)
        self._workers_running = workers_running

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        if self._workers_running():
            try:
                sealed = self._sealer.seal({"body": request.body,
                                            "lazy": request.lazy_function_name})
                self._queue.enqueue(JOB, sealed, natural_id=natural_id(request))
                return
            except Exception:  # Redis refused it: do it here rather than lose it
                log.exception("could not queue %s; running it here",
                              request.lazy_function_name)
        self._here.start(function, request)


def replay(app: App, sealer: Sealer, sealed: str) -> str:
    """A worker's job: run the sealed request's lazy function through `app`."""
    data = sealer.open(sealed, max_age=MAX_AGE)
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
