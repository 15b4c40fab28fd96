"""GraphQL over the sandbox world, executed by graphql-core against schema.graphql."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    build_schema,
    execute_sync,
    parse,
    validate,
)

from sandbox.geese.seed import NETWORKS, Person, SeedBadge
from sandbox.geese.world import (
    Checkin,
    KeyResult,
    Objective,
    OneOnOne,
    Recognition,
    World,
    scope_allows,
)

# Which scope each root field needs; anything else needs `all`.
FIELD_SCOPES = {
    "currentUser": "userprofile:read",
    "profile": "userprofile:read",
    "profiles": "userprofile:read",
    "badges": "recognition:read",
    "recognitions": "recognition:read",
    "objective": "objective:read",
    "ownedObjectives": "objective:read",
    "createCheckin": "objective:write",
    "oneonones": "oneonone:read",
    "oneonone": "oneonone:read",
    "updateOneononeAgenda": "oneonone:write",
    "actionItems": "oneonone:read",
    "createOrUpdateActionItem": "oneonone:write",
    "giveSimpleDirectFeedback": "feedback:write",
    "declineFeedback": "feedback:write",
    "feedbackRequests": "feedback:read",
}


def schema_text() -> str:
    return resources.files("sandbox.geese").joinpath("schema.graphql").read_text()


@cache
def schema() -> GraphQLSchema:
    built = build_schema(schema_text())
    query = built.query_type
    query.fields["currentUser"].resolve = _current_user
    query.fields["profile"].resolve = _profile
    query.fields["profiles"].resolve = _profiles
    query.fields["badges"].resolve = _badges
    query.fields["recognitions"].resolve = _recognitions
    query.fields["objective"].resolve = _objective
    built.mutation_type.fields["createCheckin"].resolve = _create_checkin
    query.fields["oneonones"].resolve = _oneonones
    query.fields["oneonone"].resolve = _oneonone
    built.mutation_type.fields["updateOneononeAgenda"].resolve = _update_agenda
    query.fields["actionItems"].resolve = _action_items
    query.fields["actionItem"].resolve = _action_item
    built.mutation_type.fields["createOrUpdateActionItem"].resolve = _save_action_item
    built.mutation_type.fields["giveSimpleDirectFeedback"].resolve = _give_feedback
    built.mutation_type.fields["declineFeedback"].resolve = _decline_feedback
    query.fields["feedbackRequests"].resolve = _feedback_requests
    built.type_map["OneOnOneError"].resolve_type = lambda value, *_: value["__typename"]
    built.type_map["NotificationUnionNode"].resolve_type = \
        lambda value, *_: value["__typename"]
    return built


class Context:
    def __init__(self, world: World, base_url: str, user_pk: int, scope: str):
        self.world = world
        self.base_url = base_url.rstrip("/")
        self.user_pk = user_pk
        self.scope = scope

    def require(self, field: str) -> None:
        needed = FIELD_SCOPES.get(field, "all")
        if not scope_allows(self.scope, needed):
            raise PermissionError("You do not have permission to perform this action")


@lru_cache(maxsize=256)
def _checked(query: str) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    """Parse and validate once per document: the bot sends a handful, many times (a
    busy sandbox must not eat the CPU a benchmark is measuring)."""
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error,)
    return document, tuple(validate(schema(), document))


def execute(ctx: Context, query: str, variables: dict | None, operation: str | None) -> dict:
    document, errors = _checked(query)
    if document is None or errors:
        return {"data": None, "errors": [{"message": e.message, "path": e.path} for e in errors]}
    result = execute_sync(schema(), document, context_value=ctx, variable_values=variables,
                          operation_name=operation)
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [{"message": e.message, "path": e.path} for e in result.errors]
    return body


def _pk_of(value: str, kind: str) -> int | None:
    if value.isdigit():
        return int(value)
    try:
        named, _, pk = base64.b64decode(value).decode().partition(":")
    except ValueError:
        return None
    return int(pk) if named == kind and pk.isdigit() else None


def _node_id(kind: str, pk: int) -> str:
    return base64.b64encode(f"{kind}:{pk}".encode()).decode()


def profile_node(ctx: Context, person: Person) -> dict[str, Any]:
    world = ctx.world
    reports = [p for p in world.people.values() if p.manager_pk == person.pk]
    node: dict[str, Any] = {
        "id": _node_id("UserProfileNode", person.pk),
        "pk": person.pk,
        "url": f"{ctx.base_url}/api/v/2.0/userprofiles/{person.pk}/",
        "isManager": bool(reports),
        "isAdmin": person.manager_pk is None,
        "username": person.handle,
        "position": person.position,
        "timezone": person.timezone,
        "profileImageUrl": lambda info, size=None: None,
        "profileUrl": f"{ctx.base_url}/profile/{person.pk}/",
        "fullName": person.full_name,
        "firstName": person.first_name,
        "lastName": person.last_name,
        "activationState": "active",
        "reportsTo": lambda info: _maybe_profile(ctx, person.manager_pk),
        "network": {"id": _node_id("NetworkNode", NETWORKS[person.network][0]),
                    "pk": NETWORKS[person.network][0],
                    "url": f"{ctx.base_url}/api/v/2.0/networks/{NETWORKS[person.network][0]}/",
                    "name": NETWORKS[person.network][1]},
        "ownedObjectives": lambda info, closed=None, first=None, offset=None, **_: (
            _owned_objectives(ctx, person.pk, closed, first, offset)),
        "notifications": lambda info, open=None, first=None, **_: (
            _notifications(ctx, person.pk, open, first)),
    }
    node["user"] = {
        "id": _node_id("UserNode", person.pk),
        "pk": person.pk,
        "url": f"{ctx.base_url}/api/v/2.0/users/{person.pk}/",
        "firstName": person.first_name,
        "lastName": person.last_name,
        "email": person.email,
        "profile": node,
    }
    return node


def _maybe_profile(ctx: Context, pk: int | None) -> dict[str, Any] | None:
    person = ctx.world.person(pk) if pk is not None else None
    return profile_node(ctx, person) if person else None


def _current_user(_root, info) -> dict[str, Any] | None:
    ctx: Context = info.context
    ctx.require("currentUser")
    return _maybe_profile(ctx, ctx.user_pk)


def _profile(_root, info, pk: int) -> dict[str, Any] | None:
    ctx: Context = info.context
    ctx.require("profile")
    other, me = ctx.world.person(pk), ctx.world.person(ctx.user_pk)
    if other is None or other.network != me.network:
        return None  # another company's people are not visible
    return _maybe_profile(ctx, pk)


def connection(items: list, first: int | None, offset: int | None, node) -> dict[str, Any]:
    """A Relay connection over `items`, paged by first/offset as 7Geese's graphene does."""
    start = offset or 0
    chunk = items[start : start + first] if first is not None else items[start:]
    edges = [{"node": node(item), "cursor": _node_id("arrayconnection", start + i)}
             for i, item in enumerate(chunk)]
    return {
        "edges": edges,
        "totalCount": len(items),
        "pageInfo": {
            "hasNextPage": start + len(chunk) < len(items),
            "hasPreviousPage": start > 0,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def _profiles(_root, info, first=None, offset=None, user_Email=None, pk=None,
              search=None, reportsTo=None, **_ignored) -> dict[str, Any]:
    ctx: Context = info.context
    ctx.require("profiles")
    me = ctx.world.person(ctx.user_pk)
    people = sorted((p for p in ctx.world.people.values() if p.network == me.network),
                    key=lambda p: p.pk)
    if user_Email is not None:
        people = [p for p in people if p.email == user_Email]
    if pk is not None:
        people = [p for p in people if p.pk == int(pk)]
    if reportsTo is not None:  # a pk, or the relay id of a profile
        manager = _pk_of(str(reportsTo), "UserProfileNode")
        people = [p for p in people if p.manager_pk == manager]
    if search:
        needle = search.lower()
        people = [p for p in people if needle in p.full_name.lower() or needle in p.email]
    return connection(people, first, offset, lambda p: profile_node(ctx, p))


def badge_node(ctx: Context, badge: SeedBadge) -> dict[str, Any]:
    return {
        "pk": badge.pk,
        "id": _node_id("BadgeNode", badge.pk),
        "url": f"{ctx.base_url}/api/v/2.0/badges/{badge.pk}/",
        "name": badge.name,
        "active": badge.active,
        "image": lambda info, size=None: f"{ctx.base_url}/static/badges/{badge.pk}.png",
    }


def _badges(_root, info, first=None, offset=None, **_ignored) -> dict[str, Any]:
    ctx: Context = info.context
    ctx.require("badges")
    badges = sorted(ctx.world.badges.values(), key=lambda b: b.pk)
    return connection(badges, first, offset, lambda b: badge_node(ctx, b))


def recognition_node(ctx: Context, item: Recognition) -> dict[str, Any]:
    badge = ctx.world.badges.get(item.badge_pk) if item.badge_pk else None
    return {
        "pk": item.pk,
        "id": _node_id("BadgeRecipientNode", item.pk),
        "url": f"{ctx.base_url}/api/v/2.0/recognitions/{item.pk}/",
        "message": item.message,
        "parsedMessage": item.message,
        "awardedDate": item.created.isoformat(),
        "recognitionWebViewUrl": f"{ctx.base_url}/recognition/{item.pk}/",
        "sender": lambda info: _maybe_profile(ctx, item.sender_pk),
        "recipient": lambda info: _maybe_profile(ctx, item.recipient_pk),
        "badge": badge_node(ctx, badge) if badge else None,
    }


def _recognitions(_root, info, first=None, offset=None, recipientId=None, senderId=None,
                  awardedDate_Gte=None, awardedDate_Lte=None, badgeActive=None,
                  orderBy=None, **_ignored) -> dict[str, Any]:
    ctx: Context = info.context
    ctx.require("recognitions")
    # As in 7Geese, a person sees the recognitions of their own company only.
    network = ctx.world.person(ctx.user_pk).network
    items = [r for r in ctx.world.recognitions
             if (sender := ctx.world.person(r.sender_pk)) and sender.network == network]
    if recipientId is not None:
        items = [r for r in items if r.recipient_pk == recipientId]
    if senderId is not None:
        items = [r for r in items if r.sender_pk == senderId]
    if awardedDate_Gte:
        since = datetime.fromisoformat(awardedDate_Gte.replace("Z", "+00:00"))
        items = [r for r in items if r.created >= _aware(since)]
    if awardedDate_Lte:
        until = datetime.fromisoformat(awardedDate_Lte.replace("Z", "+00:00"))
        items = [r for r in items if r.created <= _aware(until)]
    if badgeActive is not None:
        items = [r for r in items if bool(r.badge_pk and ctx.world.badges[r.badge_pk].active)
                 == badgeActive]
    newest_first = (orderBy or "-awarded_date").startswith("-")
    items.sort(key=lambda r: (r.created, r.pk), reverse=newest_first)
    return connection(items, first, offset, lambda r: recognition_node(ctx, r))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _owned_objectives(ctx: Context, owner_pk: int, closed, first, offset) -> dict[str, Any]:
    ctx.require("ownedObjectives")
    items = [o for o in sorted(ctx.world.objectives.values(), key=lambda o: o.due)
             if o.owner_pk == owner_pk and (closed is None or o.closed == closed)
             and (not o.private or owner_pk == ctx.user_pk)]
    return connection(items, first, offset, lambda o: objective_node(ctx, o))


def objective_node(ctx: Context, objective: Objective) -> dict[str, Any]:
    base = ctx.base_url
    return {
        "pk": objective.pk,
        "id": _node_id("ObjectiveNode", objective.pk),
        "url": f"{base}/api/v/2.0/objectives/{objective.pk}/",
        "name": objective.name,
        "description": "",
        "closed": objective.closed,
        "draft": False,
        "private": objective.private,
        "startDate": objective.start.isoformat(),
        "dueDatetime": objective.due.isoformat(),
        "keyResults": lambda info, first=None, offset=None, **_: connection(
            sorted(objective.key_results, key=lambda k: k.order), first, offset,
            lambda kr: key_result_node(ctx, kr)),
        "overallAssessmentStatus": objective.status,
        "objectiveType": objective.objective_type,
        "objectiveUrl": f"{base}/objectives/{objective.pk}/",
        "lastCheckin": (checkin_node(ctx, objective.last_checkin)
                        if objective.last_checkin else None),
        "progress": objective.progress,
    }


def key_result_node(ctx: Context, kr: KeyResult) -> dict[str, Any]:
    return {
        "pk": kr.pk, "id": _node_id("KeyResultNode", kr.pk),
        "url": f"{ctx.base_url}/api/v/2.0/keyresults/{kr.pk}/",
        "name": kr.name, "description": "", "weight": kr.weight,
        "startingValue": kr.start, "targetValue": kr.target, "currentValue": kr.current,
        "order": kr.order, "measurementType": kr.measurement_type,
        "canCheckin": True, "progress": kr.progress,
    }


def checkin_node(ctx: Context, checkin: Checkin) -> dict[str, Any]:
    return {
        "pk": checkin.pk, "id": _node_id("CheckinNode", checkin.pk),
        "url": f"{ctx.base_url}/api/v/2.0/objectivecheckins/{checkin.pk}/",
        "objective": lambda info: objective_node(ctx, ctx.world.objectives[checkin.objective_pk]),
        "message": checkin.message, "created": checkin.created.isoformat(),
        "status": checkin.status, "user": lambda info: _maybe_profile(ctx, checkin.user_pk),
    }


def _objective(_root, info, pk: int) -> dict[str, Any] | None:
    ctx: Context = info.context
    ctx.require("objective")
    objective = ctx.world.objectives.get(pk)
    if objective is None or (objective.private and objective.owner_pk != ctx.user_pk):
        return None
    return objective_node(ctx, objective)


def _create_checkin(_root, info, objectivePk: int, message=None, assessmentStatus=None,
                    closeObjective=None, keyResults=None) -> dict[str, Any]:
    ctx: Context = info.context
    ctx.require("createCheckin")
    values = [(int(kr["pk"]), float(kr["currentValue"])) for kr in keyResults or []]
    try:
        checkin = ctx.world.check_in(ctx.user_pk, objectivePk, message=message,
                                     status=assessmentStatus, close=bool(closeObjective),
                                     values=values)
    except ValueError as exc:
        raise GraphQLError(str(exc)) from None
    return {"checkin": checkin_node(ctx, checkin),
            "objective": objective_node(ctx, ctx.world.objectives[objectivePk])}


def oneonone_node(ctx: Context, meeting: OneOnOne) -> dict[str, Any]:
    base = ctx.base_url
    questions = [{"pk": q.pk, "id": _node_id("OneOnOneQuestionNode", q.pk), "content": q.content,
                  "description": q.description, "created": q.created.isoformat(),
                  "modified": q.created.isoformat(),
                  "isEditable": True, "__typename": "OneOnOneQuestionNode",
                  "creator": (lambda info, pk=q.creator_pk: _maybe_profile(ctx, pk)),
                  "notes": (lambda info, first=None, offset=None, _q=q, **_: connection(
                      _q.notes, first, offset, lambda n: {
                          "content": n.content, "modified": n.modified.isoformat(),
                          "creator": _maybe_profile(ctx, n.creator_pk)}))}
                 for q in meeting.questions]
    return {
        "pk": meeting.pk, "id": _node_id("OneOnOneNode", meeting.pk),
        "url": f"{base}/api/v/2.0/oneonones/{meeting.pk}/",
        "name": "1-on-1",
        "deleted": meeting.deleted,
        "status": 1 if meeting.completed else 0,
        "completedDatetime": meeting.completed.isoformat() if meeting.completed else None,
        "startTime": meeting.start.isoformat(), "endTime": meeting.end.isoformat(),
        "created": (meeting.created or meeting.start - timedelta(days=30)).isoformat(),
        "facilitator": lambda info: _maybe_profile(ctx, meeting.facilitator_pk),
        "participant": lambda info: _maybe_profile(ctx, meeting.participant_pk),
        "rruleSequenceNumber": meeting.sequence if meeting.series else None,
        "rrule": {"pk": meeting.series, "id": _node_id("RecurrenceRuleNode", meeting.series),
                  "startDatetime": meeting.start.isoformat(), "duration": 30,
                  "timezone": "UTC", "frequency": 2} if meeting.series else None,
        "questionSet": {"pk": meeting.pk, "id": _node_id("OneOnOneQuestionSetNode", meeting.pk),
                        "name": "Agenda",
                        "questions": lambda info, first=None, offset=None, **_: connection(
                            questions, first, offset, lambda q: q)},
    }


def _visible_meetings(ctx: Context) -> list[OneOnOne]:
    return [m for m in ctx.world.oneonones.values() if m.involves(ctx.user_pk)]


def _oneonones(_root, info, first=None, offset=None, participants=None, facilitator=None,
               participant=None, status=None, startTime_Gte=None, startTime_Lte=None,
               orderBy=None, **_ignored) -> dict[str, Any]:
    ctx: Context = info.context
    ctx.require("oneonones")
    items = _visible_meetings(ctx)
    if participants:
        items = [m for m in items if any(m.involves(p) for p in participants)]
    if facilitator is not None:
        items = [m for m in items if m.facilitator_pk == int(facilitator)]
    if participant is not None:
        items = [m for m in items if m.participant_pk == int(participant)]
    if status is not None:
        items = [m for m in items if (1 if m.completed else 0) == int(status)]
    if startTime_Gte:
        since = _aware(datetime.fromisoformat(startTime_Gte.replace("Z", "+00:00")))
        items = [m for m in items if m.start >= since]
    if startTime_Lte:
        until = _aware(datetime.fromisoformat(startTime_Lte.replace("Z", "+00:00")))
        items = [m for m in items if m.start <= until]
    items.sort(key=lambda m: (m.start, m.pk), reverse=(orderBy or "").startswith("-"))
    return connection(items, first, offset, lambda m: oneonone_node(ctx, m))


def _oneonone(_root, info, pk: int) -> dict[str, Any] | None:
    ctx: Context = info.context
    ctx.require("oneonone")
    meeting = ctx.world.oneonones.get(pk)
    return oneonone_node(ctx, meeting) if meeting and meeting.involves(ctx.user_pk) else None


def _update_agenda(_root, info, pk: int, agenda: dict) -> dict[str, Any]:
    ctx: Context = info.context
    ctx.require("updateOneononeAgenda")
    try:
        meeting = ctx.world.replace_agenda(ctx.user_pk, pk, agenda.get("questions") or [])
    except ValueError as exc:
        raise GraphQLError(str(exc)) from None
    return {"oneonone": oneonone_node(ctx, meeting), "errors": []}


# -- action items and direct feedback ----------------------------------------------------

def action_item_node(ctx: Context, item) -> dict[str, Any]:
    return {
        "id": _node_id("ActionItemNode", item.pk), "pk": item.pk,
        "created": item.created.isoformat(),
        "modified": (item.completed or item.created).isoformat(),
        "deleted": item.deleted, "title": item.title, "description": item.description,
        "dueDate": item.due.isoformat() if item.due else None,
        "completed": item.completed is not None,
        "completedDatetime": item.completed.isoformat() if item.completed else None,
        "creator": lambda info: _maybe_profile(ctx, item.creator_pk),
        "assignedTo": lambda info: _maybe_profile(ctx, item.assigned_pk),
        "completedBy": lambda info: _maybe_profile(ctx, item.completed_by),
        "createdInOneonone": lambda info: oneonone_node(
            ctx, ctx.world.oneonones[item.oneonone_pk]),
    }


def _visible_items(ctx: Context) -> list:
    world = ctx.world
    return [i for i in world.action_items.values() if not i.deleted
            and world.oneonones[i.oneonone_pk].involves(ctx.user_pk)]


def _action_items(_root, info, first=None, offset=None, assignedTo=None, completed=None,
                  oneonone=None, createdInOneonone=None, creator=None, participants=None,
                  orderBy=None, **_ignored) -> dict[str, Any]:
    ctx: Context = info.context
    ctx.require("actionItems")
    items = _visible_items(ctx)
    if assignedTo is not None:
        items = [i for i in items if i.assigned_pk == assignedTo]
    if completed is not None:
        items = [i for i in items if (i.completed is not None) == completed]
    if (oneonone or createdInOneonone) is not None:
        items = [i for i in items if i.oneonone_pk == (oneonone or createdInOneonone)]
    if creator is not None:
        items = [i for i in items if i.creator_pk == creator]
    if orderBy in ("due_date", "-due_date"):
        items.sort(key=lambda i: (i.due is None, i.due or i.created),
                   reverse=orderBy.startswith("-"))
    else:
        items.sort(key=lambda i: i.pk)
    return connection(items, first, offset, lambda i: action_item_node(ctx, i))


def _action_item(_root, info, pk: int) -> dict[str, Any] | None:
    ctx: Context = info.context
    ctx.require("actionItems")
    item = next((i for i in _visible_items(ctx) if i.pk == pk), None)
    return action_item_node(ctx, item) if item else None


def _save_action_item(_root, info, actionItem: dict, pk: int | None = None) -> dict[str, Any]:
    ctx: Context = info.context
    ctx.require("createOrUpdateActionItem")
    try:
        item = ctx.world.save_action_item(ctx.user_pk, pk, actionItem)
    except ValueError as exc:
        raise GraphQLError(str(exc)) from None
    return {"actionItem": action_item_node(ctx, item)}


def _notifications(ctx: Context, owner_pk: int, open_only: bool | None,
                   first: int | None) -> dict[str, Any] | None:
    if owner_pk != ctx.user_pk:
        return None  # a person's notifications are theirs alone
    items = [n for n in ctx.world.notifications if n.recipient_pk == owner_pk
             and (open_only is None or n.open == open_only)]
    items.sort(key=lambda n: (n.created, n.pk), reverse=True)  # newest first, as 7Geese
    return connection(items, first, None, lambda n: notification_node(ctx, n))


def notification_node(ctx: Context, note) -> dict[str, Any]:
    world, base = ctx.world, ctx.base_url
    node: dict[str, Any] = {
        "__typename": note.kind, "pk": note.pk, "id": _node_id(note.kind, note.pk),
        "url": f"{base}/api/v/2.0/notifications/{note.pk}/",
        "notificationType": note.kind.removesuffix("Node").removesuffix("NotificationNode"),
        "created": note.created.isoformat(), "message": note.message,
    }
    ref = note.ref
    if note.kind == "RecognitionReceivedNotificationNode":
        item = next((r for r in world.recognitions if r.pk == ref), None)
        node["recognition"] = recognition_node(ctx, item) if item else None
    elif note.kind in ("WaitingFeedbackRequestNotificationNodeV2",
                       "FeedbackRequestReminderNotificationNodeV2"):
        asked = world.feedback_requests.get(ref)
        node["feedbackRequest"] = _feedback_request_node(
            ctx, asked.pk, asked.title, asked.due, asked.created, asked.creator_pk,
            asked.recipient_pk) if asked else None
    elif note.kind == "DirectFeedbackReceivedNotificationNode":
        given = next((f for f in world.feedback if f.pk == ref), None)
        node["feedbackRequest"] = _feedback_request_node(
            ctx, given.pk, given.subject, None, given.created, given.giver_pk,
            given.recipient_pk) if given else None
    elif note.kind == "FeedbackSharedNotificationNode":
        node["feedbackResponse"] = {
            "pk": ref, "id": _node_id("FeedbackResponseNode", ref or 0),
            "url": f"{base}/api/v/2.0/feedback-responses/{ref}/",
            "creator": lambda info: _maybe_profile(ctx, ctx.user_pk),
            "created": note.created.isoformat()}
    elif note.kind == "CheckinReminderNotificationNode":
        objective = world.objectives.get(ref)
        node["objective"] = objective_node(ctx, objective) if objective else None
    elif note.kind in ("UpcomingOneOnOneNotificationNode", "UnscheduledOneOnOneNotificationNode"):
        meeting = world.oneonones.get(ref)
        node["oneonone"] = oneonone_node(ctx, meeting) if meeting else None
    elif note.kind == "UpdateProfileNotificationNode":
        node["user"] = _maybe_profile(ctx, note.recipient_pk)
        node["type"] = "update_profile"
    return node


def _feedback_request_node(ctx: Context, pk: int, title: str, due, created, creator_pk: int,
                           recipient_pk: int | None) -> dict[str, Any]:
    return {
        "pk": pk, "id": _node_id("FeedbackRequestV2Node", pk),
        "url": f"{ctx.base_url}/api/v/2.0/feedback-requests/{pk}/",
        "title": title, "description": "",
        "dueDatetime": due.isoformat() if due else None, "created": created.isoformat(),
        "creator": lambda info: _maybe_profile(ctx, creator_pk),
        "recipient": lambda info: _maybe_profile(ctx, recipient_pk),
    }


def _feedback_requests(_root, info, profileRelevance=None, sentDateGte=None, first=None,
                       offset=None, **_ignored) -> dict[str, Any]:
    """Feedback requests the caller may see: the ones they made (direct feedback they
    gave is one, already answered) and the ones made for them; `profileRelevance` picks
    from or for a profile, `sentDateGte` the recent ones."""
    ctx: Context = info.context
    ctx.require("feedbackRequests")
    world = ctx.world
    with world.lock:
        rows = [(f.pk, f.subject, None, f.created, f.giver_pk, f.recipient_pk)
                for f in world.feedback]
        rows += [(r.pk, r.title, r.due, r.created, r.creator_pk, r.recipient_pk)
                 for r in world.feedback_requests.values()]
    me = ctx.user_pk
    rows = [r for r in rows if me in (r[4], r[5])]
    if profileRelevance:
        who = profileRelevance.get("profile") or me
        rows = [r for r in rows
                if (profileRelevance.get("includeFromProfile") and r[4] == who)
                or (profileRelevance.get("includeForProfile") and r[5] == who)]
    if sentDateGte:
        since = _aware(datetime.fromisoformat(sentDateGte.replace("Z", "+00:00")))
        rows = [r for r in rows if r[3] >= since]
    rows.sort(key=lambda r: (r[3], r[0]))
    return connection(rows, first, offset, lambda r: _feedback_request_node(ctx, *r))


def _decline_feedback(_root, info, requestPk: int) -> dict[str, Any]:
    ctx: Context = info.context
    ctx.require("declineFeedback")
    try:
        asked = ctx.world.decline_feedback(ctx.user_pk, requestPk)
    except ValueError as exc:
        raise GraphQLError(str(exc)) from None
    return {"feedbackResponder": {
        "pk": asked.pk, "id": _node_id("FeedbackResponderNode", asked.pk),
        "url": f"{ctx.base_url}/api/v/2.0/feedback-responders/{asked.pk}/",
        "profile": lambda info: _maybe_profile(ctx, ctx.user_pk),
        "feedbackRequest": _feedback_request_node(ctx, asked.pk, asked.title, asked.due,
                                                  asked.created, asked.creator_pk,
                                                  asked.recipient_pk),
        "modified": datetime.fromtimestamp(ctx.world.clock(), UTC).isoformat()}}


def _give_feedback(_root, info, feedback: dict) -> dict[str, Any]:
    ctx: Context = info.context
    ctx.require("giveSimpleDirectFeedback")
    flags = ("adminsCanView", "directManagersCanView", "indirectManagersCanView",
             "recipientsDirectManagersCanView", "recipientsIndirectManagersCanView")
    try:
        given = ctx.world.give_feedback(ctx.user_pk, feedback["recipient"],
                                        feedback["subject"], feedback["message"],
                                        {f: bool(feedback.get(f)) for f in flags})
    except ValueError as exc:
        raise GraphQLError(str(exc)) from None
    return {"feedbackRequest": _feedback_request_node(
        ctx, given.pk, given.subject, None, given.created, given.giver_pk, given.recipient_pk)}
