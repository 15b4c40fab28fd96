"""Slack messages and views as terminal text, with their buttons numbered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.slack.world import Posted, SlackWorld

LABELS = {
    "message": "in #{channel}",
    "update": "updated in #{channel}",
    "ephemeral": "only you, in #{channel}",
    "response": "only you",
    "view": "modal",
    "home": "Home tab",
}


@dataclass
class Button:
    label: str
    action_id: str | None
    url: str | None
    value: str | None
    block_id: str | None
    source: Posted


def escape_like_slack(text: str, world: SlackWorld) -> str:
    """What Slack sends for a command declared with `should_escape`: @names, #channels
    and @here typed by a person become Slack's link tokens."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def user(match: re.Match) -> str:
        name = match.group(1)
        if name.lower() in ("here", "channel", "everyone"):
            return f"<!{name.lower()}>"
        found = world.user_by_name(name)
        return f"<@{found.id}|{found.name}>" if found else match.group(0)

    def channel(match: re.Match) -> str:
        found = next((c for c in world.channels.values()
                      if c.name == match.group(1) and not c.is_im), None)
        return f"<#{found.id}|{found.name}>" if found else match.group(0)

    text = re.sub(r"(?<![\w@])@([a-zA-Z][\w.-]*)", user, text)
    return re.sub(r"(?<![\w#])#([a-z0-9][\w-]*)", channel, text)


def mrkdwn(text: str, world: SlackWorld, reader_tz: str = "UTC") -> str:
    def user(match: re.Match) -> str:
        found = world.users.get(match.group(1))
        return "@" + (found.name if found else match.group(1))

    def date(match: re.Match) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), ZoneInfo(reader_tz))
        tokens = match.group(2)
        shown = moment.strftime("%a %b %d, %Y" if "date" in tokens else "")
        if "{time" in tokens:
            shown = (shown + " " + moment.strftime("%H:%M %Z")).strip()
        return shown

    def channel(match: re.Match) -> str:
        found = world.channels.get(match.group(1))
        return "#" + (found.name if found and not found.is_im else match.group(1))

    text = re.sub(r"<@(U[A-Z0-9]+)(?:\|[^>]*)?>", user, text)
    text = re.sub(r"<#(C[A-Z0-9]+)(?:\|[^>]*)?>", channel, text)
    text = re.sub(r"<!date\^(\d+)\^([^|>]*)(?:\|[^>]*)?>", date, text)
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    return re.sub(r"<(https?://[^>]+)>", r"\1", text)


def render(item: Posted, world: SlackWorld, reader_tz: str = "UTC",
           first_button: int = 1) -> tuple[list[str], list[Button]]:
    channel = world.channels.get(item.channel or "")
    where = LABELS.get(item.kind, item.kind).format(
        channel=(channel.name if channel and not channel.is_im else "DM") if channel else "?")
    if channel and channel.is_im and item.kind == "message":
        where = "DM from geese-bot"
    if item.kind == "response" and item.response_type == "in_channel" and channel:
        where = f"in #{channel.name}"
    if item.author:
        author = world.users.get(item.author)
        where = f"@{author.name if author else item.author}, in #{channel.name if channel else '?'}"
    lines = [f"── {where} ──"]
    buttons: list[Button] = []
    view = item.view or {}
    if view.get("title"):
        lines.append(f"[{view['title'].get('text', '')}]")
    for block in item.blocks or []:
        lines.extend(_block(block, world, reader_tz, buttons, first_button, item))
    if not item.blocks and item.text:
        lines.append(mrkdwn(item.text, world, reader_tz))
    if view.get("submit"):
        lines.append(f"  <{view['submit'].get('text', 'Submit')}>")
    return lines, buttons


def _block(block: dict[str, Any], world, tz, buttons, first, item) -> list[str]:
    kind = block.get("type")
    out: list[str] = []

    def add_button(element: dict[str, Any]) -> str:
        button = Button(element.get("text", {}).get("text", "?"), element.get("action_id"),
                        element.get("url"), element.get("value"), block.get("block_id"), item)
        buttons.append(button)
        return f"[{first + len(buttons) - 1}] {button.label}"

    if kind in ("section", "header"):
        text = (block.get("text") or {}).get("text", "")
        if text:
            out.append(mrkdwn(text, world, tz) if kind == "section" else text.upper())
        for f in block.get("fields") or []:
            out.append("  " + mrkdwn(f.get("text", ""), world, tz))
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == "button":
            out.append("  " + add_button(accessory))
    elif kind == "context":
        parts = [mrkdwn(e.get("text", ""), world, tz) for e in block.get("elements", [])
                 if e.get("text")]
        out.append("  (" + " ".join(parts) + ")")
    elif kind == "actions":
        out.append("  " + "   ".join(add_button(e) for e in block.get("elements", [])
                                   if e.get("type") == "button"))
    elif kind == "divider":
        out.append("  ----")
    elif kind == "input":
        out.append(f"  {block.get('label', {}).get('text', 'Input')}: ____")
    return out
