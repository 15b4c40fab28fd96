"""A person's 7Geese notifications (`currentUser.notifications`), and declining a
feedback request (`declineFeedback`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.geese import documents
from bot.geese.client import UserSession
from bot.geese.models import Profile, _moment
from bot.geese.oneonones import Meeting, open_meetings, window

# 7Geese's type names, by the kind a person turns on or off in Slack.
KINDS = {
    "RecognitionReceivedNotificationNode": "recognition",
    "WaitingFeedbackRequestNotificationNodeV2": "feedback_request",
    "FeedbackRequestReminderNotificationNodeV2": "feedback_request",
    "DirectFeedbackReceivedNotificationNode": "feedback_received",
    "FeedbackSharedNotificationNode": "feedback_received",
    "CheckinReminderNotificationNode": "checkin",
    "UpcomingOneOnOneNotificationNode": "oneonone",
    "UnscheduledOneOnOneNotificationNode": "oneonone",
}


@dataclass(frozen=True)
class Notice:
    """One notification, with what the bot shows of it. `pk` is None for a type the
    bot does not read (7Geese sent its type name alone)."""

    pk: int | None
    typename: str
    created: datetime | None
    who: Profile | None = None  # who recognized, asked, or gave feedback
    about: Profile | None = None  # whom a feedback request is about
    title: str | None = None  # an objective's name, a feedback request's title
    message: str | None = None
    badge: str | None = None
    due: datetime | None = None
    ref: int | None = None  # the recognition, feedback request, objective or 1-on-1
    web_url: str | None = None
    meeting: Meeting | None = None

    @property
    def kind(self) -> str:
        return KINDS.get(self.typename, "other")


def _profile(node: dict[str, Any] | None) -> Profile | None:
    return Profile.from_node(node) if node and node.get("pk") is not None else None


def notice_of(node: dict[str, Any]) -> Notice:
    typename = node.get("__typename") or ""
    pk = int(node["pk"]) if node.get("pk") is not None else None
    base = {"pk": pk, "typename": typename, "created": _moment(node.get("created"))}
    if recognition := node.get("recognition"):
        return Notice(**base, who=_profile(recognition.get("sender")),
                      message=recognition.get("message") or "",
                      badge=(recognition.get("badge") or {}).get("name"),
                      ref=recognition.get("pk"), web_url=recognition.get("recognitionWebViewUrl"))
    if asked := node.get("feedbackRequest"):
        return Notice(**base, who=_profile(asked.get("creator")),
                      about=_profile(asked.get("recipient")), title=asked.get("title"),
                      due=_moment(asked.get("dueDatetime")), ref=asked.get("pk"))
    if objective := node.get("objective"):
        return Notice(**base, title=objective.get("name"), ref=objective.get("pk"),
                      web_url=objective.get("objectiveUrl"))
    if meeting := node.get("oneonone"):
        found = Meeting.from_node(meeting)
        return Notice(**base, ref=found.pk, meeting=found)
    if response := node.get("feedbackResponse"):
        return Notice(**base, ref=response.get("pk"))
    return Notice(**base)


def open_notices(session: UserSession, *, first: int = 20) -> list[Notice]:
    return notices_of(session.graphql(documents.NOTIFICATIONS, {"first": first}))


def notices_of(data: dict[str, Any]) -> list[Notice]:
    """From an answer with `currentUser { notifications }`."""
    edges = (((data.get("currentUser") or {}).get("notifications") or {}).get("edges")) or []
    return [notice_of(e["node"]) for e in edges if e and e.get("node")]


def person_turn(session: UserSession, me_pk: int, *, now: datetime, days: float,
                first: int) -> tuple[list[Meeting], list[Notice]]:
    """A person's upcoming 1-on-1s and open notifications, in one request."""
    data = session.graphql(documents.PERSON_POLL, {**window(me_pk, now, days), "first": first})
    return open_meetings(data), notices_of(data)


def decline_feedback(session: UserSession, request_pk: int) -> None:
    session.graphql(documents.DECLINE_FEEDBACK, {"pk": request_pk})


def epoch(moment: datetime | None) -> float:
    return (moment or datetime.fromtimestamp(0, UTC)).timestamp()
