"""Recognition in 7Geese: the badge list, giving one, and finding one already given.

7Geese's GraphQL has no mutation to give recognition, so giving goes through REST v2.
The request body is a guess (API.md: inferred) and lives in `recognition_body` alone,
so a real tenant's answer is a one-line fix.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.geese import documents
from bot.geese.client import UserSession
from bot.geese.models import AwardedRecognition, Badge, GivenRecognition, Profile

RECOGNITIONS_PATH = "/api/v/2.0/recognitions/"


def recognition_body(recipient: Profile, badge: Badge | None, message: str) -> dict[str, Any]:
    return {"recipient": recipient.url, "badge": badge.url if badge else None,
            "message": message}


def list_badges(session: UserSession) -> list[Badge]:
    data = session.graphql(documents.BADGES)
    edges = ((data.get("badges") or {}).get("edges")) or []
    return [Badge.from_node(e["node"]) for e in edges if e and e.get("node")]


def give(session: UserSession, *, recipient: Profile, badge: Badge | None,
         message: str) -> GivenRecognition:
    created = session.rest("POST", RECOGNITIONS_PATH,
                           recognition_body(recipient, badge, message))
    return GivenRecognition(id=int(created.get("id") or 0),
                            web_url=created.get("recognition_url") or created.get("url"))


def find_given(session: UserSession, *, sender_pk: int, recipient_pk: int, since: float,
               message: str) -> GivenRecognition | None:
    """A recognition from sender to recipient with this message, given since `since`."""
    moment = datetime.fromtimestamp(since, UTC).isoformat()
    data = session.graphql(documents.RECOGNITIONS_GIVEN,
                           {"sender": sender_pk, "recipient": recipient_pk, "since": moment})
    for edge in ((data.get("recognitions") or {}).get("edges")) or []:
        node = (edge or {}).get("node") or {}
        if (node.get("message") or "").strip() == message.strip():
            return GivenRecognition(id=int(node.get("pk") or 0),
                                    web_url=node.get("recognitionWebViewUrl"))
    return None


def awarded_since(session: UserSession, since: datetime, *,
                  first: int = 50) -> list[AwardedRecognition]:
    """The company's recognitions awarded at or after `since`, oldest first (at most
    `first`: the caller asks again from the last one it saw)."""
    data = session.graphql(documents.RECOGNITION_FEED,
                           {"since": since.astimezone(UTC).isoformat(), "first": first})
    edges = ((data.get("recognitions") or {}).get("edges")) or []
    return [AwardedRecognition.from_node(e["node"]) for e in edges if e and e.get("node")]
