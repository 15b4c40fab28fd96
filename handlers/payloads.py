"""Reading what Slack sends: who is asking, which subcommand they typed, and what
they put in a modal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.help.blocks import plain_word
from bot.i18n import _
from bot.recognition.parse import plain_text
from bot.slack.blocks import clip, context
from storage.records import SlackIdentity

COMMAND = "/geese"


def identity_of(body: dict[str, Any]) -> SlackIdentity:
    """The Slack identity of whoever sent a command, action or event payload."""
    sender = sender_of(body)
    if sender is None:
        raise ValueError("payload names no user or team")
    return sender


def sender_of(body: dict[str, Any]) -> SlackIdentity | None:
    """Who sent a command, interaction or event, or None (an event's `user` may be an
    object: then it names no sender)."""
    event_user = (body.get("event") or {}).get("user")
    user = body.get("user_id") or (body.get("user") or {}).get("id") \
        or (event_user if isinstance(event_user, str) else None)
    team = body.get("team_id") or (body.get("team") or {}).get("id") \
        or (body.get("user") or {}).get("team_id")
    if not (user and team):
        return None
    enterprise = body.get("enterprise_id") or (body.get("enterprise") or {}).get("id")
    return SlackIdentity(team_id=team, user_id=user, enterprise_id=enterprise or None)


def first_word(text: str | None) -> str:
    words = (text or "").split(maxsplit=1)
    return plain_word(words[0]) if words else ""


def after_subcommand(body: dict[str, Any]) -> str:
    """What follows the subcommand: "@fox Demo: clear" in `/geese feedback @fox Demo: clear`."""
    parts = (body.get("text") or "").strip().split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def working(doing: str) -> dict[str, Any]:
    """The ack's "working on it" answer while the slow half runs (lazy listener)."""
    return {"text": f"{doing}...", "response_type": "ephemeral",
            "blocks": [context(_(":hourglass_flowing_sand: {doing}...").format(doing=doing))]}


def subcommand(*names: str) -> Callable[[dict[str, Any]], bool]:
    """A Bolt matcher: true when the command text starts with one of `names`.
    `words` lets the app swap in a matcher that reads the text once per request
    (bot/app.py), instead of once per registered listener."""
    wanted = frozenset(n.lower() for n in names)

    def matches(body: dict[str, Any]) -> bool:
        return first_word(body.get("text")) in wanted

    matches.words = wanted  # type: ignore[attr-defined]
    return matches


def view_input(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    """One input's state in a submitted modal; {} when Slack sent none for it."""
    values = (view.get("state") or {}).get("values") or {}
    found = (values.get(block_id) or {}).get(action_id)
    return found if isinstance(found, dict) else {}


def quoted_message(body: dict[str, Any], message: dict[str, Any], channel: str | None) -> str:
    """A message shortcut's message as text to start a form with: quoted, cut to 300
    characters, with a link back to it. Its Slack markup becomes plain words (a quoted
    @channel must not become a live one again), except people, named when it is sent."""
    text = clip(plain_text((message.get("text") or "").strip(), {}, keep_people=True), 300)
    quoted = "\n".join("> " + line for line in text.split("\n")) if text else ""
    domain = (body.get("team") or {}).get("domain")
    ts = message.get("ts") or ""
    link = (f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
            if domain and channel and ts else "")
    return "\n".join(part for part in (quoted, link) if part)
