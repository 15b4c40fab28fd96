"""A channel's recognition digest, as stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.work.schedule import Schedule
from storage.records import InChannel


@dataclass(frozen=True)
class Digest(InChannel):
    team_id: str
    enterprise_id: str | None
    channel_id: str
    schedule: Schedule
    period: str  # daily | weekly | monthly
    set_by: str  # Slack user id: the digest reads 7Geese with their token
    created_at: float
    allowed_by: str | None = None  # an admin who let it post where guests read

    def to_dict(self) -> dict[str, Any]:
        s = self.schedule
        return {"team_id": self.team_id, "enterprise_id": self.enterprise_id,
                "channel_id": self.channel_id, "period": self.period, "set_by": self.set_by,
                "created_at": self.created_at, "allowed_by": self.allowed_by,
                "schedule": {"hour": s.hour, "minute": s.minute, "days": s.days, "tz": s.tz}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Digest:
        s = data["schedule"]
        return cls(data["team_id"], data.get("enterprise_id"), data["channel_id"],
                   Schedule(int(s["hour"]), int(s["minute"]), s["days"], s["tz"]),
                   data["period"], data["set_by"], float(data["created_at"]),
                   data.get("allowed_by"))
