"""The sandbox's REST v2: DRF-style lists ({count, next, previous, results} with
limit/offset), hyperlinked relations, and DRF-style validation errors."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask, jsonify, request

from sandbox.geese.seed import Person, SeedBadge
from sandbox.geese.world import Objective, Recognition, World, scope_allows

API = "/api/v/2.0"
MESSAGE_LIMIT = 2000
PROFILE_PATH = re.compile(rf"^{re.escape(API)}/userprofiles/(\d+)/$")
BADGE_PATH = re.compile(rf"^{re.escape(API)}/badges/(\d+)/$")


def base() -> str:
    return request.host_url.rstrip("/")


def profile_json(person: Person) -> dict[str, Any]:
    b = base()
    return {
        "id": person.pk,
        "url": f"{b}{API}/userprofiles/{person.pk}/",
        "user": {"id": person.pk, "url": f"{b}{API}/users/{person.pk}/",
                 "first_name": person.first_name, "last_name": person.last_name,
                 "email": person.email},
        "position": person.position,
        "timezone": person.timezone,
        "reports_to": f"{b}{API}/userprofiles/{person.manager_pk}/" if person.manager_pk else None,
    }


def badge_json(badge: SeedBadge) -> dict[str, Any]:
    return {"id": badge.pk, "url": f"{base()}{API}/badges/{badge.pk}/", "name": badge.name,
            "active": badge.active}


def recognition_json(world: World, item: Recognition) -> dict[str, Any]:
    b = base()
    return {
        "id": item.pk,
        "url": f"{b}{API}/recognitions/{item.pk}/",
        "recognition_url": f"{b}/recognition/{item.pk}/",
        "created": item.created.isoformat().replace("+00:00", "Z"),
        "message": item.message,
        "creator": profile_json(world.people[item.sender_pk]),
        "recipient": profile_json(world.people[item.recipient_pk]),
        "badge": f"{b}{API}/badges/{item.badge_pk}/" if item.badge_pk else None,
    }


def objective_json(objective: Objective) -> dict[str, Any]:
    b = base()
    return {
        "id": objective.pk,
        "url": f"{b}{API}/objectives/{objective.pk}/",
        "name": objective.name,
        "owner": f"{b}{API}/userprofiles/{objective.owner_pk}/",
        "closed": objective.closed,
        "private": objective.private,
        "objective_type": objective.objective_type,
        "start_date": objective.start.isoformat().replace("+00:00", "Z"),
        "due_datetime": objective.due.isoformat().replace("+00:00", "Z"),
        "progress": objective.progress,
        "overall_assessment_status": objective.status,
        "key_results": [{"id": kr.pk, "url": f"{b}{API}/keyresults/{kr.pk}/", "name": kr.name,
                         "measurement_type": kr.measurement_type,
                         "starting_value": kr.start, "target_value": kr.target,
                         "current_value": kr.current} for kr in objective.key_results],
    }


def page(items: list[Any]) -> dict[str, Any]:
    """A DRF LimitOffsetPagination page of `items` (already serialised)."""
    try:
        limit = max(1, min(100, int(request.args.get("limit", 20))))
        offset = max(0, int(request.args.get("offset", 0)))
    except ValueError:
        limit, offset = 20, 0

    def link(at: int) -> str:
        args = {**request.args.to_dict(), "limit": limit, "offset": at}
        return f"{base()}{request.path}?{urlencode(args)}"

    return {
        "count": len(items),
        "next": link(offset + limit) if offset + limit < len(items) else None,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
        "results": items[offset : offset + limit],
    }


def _linked_pk(value: Any, pattern: re.Pattern) -> int | None:
    if not isinstance(value, str):
        return None
    match = pattern.match(urlsplit(value).path)
    return int(match.group(1)) if match else None


def register(app: Flask, world: World, bearer) -> None:
    def authorized(scope: str):
        token, denied = bearer()
        if denied:
            return None, denied
        if not scope_allows(token.scope, scope):
            resp = jsonify(detail="You do not have permission to perform this action.")
            resp.status_code = 403
            return None, resp
        return token, None

    @app.get(f"{API}/userprofiles/me/")
    def me():
        token, denied = authorized("userprofile:read")
        if denied:
            return denied
        return jsonify(profile_json(world.person(token.user_pk)))

    @app.get(f"{API}/objectives/")
    def objectives():
        token, denied = authorized("objective:read")
        if denied:
            return denied
        network = world.person(token.user_pk).network
        items = [o for o in sorted(world.objectives.values(), key=lambda o: o.pk)
                 if (not o.private or o.owner_pk == token.user_pk)
                 and world.person(o.owner_pk).network == network]
        owner = request.args.get("owner")
        if owner is not None:
            items = [o for o in items if str(o.owner_pk) == owner]
        closed = request.args.get("closed")
        if closed is not None:
            items = [o for o in items if o.closed == (closed.lower() in ("true", "1"))]
        return jsonify(page([objective_json(o) for o in items]))

    @app.get(f"{API}/badges/")
    def badges():
        _, denied = authorized("recognition:read")
        if denied:
            return denied
        return jsonify(page([badge_json(b) for b in sorted(world.badges.values(),
                                                           key=lambda b: b.pk)]))

    @app.get(f"{API}/badges/<int:pk>/")
    def badge(pk: int):
        _, denied = authorized("recognition:read")
        if denied:
            return denied
        found = world.badges.get(pk)
        if found is None:
            return jsonify(detail="Not found."), 404
        return jsonify(badge_json(found))

    @app.get(f"{API}/recognitions/")
    def recognitions():
        _, denied = authorized("recognition:read")
        if denied:
            return denied
        items = sorted(world.recognitions, key=lambda r: r.pk, reverse=True)
        day = request.args.get("created__date")
        if day:
            try:
                wanted = date.fromisoformat(day)
            except ValueError:
                return jsonify(created__date=["Enter a valid date."]), 400
            items = [r for r in items if r.created.date() == wanted]
        return jsonify(page([recognition_json(world, r) for r in items]))

    @app.post(f"{API}/recognitions/")
    def create_recognition():
        token, denied = authorized("recognition:write")
        if denied:
            return denied
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify(non_field_errors=["Invalid data. Expected a dictionary."]), 400
        errors: dict[str, list[str]] = {}
        recipient_pk = None
        if "recipient" not in body:
            errors["recipient"] = ["This field is required."]
        else:
            recipient_pk = _linked_pk(body["recipient"], PROFILE_PATH)
            sender_network = world.person(token.user_pk).network
            if recipient_pk is None or recipient_pk not in world.people or \
                    world.people[recipient_pk].network != sender_network:
                errors["recipient"] = ["Invalid hyperlink - Object does not exist."]
        badge_pk = None
        if body.get("badge") is not None:
            badge_pk = _linked_pk(body["badge"], BADGE_PATH)
            found = world.badges.get(badge_pk) if badge_pk else None
            if found is None:
                errors["badge"] = ["Invalid hyperlink - Object does not exist."]
            elif not found.active:
                errors["badge"] = ["This badge is no longer available."]
        message = body.get("message")
        if not isinstance(message, str) or not message.strip():
            errors["message"] = ["This field may not be blank."]
        elif len(message) > MESSAGE_LIMIT:
            errors["message"] = [f"Ensure this field has no more than {MESSAGE_LIMIT} "
                                 "characters."]
        if not errors and recipient_pk == token.user_pk:
            errors["non_field_errors"] = ["You cannot recognize yourself."]
        if errors:
            return jsonify(errors), 400
        item = world.add_recognition(token.user_pk, recipient_pk, badge_pk, message)
        return jsonify(recognition_json(world, item)), 201
