"""A channel's recognition feed, as stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage import SlackIdentity
from storage.records import channel_key


@dataclass(frozen=True)
class Feed:
    team_id: str
    enterprise_id: str | None
    channel_id: str
    set_by: str  # Slack user id: the feed reads 7Geese with their token
    created_at: float
    since: float  # recognitions awarded from here on are still to be shown
    # A workspace admin who let it post where guests or another organisation read.
    allowed_by: str | None = None

    @property
    def id(self) -> str:
        # Starts like a Slack identity's key, so an uninstall finds it (bot/link/uninstall.py).
        return self.id_of(self.team_id, self.enterprise_id, self.channel_id)

    @staticmethod
    def id_of(team_id: str, enterprise_id: str | None, channel_id: str) -> str:
        return channel_key(team_id, enterprise_id, channel_id)

    @property
    def setter(self) -> SlackIdentity:
        return SlackIdentity(self.team_id, self.set_by, self.enterprise_id)

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
