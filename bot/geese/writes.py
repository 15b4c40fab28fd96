"""Writes to 7Geese that must not be lost: kept in an outbox until 7Geese takes them.

A to-do added or ticked off, feedback given: each is written to the outbox before the
first call. When 7Geese answers, the person sees the outcome at once; when it is down
or busy, they are told it is saved, and the clock's workers try again with growing
pauses for up to three days, then say what became of it by DM. A refusal (7Geese said
no) is final and told. Recognition has its own outbox (bot/recognition/), older and
richer; this one serves the smaller writes.

Exactly once. One attempt at a time per item (the first included: it holds the item's
lock). After an attempt that may have been carried out (a timeout, a 5xx, a broken
answer: `Unavailable.sent`), a write is never sent again blindly; each kind says how
the next attempt learns whether the first landed (tests/test_writes_policy.py walks
this table against the kinds the services register):

    kind              after an attempt that may have landed
    todo_add          reads the meeting's action items: one with its title and assignee,
                      made since the first attempt, is it (landed)
    todo_done         sends again: it sets a state, and reads the state first (resend)
    feedback_decline  sends again: declining twice is declining once (resend; inferred)
    feedback          reads back the feedback the person gave lately: one to the same
                      person with the same subject since the first attempt is it
                      (landed; bot/geese/feedback.py given_since says what is inferred)

Elsewhere: recognitions read back with find_given (bot/recognition/service.py), a
check-in with _landed (handlers/objectives.py), a talking point by reading the agenda
(bot/geese/oneonones.py).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis

from bot.geese import GeeseError, Invalid, LinkBroken, NotFound, NotLinked, RateLimited, Unavailable
from bot.i18n import Speak, _, unchanged
from bot.slack.blocks import Reply, refusal_text, section
from storage import SlackIdentity
from storage.outbox import Outbox

log = logging.getLogger(__name__)

BACKOFF = (30, 120, 600, 1800, 3600)
GIVE_UP_AFTER = 3 * 24 * 3600


@dataclass(frozen=True)
class Write:
    """What a write does (`apply`, returning the answer to show), how to name it to the
    person who asked (`what`, for "I saved ..." and "... was not saved"), and how a
    retry learns whether an attempt that may have landed did: `landed(identity, args,
    since)` reads 7Geese back (the answer to show when it landed, else None), or
    `resend` says sending again is the same as sending once; with neither, the person
    is asked to look (ASK)."""

    apply: Callable[[SlackIdentity, dict[str, Any]], Reply]
    what: Callable[[dict[str, Any]], str]
    landed: Callable[[SlackIdentity, dict[str, Any], float], Reply | None] | None = None
    resend: bool = False

    @property
    def policy(self) -> str:
        return "landed" if self.landed else "resend" if self.resend else "ask"


class Writes:
    def __init__(self, outbox: Outbox, kinds: dict[str, Write], *,
                 tell: Callable[[SlackIdentity, Reply], Any],
                 clock: Callable[[], float] = time.time, speak: Speak = unchanged):
        self._speak = speak
        self.outbox = outbox
        self._kinds = kinds
        self._tell = tell  # a DM, for outcomes that come later
        self._clock = clock

    def submit(self, kind: str, identity: SlackIdentity, args: dict[str, Any]) -> Reply:
        """Keep the write, then try it now; the answer to show the person right away.
        The first attempt holds the item's lock like every later one: the item is due
        at once, and a worker must not send it again while 7Geese is still answering."""
        item_id = f"{kind}-{secrets.token_hex(8)}"
        now = self._clock()
        self.outbox.add(item_id, {"kind": kind, "identity": identity.key, "args": args,
                                  "created_at": now, "attempts": 0})
        lock = self.outbox.lock(item_id)
        if not lock.acquire():  # a worker already has it: it tells the person
            return self._saved(kind, args)
        try:
            return self._attempt(item_id, first=True) or self._saved(kind, args)
        finally:
            with contextlib.suppress(redis.exceptions.LockError):  # expired meanwhile
                lock.release()

    def forget_sent_by(self, sent_by: Callable[[SlackIdentity], bool]) -> int:
        """Drop queued writes of people `sent_by` names (an uninstall); how many."""
        return self.outbox.drop_where(
            lambda item: sent_by(SlackIdentity.from_key(item["identity"])))

    def deliver(self, item_id: str) -> str:
        """The clock's job for an item whose time has come."""
        lock = self.outbox.lock(item_id)
        if not lock.acquire():
            return "busy"
        try:
            reply = self._attempt(item_id, first=False)
        finally:
            with contextlib.suppress(redis.exceptions.LockError):
                lock.release()
        return "done" if reply is not None else "later"

    def _attempt(self, item_id: str, *, first: bool) -> Reply | None:
        item = self.outbox.load(item_id)
        if item is None:
            self.outbox.remove(item_id)
            return None
        with self._speak(SlackIdentity.from_key(item["identity"])):
            return self._attempt_item(item_id, item, first=first)

    def _attempt_item(self, item_id: str, item: dict[str, Any], *, first: bool) -> Reply | None:
        identity = SlackIdentity.from_key(item["identity"])
        write = self._kinds[item["kind"]]
        try:
            reply = self._landed_before(write, identity, item) if item.get("maybe_landed") \
                else None
            if reply is None:
                reply = write.apply(identity, item["args"])
        except Unavailable as exc:
            if exc.sent:  # 7Geese may have carried it out: the next attempt looks first
                item["maybe_landed"] = True
            return self._later(item_id, item, exc)
        except RateLimited as exc:
            return self._later(item_id, item, exc)
        except (NotLinked, LinkBroken):
            reply = _problem(_("{args} wasn't saved: your 7Geese link is gone. Run `/geese "
                               "link`, then try again.").format(
                               args=_first_up(write.what(item['args']))))
        except Invalid as exc:
            reply = _problem(_("7Geese didn't accept {args}: ").format(
                               args=write.what(item['args']))
                             + refusal_text(exc.messages))
        except NotFound as exc:
            reply = _problem(_("{args} wasn't saved: {exc}").format(
                               args=_first_up(write.what(item['args'])), exc=exc))
        except GeeseError:
            return self._later(item_id, item, None)
        self.outbox.remove(item_id)
        if not first:
            self._tell(identity, reply)
        return reply

    def _landed_before(self, write: Write, identity: SlackIdentity,
                       item: dict[str, Any]) -> Reply | None:
        """After an attempt that may have landed: the answer to show when it did (or
        when the person must look), None when sending again is right."""
        if write.landed is not None:
            return write.landed(identity, item["args"], item["created_at"])
        if write.resend:
            return None
        what = write.what(item["args"])
        return _problem(_("7Geese didn't confirm {what}, and it may have arrived. So as not "
                          "to send it twice, I didn't try again: please look in 7Geese, and "
                          "send it again only if it isn't there.").format(
                          what=what))

    def _later(self, item_id: str, item: dict[str, Any], exc) -> None:
        item["attempts"] += 1
        if self._clock() - item["created_at"] > GIVE_UP_AFTER:
            self.outbox.remove(item_id)
            identity = SlackIdentity.from_key(item["identity"])
            with self._speak(identity):
                what = self._kinds[item["kind"]].what(item["args"])
                self._tell(identity, _problem(
                    _("7Geese hasn't answered for three days, so {what} was not saved. "
                      "Please try again.").format(what=what)))
            return None
        delay = BACKOFF[min(item["attempts"] - 1, len(BACKOFF) - 1)]
        if isinstance(exc, RateLimited) and exc.retry_after:
            delay = max(delay, exc.retry_after)
        self.outbox.save(item_id, item)
        self.outbox.schedule(item_id, self._clock() + delay)
        log.info("7Geese unavailable; write %s retries in %d s", item_id, delay)
        return None

    def _saved(self, kind: str, args: dict[str, Any]) -> Reply:
        what = self._kinds[kind].what(args)
        text = (_(":inbox_tray: 7Geese isn't answering right now, so I saved {what}. I'll "
                  "send it as soon as 7Geese is back and tell you.").format(
                  what=what))
        return Reply(text, [section(text)])


def _problem(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]
