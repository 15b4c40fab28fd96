"""What feedback looks like in Slack: the form, the giver's answer, the recipient's note."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.feedback.parse import MESSAGE_LIMIT, SUBJECT_LIMIT
from bot.geese.feedback import VISIBILITY
from bot.slack import limits as limit
from bot.slack.blocks import Reply, context, plain, section, shown

MODAL_ID = "feedback_modal"


# The same choices as the giver reads them back from the bot.
READERS = {
    "directManagersCanView": "your manager",
    "indirectManagersCanView": "your manager's managers",
    "recipientsDirectManagersCanView": "their manager",
    "recipientsIndirectManagersCanView": "their manager's managers",
    "adminsCanView": "7Geese admins",
}


def visibility_words(visible_to: Sequence[str], recipient: str) -> str:
    readers = [recipient] + [READERS[f] for f in VISIBILITY if f in visible_to]
    if len(readers) == 1:
        return f"only {readers[0]} can read it"
    return ", ".join(readers[:-1]) + f" and {readers[-1]} can read it"


def given(recipient_slack: str, visible_to: Sequence[str], told: bool) -> Reply:
    note = " I told them in Slack that feedback arrived, not what it says." if told else ""
    text = (f":white_check_mark: Your feedback for <@{recipient_slack}> is in 7Geese: "
            f"{visibility_words(visible_to, f'<@{recipient_slack}>')}.{note}")
    return Reply(text.replace(":white_check_mark: ", ""), [section(text)])


def arrived(sender_slack: str, link: str | None) -> Reply:
    where = f" <{link}|Read it in 7Geese>." if link else " Read it in 7Geese."
    text = f":envelope: <@{sender_slack}> gave you feedback in 7Geese.{where}"
    return Reply(f"<@{sender_slack}> gave you feedback in 7Geese", [
        section(text), context("Feedback stays in 7Geese: only you, and whoever the giver "
                               "allowed, can read it.")])


def modal(*, recipient: str | None = None, metadata: dict[str, Any] | None = None) -> dict:
    chooser: dict[str, Any] = {"type": "users_select", "action_id": "user",
                               "placeholder": plain("Pick a person", limit.PLACEHOLDER)}
    if recipient:
        chooser["initial_user"] = recipient
    return {
        "type": "modal", "callback_id": MODAL_ID,
        "title": plain("Give feedback", limit.VIEW_TITLE),
        "submit": plain("Send", limit.VIEW_TITLE),
        "close": plain("Cancel", limit.VIEW_TITLE),
        "private_metadata": json.dumps(metadata or {}),
        "blocks": [
            {"type": "input", "block_id": "recipient", "label": plain("Feedback for", 100),
             "element": chooser},
            {"type": "input", "block_id": "subject", "label": plain("Subject", 100),
             "element": {"type": "plain_text_input", "action_id": "subject",
                         "max_length": SUBJECT_LIMIT}},
            {"type": "input", "block_id": "message", "label": plain("Your feedback", 100),
             "element": {"type": "plain_text_input", "action_id": "message",
                         "multiline": True, "max_length": MESSAGE_LIMIT}},
            {"type": "input", "block_id": "visibility", "optional": True,
             "label": plain("Who else may read it?", 100),
             "element": {"type": "checkboxes", "action_id": "visibility", "options": [
                 {"text": plain(words, limit.OPTION_TEXT), "value": flag}
                 for flag, words in VISIBILITY.items()]}},
            context("Only the person it is for reads it, unless you tick someone above. "
                    "In Slack they are told only that feedback arrived."),
        ],
    }


def problem(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])


def what(args: dict[str, Any]) -> str:
    return f"your feedback for <@{args['recipient']}> (“{shown(args['subject'], 80)}”)"
