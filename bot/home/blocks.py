"""The Home tab as Block Kit, from `HomeData`. Pure; kept within Slack's limits
(100 blocks, 3,000 characters a text): long lists end in "and N more in 7Geese"."""

from __future__ import annotations

import json
from typing import Any

from bot.home.data import HomeData
from bot.link.blocks import LINK_BUTTON
from bot.notify import blocks as notify_blocks
from bot.objectives.blocks import CHECKIN_BUTTON, key_result_lines, summary, title
from bot.oneonones.blocks import add_button, name, when
from bot.oneonones.items import item_block
from bot.oneonones.nudges import LEAD
from bot.slack import limits as limit
from bot.slack.blocks import actions, button, context, fit_lines, section, shown, url_button

SHOW_OBJECTIVES = 8
SHOW_MEETINGS = 5
SHOW_RECEIVED = 5
SHOW_ACTION_ITEMS = 5

UNLINK = "home_unlink"
RECOGNIZE = "home_recognize"
NUDGE_SETTINGS = "home_nudge_settings"
NUDGE_MODAL = "home_nudge_modal"
REACTION_TOGGLE = "home_reaction_offers"
TEAM_DIGEST_TOGGLE = "home_team_digest"
ONEONONE_TOGGLE = "home_oneonone_nudges"
PAUSE = "home_pause"
RESUME = "home_resume"


def _button(label: str, action_id: str, value: str = "", style: str | None = None) -> dict:
    return button(label, action_id, value, style=style)


def _more(count: int, web_url: str, what: str) -> dict[str, Any]:
    return context(f"and {count} more {what} in <{web_url}|7Geese>")


def home_view(data: HomeData, *, link_url: str | None, web_url: str) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "7Geese in Slack"}}]
    link = data.link
    if link is None:
        blocks += [
            section("geese-bot lets you recognize teammates, check in on objectives and "
                    "prepare 1-on-1s without leaving Slack, acting in 7Geese as you. Link "
                    "your 7Geese account once to start."),
            actions(url_button("Link my 7Geese account", link_url or web_url, LINK_BUTTON)),
            context("The button works once and for 10 minutes; reopen this tab for a new one."),
        ]
        return {"type": "home", "blocks": blocks}
    if link.broken:
        blocks += [section(f":warning: 7Geese no longer accepts your linked account "
                           f"({shown(link.email, 254)}). Reconnect to keep using geese-bot."),
                   actions(url_button("Reconnect 7Geese", link_url or web_url, LINK_BUTTON))]
    else:
        blocks += [section(f"Linked to 7Geese as *{shown(link.name, 80)}* "
                           f"({shown(link.email, 254)})."),
                   actions(url_button("Reconnect", link_url or web_url, LINK_BUTTON,
                                      primary=False),
                           _button("Unlink", UNLINK, style="danger"))]
    if data.problem:
        blocks.append(context(f":warning: {data.problem}"))

    if data.objectives is not None:
        blocks += [{"type": "divider"}, section("*Your open objectives*")]
        if not data.objectives:
            blocks.append(context("No open objectives. Add one in 7Geese and it shows here."))
        for objective in data.objectives[:SHOW_OBJECTIVES]:
            blocks.append({**section(f"*{title(objective)}*\n{summary(objective)}"),
                           "accessory": _button("Check in", CHECKIN_BUTTON, str(objective.pk))})
            blocks.append(context(key_result_lines(objective)))
        if data.objectives_total > SHOW_OBJECTIVES:
            blocks.append(_more(data.objectives_total - SHOW_OBJECTIVES, web_url, "objectives"))

    if data.meetings is not None:
        blocks += [{"type": "divider"}, section("*Your next 1-on-1s*")]
        if not data.meetings:
            blocks.append(context("No 1-on-1s in the next 30 days."))
        for meeting in data.meetings[:SHOW_MEETINGS]:
            other = meeting.other(link.profile_pk)
            count = len(meeting.talking_points)
            blocks.append({**section(f"*{name(other)}*, {when(meeting.start)}\n"
                                     f"{count} talking point{'s' if count != 1 else ''}"),
                           "accessory": add_button(meeting, None)})
        if len(data.meetings) > SHOW_MEETINGS:
            blocks.append(_more(len(data.meetings) - SHOW_MEETINGS, web_url, "1-on-1s"))

    if data.action_items is not None:
        blocks += [{"type": "divider"}, section("*Your open action items*")]
        if not data.action_items:
            blocks.append(context("Nothing open. `/geese todo add @person what to do` adds one "
                                  "to your next 1-on-1 with them."))
        blocks += [item_block(item) for item in data.action_items[:SHOW_ACTION_ITEMS]]
        if data.action_items_total > SHOW_ACTION_ITEMS:
            blocks.append(_more(data.action_items_total - SHOW_ACTION_ITEMS, web_url,
                                "action items"))

    if data.received is not None:
        blocks += [{"type": "divider"}, section("*Recognition you received lately*")]
        if not data.received:
            blocks.append(context("Nothing in the last 30 days yet."))
        for item in data.received[:SHOW_RECEIVED]:
            badge = f" for *{shown(item.badge, 75)}*" if item.badge else ""
            line = f"*{shown(item.sender, 80)}*{badge}: {shown(item.message, 600)}"
            if item.web_url:
                line += f"  <{item.web_url}|view>"
            blocks.append(context(line))
        blocks.append(actions(_button("Recognize someone", RECOGNIZE, style="primary")))

    blocks += [{"type": "divider"}, section("*What I'll do next for you*")]
    blocks.append(context(_next_lines(data)))

    blocks += [{"type": "divider"}, section("*Settings*")]
    nudge = data.nudge
    blocks.append({**section("*Daily objectives nudge*: " + (
        nudge.schedule.describe() if nudge else "off")),
        "accessory": _button("Change" if nudge else "Turn on", NUDGE_SETTINGS)})
    blocks.append({**section("*Reminder two hours before each 1-on-1*: " + (
        "on" if data.oneonone_nudges else "off")),
        "accessory": _button("Turn off" if data.oneonone_nudges else "Turn on",
                             ONEONONE_TOGGLE, "off" if data.oneonone_nudges else "on")})
    if data.is_manager or data.team_digest:
        digest = data.team_digest
        blocks.append({**section(
            "*Weekly team digest* by DM (your reports' recognition, stale objectives, next "
            "1-on-1s, action items due): " + (digest.describe() if digest else "off")),
            "accessory": _button("Turn off" if digest else "Turn on", TEAM_DIGEST_TOGGLE,
                                 "off" if digest else "on")})
    if data.reaction:
        blocks.append({**section(
            f"*Reaction offers*: react with :{data.reaction}: to someone's message and I'll "
            "offer to recognize them in 7Geese: " + ("on" if data.reaction_offers else "off")),
            "accessory": _button("Turn off" if data.reaction_offers else "Turn on",
                                 REACTION_TOGGLE, "off" if data.reaction_offers else "on")})
    if data.is_admin:
        blocks.append(context(
            "You're a workspace admin: `/geese admin reaction :emoji:|off` picks the reaction "
            "that offers a recognition" + (f" (now :{data.reaction}:)." if data.reaction
                                           else " (none yet).")))
    if data.notify is not None and data.notify_hours is not None:
        blocks.append(section("*7Geese notifications in Slack*\n"
                              + notify_blocks.settings_lines(data.notify, data.notify_hours)))
        blocks.append(notify_blocks.switches(data.notify))
    picker: dict[str, Any] = {"type": "datepicker", "action_id": PAUSE,
                              "placeholder": {"type": "plain_text", "text": "Pause until"}}
    if data.paused_until:
        picker["initial_date"] = data.paused_until.isoformat()
        pause_text = (f"*Nudges paused* until {data.paused_until:%a %b} "
                      f"{data.paused_until.day}: they come back that day.")
    else:
        pause_text = "*Pause all nudges* (away, on leave): pick the day they come back."
    blocks.append({**section(pause_text), "accessory": picker})
    if data.paused_until:
        blocks.append(actions(_button("Resume now", RESUME)))
    blocks.append(context(f"Times are in {data.tz}, your Slack timezone."))
    assert len(blocks) <= limit.VIEW_BLOCKS, "the Home view must stay within Slack's 100 blocks"
    return {"type": "home", "blocks": blocks}


