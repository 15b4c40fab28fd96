"""Private direct feedback in 7Geese (`giveSimpleDirectFeedback`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.geese import documents
from bot.geese.client import UserSession
from bot.geese.errors import Unavailable

# Who may read the feedback besides the person it is for: 7Geese's flags, in words.
VISIBILITY = {
    "directManagersCanView": "My manager",
    "indirectManagersCanView": "My manager's managers",
    "recipientsDirectManagersCanView": "Their manager",
    "recipientsIndirectManagersCanView": "Their manager's managers",
    "adminsCanView": "7Geese admins",
}


@dataclass(frozen=True)
class GivenFeedback:
    pk: int
    url: str | None


def give(session: UserSession, *, recipient_pk: int, subject: str, message: str,
         visible_to: frozenset[str] = frozenset()) -> GivenFeedback:
    flags = {flag: flag in visible_to for flag in VISIBILITY}
    data = session.graphql(documents.GIVE_FEEDBACK, {"feedback": {
        "recipient": recipient_pk, "subject": subject, "message": message, **flags}})
    node = (data.get("giveSimpleDirectFeedback") or {}).get("feedbackRequest")
    if not node:
        raise Unavailable("7Geese took the feedback but did not say so", sent=True)
    return GivenFeedback(int(node["pk"]), node.get("url"))
