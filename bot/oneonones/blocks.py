"""What 1-on-1s look like in Slack. Times use Slack's date tokens, so every reader
sees them in their own timezone."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.geese import Profile, web
from bot.geese.oneonones import Meeting
from bot.i18n import N_, _, ngettext
from bot.oneonones import items as action_items
from bot.slack import limits as limit
from bot.slack.blocks import (
    Reply,
    button,
    clip,
    context,
    date_time,
    plain,
    section,
    sections,
    shown,
    text_size,
)

ADD_BUTTON = "oneonone_add"
MODAL_ID = "oneonone_add_modal"
SHORTCUT_ID = "oneonone_add_message"
USAGE = N_("`/geese 1on1`, `/geese 1on1 @person` or `/geese 1on1 add @person talking point`")
POINT_LIMIT = 1000  # what the modal and the command accept for one talking point
NAME = 80  # a person's name, as shown
POINT = 280  # a talking point, as shown in a list
SHOW_POINTS = 20


def when(start: datetime) -> str:
    return date_time(start)


def name(person: Profile) -> str:
    return shown(person.name, NAME) or _("someone")


def point_lines(meeting: Meeting) -> list[str]:
    return [f"{n}. {shown(p.content, POINT)}"
            for n, p in enumerate(meeting.talking_points[:SHOW_POINTS], 1)]


def agenda_blocks(head: str, meeting: Meeting, accessory: dict[str, Any],
                  web_url: str | None) -> list[dict[str, Any]]:
    """The head line and the talking points, over as many sections as they need, the
    first with `accessory`; past SHOW_POINTS, how many more there are in 7Geese."""
    if not meeting.talking_points:
        return [{**section(head + "\n" + _("_No talking points yet._")),
                 "accessory": accessory}]
    body, _shown = sections([head, *point_lines(meeting)], max_blocks=3,
                       more=lambda n: _("_and {n} more_").format(n=n))
    body[0] = {**body[0], "accessory": accessory}
    extra = len(meeting.talking_points) - SHOW_POINTS
    if extra > 0:
        where = f"<{web_url}|7Geese>" if web_url else "7Geese"
        body.append(context(ngettext("and {n} more talking point in {where}",
                                     "and {n} more talking points in {where}", extra).format(
                                         n=extra, where=where)))
    return body


def add_button(meeting: Meeting, other_slack_id: str | None) -> dict[str, Any]:
    return button(_("Add talking point"), ADD_BUTTON,
                  json.dumps({"meeting": meeting.pk, "user": other_slack_id}))


def upcoming_list(meetings: Sequence[Meeting], me_pk: int,
                  web_url: str | None = None) -> Reply:
    if not meetings:
        return Reply(_("You have no 1-on-1s in the next 30 days."), [section(
            _("You have no 1-on-1s in the next 30 days. Schedule one in 7Geese and it will "
            "show up here."))])
    lines = []
    for meeting in meetings:
        count = len(meeting.talking_points)
        lines.append(ngettext("• *{other}*, {start} ({n} talking point)",
                              "• *{other}*, {start} ({n} talking points)", count).format(
            other=name(meeting.other(me_pk)), start=when(meeting.start), n=count))
    where = f"<{web_url}|7Geese>" if web_url else "7Geese"
    blocks, _shown = sections([_("*Your upcoming 1-on-1s*"), *lines], max_blocks=4,
                         more=lambda n: _("and {n} more in {where}").format(n=n, where=where))
    blocks.append(context(_("`/geese 1on1 @person` shows one; "
                          "`/geese 1on1 add @person ...` adds a talking point.")))
    return Reply(_("Your upcoming 1-on-1s"), blocks)


def meeting_detail(meeting: Meeting, other: Profile, other_slack_id: str | None,
                   web_url: str | None = None) -> Reply:
    head = _("*Next 1-on-1 with {other}*: {start}").format(
             other=name(other), start=when(meeting.start))
    return Reply(_("Next 1-on-1 with {other}").format(other=name(other)),
                 agenda_blocks(head, meeting, add_button(meeting, other_slack_id), web_url))


def added(meeting: Meeting, other: Profile, content: str) -> Reply:
    count = len(meeting.talking_points)
    text = ngettext(":white_check_mark: Added to your 1-on-1 with *{other}* on {start}: "
                    "“{content}”. It has {n} talking point now.",
                    ":white_check_mark: Added to your 1-on-1 with *{other}* on {start}: "
                    "“{content}”. It has {n} talking points now.", count).format(
        other=name(other), start=when(meeting.start), content=shown(content, POINT), n=count)
    return Reply(text.replace(":white_check_mark: ", ""), [section(text)])


def no_meeting(other: Profile, web_url: str, *, adding: bool) -> Reply:
    head = _("You have no 1-on-1 with {other} in the next 30 days").format(other=name(other))
    tail = _(", so I couldn't add the talking point. Schedule one in 7Geese (<{web_url}|open "
             "7Geese>), then try again.").format(
             web_url=web_url) if adding else \
        _(". You can schedule one in 7Geese (<{web_url}|open 7Geese>).").format(web_url=web_url)
    return Reply(head + tail, [section(head + tail)])


def not_in_geese(slack_user_id: str) -> Reply:
    text = (_("I couldn't find <@{slack_user_id}> in 7Geese (no account with their Slack "
              "email), so there is no 1-on-1 to show.").format(
              slack_user_id=slack_user_id))
    return Reply(text, [section(text)])


def race(content: str) -> Reply:
    text = (_("7Geese didn't keep your talking point because the agenda was changed at the "
              "same time. Please try once more; here it is to copy: “{content}”").format(
              content=shown(content, 1200)))
    return Reply(text, [section(f":warning: {text}")])


def problem(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])


def nudge(meeting: Meeting, other: Profile, other_slack_id: str | None,
          web_url: str | None = None) -> Reply:
    head = (_(":spiral_calendar_pad: Your 1-on-1 with *{other}* is {start}.\n*Agenda*").format(
              other=name(other), start=when(meeting.start)))
    return Reply(_("Your 1-on-1 with {other} is coming up").format(other=name(other)), [
        *agenda_blocks(head, meeting, add_button(meeting, other_slack_id), web_url),
        context(_("`/geese nudges 1on1 off` stops these reminders."))])


def add_modal(*, person: str | None, text: str = "", meeting: int | None = None,
              problem_text: str | None = None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    if problem_text:
        blocks.append({**section(f":warning: {problem_text}"), "block_id": "problem"})
    chooser: dict[str, Any] = {"type": "users_select", "action_id": "user",
                               "placeholder": plain(_("Pick a person"), limit.PLACEHOLDER)}
    if person:
        chooser["initial_user"] = person
    text_input: dict[str, Any] = {"type": "plain_text_input", "action_id": "text",
                                  "multiline": True, "max_length": POINT_LIMIT}
    if text:
        text_input["initial_value"] = clip(text, POINT_LIMIT)
    blocks += [
        {"type": "input", "block_id": "person", "element": chooser,
         "label": {"type": "plain_text", "text": _("1-on-1 with")}},
        {"type": "input", "block_id": "point", "element": text_input,
         "label": {"type": "plain_text", "text": _("Talking point")}},
        context(_("It goes on the agenda of your next 1-on-1 with this person.")),
    ]
    return {"type": "modal", "callback_id": MODAL_ID,
            "title": plain(_("Add talking point"), limit.VIEW_TITLE),
            "submit": plain(_("Add"), limit.VIEW_TITLE),
            "close": plain(_("Cancel"), limit.VIEW_TITLE),
            "private_metadata": json.dumps({"meeting": meeting}), "blocks": blocks}


def message_modal(text: str) -> dict[str, Any]:
    return {"type": "modal", "title": plain(_("Add talking point"), limit.VIEW_TITLE),
            "close": plain(_("Close"), limit.VIEW_TITLE), "blocks": [section(text)]}


def loading_modal() -> dict[str, Any]:
    return message_modal(_(":hourglass_flowing_sand: Getting the form ready..."))


def meeting_page(web_url: str | None, meeting: Meeting) -> str | None:
    """Where the meeting's notes are in 7Geese's web app (bot/geese/web.py)."""
    return web.oneonone(web_url, meeting.pk) if web_url else None


def followup(meeting: Meeting, other: Profile, other_slack_id: str | None,
             items: Sequence[Any], web_url: str | None) -> Reply:
    """After the meeting: what was on the agenda, and the action items, with Done."""
    head = (_(":memo: Your 1-on-1 with *{other}* ({start}) is over. Here is where it left "
              "off.\n*Talking points*").format(
              other=name(other), start=when(meeting.start)))
    add_item = button(_("Add action item"), action_items.ADD,
                      json.dumps({"meeting": meeting.pk, "user": other_slack_id}))
    body = agenda_blocks(head, meeting, add_item, web_url)
    shown_items = []
    if items:
        body.append(section(_("*Action items*")))
        # Slack counts the text of all blocks together: items while they fit, keeping
        # room for the closing lines (a longer language takes more of it).
        for item in list(items)[:10]:
            block = action_items.item_block(item)
            if text_size([*body, block]) > limit.MESSAGE_BLOCKS_TEXT - 1000:
                break
            body.append(block)
            shown_items.append(item)
        if len(items) > len(shown_items):
            body.append(context(_("and {n} more in 7Geese").format(
                                  n=len(items) - len(shown_items))))
    if not items:
        body.append(context(_("No action items yet: *Add action item* records one.")))
    page = meeting_page(web_url, meeting)
    if page:
        body.append({"type": "actions", "elements": [{
            "type": "button", "action_id": "oneonone_notes", "url": page,
            "text": plain(_("Notes in 7Geese"), limit.BUTTON_TEXT)}]})
    body.append(context(_("`/geese nudges 1on1 off` stops these messages.")))
    return Reply(_("Your 1-on-1 with {other} is over: the follow-up").format(
        other=name(other)), body)


def invitation(meeting: Meeting, organizer: Profile, organizer_slack_id: str | None) -> Reply:
    """A 1-on-1 was set up for them: an invitation to add talking points."""
    text = (_(":spiral_calendar_pad: *{organizer}* set up a 1-on-1 with you, {start}. Add "
              "what you'd like to talk about, so it starts where it should.").format(
              organizer=name(organizer), start=when(meeting.start)))
    return Reply(_("{organizer} set up a 1-on-1 with you").format(organizer=name(organizer)), [
        {**section(text), "accessory": add_button(meeting, organizer_slack_id)},
        context(_("`/geese nudges 1on1 off` stops these messages."))])
