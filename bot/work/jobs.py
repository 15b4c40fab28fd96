"""The jobs a worker runs: name -> function(services, *plain arguments).

RQ runs `run(name, *args)` (an importable function with JSON arguments); the worker
process binds its services once at start (`bind`), the one piece of process-wide
state, which only a worker process has. Tests and the playground call the functions
in JOBS directly with their own services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage import SlackIdentity


def schedule_slot(services, kind: str, member: str) -> str:
    """Send one reminder or nudge slot from the work set."""
    return services.dispatcher.do(kind, member)


def oneonone_poll(services, identity_key: str) -> int:
    """Read one person's upcoming 1-on-1s and plan their nudges."""
    return services.oneonone_nudges.poll_one(SlackIdentity.from_key(identity_key))


def oneonone_nudge(services, member: str) -> str:
    """Send one planned 1-on-1 nudge."""
    return services.oneonone_nudges.send_one(member)


def recognition(services, item_id: str) -> str:
    """Deliver one queued recognition (the outbox item's lock keeps it single)."""
    return services.recognition.deliver(item_id)


JOBS: dict[str, Callable[..., Any]] = {
    "schedule_slot": schedule_slot,
    "oneonone_poll": oneonone_poll,
    "oneonone_nudge": oneonone_nudge,
    "recognition": recognition,
}

_bound: Any = None


def bind(services) -> None:
    """The worker process's services, for the jobs RQ hands it."""
    global _bound
    _bound = services


def run(name: str, *args: Any) -> Any:
    """What RQ calls: the job `name` with this worker's services."""
    if _bound is None:
        raise RuntimeError("no services bound: jobs run in `geese-bot worker`")
    return JOBS[name](_bound, *args)
