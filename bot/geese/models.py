"""7Geese data the bot uses, parsed from GraphQL into frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Profile:
    pk: int
    name: str
    email: str
    timezone: str | None = None
    url: str | None = None  # the REST resource, used to relate objects
    profile_url: str | None = None  # the page a person opens

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> Profile:
        return cls(
            pk=int(node["pk"]),
            name=node.get("fullName") or "",
            email=((node.get("user") or {}).get("email") or "").lower(),
            timezone=node.get("timezone"),
            url=node.get("url"),
            profile_url=node.get("profileUrl"),
        )


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
