"""What feedback looks like in Slack: the form, the giver's answer, the recipient's note."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.feedback.parse import MESSAGE_LIMIT, SUBJECT_LIMIT
from bot.geese.feedback import VISIBILITY
from bot.i18n import N_, _
from bot.slack import limits as limit
from bot.slack.blocks import Reply, context, plain, section, shown

MODAL_ID = "feedback_modal"


# The same choices as the giver reads them back from the bot.
READERS = {
    "directManagersCanView": N_("your manager"),
    "indirectManagersCanView": N_("your manager's managers"),
    "recipientsDirectManagersCanView": N_("their manager"),
    "recipientsIndirectManagersCanView": N_("their manager's managers"),
    "adminsCanView": N_("7Geese admins"),
}


def visibility_words(visible_to: Sequence[str], recipient: str) -> str:
    readers = [recipient] + [_(READERS[f]) for f in VISIBILITY if f in visible_to]
    if len(readers) == 1:
        return _("only {reader} can read it").format(reader=readers[0])
    return _("{readers} and {last} can read it").format(readers=", ".join(readers[:-1]),
                                                       last=readers[-1])


def given(recipient_slack: str, visible_to: Sequence[str], told: bool) -> Reply:
    note = _(" I told them in Slack that feedback arrived, not what it says.") if told else ""
    text = (_(":white_check_mark: Your feedback for <@{recipient_slack}> is in 7Geese: "
              "{visible_to}.{note}").format(
              recipient_slack=recipient_slack,
              visible_to=visibility_words(visible_to, f"<@{recipient_slack}>"), note=note))
    return Reply(text.replace(":white_check_mark: ", ""), [section(text)])


def arrived(sender_slack: str, link: str | None) -> Reply:
    where = (_(" <{link}|Read it in 7Geese>.").format(link=link) if link
             else _(" Read it in 7Geese."))
    text = _(":envelope: <@{sender_slack}> gave you feedback in 7Geese.{where}").format(
             sender_slack=sender_slack, where=where)
    return Reply(_("<@{sender_slack}> gave you feedback in 7Geese").format(
                   sender_slack=sender_slack), [
        section(text), context(_("Feedback stays in 7Geese: only you, and whoever the giver "
                               "allowed, can read it."))])


def modal(*, recipient: str | None = None, metadata: dict[str, Any] | None = None) -> dict:
    chooser: dict[str, Any] = {"type": "users_select", "action_id": "user",
                               "placeholder": plain(_("Pick a person"), limit.PLACEHOLDER)}
    if recipient:
        chooser["initial_user"] = recipient
    return {
        "type": "modal", "callback_id": MODAL_ID,
        "title": plain(_("Give feedback"), limit.VIEW_TITLE),
        "submit": plain(_("Send"), limit.VIEW_TITLE),
        "close": plain(_("Cancel"), limit.VIEW_TITLE),
        "private_metadata": json.dumps(metadata or {}),
        "blocks": [
            {"type": "input", "block_id": "recipient", "label": plain(_("Feedback for"), 100),
             "element": chooser},
            {"type": "input", "block_id": "subject", "label": plain(_("Subject"), 100),
             "element": {"type": "plain_text_input", "action_id": "subject",
                         "max_length": SUBJECT_LIMIT}},
            {"type": "input", "block_id": "message", "label": plain(_("Your feedback"), 100),
             "element": {"type": "plain_text_input", "action_id": "message",
                         "multiline": True, "max_length": MESSAGE_LIMIT}},
            {"type": "input", "block_id": "visibility", "optional": True,
             "label": plain(_("Who else may read it?"), 100),
             "element": {"type": "checkboxes", "action_id": "visibility", "options": [
                 {"text": plain(_(words), limit.OPTION_TEXT), "value": flag}
                 for flag, words in VISIBILITY.items()]}},
            context(_("Only the person it is for reads it, unless you tick someone above. "
                    "In Slack they are told only that feedback arrived.")),
        ],
    }


def problem(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])


def what(args: dict[str, Any]) -> str:
    return _("your feedback for <@{recipient}> (“{subject}”)").format(
             recipient=args['recipient'], subject=shown(args['subject'], 80))
