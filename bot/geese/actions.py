"""Action items in 7Geese: the to-dos agreed in 1-on-1s (`actionItems`,
`createOrUpdateActionItem`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.geese import documents
from bot.geese.client import UserSession
from bot.geese.errors import NotFound, Unavailable
from bot.geese.models import _moment
from bot.i18n import _


@dataclass(frozen=True)
class ActionItem:
    pk: int
    title: str
    due: datetime | None
    completed: bool
    assignee_pk: int | None
    assignee: str
    meeting_pk: int | None
    meeting_start: datetime | None
    with_names: tuple[str, str]  # the 1-on-1's facilitator and participant
    created: datetime | None = None

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> ActionItem:
        meeting = node.get("createdInOneonone") or {}
        assignee = node.get("assignedTo") or {}
        return cls(
            pk=int(node["pk"]), title=node.get("title") or "",
            due=_moment(node.get("dueDate")), completed=bool(node.get("completed")),
            assignee_pk=assignee.get("pk"), assignee=assignee.get("fullName") or "",
            meeting_pk=meeting.get("pk"), meeting_start=_moment(meeting.get("startTime")),
            with_names=((meeting.get("facilitator") or {}).get("fullName") or "",
                        (meeting.get("participant") or {}).get("fullName") or ""),
            created=_moment(node.get("created")))


def items_of(data: dict[str, Any]) -> tuple[list[ActionItem], int]:
    found = data.get("actionItems") or {}
    items = [ActionItem.from_node(e["node"]) for e in found.get("edges") or []
             if e and e.get("node") and not e["node"].get("deleted")]
    return items, int(found.get("totalCount") or len(items))


def my_open_items(session: UserSession, me_pk: int) -> tuple[list[ActionItem], int]:
    """Open items assigned to me, soonest due first, and how many there are."""
    return items_of(session.graphql(documents.MY_ACTION_ITEMS, {"me": me_pk}))


def meeting_items(session: UserSession, meeting_pk: int) -> list[ActionItem]:
    return items_of(session.graphql(documents.MEETING_ACTION_ITEMS, {"meeting": meeting_pk}))[0]


def action_item(session: UserSession, pk: int) -> ActionItem | None:
    node = session.graphql(documents.ACTION_ITEM, {"pk": pk}).get("actionItem")
    return ActionItem.from_node(node) if node and not node.get("deleted") else None


def create(session: UserSession, *, meeting_pk: int, title: str, assignee_pk: int,
           due: datetime | None) -> ActionItem:
    return _save(session, None, {"createdInOneonone": meeting_pk, "title": title,
                                 "assignedTo": assignee_pk,
                                 "dueDate": due.isoformat() if due else None})


def set_done(session: UserSession, pk: int, done: bool) -> ActionItem:
    """Mark done (or not done again); doing it twice changes nothing the second time."""
    return _save(session, pk, {"completed": done})


def _save(session: UserSession, pk: int | None, fields: dict[str, Any]) -> ActionItem:
    data = session.graphql(documents.SAVE_ACTION_ITEM, {"pk": pk, "item": fields})
    node = (data.get("createOrUpdateActionItem") or {}).get("actionItem")
    if not node:
        if pk is not None:
            raise NotFound(_("That action item is no longer in 7Geese."))
        raise Unavailable(_("7Geese took the action item but did not return it"), sent=True)
    return ActionItem.from_node(node)
