"""A manager's week with their direct reports, from one read (`TEAM_WEEK`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.geese import documents
from bot.geese.actions import ActionItem
from bot.geese.client import UserSession
from bot.geese.models import Profile, _moment
from bot.geese.oneonones import Meeting

STALE = timedelta(days=14)  # an objective without a check-in this long is going stale


@dataclass(frozen=True)
class Thanks:
    sender: str
    badge: str | None
    web_url: str | None


@dataclass(frozen=True)
class StaleObjective:
    name: str
    web_url: str | None
    since: datetime | None  # the last check-in, None: never


@dataclass(frozen=True)
class Report:
    profile: Profile
    recognized: tuple[Thanks, ...]
    stale: tuple[StaleObjective, ...]
    next_meeting: Meeting | None
    due: tuple[ActionItem, ...]  # open, due in the coming week

    @property
    def quiet(self) -> bool:
        return not (self.recognized or self.stale or self.next_meeting or self.due)


@dataclass(frozen=True)
class TeamWeek:
    reports: tuple[Report, ...]
    total_reports: int


def team_week(session: UserSession, me: int, *, now: datetime,
              period: timedelta = timedelta(days=7)) -> TeamWeek:
    data = session.graphql(documents.TEAM_WEEK, {
        "me": me, "meId": str(me), "since": (now - period).isoformat(),
        "until": now.isoformat(), "from": now.isoformat(),
        "to": (now + timedelta(days=30)).isoformat()})
    people = data.get("profiles") or {}
    thanks: dict[int, list[Thanks]] = {}
    for node in _nodes(data.get("recognitions")):
        recipient = (node.get("recipient") or {}).get("pk")
        if recipient is not None:
            thanks.setdefault(int(recipient), []).append(Thanks(
                (node.get("sender") or {}).get("fullName") or "Someone",
                (node.get("badge") or {}).get("name"), node.get("recognitionWebViewUrl")))
    meetings = sorted((Meeting.from_node(n) for n in _nodes(data.get("oneonones"))),
                      key=lambda m: m.start)
    items = [ActionItem.from_node(n) for n in _nodes(data.get("actionItems"))]
    reports = []
    for node in _nodes(people):
        profile = Profile.from_node(node)
        stale = []
        for objective in _nodes(node.get("ownedObjectives")):
            last = _moment((objective.get("lastCheckin") or {}).get("created"))
            if last is None or now - last >= STALE:
                stale.append(StaleObjective(objective.get("name") or "",
                                            objective.get("objectiveUrl"), last))
        reports.append(Report(
            profile=profile, recognized=tuple(thanks.get(profile.pk, ())), stale=tuple(stale),
            next_meeting=next((m for m in meetings
                               if m.open and m.other(me).pk == profile.pk), None),
            due=tuple(i for i in items if i.assignee_pk == profile.pk and i.due
                      and now <= i.due <= now + timedelta(days=7))))
    return TeamWeek(tuple(reports), int(people.get("totalCount") or len(reports)))


def _nodes(connection: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [e["node"] for e in ((connection or {}).get("edges") or []) if e and e.get("node")]
