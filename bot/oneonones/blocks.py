"""What 1-on-1s look like in Slack. Times use Slack's date tokens, so every reader
sees them in their own timezone."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.blocks import Reply, context, section
from bot.geese import Profile
from bot.geese.oneonones import Meeting

ADD_BUTTON = "oneonone_add"
MODAL_ID = "oneonone_add_modal"
SHORTCUT_ID = "oneonone_add_message"
USAGE = "`/geese 1on1`, `/geese 1on1 @person` or `/geese 1on1 add @person talking point`"


def when(start: datetime) -> str:
    return f"<!date^{int(start.timestamp())}^{{date_short_pretty}} at {{time}}|soon>"


def points(meeting: Meeting) -> str:
    if not meeting.talking_points:
        return "_No talking points yet._"
    return "\n".join(f"{n}. {p.content}" for n, p in enumerate(meeting.talking_points, 1))


def add_button(meeting: Meeting, other_slack_id: str | None) -> dict[str, Any]:
    return {"type": "button", "action_id": ADD_BUTTON,
            "text": {"type": "plain_text", "text": "Add talking point"},
            "value": json.dumps({"meeting": meeting.pk, "user": other_slack_id})}


def upcoming_list(meetings: Sequence[Meeting], me_pk: int) -> Reply:
    if not meetings:
        return Reply("You have no 1-on-1s in the next 30 days.", [section(
            "You have no 1-on-1s in the next 30 days. Schedule one in 7Geese and it will "
            "show up here.")])
    lines = []
    for meeting in meetings[:40]:
        count = len(meeting.talking_points)
        lines.append(f"• *{meeting.other(me_pk).name}*, {when(meeting.start)} "
                     f"({count} talking point{'s' if count != 1 else ''})")
    more = len(meetings) - 40
    blocks = [section("*Your upcoming 1-on-1s*\n" + "\n".join(lines))]
    if more > 0:
        blocks.append(context(f"and {more} more in 7Geese"))
    blocks.append(context("`/geese 1on1 @person` shows one; "
                          "`/geese 1on1 add @person ...` adds a talking point."))
    return Reply("Your upcoming 1-on-1s", blocks)


def meeting_detail(meeting: Meeting, other: Profile, other_slack_id: str | None) -> Reply:
    text = f"*Next 1-on-1 with {other.name}*: {when(meeting.start)}\n{points(meeting)}"
    return Reply(f"Next 1-on-1 with {other.name}", [
        {**section(text), "accessory": add_button(meeting, other_slack_id)}])


def added(meeting: Meeting, other: Profile, content: str) -> Reply:
    count = len(meeting.talking_points)
    text = (f":white_check_mark: Added to your 1-on-1 with *{other.name}* on "
            f"{when(meeting.start)}: “{content}”. It has {count} talking "
            f"point{'s' if count != 1 else ''} now.")
    return Reply(text.replace(":white_check_mark: ", ""), [section(text)])


def no_meeting(other: Profile, web_url: str, *, adding: bool) -> Reply:
    head = f"You have no 1-on-1 with {other.name} in the next 30 days"
    tail = ", so I couldn't add the talking point. Schedule one in 7Geese " \
        f"(<{web_url}|open 7Geese>), then try again." if adding else \
        f". You can schedule one in 7Geese (<{web_url}|open 7Geese>)."
    return Reply(head + tail, [section(head + tail)])


def not_in_geese(slack_user_id: str) -> Reply:
    text = (f"I couldn't find <@{slack_user_id}> in 7Geese (no account with their Slack "
            "email), so there is no 1-on-1 to show.")
    return Reply(text, [section(text)])


def race(content: str) -> Reply:
    text = ("7Geese didn't keep your talking point because the agenda was changed at the "
            f"same time. Please try once more; here it is to copy: “{content}”")
    return Reply(text, [section(f":warning: {text}")])


def problem(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])


def nudge(meeting: Meeting, other: Profile, other_slack_id: str | None) -> Reply:
    text = (f":spiral_calendar_pad: Your 1-on-1 with *{other.name}* is {when(meeting.start)}."
            f"\n*Agenda*\n{points(meeting)}")
    return Reply(f"Your 1-on-1 with {other.name} is coming up", [
        {**section(text), "accessory": add_button(meeting, other_slack_id)},
        context("`/geese nudges 1on1 off` stops these reminders.")])


def add_modal(*, person: str | None, text: str = "", meeting: int | None = None,
              problem_text: str | None = None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    if problem_text:
        blocks.append({**section(f":warning: {problem_text}"), "block_id": "problem"})
    chooser: dict[str, Any] = {"type": "users_select", "action_id": "user",
                               "placeholder": {"type": "plain_text", "text": "Pick a person"}}
    if person:
        chooser["initial_user"] = person
    text_input: dict[str, Any] = {"type": "plain_text_input", "action_id": "text",
                                  "multiline": True, "max_length": 1000}
    if text:
        text_input["initial_value"] = text[:1000]
    blocks += [
        {"type": "input", "block_id": "person", "element": chooser,
         "label": {"type": "plain_text", "text": "1-on-1 with"}},
        {"type": "input", "block_id": "point", "element": text_input,
         "label": {"type": "plain_text", "text": "Talking point"}},
        context("It goes on the agenda of your next 1-on-1 with this person."),
    ]
    return {"type": "modal", "callback_id": MODAL_ID,
            "title": {"type": "plain_text", "text": "Add talking point"},
            "submit": {"type": "plain_text", "text": "Add"},
            "close": {"type": "plain_text", "text": "Cancel"},
            "private_metadata": json.dumps({"meeting": meeting}), "blocks": blocks}


def message_modal(text: str) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": "Add talking point"},
            "close": {"type": "plain_text", "text": "Close"}, "blocks": [section(text)]}
