"""Sending reminders and nudges when their time comes: each slot at most once.

`fire` claims (schedule, slot) with SET NX before sending, so two clock processes
or a restart never send a slot twice. `run_due` sends every slot of the last
`grace` seconds that nobody has claimed: after the clock was down, a slot inside
the grace period goes out late, an older one is skipped.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from bot.geese import GeeseClient, GeeseError, LinkBroken, NotLinked
from bot.geese.objectives import my_objectives
from bot.pausing import is_paused
from bot.reminders import blocks
from bot.reminders.records import Nudge, Reminder
from bot.schedule import Schedule
from bot.slack import Delivery, SlackGateway
from storage import STORAGE_ERRORS, LinkStore, SlackIdentity
from storage.preferences import Preferences
from storage.schedules import ScheduleStore

log = logging.getLogger(__name__)

GRACE_SECONDS = 3600
STALE_AFTER = timedelta(days=7)
# A channel sees how many linked members have stale objectives only when at least this
# many were counted: in a channel of three, "0 of 1" is one person's status.
MIN_COUNTED = 5
REMINDERS, NUDGES = "reminder", "nudge"


class Dispatcher:
    def __init__(self, *, reminders: ScheduleStore, nudges: ScheduleStore, geese: GeeseClient,
                 links: LinkStore, slack: SlackGateway, prefs: Preferences, web_url: str,
                 clock: Callable[[], float] = time.time, grace: int = GRACE_SECONDS,
                 workers: int = 16):
        self._stores = {REMINDERS: reminders, NUDGES: nudges}
        self._geese = geese
        self._links = links
        self._slack = slack
        self._prefs = prefs
        self._web_url = web_url
        self._clock = clock
        self.grace = grace
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fan-out")

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def schedule_of(self, kind: str, schedule_id: str) -> Schedule | None:
        record = self._stores[kind].get(schedule_id)
        if record is None:
            return None
        return (Reminder if kind == REMINDERS else Nudge).from_dict(record).schedule

    # -- when ----------------------------------------------------------------------

    def run_due(self, now: datetime | None = None) -> dict[str, int]:
        """Send every unclaimed slot within the grace period; returns counts by outcome."""
        now = now or self.now()
        start = now - timedelta(seconds=self.grace)
        work = []
        for kind, store in self._stores.items():
            for schedule_id, record in store.all().items():
                schedule = (Reminder if kind == REMINDERS else Nudge).from_dict(record).schedule
                for slot in schedule.slots_between(start, now):
                    if not store.claimed(schedule_id, slot.isoformat()):
                        work.append((kind, schedule_id, slot))
        outcomes: dict[str, int] = {}
        for outcome in self._pool.map(lambda w: self.fire(*w, now=now), _interleaved(work)):
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return outcomes

    def fire_latest(self, kind: str, schedule_id: str) -> str:
        """What a scheduler job calls at its fire time: the slot that just came."""
        schedule = self.schedule_of(kind, schedule_id)
        now = self.now()
        slot = schedule.last_at_or_before(now) if schedule else None
        if slot is None:
            return "gone"
        return self.fire(kind, schedule_id, slot, now=now)

    def fire(self, kind: str, schedule_id: str, slot: datetime, *,
             now: datetime | None = None) -> str:
        now = now or self.now()
        if (now - slot).total_seconds() > self.grace:
            return "too_late"
        store = self._stores[kind]
        record = store.get(schedule_id)
        if record is None:
            return "gone"
        if not store.claim(schedule_id, slot.isoformat(), ttl_seconds=self.grace + 86400):
            return "already_sent"
        try:
            if kind == REMINDERS:
                outcome = self._send_reminder(Reminder.from_dict(record), slot)
            else:
                outcome = self._send_nudge(Nudge.from_dict(record), slot)
        except (GeeseError, *STORAGE_ERRORS) as exc:
            log.info("%s %s not sent yet: %s", kind, schedule_id, type(exc).__name__)
            outcome = "retry"
        if outcome == "retry":  # not sent: a later pass inside the grace period tries again
            store.release(schedule_id, slot.isoformat())
        return outcome

    # -- what ----------------------------------------------------------------------

    def _send_reminder(self, reminder: Reminder, slot: datetime) -> str:
        stale, checked = self._stale_count(reminder, slot)
        delivery = self._slack.post(reminder.setter, reminder.channel_id,
                                    **blocks.channel_reminder(stale, checked).as_kwargs())
        if delivery.error in ("is_archived", "not_in_channel", "channel_not_found"):
            self._stores[REMINDERS].delete(reminder.id)
            self._slack.dm(reminder.setter,
                           **blocks.reminder_stopped(reminder, delivery.error).as_kwargs())
            return "stopped"
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

        def stale(identity: SlackIdentity) -> bool | None:
            try:
                mine = my_objectives(self._geese.as_user(identity))
            except GeeseError:
                return None
            return any(o.last_checkin is None or slot - o.last_checkin > STALE_AFTER
                       for o in mine.objectives)

        answers = [a for a in self._pool_map(stale, linked) if a is not None]
        if len(answers) < MIN_COUNTED:
            return None, 0
        return sum(answers), len(answers)

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
        except NotLinked:
            self._stores[NUDGES].delete(nudge.id)  # they unlinked: nudges end with the link
            return "unlinked"
        except LinkBroken:
            self._slack.dm(identity, **blocks.reconnect_nudge().as_kwargs())
            return "reconnect"
        if not mine.objectives:
            return "nothing_open"
        today = slot.astimezone(nudge.schedule.zone).date()
        if all(o.last_checkin and o.last_checkin.astimezone(nudge.schedule.zone).date() == today
               for o in mine.objectives):
            return "all_checked_in"
        return _outcome(self._slack.dm(identity, **blocks.nudge(
            mine.objectives, mine.total, self._web_url).as_kwargs()))


def _outcome(delivery: Delivery) -> str:
    """sent; retry (Slack was rate limiting or down: the claim is released); or refused
    (Slack said no for good, logged with its error by the gateway; not counted as sent)."""
    if delivery:
        return "sent"
    return "retry" if delivery.transient else "refused"


def _interleaved(work: list[tuple[str, str, datetime]]) -> list[tuple[str, str, datetime]]:
    """Each workspace has its own Slack rate limit: taking their sends in turn keeps
    every workspace's budget busy, where one workspace's queue first would leave the
    others idle (and a big workspace would delay a small one's nudges)."""
    queues: dict[str, list[tuple[str, str, datetime]]] = {}
    for item in work:
        enterprise, team = item[1].split(":")[:2]  # schedule ids start "enterprise:team:"
        queues.setdefault(f"{enterprise}:{team}", []).append(item)
    rounds = itertools.zip_longest(*queues.values())
    return [item for batch in rounds for item in batch if item is not None]
