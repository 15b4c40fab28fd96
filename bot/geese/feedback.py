"""Private direct feedback in 7Geese (`giveSimpleDirectFeedback`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.geese import documents
from bot.geese.client import UserSession
from bot.geese.errors import Unavailable
from bot.i18n import N_, _

# Who may read the feedback besides the person it is for: 7Geese's flags, in words.
VISIBILITY = {
    "directManagersCanView": N_("My manager"),
    "indirectManagersCanView": N_("My manager's managers"),
    "recipientsDirectManagersCanView": N_("Their manager"),
    "recipientsIndirectManagersCanView": N_("Their manager's managers"),
    "adminsCanView": N_("7Geese admins"),
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
        raise Unavailable(_("7Geese took the feedback but did not say so"), sent=True)
    return GivenFeedback(int(node["pk"]), node.get("url"))


def given_since(session: UserSession, *, me_pk: int, recipient_pk: int, subject: str,
                since: datetime) -> GivenFeedback | None:
    """Feedback this person gave `recipient_pk` with this subject since `since`, if 7Geese
    has it. Inferred: direct feedback reads back as a feedback request made by the giver
    (`giveSimpleDirectFeedback` answers with one), its title the subject; one function to
    mend when a real tenant says otherwise."""
    data = session.graphql(documents.FEEDBACK_GIVEN, {
        "me": me_pk, "since": (since - timedelta(minutes=1)).isoformat()})
    edges = ((data.get("feedbackRequests") or {}).get("edges")) or []
    for node in (e.get("node") or {} for e in edges if e):
        if (node.get("creator") or {}).get("pk") == me_pk and \
                (node.get("recipient") or {}).get("pk") == recipient_pk and \
                (node.get("title") or "").strip() == subject.strip():
            return GivenFeedback(int(node["pk"]), node.get("url"))
    return None