def _next_lines(data: HomeData) -> str:
    lines = []
    paused = data.paused_until

    def during_pause(moment) -> bool:
        return paused is not None and moment.astimezone(data.nudge.schedule.zone if data.nudge
                                                        else data.now.tzinfo).date() < paused

    if data.nudge:
        upcoming = data.nudge.schedule.next_after(data.now)
        while during_pause(upcoming):
            upcoming = data.nudge.schedule.next_after(upcoming)
        lines.append(f"• Your objectives nudge: {when(upcoming)}")
    if data.oneonone_nudges and data.meetings:
        soon = next((m for m in data.meetings if m.start - LEAD > data.now
                     and not (paused and m.start.date() < paused)), None)
        if soon:
            lines.append(f"• A reminder before your 1-on-1 with "
                         f"{name(soon.other(data.link.profile_pk))}: {when(soon.start - LEAD)}")
    for reminder in data.reminders:
        lines.append(f"• Channel reminder in <#{reminder.channel_id}> "
                     f"({reminder.schedule.describe()}): "
                     f"{when(reminder.schedule.next_after(data.now))}")
    for feed in data.feeds:
        lines.append(f"• Recognition feed in <#{feed.channel_id}>: every public recognition, "
                     "as it happens")
    for digest in data.digests:
        lines.append(f"• Recognition digest in <#{digest.channel_id}> "
                     f"({digest.schedule.describe()}): "
                     f"{when(digest.schedule.next_after(data.now))}")
    if paused:
        lines.append(f"• Paused until {paused:%b} {paused.day}: personal and 1-on-1 nudges "
                     "are skipped before then.")
    if not lines:
        return "Nothing scheduled. Turn on a daily nudge below."
    text, _ = fit_lines(lines, more=lambda n: f"• and {n} more")
    return text


def nudge_modal(data: HomeData) -> dict[str, Any]:
    schedule = data.nudge.schedule if data.nudge else None
    initial_time = f"{schedule.hour:02d}:{schedule.minute:02d}" if schedule else "09:00"
    days = [{"text": {"type": "plain_text", "text": "Weekdays"}, "value": "weekdays"},
            {"text": {"type": "plain_text", "text": "Every day"}, "value": "daily"},
            {"text": {"type": "plain_text", "text": "Off"}, "value": "off"}]
    chosen = days[2] if schedule is None else (days[1] if schedule.days == "daily" else days[0])
    return {
        "type": "modal", "callback_id": NUDGE_MODAL,
        "title": {"type": "plain_text", "text": "Daily nudge"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({}),
        "blocks": [
            {"type": "input", "block_id": "time", "label": {"type": "plain_text",
                                                            "text": "Time"},
             "element": {"type": "timepicker", "action_id": "time",
                         "initial_time": initial_time}},
            {"type": "input", "block_id": "days", "label": {"type": "plain_text",
                                                            "text": "Days"},
             "element": {"type": "radio_buttons", "action_id": "days", "options": days,
                         "initial_option": chosen}},
            context(f"In {data.tz}, your Slack timezone."),
        ],
    }


