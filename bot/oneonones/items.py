"""An action item as Slack shows it, with Done (or Undo): in a 1-on-1's follow-up, in
`/geese todo` and on the Home tab. Action items belong to 1-on-1s in 7Geese, so their
look lives here and the to-do list (bot/todo/) builds on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.geese.actions import ActionItem
from bot.slack import blocks
from bot.slack.blocks import section, shown

DONE = "todo_done"
UNDO = "todo_undo"
ADD = "todo_add"


def due(moment: datetime | None) -> str:
    if moment is None:
        return "no due date"
    return f"due <!date^{int(moment.timestamp())}^{{date_short_pretty}}|soon>"


def button(label: str, action_id: str, item: ActionItem, style: str | None = None) -> dict:
    return blocks.button(label, action_id, str(item.pk), style=style)


def item_block(item: ActionItem) -> dict[str, Any]:
    meeting = " and ".join(shown(n, 60) for n in item.with_names if n)
    where = f" · from the 1-on-1 of {meeting}" if meeting else ""
    if item.completed:
        return {**section(f":white_check_mark: ~{shown(item.title, 255)}~{where}"),
                "accessory": button("Undo", UNDO, item)}
    return {**section(f"*{shown(item.title, 255)}*, {due(item.due)}{where}"),
            "accessory": button("Done", DONE, item, "primary")}
