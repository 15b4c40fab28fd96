"""A channel's objective reminder, and a person's own nudge, as stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.work.schedule import Schedule
from storage import SlackIdentity


def _schedule(data: dict[str, Any]) -> Schedule:
    return Schedule(int(data["hour"]), int(data["minute"]), data["days"], data["tz"])


def _schedule_dict(schedule: Schedule) -> dict[str, Any]:
    return {"hour": schedule.hour, "minute": schedule.minute, "days": schedule.days,
            "tz": schedule.tz}


@dataclass(frozen=True)
class Reminder:
    """"Time to check in on your objectives", in a channel, at a time of day."""

    team_id: str
    enterprise_id: str | None
    channel_id: str
    schedule: Schedule
    set_by: str  # Slack user id
    created_at: float

    @property
    def id(self) -> str:
        return f"{self.enterprise_id or '-'}:{self.team_id}:{self.channel_id}:" \
               f"{self.schedule.hour:02d}{self.schedule.minute:02d}"

    @staticmethod
    def channel_prefix(team_id: str, enterprise_id: str | None, channel_id: str) -> str:
        return f"{enterprise_id or '-'}:{team_id}:{channel_id}:"

    @property
    def setter(self) -> SlackIdentity:
        return SlackIdentity(self.team_id, self.set_by, self.enterprise_id)

    def to_dict(self) -> dict[str, Any]:
        return {"team_id": self.team_id, "enterprise_id": self.enterprise_id,
                "channel_id": self.channel_id, "schedule": _schedule_dict(self.schedule),
                "set_by": self.set_by, "created_at": self.created_at}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reminder:
        return cls(data["team_id"], data.get("enterprise_id"), data["channel_id"],
                   _schedule(data["schedule"]), data["set_by"], float(data["created_at"]))


@dataclass(frozen=True)
class Nudge:
    """A person's own daily DM about their objectives."""

    identity: SlackIdentity
    schedule: Schedule
    created_at: float

    @property
    def id(self) -> str:
        return self.identity.key

    def to_dict(self) -> dict[str, Any]:
        return {"identity": self.identity.key, "schedule": _schedule_dict(self.schedule),
                "created_at": self.created_at}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Nudge:
        return cls(SlackIdentity.from_key(data["identity"]), _schedule(data["schedule"]),
                   float(data["created_at"]))
