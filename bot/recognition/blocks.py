"""What recognition looks like in Slack: the card, the notices, and the modal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.blocks import Reply, actions, context, section, url_button
from bot.geese.models import Badge
from bot.recognition.parse import MESSAGE_LIMIT

MODAL_ID = "recognize_modal"
SHORTCUT_ID = "recognize_message"
VIEW_BUTTON = "recognition_view"


def people(user_ids: Sequence[str]) -> str:
    names = [f"<@{u}>" for u in user_ids]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def quote(message: str) -> str:
    return "\n".join("> " + line if line else ">" for line in message.split("\n"))


def interim(recipients: Sequence[str]) -> Reply:
    return Reply(f"Recognizing {people(recipients)}...",
                 [context(f":hourglass_flowing_sand: Recognizing {people(recipients)}...")])


def card(sender: str, recipients: Sequence[str], badge: str | None, message: str,
         web_url: str | None) -> Reply:
    badge_line = f"*:medal: {badge}*\n" if badge else ""
    blocks: list[dict[str, Any]] = [
        section(f":tada: <@{sender}> recognized {people(recipients)}"),
        section(badge_line + quote(message)),
    ]
    if web_url:
        blocks.append(actions(url_button("View in 7Geese", web_url, VIEW_BUTTON, primary=False)))
    blocks.append(context("Sent from Slack with `/geese recognize`"))
    return Reply(f"{_plain_people(sender, recipients)}: {message}", blocks)


def _plain_people(sender: str, recipients: Sequence[str]) -> str:
    return f"<@{sender}> recognized {people(recipients)}"


def done(recipients: Sequence[str], badge: str | None, *, private: bool, late: bool) -> Reply:
    lead = "7Geese is back: your recognition" if late else "Done! Your recognition"
    for_badge = f" for *{badge}*" if badge else ""
    tail = " Only you and they were told." if private else ""
    text = f":white_check_mark: {lead} of {people(recipients)}{for_badge} is in 7Geese.{tail}"
    return Reply(text.replace(":white_check_mark: ", ""), [section(text)])


def saved(recipients: Sequence[str]) -> Reply:
    text = (f":inbox_tray: 7Geese isn't answering right now, so I saved your recognition of "
            f"{people(recipients)}. I'll post it as soon as 7Geese is back and let you know.")
    return Reply(text, [section(text)])


def waiting_for_link(recipients: Sequence[str], url: str) -> Reply:
    text = (f"To recognize {people(recipients)}, first link your 7Geese account. I've kept "
            "your message and will post it right after you link.")
    return Reply(text, [
        section(text),
        actions(url_button("Link my 7Geese account", url, "link_open")),
        context("The button works once and for 10 minutes. Only you can see this."),
    ])


def refused(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])


def not_shared(channel_id: str) -> Reply:
    text = (f"Your recognition is in 7Geese, but I couldn't share it in <#{channel_id}> because "
            "I'm not a member there. Invite me with `/invite @geese-bot` to share there next "
            "time.")
    return Reply(text, [section(text)])


# -- the modal -------------------------------------------------------------------------

def modal(*, badges: Sequence[Badge] | None, recipients: Sequence[str] = (),
          message: str = "", channel_id: str | None = None,
          metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": "recipients",
            "label": {"type": "plain_text", "text": "Who do you want to recognize?"},
            "element": {"type": "multi_users_select", "action_id": "users",
                        "placeholder": {"type": "plain_text", "text": "Pick people"},
                        **({"initial_users": list(recipients)} if recipients else {})},
        },
    ]
    if badges:
        blocks.append({
            "type": "input",
            "block_id": "badge",
            "optional": True,
            "label": {"type": "plain_text", "text": "Badge"},
            "element": {"type": "static_select", "action_id": "badge",
                        "placeholder": {"type": "plain_text", "text": "Pick a company value"},
                        "options": [{"text": {"type": "plain_text", "text": b.name[:75]},
                                     "value": str(b.pk)} for b in badges[:100]]},
        })
    elif badges is not None:
        pass  # the company has no active badges: nothing to pick
    else:
        blocks.append(context("I couldn't load the badges from 7Geese just now; you can "
                              "still send your recognition without one."))
    message_input: dict[str, Any] = {"type": "plain_text_input", "action_id": "text",
                                     "multiline": True, "max_length": MESSAGE_LIMIT}
    if message:
        message_input["initial_value"] = message[:MESSAGE_LIMIT]
    blocks.append({"type": "input", "block_id": "message",
                   "label": {"type": "plain_text", "text": "What did they do?"},
                   "element": message_input})
    share: dict[str, Any] = {"type": "conversations_select", "action_id": "channel",
                             "default_to_current_conversation": True,
                             "filter": {"include": ["public", "private"],
                                        "exclude_bot_users": True}}
    if channel_id and channel_id.startswith(("C", "G")):
        share["initial_conversation"] = channel_id
    blocks.append({"type": "input", "block_id": "channel", "optional": True,
                   "label": {"type": "plain_text", "text": "Share in channel"}, "element": share})
    blocks.append({"type": "input", "block_id": "visibility", "optional": True,
                   "label": {"type": "plain_text", "text": "Privacy"},
                   "element": {"type": "checkboxes", "action_id": "private", "options": [
                       {"text": {"type": "plain_text",
                                 "text": "Keep it private: only the people recognized are told"},
                        "value": "private"}]}})
    return {
        "type": "modal",
        "callback_id": MODAL_ID,
        "title": {"type": "plain_text", "text": "Recognize"},
        "submit": {"type": "plain_text", "text": "Recognize"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(metadata or {}, separators=(",", ":")),
        "blocks": blocks,
    }


def link_modal(url: str) -> dict[str, Any]:
    reply = waiting_for_link([], url)
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Recognize"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [section("To recognize someone in 7Geese, first link your 7Geese account. "
                           "Then open this again."), *reply.blocks[1:]],
    }
