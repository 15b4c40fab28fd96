"""1-on-1s in 7Geese: upcoming meetings, their talking points, adding one.

Talking points are the meeting's "questions". `updateOneononeAgenda` takes the
whole list (a full replace, as far as public material shows), so adding one means
read, write the list plus the new item, and read again to see that it stuck.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.geese import documents
from bot.geese.client import UserSession
from bot.geese.errors import Invalid, NotFound
from bot.geese.models import Profile, _moment
from bot.i18n import _


@dataclass(frozen=True)
class TalkingPoint:
    pk: int
    content: str
    description: str = ""


@dataclass(frozen=True)
class Meeting:
    pk: int
    start: datetime
    end: datetime | None
    completed: bool
    cancelled: bool
    facilitator: Profile
    participant: Profile
    talking_points: tuple[TalkingPoint, ...]
    created: datetime | None = None
    series: int | None = None  # the recurrence rule its dates share, if any

    def other(self, me_pk: int) -> Profile:
        return self.participant if self.facilitator.pk == me_pk else self.facilitator

    @property
    def open(self) -> bool:
        return not self.completed and not self.cancelled

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> Meeting:
        edges = (((node.get("questionSet") or {}).get("questions") or {}).get("edges")) or []
        points = tuple(TalkingPoint(int(e["node"]["pk"]), e["node"].get("content") or "",
                                    e["node"].get("description") or "")
                       for e in edges if e and e.get("node"))
        return cls(
            pk=int(node["pk"]),
            start=_moment(node.get("startTime")) or datetime.fromtimestamp(0, UTC),
            end=_moment(node.get("endTime")),
            completed=node.get("status") == 1 or bool(node.get("completedDatetime")),
            cancelled=bool(node.get("deleted")),
            facilitator=Profile.from_node(node.get("facilitator") or {"pk": 0}),
            participant=Profile.from_node(node.get("participant") or {"pk": 0}),
            talking_points=points,
            created=_moment(node.get("created")),
            series=(node.get("rrule") or {}).get("pk"),
        )


class AgendaTooLong(Invalid):
    """A talking point has more notes than one read returns: the bot cannot send the
    agenda back whole, so it does not write it."""

    def __init__(self, pk: int):
        super().__init__([_("This 1-on-1's agenda has more notes than I can keep safe while "
                          "changing it: please add your talking point in 7Geese.")])
        self.pk = pk


class AgendaRace(Exception):
    """The talking point did not stick: another edit replaced the agenda meanwhile."""


def upcoming(session: UserSession, me_pk: int, *, now: datetime,
             days: float = 30) -> list[Meeting]:
    """Open meetings from now, soonest first (cancelled and completed ones left out)."""
    return open_meetings(session.graphql(documents.UPCOMING_ONEONONES,
                                         window(me_pk, now, days)))


def window(me_pk: int, now: datetime, days: float) -> dict[str, Any]:
    return {"me": me_pk, "from": now.isoformat(), "to": (now + timedelta(days=days)).isoformat()}


def open_meetings(data: dict[str, Any]) -> list[Meeting]:
    """From an answer with `oneonones`: the open ones, soonest first."""
    edges = ((data.get("oneonones") or {}).get("edges")) or []
    meetings = [Meeting.from_node(e["node"]) for e in edges if e and e.get("node")]
    return sorted((m for m in meetings if m.open), key=lambda m: m.start)


def meeting(session: UserSession, pk: int) -> Meeting | None:
    node = session.graphql(documents.ONEONONE, {"pk": pk}).get("oneonone")
    return Meeting.from_node(node) if node else None


def manager(session: UserSession) -> Profile | None:
    node = ((session.graphql(documents.MY_MANAGER).get("currentUser") or {})
            .get("reportsTo"))
    return Profile.from_node(node) if node else None


def agenda(session: UserSession, pk: int) -> list[dict[str, Any]] | None:
    """Meeting `pk`'s whole agenda as QuestionInput: every talking point (all pages)
    with its notes, what an agenda write must send back so as to lose nothing. None when
    the meeting is gone or cancelled."""
    points: list[dict[str, Any]] = []
    while True:
        node = session.graphql(documents.AGENDA, {"pk": pk, "offset": len(points)}).get(
            "oneonone")
        if not node or node.get("deleted"):
            return None
        page = ((node.get("questionSet") or {}).get("questions")) or {}
        edges = [e["node"] for e in page.get("edges") or [] if e and e.get("node")]
        for question in edges:
            notes = question.get("notes") or {}
            shown = [e["node"] for e in notes.get("edges") or [] if e and e.get("node")]
            if int(notes.get("totalCount") or len(shown)) > len(shown):
                # More notes than one read returns: writing back part would drop the rest.
                raise AgendaTooLong(pk)
            points.append({
                "pk": question.get("pk"), "content": question.get("content") or "",
                "description": question.get("description") or "",
                "notes": [{"content": n.get("content") or "", "modified": n.get("modified"),
                           "creator": (n.get("creator") or {}).get("pk")} for n in shown]})
        if not edges or len(points) >= int(page.get("totalCount") or 0):
            return points


def add_talking_point(session: UserSession, pk: int, content: str, *,
                      attempts: int = 2) -> tuple[Meeting, TalkingPoint]:
    """Add `content` to meeting `pk`'s agenda and prove it is there. The agenda input
    replaces the whole list, so every point goes back whole, notes included."""
    for _attempt in range(attempts):
        before = agenda(session, pk)
        if before is None:
            raise NotFound(_("That 1-on-1 is no longer in 7Geese."))
        data = session.graphql(documents.UPDATE_AGENDA, {
            "pk": pk, "questions": [*before, {"content": content}]})
        refused = [e for e in ((data.get("updateOneononeAgenda") or {}).get("errors") or [])
                   if e]
        if refused:
            raise Invalid([f"7Geese refused talking point {e.get('pk') or ''}".strip()
                           for e in refused])
        after = agenda(session, pk)
        if after is None:
            raise NotFound(_("That 1-on-1 is no longer in 7Geese."))
        known = {p["pk"] for p in before}
        added = [p for p in after if p["pk"] not in known and p["content"] == content]
        shown = meeting(session, pk)
        if added and shown is not None:
            return shown, TalkingPoint(added[-1]["pk"], added[-1]["content"],
                                       added[-1]["description"])
    raise AgendaRace(_("the agenda was changed at the same time"))
