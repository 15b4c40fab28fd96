"""Reading what Slack sends: who is asking, which subcommand they typed, and what
they put in a modal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage.records import SlackIdentity

COMMAND = "/geese"


def identity_of(body: dict[str, Any]) -> SlackIdentity:
    """The Slack identity of whoever sent a command, action or event payload."""
    user = (
        body.get("user_id")
        or (body.get("user") or {}).get("id")
        or (body.get("event") or {}).get("user")
    )
    team = (
        body.get("team_id")
        or (body.get("team") or {}).get("id")
        or (body.get("user") or {}).get("team_id")
    )
    enterprise = body.get("enterprise_id") or (body.get("enterprise") or {}).get("id")
    if not user or not team:
        raise ValueError("payload names no user or team")
    return SlackIdentity(team_id=team, user_id=user, enterprise_id=enterprise or None)


def first_word(text: str | None) -> str:
    words = (text or "").split(maxsplit=1)
    return words[0].lower() if words else ""


def subcommand(*names: str) -> Callable[[dict[str, Any]], bool]:
    """A Bolt matcher: true when the command text starts with one of `names`."""
    wanted = {n.lower() for n in names}

    def matches(body: dict[str, Any]) -> bool:
        return first_word(body.get("text")) in wanted

    return matches


def view_input(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    """One input's state in a submitted modal; {} when Slack sent none for it."""
    values = (view.get("state") or {}).get("values") or {}
    found = (values.get(block_id) or {}).get(action_id)
    return found if isinstance(found, dict) else {}
