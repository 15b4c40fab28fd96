"""What action items look like in Slack: a list with Done (and Undo) on each."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.geese.actions import ActionItem
from bot.oneonones.items import DONE, button, due, item_block
from bot.slack import limits as limit
from bot.slack.blocks import Reply, context, plain, section, shown

ADD_MODAL = "todo_add_modal"
SHOW = 20


def item_list(items: Sequence[ActionItem], total: int, *, web_url: str,
              just_done: Sequence[ActionItem] = ()) -> Reply:
    if not items and not just_done:
        return Reply("No open action items.", [section(
            "You have no open action items from your 1-on-1s. Add one with "
            "`/geese todo add @person what to do`.")])
    blocks = [section(f"*Your open action items ({total})*")]
    blocks += [item_block(i) for i in just_done]
    blocks += [item_block(i) for i in items[:SHOW]]
    if total > len(items[:SHOW]):
        blocks.append(context(f"and {total - len(items[:SHOW])} more in <{web_url}|7Geese>"))
    blocks.append(context("`/geese todo add @person what to do due friday` adds one."))
    return Reply(f"Your open action items ({total})", blocks)


def added(item: ActionItem, other: str, mine: bool) -> Reply:
    whose = "for you" if mine else f"for {shown(item.assignee, 80)}"
    text = (f":white_check_mark: Added to your next 1-on-1 with *{shown(other, 80)}*, {whose}:"
            f" “{shown(item.title, 255)}”, {due(item.due)}.")
    return Reply(text.replace(":white_check_mark: ", ""), [
        {**section(text), "accessory": button("Done", DONE, item)}])


def add_modal(*, meeting: int, person: str | None) -> dict[str, Any]:
    return {
        "type": "modal", "callback_id": ADD_MODAL,
        "title": plain("Add action item", limit.VIEW_TITLE),
        "submit": plain("Add", limit.VIEW_TITLE),
        "close": plain("Cancel", limit.VIEW_TITLE),
        "private_metadata": json.dumps({"meeting": meeting, "person": person}),
        "blocks": [
            {"type": "input", "block_id": "title", "label": plain("What is there to do?", 100),
             "element": {"type": "plain_text_input", "action_id": "title",
                         "max_length": 255}},
            {"type": "input", "block_id": "due", "optional": True,
             "label": plain("Due", 100),
             "element": {"type": "datepicker", "action_id": "due"}},
            {"type": "input", "block_id": "mine", "optional": True,
             "label": plain("Whose is it?", 100),
             "element": {"type": "radio_buttons", "action_id": "mine",
                         "initial_option": {"text": plain("Mine", 75), "value": "me"},
                         "options": [{"text": plain("Mine", 75), "value": "me"},
                                     {"text": plain("The other person's", 75),
                                      "value": "them"}]}},
        ],
    }
