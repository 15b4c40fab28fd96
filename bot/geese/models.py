"""7Geese data the bot uses, parsed from GraphQL into frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Profile:
    pk: int
    name: str
    email: str
    timezone: str | None = None
    url: str | None = None  # the REST resource, used to relate objects
    profile_url: str | None = None  # the page a person opens
    company_pk: int | None = None  # the 7Geese network (company), when asked for
    company_name: str | None = None

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> Profile:
        network = node.get("network") or {}
        return cls(
            pk=int(node["pk"]),
            name=node.get("fullName") or "",
            # Only A-Z are folded: str.lower() folds look-alikes too (KELVIN SIGN is "k").
            email=ascii_lower((node.get("user") or {}).get("email") or ""),
            timezone=node.get("timezone"),
            url=node.get("url"),
            profile_url=node.get("profileUrl"),
            company_pk=int(network["pk"]) if network.get("pk") is not None else None,
            company_name=network.get("name") or None,
        )


ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Lower-case A-Z and nothing else: how two email addresses are compared."""
    return text.translate(ASCII_LOWER)


@dataclass(frozen=True)
class Badge:
    pk: int
    name: str
    url: str
    active: bool = True

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> Badge:
        return cls(pk=int(node["pk"]), name=node["name"], url=node.get("url") or "",
                   active=bool(node.get("active", True)))


@dataclass(frozen=True)
class GivenRecognition:
    """One recognition as 7Geese stored it (one per recipient)."""

    id: int
    web_url: str | None  # the page a person opens


@dataclass(frozen=True)
class AwardedRecognition:
    """A recognition as the company's feed shows it (one per recipient)."""

    pk: int
    sender: Profile | None
    recipient: Profile | None
    badge: str | None
    message: str
    awarded: datetime
    web_url: str | None

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> AwardedRecognition:
        sender, recipient = node.get("sender"), node.get("recipient")
        return cls(
            pk=int(node["pk"]),
            sender=Profile.from_node(sender) if sender and sender.get("pk") else None,
            recipient=Profile.from_node(recipient) if recipient and recipient.get("pk") else None,
            badge=(node.get("badge") or {}).get("name"),
            message=node.get("message") or "",
            awarded=_moment(node.get("awardedDate")) or datetime.fromtimestamp(0, UTC),
            web_url=node.get("recognitionWebViewUrl"),
        )


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass(frozen=True)
class KeyResult:
    pk: int
    name: str
    measurement_type: int  # see bot/objectives/values.py
    start: float
    target: float
    current: float
    progress: float  # percent

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> KeyResult:
        return cls(pk=int(node["pk"]), name=node.get("name") or "",
                   measurement_type=int(node.get("measurementType") or 3),
                   start=float(node.get("startingValue") or 0),
                   target=float(node.get("targetValue") or 0),
                   current=float(node.get("currentValue") or 0),
                   progress=float(node.get("progress") or 0))


@dataclass(frozen=True)
class Objective:
    pk: int
    name: str
    web_url: str | None
    due: datetime | None
    progress: float  # percent
    status: int | None  # 1 on track, 2 off track, None no status
    last_checkin: datetime | None
    key_results: tuple[KeyResult, ...]
    private: bool = False

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> Objective:
        edges = ((node.get("keyResults") or {}).get("edges")) or []
        return cls(
            pk=int(node["pk"]),
            name=node.get("name") or "",
            web_url=node.get("objectiveUrl"),
            due=_moment(node.get("dueDatetime")),
            progress=float(node.get("progress") or 0),
            status=node.get("overallAssessmentStatus"),
            last_checkin=_moment((node.get("lastCheckin") or {}).get("created")),
            key_results=tuple(KeyResult.from_node(e["node"]) for e in edges
                              if e and e.get("node")),
            private=bool(node.get("private")),
        )
