"""The jobs a worker runs: name -> function(services, *plain arguments).

JOBS is the whole list: a worker runs nothing else (bot/work/runner.py looks names up
here). Each job is small and idempotent, with plain-data arguments (ids, never
objects), and calls one feature's service. Tests and the playground call the
functions in JOBS directly with their own services.
"""

from __future__ import annotations

from collections.abc import Callable
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
