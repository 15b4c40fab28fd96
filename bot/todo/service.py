"""What the action-item commands do, free of Slack types (the writes go through the
outbox in bot/geese/writes.py, so 7Geese being down loses nothing)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

from bot.geese import GeeseClient
from bot.geese.actions import (
    ActionItem,
    action_item,
    create,
    meeting_items,
    my_open_items,
    set_done,
)
from bot.geese.oneonones import meeting as read_meeting
from bot.i18n import _
from bot.oneonones.items import item_block
from bot.oneonones.service import NoMeeting, NotInGeese, OneOnOneService
from bot.slack.blocks import Reply, section, shown
from bot.todo import blocks
from storage import SlackIdentity

DUE_HOUR = 17  # a due date means the end of that working day, in the person's timezone


class TodoService:
    def __init__(self, *, geese: GeeseClient, oneonones: OneOnOneService,
                 tz_of: Callable[[SlackIdentity], str],
                 clock: Callable[[], float] = time.time):
        self._geese = geese
        self._oneonones = oneonones
        self._tz_of = tz_of
        self._clock = clock

    def today(self, identity: SlackIdentity) -> date:
        return datetime.fromtimestamp(self._clock(), ZoneInfo(self._tz_of(identity))).date()

    def open_items(self, identity: SlackIdentity) -> tuple[list[ActionItem], int]:
        return my_open_items(self._geese.as_user(identity), self._oneonones.me(identity))

    def item(self, identity: SlackIdentity, pk: int) -> ActionItem | None:
        return action_item(self._geese.as_user(identity), pk)

    # -- writes (run by bot/geese/writes.py, now or when 7Geese is back) ------------------------

    def apply_add(self, identity: SlackIdentity, args: dict[str, Any]) -> Reply:
        """args: title, theirs (assigned to the other participant), due (ISO date or
        None), and either meeting (a pk: the follow-up's button) or partner (a Slack
        user id: their next 1-on-1 with me)."""
        me = self._oneonones.me(identity)
        session = self._geese.as_user(identity)
        if args.get("meeting"):
            meeting = read_meeting(session, int(args["meeting"]))
            if meeting is None or meeting.cancelled:
                return _problem(_("That 1-on-1 is no longer in 7Geese, so the action item "
                                "was not added."))
            other = meeting.other(me)
        else:
            partner = args["partner"]
            try:
                meeting, other = self._oneonones.next_with(identity, partner)
            except NotInGeese:
                return _problem(_("I couldn't find <@{partner}> in 7Geese (no account with "
                                  "their Slack email), so there is no 1-on-1 to add it to.").format(
                                  partner=partner))
            except NoMeeting as exc:
                return _problem(_("You have no 1-on-1 with {name} in the next 30 days, so I "
                                  "couldn't add the action item. Schedule one in 7Geese, "
                                  "then try again.").format(
                                  name=shown(exc.other.name, 80)))
        assignee_pk = other.pk if args.get("theirs") else me
        # Where and for whom, kept with the outbox item: a retry looks there first.
        args["meeting"], args["assignee"] = meeting.pk, assignee_pk
        due = None
        if args.get("due"):
            zone = ZoneInfo(self._tz_of(identity))
            due = datetime.combine(date.fromisoformat(args["due"]), clock_time(DUE_HOUR),
                                   zone).astimezone(UTC)
        item = create(session, meeting_pk=meeting.pk, title=args["title"],
                      assignee_pk=assignee_pk, due=due)
        return blocks.added(item, other.name, assignee_pk == me)

    def landed_add(self, identity: SlackIdentity, args: dict[str, Any],
                   since: float) -> Reply | None:
        """After an attempt that may have landed: the action item 7Geese made for it
        (its title and assignee, in its meeting, made since the first attempt), if any."""
        if not args.get("meeting") or not args.get("assignee"):
            return None  # the first attempt never got as far as writing
        session = self._geese.as_user(identity)
        found = [i for i in meeting_items(session, int(args["meeting"]))
                 if i.title == args["title"] and i.assignee_pk == args["assignee"]
                 and i.created is not None and i.created.timestamp() >= since - 60]
        if not found:
            return None
        me = self._oneonones.me(identity)
        meeting = read_meeting(session, int(args["meeting"]))
        other = meeting.other(me).name if meeting else found[-1].assignee
        return blocks.added(found[-1], other, found[-1].assignee_pk == me)

    def apply_done(self, identity: SlackIdentity, args: dict[str, Any]) -> Reply:
        session = self._geese.as_user(identity)
        current = action_item(session, int(args["pk"]))
        if current is None:
            return _problem(_("That action item is no longer in 7Geese."))
        done = bool(args["done"])
        if current.completed == done:  # a second click: nothing to change
            state = "done" if done else _("open again")
            text = _("“{title}” was already {state}.").format(
                     title=shown(current.title, 255), state=state)
            return Reply(text, [section(text)])
        after = set_done(session, current.pk, done)
        text = (_(":white_check_mark: Done: “{title}”.").format(title=shown(after.title, 255))
                if done
                else _("Open again: “{title}”.").format(title=shown(after.title, 255)))
        return Reply(text.replace(":white_check_mark: ", ""), [item_block(after)])


def _problem(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])
