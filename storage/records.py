"""The records the stores keep. Frozen, typed, and free of Slack or HTTP types."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class SlackIdentity:
    """Who someone is in Slack. Enterprise and team are always part of the key,
    so two workspaces can never see each other's data."""

    team_id: str
    user_id: str
    enterprise_id: str | None = None

    @property
    def key(self) -> str:
        return f"{self.enterprise_id or '-'}:{self.team_id}:{self.user_id}"

    @classmethod
    def from_key(cls, key: str) -> SlackIdentity:
        enterprise, team, user = key.split(":")
        return cls(
            team_id=team, user_id=user, enterprise_id=None if enterprise == "-" else enterprise
        )


def channel_key(team_id: str, enterprise_id: str | None, channel_id: str) -> str:
    """A channel's key: it starts like a Slack identity's key, so an uninstall finds it."""
    return f"{enterprise_id or '-'}:{team_id}:{channel_id}"


class InChannel:
    """What one person set up in a channel (a feed, a digest): one per channel, keyed by
    it, acting as its setter. Dataclasses mix this in with these four fields."""

    team_id: str
    enterprise_id: str | None
    channel_id: str
    set_by: str

    @property
    def id(self) -> str:
        return channel_key(self.team_id, self.enterprise_id, self.channel_id)

    @staticmethod
    def id_of(team_id: str, enterprise_id: str | None, channel_id: str) -> str:
        return channel_key(team_id, enterprise_id, channel_id)

    @property
    def setter(self) -> SlackIdentity:
        return SlackIdentity(self.team_id, self.set_by, self.enterprise_id)


@dataclass(frozen=True)
class OAuthToken:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: int
    scope: str = ""
    token_type: str = "Bearer"

    def expires_within(self, seconds: float, now: float) -> bool:
        return self.expires_at - seconds <= now

    @classmethod
    def from_response(cls, data: dict[str, Any], now: float) -> OAuthToken:
        """From a token endpoint's JSON. A missing `expires_in` is treated as one
        hour, so a token without an expiry still gets refreshed one day."""
        expires_in = data.get("expires_in")
        try:
            lifetime = int(expires_in) if expires_in is not None else 3600
        except (TypeError, ValueError):
            lifetime = 3600
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=data.get("refresh_token"),
            expires_at=int(now) + lifetime,
            scope=str(data.get("scope") or ""),
            token_type=str(data.get("token_type") or "Bearer"),
        )


@dataclass(frozen=True)
class Link:
    """A Slack user's link to their 7Geese account."""

    identity: SlackIdentity
    token: OAuthToken
    profile_pk: int
    name: str
    email: str
    linked_at: int
    # A link whose refresh token 7Geese refused: kept (without tokens) so the
    # next command can say which account needs reconnecting.
    broken: bool = False
    # The 7Geese company (network) of the account; None for links made before it was kept.
    company_pk: int | None = None

    def with_token(self, token: OAuthToken) -> Link:
        return replace(self, token=token, broken=False)

    def as_broken(self) -> Link:
        return replace(
            self,
            broken=True,
            token=OAuthToken(access_token="", refresh_token=None, expires_at=0),
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["identity"] = self.identity.key
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        return cls(
            identity=SlackIdentity.from_key(data["identity"]),
            token=OAuthToken(**data["token"]),
            profile_pk=int(data["profile_pk"]),
            name=data["name"],
            email=data["email"],
            linked_at=int(data["linked_at"]),
            broken=bool(data.get("broken", False)),
            company_pk=int(data["company_pk"]) if data.get("company_pk") is not None else None,
        )
