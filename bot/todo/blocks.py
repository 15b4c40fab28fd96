"""What action items look like in Slack: a list with Done (and Undo) on each."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.geese.actions import ActionItem
from bot.i18n import _
from bot.oneonones.items import DONE, button, due, item_block
from bot.slack import limits as limit
from bot.slack.blocks import Reply, context, plain, section, shown

ADD_MODAL = "todo_add_modal"
SHOW = 20


def item_list(items: Sequence[ActionItem], total: int, *, web_url: str,
              just_done: Sequence[ActionItem] = ()) -> Reply:
    if not items and not just_done:
        return Reply(_("No open action items."), [section(
            _("You have no open action items from your 1-on-1s. Add one with "
            "`/geese todo add @person what to do`."))])
    blocks = [section(_("*Your open action items ({total})*").format(total=total))]
    blocks += [item_block(i) for i in just_done]
    blocks += [item_block(i) for i in items[:SHOW]]
    if total > len(items[:SHOW]):
        blocks.append(context(_("and {total} more in <{web_url}|7Geese>").format(
                                total=total - len(items[:SHOW]), web_url=web_url)))
    blocks.append(context(_("`/geese todo add @person what to do due friday` adds one.")))
    return Reply(_("Your open action items ({total})").format(total=total), blocks)


def added(item: ActionItem, other: str, mine: bool) -> Reply:
    whose = _("for you") if mine else _("for {name}").format(name=shown(item.assignee, 80))
    text = (_(":white_check_mark: Added to your next 1-on-1 with *{other}*, {whose}: "
              "“{title}”, {due}.").format(
              other=shown(other, 80), whose=whose, title=shown(item.title, 255),
              due=due(item.due)))
    return Reply(text.replace(":white_check_mark: ", ""), [
        {**section(text), "accessory": button(_("Done"), DONE, item)}])


def add_modal(*, meeting: int, person: str | None) -> dict[str, Any]:
    return {
        "type": "modal", "callback_id": ADD_MODAL,
        "title": plain(_("Add action item"), limit.VIEW_TITLE),
        "submit": plain(_("Add"), limit.VIEW_TITLE),
        "close": plain(_("Cancel"), limit.VIEW_TITLE),
        "private_metadata": json.dumps({"meeting": meeting, "person": person}),
        "blocks": [
            {"type": "input", "block_id": "title", "label": plain(_("What is there to do?"), 100),
             "element": {"type": "plain_text_input", "action_id": "title",
                         "max_length": 255}},
            {"type": "input", "block_id": "due", "optional": True,
             "label": plain(_("Due"), 100),
             "element": {"type": "datepicker", "action_id": "due"}},
            {"type": "input", "block_id": "mine", "optional": True,
             "label": plain(_("Whose is it?"), 100),
             "element": {"type": "radio_buttons", "action_id": "mine",
                         "initial_option": {"text": plain(_("Mine"), 75), "value": "me"},
                         "options": [{"text": plain(_("Mine"), 75), "value": "me"},
                                     {"text": plain(_("The other person's"), 75),
                                      "value": "them"}]}},
        ],
    }
