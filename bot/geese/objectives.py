"""Objectives and check-ins in 7Geese (GraphQL: `ownedObjectives`, `createCheckin`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.geese import documents
from bot.geese.client import UserSession
from bot.geese.errors import Unavailable
from bot.geese.models import Objective


@dataclass(frozen=True)
class MyObjectives:
    objectives: tuple[Objective, ...]
    total: int  # 7Geese's count: more than shown when a person has over 50

    @property
    def oldest_checkin(self) -> float | None:
        """The oldest last check-in of an open public objective (0: one never had any);
        None when none is open. What a channel reminder's count needs to know, from what
        every member of the company can already see in 7Geese: a private objective never
        counts, or two channels differing by one member would tell on it."""
        public = [o for o in self.objectives if not o.private]
        if not public:
            return None
        return min(o.last_checkin.timestamp() if o.last_checkin else 0.0 for o in public)


def my_objectives(session: UserSession) -> MyObjectives:
    data = session.graphql(documents.MY_OBJECTIVES)
    owned = ((data.get("currentUser") or {}).get("ownedObjectives")) or {}
    edges = owned.get("edges") or []
    objectives = tuple(Objective.from_node(e["node"]) for e in edges if e and e.get("node"))
    return MyObjectives(objectives, int(owned.get("totalCount") or len(objectives)))


def objective(session: UserSession, pk: int) -> Objective | None:
    node = session.graphql(documents.OBJECTIVE, {"pk": pk}).get("objective")
    return Objective.from_node(node) if node else None


def check_in(session: UserSession, *, objective_pk: int, message: str | None,
             status: int | None, values: dict[int, float]) -> Objective:
    """Post a check-in; returns the objective as 7Geese now has it."""
    data = session.graphql(documents.CREATE_CHECKIN, {
        "objective": objective_pk,
        "message": message or None,
        "status": status,
        "keyResults": [{"pk": pk, "currentValue": value} for pk, value in values.items()],
    })
    node = (data.get("createCheckin") or {}).get("objective")
    if not node:
        raise Unavailable("7Geese took the check-in but did not return the objective", sent=True)
    return Objective.from_node(node)
