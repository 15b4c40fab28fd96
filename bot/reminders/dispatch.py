"""Sending reminders and nudges when their time comes: each slot once, none lost.

The clock decides (`decide`): schedules whose next slot has come, found through the
index of next slots (O(due)), put that slot into a durable work set and move on to
their next. Whoever sends (`do`, a worker's job, or `run_due` in one process) takes a
slot from the work set under a lease (storage/schedules.py): a slot is sent by one
sender at most, and a sender that dies leaves it in the work set for another once its
lease lapses. A slot older than the grace period is not sent; one that could not be
sent (7Geese down, Slack busy) is tried again a minute later, within the grace.
"""

from __future__ import annotations

import itertools
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.geese import GeeseClient, GeeseError, LinkBroken, NotLinked
from bot.geese.objectives import my_objectives
from bot.i18n import Speak, unchanged
from bot.reminders import blocks
from bot.reminders.records import Nudge, Reminder
from bot.slack.gateway import Delivery, SlackGateway
from bot.work.pausing import is_paused
from bot.work.schedule import Schedule
from storage import STORAGE_ERRORS, LinkStore, SlackIdentity
from storage.checkins import CheckinMemory
from storage.preferences import Preferences
from storage.schedules import ScheduleStore
from storage.unreachable import Parked, Strikes

log = logging.getLogger(__name__)

GRACE_SECONDS = 3600
STALE_AFTER = timedelta(days=7)
REMINDERS, NUDGES = "reminder", "nudge"
RETRY_SECONDS = 60
# A channel sees how many linked members have stale objectives only when at least this
# many were counted: in a channel of three, "0 of 1" is one person's status.
MIN_COUNTED = 5


def sender_name() -> str:
    """Who holds a lease: this machine and process, and a nonce (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


# Sends in a row to a channel out of reach before a standing send stops (and can be
# resumed by whoever set it).
STRIKES = 3


@dataclass(frozen=True)
class Standing:
    """Another kind of standing send on the same index and work set (a feature above
    this one, such as channel digests): how to read a record's schedule, and send it."""

    store: ScheduleStore
    schedule: Callable[[dict[str, Any]], Schedule]
    send: Callable[[dict[str, Any], datetime], str]  # an outcome, "retry" to try again


