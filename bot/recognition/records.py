"""A recognition on its way to 7Geese, as the outbox keeps it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from storage import SlackIdentity

PENDING, INFLIGHT, DONE = "pending", "inflight", "done"


@dataclass
class Delivery:
    """One recipient's recognition. INFLIGHT means a POST was sent without a clear
    answer: before sending again, 7Geese is asked whether it landed."""

    state: str = PENDING
    attempted_at: float = 0.0
    web_url: str | None = None
    pk: int | None = None  # 7Geese's id for it, once given


@dataclass
class Pending:
    id: str
    sender: SlackIdentity
    created_at: float
    source: str  # command | modal | shortcut
    # From a command: the text as typed, parsed again once the badges are known.
    text: str | None = None
    # From the modal: already structured.
    recipients: tuple[str, ...] = ()
    message: str | None = None
    badge: str | None = None
    private: bool = False
    channel_id: str | None = None
    response_url: str | None = None
    response_uses: int = 0
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    attempts: int = 0
    told: list[str] = field(default_factory=list)  # notices already sent, to say each once

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sender"] = self.sender.key
        data["recipients"] = list(self.recipients)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pending:
        data = dict(data)
        data["sender"] = SlackIdentity.from_key(data["sender"])
        data["recipients"] = tuple(data.get("recipients") or ())
        data["deliveries"] = {k: Delivery(**v) for k, v in (data.get("deliveries") or {}).items()}
        return cls(**data)

    def peer(self, user_id: str) -> SlackIdentity:
        """Another Slack user of the sender's workspace."""
        return SlackIdentity(team_id=self.sender.team_id, user_id=user_id,
                             enterprise_id=self.sender.enterprise_id)
