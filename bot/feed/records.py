"""A channel's recognition feed, as stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.records import InChannel


@dataclass(frozen=True)
class Feed(InChannel):
    team_id: str
    enterprise_id: str | None
    channel_id: str
    set_by: str  # Slack user id: the feed reads 7Geese with their token
    created_at: float
    since: float  # recognitions awarded from here on are still to be shown
    # A workspace admin who let it post where guests or another organisation read.
    allowed_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"team_id": self.team_id, "enterprise_id": self.enterprise_id,
                "channel_id": self.channel_id, "set_by": self.set_by,
                "created_at": self.created_at, "since": self.since,
                "allowed_by": self.allowed_by}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Feed:
        return cls(data["team_id"], data.get("enterprise_id"), data["channel_id"],
                   data["set_by"], float(data["created_at"]), float(data["since"]),
                   data.get("allowed_by"))