class Dispatcher:
    def __init__(self, *, reminders: ScheduleStore, nudges: ScheduleStore, geese: GeeseClient,
                 links: LinkStore, slack: SlackGateway, prefs: Preferences, web_url: str,
                 checkins: CheckinMemory, count_reads: int = 50,
                 sent: Callable[..., None] | None = None,
                 clock: Callable[[], float] = time.time, grace: int = GRACE_SECONDS,
                 lease_seconds: int = 60, workers: int = 16,
                 strikes: Strikes | None = None, parked: Parked | None = None,
                 others: Mapping[str, Standing] | None = None, speak: Speak = unchanged):
        self._speak = speak
        self._others = dict(others or {})
        self._stores = {REMINDERS: reminders, NUDGES: nudges,
                        **{kind: other.store for kind, other in self._others.items()}}
        self._strikes = strikes  # a channel out of reach, day after day
        self._parked = parked  # reminders stopped for it, for their setter to resume
        self._geese = geese
        self._links = links
        self._slack = slack
        self._prefs = prefs
        self._web_url = web_url
        self._checkins = checkins
        self.count_reads = count_reads
        self._sent = sent or (lambda kind, outcome, lag=None: None)  # the metrics
        self._clock = clock
        self.grace = grace
        self.lease_seconds = lease_seconds
        self.owner = sender_name()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fan-out")

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def schedule_of(self, kind: str, schedule_id: str) -> Schedule | None:
        record = self._stores[kind].get(schedule_id)
        return None if record is None else self._schedule(kind, record)

    def _schedule(self, kind: str, record: dict[str, Any]) -> Schedule:
        if kind in self._others:
            return self._others[kind].schedule(record)
        return (Reminder if kind == REMINDERS else Nudge).from_dict(record).schedule

    # -- when ----------------------------------------------------------------------

    def decide(self, now: datetime | None = None) -> int:
        """Put every slot that has come (and is within the grace period) into the work
        set, and index each schedule's next slot. Costs O(schedules due)."""
        now = now or self.now()
        earliest = now - timedelta(seconds=self.grace)
        decided = 0
        for kind, store in self._stores.items():
            due = store.due(now.timestamp())
            records = store.get_many([schedule_id for schedule_id, _ in due])
            work: dict[str, float] = {}
            following: dict[str, float] = {}
            for schedule_id, next_at in due:
                if schedule_id not in records:
                    store.delete(schedule_id)  # the record is gone: so goes its index
                    continue
                schedule = self._schedule(kind, records[schedule_id])
                since = max(datetime.fromtimestamp(next_at, UTC) - timedelta(microseconds=1),
                            earliest)
                for slot in schedule.slots_between(since, now):
                    work[f"{schedule_id}|{slot.isoformat()}"] = slot.timestamp()
                following[schedule_id] = schedule.next_after(now).timestamp()
            store.decided(work, following)
            decided += len(work)
        return decided

    def due_work(self, now: datetime | None = None) -> list[tuple[str, str]]:
        """(kind, member) for each slot of the work set whose time to try has come."""
        now = now or self.now()
        return [(kind, member) for kind, store in self._stores.items()
                for member in store.work(now.timestamp())]

    def run_due(self, now: datetime | None = None) -> dict[str, int]:
        """Decide, then send what is due, here (the playground and tests; the clock
        process hands the work to workers instead). Returns counts by outcome."""
        now = now or self.now()
        self.decide(now)
        outcomes: dict[str, int] = {}
        work = interleaved(self.due_work(now))
        for outcome in self._pool.map(lambda item: self.do(*item, now=now), work):
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return outcomes

    def do(self, kind: str, member: str, *, now: datetime | None = None) -> str:
        """Send one slot of the work set: what a worker's job runs."""
        now = now or self.now()
        store = self._stores[kind]
        schedule_id, _, slot_text = member.rpartition("|")
        try:
            slot = datetime.fromisoformat(slot_text)
        except ValueError:
            store.finish_work(member)
            return "gone"
        outcome = self.fire(kind, schedule_id, slot, now=now)
        if outcome == "retry" and (now - slot).total_seconds() + RETRY_SECONDS <= self.grace:
            store.retry_work(member, now.timestamp() + RETRY_SECONDS)
        elif outcome == "busy":  # another sender holds it: look again when its lease lapses
            store.retry_work(member, now.timestamp() + self.lease_seconds)
        else:
            store.finish_work(member)
        return outcome

    def fire(self, kind: str, schedule_id: str, slot: datetime, *,
             now: datetime | None = None) -> str:
        now = now or self.now()
        if (now - slot).total_seconds() > self.grace:
            return "too_late"
        store = self._stores[kind]
        record = store.get(schedule_id)
        if record is None:
            return "gone"
        lease = store.lease(schedule_id, slot.isoformat(), self.owner,
                            seconds=self.lease_seconds)
        if lease == "sent":
            return "already_sent"
        if lease == "busy":
            return "busy"
        try:
            if kind in self._others:
                outcome = self._others[kind].send(record, slot)
            elif kind == REMINDERS:
                outcome = self._send_reminder(Reminder.from_dict(record), slot)
            else:
                outcome = self._send_nudge(Nudge.from_dict(record), slot)
        except (GeeseError, *STORAGE_ERRORS) as exc:
            log.info("%s %s not sent yet: %s", kind, schedule_id, type(exc).__name__)
            outcome = "retry"
        if outcome == "retry":  # nothing was sent: give the slot back for a later try
            store.release(schedule_id, slot.isoformat(), self.owner)
        else:
            store.mark_sent(schedule_id, slot.isoformat(), ttl_seconds=self.grace + 86400)
        self._sent(kind, outcome, (self.now() - slot).total_seconds()
                   if outcome == "sent" else None)
        return outcome

    # -- what ----------------------------------------------------------------------

    def _send_reminder(self, reminder: Reminder, slot: datetime) -> str:
        stale, checked = self._stale_count(reminder, slot)
        with self._speak(reminder.setter):
            delivery = self._slack.post(reminder.setter, reminder.channel_id,
                                        **blocks.channel_reminder(stale, checked).as_kwargs(),
                                        builder="reminders.blocks.channel_reminder")
        if delivery.unreachable:
            # Three slots in a row: one may be a passing restriction, three are not.
            if self._strikes and self._strikes.add(reminder.id) < STRIKES:
                return "unreachable"
            self._stores[REMINDERS].delete(reminder.id)
            if self._parked:
                self._parked.park(reminder.id, reminder.to_dict())
            with self._speak(reminder.setter):
                self._slack.dm(reminder.setter,
                               **blocks.reminder_stopped(reminder, delivery.error).as_kwargs())
            return "stopped"
        if delivery and self._strikes:
            self._strikes.clear(reminder.id)
        return _outcome(delivery)

    def _stale_count(self, reminder: Reminder, slot: datetime) -> tuple[int | None, int]:
        """How many linked members have an open objective without a check-in for a week.
        Counts only: no objective is ever named in a channel."""
        try:
            members = self._slack.members(reminder.setter, reminder.channel_id)
        except Exception:  # a count is a nicety; the reminder still goes out
            log.warning("could not list members of %s", reminder.channel_id)
            return None, 0
        identities = [SlackIdentity(reminder.team_id, m, reminder.enterprise_id) for m in members]
        linked = [i for i in identities if (link := self._links.find(i)) and not link.broken]
        if len(linked) < MIN_COUNTED:
            # A count of a few people says who they are: none is read, none is shown.
            return None, 0
        # What nudges and commands saw lately; 7Geese is read only for the rest, and at
        # most `count_reads` of them: a big channel costs a bounded number of calls.
        known = self._checkins.recall([i.key for i in linked])
        unknown = [i for i in linked if i.key not in known][:self.count_reads]

        def read(identity: SlackIdentity) -> tuple[str, float | None] | None:
            try:
                mine = my_objectives(self._geese.as_user(identity))
            except GeeseError:
                return None
            self._checkins.remember(identity.key, mine.oldest_checkin)
            return identity.key, mine.oldest_checkin

        known.update(dict(found for found in self._pool_map(read, unknown) if found))
        if len(known) < MIN_COUNTED:
            return None, 0
        cutoff = (slot - STALE_AFTER).timestamp()
        stale = sum(1 for oldest in known.values() if oldest is not None and oldest < cutoff)
        return stale, len(known)

    def _pool_map(self, fn, items):
        # The fan-out pool may be busy running this very reminder: use a small one.
        with ThreadPoolExecutor(max_workers=8, thread_name_prefix="reminder-count") as pool:
            return list(pool.map(fn, items))

    def _send_nudge(self, nudge: Nudge, slot: datetime) -> str:
        identity = nudge.identity
        if is_paused(self._prefs, identity, slot.astimezone(nudge.schedule.zone).date()):
            return "paused"
        try:
            mine = my_objectives(self._geese.as_user(identity))
            self._checkins.remember(identity.key, mine.oldest_checkin)
        except NotLinked:
            self._stores[NUDGES].delete(nudge.id)  # they unlinked: nudges end with the link
            return "unlinked"
        except LinkBroken:
            with self._speak(identity):
                self._slack.dm(identity, **blocks.reconnect_nudge().as_kwargs())
            return "reconnect"
        if not mine.objectives:
            return "nothing_open"
        today = slot.astimezone(nudge.schedule.zone).date()
        if all(o.last_checkin and o.last_checkin.astimezone(nudge.schedule.zone).date() == today
               for o in mine.objectives):
            return "all_checked_in"
        with self._speak(identity):
            return _outcome(self._slack.dm(
                identity, builder="reminders.blocks.nudge", **blocks.nudge(
                mine.objectives, mine.total, self._web_url).as_kwargs()))


def _outcome(delivery: Delivery) -> str:
    """sent; retry (Slack was rate limiting or down: the claim is released); or refused
    (Slack said no for good, logged with its error by the gateway; not counted as sent)."""
    if delivery:
        return "sent"
    return "retry" if delivery.transient else "refused"


def interleaved(work: list[tuple]) -> list[tuple]:
    """Each workspace has its own Slack rate limit: taking their sends in turn keeps
    every workspace's budget busy, where one workspace's queue first would leave the
    others idle (and a big workspace would delay a small one's nudges)."""
    queues: dict[str, list[tuple]] = {}
    for item in work:
        enterprise, team = item[1].split(":")[:2]  # schedule ids start "enterprise:team:"
        queues.setdefault(f"{enterprise}:{team}", []).append(item)
    rounds = itertools.zip_longest(*queues.values())
    return [item for batch in rounds for item in batch if item is not None]
