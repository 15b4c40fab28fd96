"""An action item as Slack shows it, with Done (or Undo): in a 1-on-1's follow-up, in
`/geese todo` and on the Home tab. Action items belong to 1-on-1s in 7Geese, so their
look lives here and the to-do list (bot/todo/) builds on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.geese.actions import ActionItem
from bot.i18n import _
from bot.slack import blocks
from bot.slack.blocks import section, shown

DONE = "todo_done"
UNDO = "todo_undo"
ADD = "todo_add"


def due(moment: datetime | None) -> str:
    if moment is None:
        return _("no due date")
    return _("due {day}").format(day=blocks.date(int(moment.timestamp())))


def button(label: str, action_id: str, item: ActionItem, style: str | None = None) -> dict:
    return blocks.button(label, action_id, str(item.pk), style=style)


def item_block(item: ActionItem) -> dict[str, Any]:
    meeting = blocks.people([shown(n, 60) for n in item.with_names if n])
    where = _(" · from the 1-on-1 of {meeting}").format(meeting=meeting) if meeting else ""
    if item.completed:
        return {**section(_(":white_check_mark: ~{title}~{where}").format(
                            title=shown(item.title, 255), where=where)),
                "accessory": button(_("Undo"), UNDO, item)}
    return {**section(f"*{shown(item.title, 255)}*, {due(item.due)}{where}"),
            "accessory": button(_("Done"), DONE, item, "primary")}
