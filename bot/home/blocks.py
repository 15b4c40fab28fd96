"""The Home tab as Block Kit, from `HomeData`. Pure; kept within Slack's limits
(100 blocks, 3,000 characters a text): long lists end in "and N more in 7Geese"."""

from __future__ import annotations

import json
from typing import Any

from bot import i18n
from bot.home.data import HomeData
from bot.i18n import _, format_date, ngettext
from bot.link.blocks import LANGUAGE_PICK, LINK_BUTTON, language_choices
from bot.notify import blocks as notify_blocks
from bot.objectives.blocks import CHECKIN_BUTTON, key_result_lines, summary, title
from bot.oneonones.blocks import add_button, name, when
from bot.oneonones.items import item_block
from bot.oneonones.nudges import LEAD
from bot.slack import limits as limit
from bot.slack.blocks import actions, button, context, fit_lines, plain, section, shown, url_button

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


def _language_menu(chosen: str | None) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": label}, "value": value}
               for value, label in language_choices()]
    initial = next(o for o in options
                   if o["value"] == (chosen if chosen in i18n.LANGUAGES else "auto"))
    return {**section(_("*Language*: I speak {language} with you.").format(
        language=i18n.spoken_name(i18n.current()))),
        "accessory": {"type": "static_select", "action_id": LANGUAGE_PICK,
                      "options": options, "initial_option": initial}}


def _more(text: str, count: int, web_url: str) -> dict[str, Any]:
    """`text` says "and {n} more ... in <{url}|7Geese>" for one kind of thing."""
    return context(text.format(n=count, url=web_url))


def _on(on: bool) -> str:
    return _("on") if on else _("off")


def home_view(data: HomeData, *, link_url: str | None, web_url: str) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _("7Geese in Slack")}}]
    link = data.link
    if link is None:
        blocks += [
            section(_("geese-bot lets you recognize teammates, check in on objectives and "
                    "prepare 1-on-1s without leaving Slack, acting in 7Geese as you. Link "
                    "your 7Geese account once to start.")),
            actions(url_button(_("Link my 7Geese account"), link_url or web_url, LINK_BUTTON)),
            context(_("The button works once and for 10 minutes; reopen this tab for a new one.")),
        ]
        return {"type": "home", "blocks": blocks}
    if link.broken:
        blocks += [section(_(":warning: 7Geese no longer accepts your linked account "
                             "({email}). Reconnect to keep using geese-bot.").format(
                             email=shown(link.email, 254))),
                   actions(url_button(_("Reconnect 7Geese"), link_url or web_url, LINK_BUTTON))]
    else:
        blocks += [section(_("Linked to 7Geese as *{name}* ({email}).").format(
                             name=shown(link.name, 80), email=shown(link.email, 254))),
                   actions(url_button(_("Reconnect"), link_url or web_url, LINK_BUTTON,
                                      primary=False),
                           _button(_("Unlink"), UNLINK, style="danger"))]
    if data.problem:
        blocks.append(context(f":warning: {data.problem}"))

    if data.objectives is not None:
        blocks += [{"type": "divider"}, section(_("*Your open objectives*"))]
        if not data.objectives:
            blocks.append(context(_("No open objectives. Add one in 7Geese and it shows here.")))
        for objective in data.objectives[:SHOW_OBJECTIVES]:
            blocks.append({**section(f"*{title(objective)}*\n{summary(objective)}"),
                           "accessory": _button(_("Check in"), CHECKIN_BUTTON, str(objective.pk))})
            blocks.append(context(key_result_lines(objective)))
        if data.objectives_total > SHOW_OBJECTIVES:
            blocks.append(_more(_("and {n} more objectives in <{url}|7Geese>"),
                                data.objectives_total - SHOW_OBJECTIVES, web_url))

    if data.meetings is not None:
        blocks += [{"type": "divider"}, section(_("*Your next 1-on-1s*"))]
        if not data.meetings:
            blocks.append(context(_("No 1-on-1s in the next 30 days.")))
        for meeting in data.meetings[:SHOW_MEETINGS]:
            other = meeting.other(link.profile_pk)
            count = len(meeting.talking_points)
            blocks.append({**section("*{other}*, {start}\n{points}".format(
                other=name(other), start=when(meeting.start),
                points=ngettext("{n} talking point", "{n} talking points", count).format(
                    n=count))),
                           "accessory": add_button(meeting, None)})
        if len(data.meetings) > SHOW_MEETINGS:
            blocks.append(_more(_("and {n} more 1-on-1s in <{url}|7Geese>"),
                                len(data.meetings) - SHOW_MEETINGS, web_url))

    if data.action_items is not None:
        blocks += [{"type": "divider"}, section(_("*Your open action items*"))]
        if not data.action_items:
            blocks.append(context(_("Nothing open. `/geese todo add @person what to do` adds one "
                                  "to your next 1-on-1 with them.")))
        blocks += [item_block(item) for item in data.action_items[:SHOW_ACTION_ITEMS]]
        if data.action_items_total > SHOW_ACTION_ITEMS:
            blocks.append(_more(_("and {n} more action items in <{url}|7Geese>"),
                                data.action_items_total - SHOW_ACTION_ITEMS, web_url))

    if data.received is not None:
        blocks += [{"type": "divider"}, section(_("*Recognition you received lately*"))]
        if not data.received:
            blocks.append(context(_("Nothing in the last 30 days yet.")))
        for item in data.received[:SHOW_RECEIVED]:
            badge = _(" for *{badge}*").format(badge=shown(item.badge, 75)) if item.badge else ""
            line = f"*{shown(item.sender, 80)}*{badge}: {shown(item.message, 600)}"
            if item.web_url:
                line += "  <{url}|{view}>".format(url=item.web_url, view=_("view"))
            blocks.append(context(line))
        blocks.append(actions(_button(_("Recognize someone"), RECOGNIZE, style="primary")))

    blocks += [{"type": "divider"}, section(_("*What I'll do next for you*"))]
    blocks.append(context(_next_lines(data)))

    blocks += [{"type": "divider"}, section(_("*Settings*"))]
    nudge = data.nudge
    blocks.append({**section(_("*Daily objectives nudge*: ") + (
        nudge.schedule.describe() if nudge else _("off"))),
        "accessory": _button(_("Change") if nudge else _("Turn on"), NUDGE_SETTINGS)})
    blocks.append({**section(_("*Reminder two hours before each 1-on-1*: ") + (
        _on(data.oneonone_nudges))),
        "accessory": _button(_("Turn off") if data.oneonone_nudges else _("Turn on"),
                             ONEONONE_TOGGLE, "off" if data.oneonone_nudges else "on")})
    if data.is_manager or data.team_digest:
        digest = data.team_digest
        blocks.append({**section(
            _("*Weekly team digest* by DM (your reports' recognition, stale objectives, next "
            "1-on-1s, action items due): ") + (digest.describe() if digest else _("off"))),
            "accessory": _button(_("Turn off") if digest else _("Turn on"), TEAM_DIGEST_TOGGLE,
                                 "off" if digest else "on")})
    if data.reaction:
        blocks.append({**section(
            _("*Reaction offers*: react with :{reaction}: to someone's message and I'll "
              "offer to recognize them in 7Geese: ").format(
              reaction=data.reaction) + _on(data.reaction_offers)),
            "accessory": _button(_("Turn off") if data.reaction_offers else _("Turn on"),
                                 REACTION_TOGGLE, "off" if data.reaction_offers else "on")})
    if data.is_admin:
        blocks.append(context(
            _("You're a workspace admin: `/geese admin reaction :emoji:|off` picks the reaction "
            "that offers a recognition") + (_(" (now :{emoji}:).").format(emoji=data.reaction)
                                           if data.reaction else _(" (none yet)."))))
    if data.notify is not None and data.notify_hours is not None:
        blocks.append(section(_("*7Geese notifications in Slack*\n")
                              + notify_blocks.settings_lines(data.notify, data.notify_hours)))
        blocks.append(notify_blocks.switches(data.notify))
    picker: dict[str, Any] = {"type": "datepicker", "action_id": PAUSE,
                              "placeholder": plain(_("Pause until"), limit.PLACEHOLDER)}
    if data.paused_until:
        picker["initial_date"] = data.paused_until.isoformat()
        pause_text = _("*Nudges paused* until {day}: they come back that day.").format(
            day=format_date(data.paused_until, "day"))
    else:
        pause_text = _("*Pause all nudges* (away, on leave): pick the day they come back.")
    blocks.append({**section(pause_text), "accessory": picker})
    if data.paused_until:
        blocks.append(actions(_button(_("Resume now"), RESUME)))
    blocks.append(_language_menu(data.language_choice))
    blocks.append(context(_("Times are in {tz}, your Slack timezone.").format(tz=data.tz)))
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
        lines.append(_("• Your objectives nudge: {upcoming}").format(upcoming=when(upcoming)))
    if data.oneonone_nudges and data.meetings:
        soon = next((m for m in data.meetings if m.start - LEAD > data.now
                     and not (paused and m.start.date() < paused)), None)
        if soon:
            lines.append(_("• A reminder before your 1-on-1 with {other}: {when}").format(
                other=name(soon.other(data.link.profile_pk)), when=when(soon.start - LEAD)))
    for reminder in data.reminders:
        lines.append(_("• Channel reminder in <#{channel_id}> ({schedule}): {when}").format(
            channel_id=reminder.channel_id, schedule=reminder.schedule.describe(),
            when=when(reminder.schedule.next_after(data.now))))
    for feed in data.feeds:
        lines.append(_("• Recognition feed in <#{channel_id}>: every public recognition, as "
                       "it happens").format(
                       channel_id=feed.channel_id))
    for digest in data.digests:
        lines.append(_("• Recognition digest in <#{channel_id}> ({schedule}): {when}").format(
            channel_id=digest.channel_id, schedule=digest.schedule.describe(),
            when=when(digest.schedule.next_after(data.now))))
    if paused:
        lines.append(_("• Paused until {day}: personal and 1-on-1 nudges are skipped before "
                       "then.").format(day=format_date(paused, "short")))
    if not lines:
        return _("Nothing scheduled. Turn on a daily nudge below.")
    text, _count = fit_lines(lines, more=lambda n: _("• and {n} more").format(n=n))
    return text


def nudge_modal(data: HomeData) -> dict[str, Any]:
    schedule = data.nudge.schedule if data.nudge else None
    initial_time = f"{schedule.hour:02d}:{schedule.minute:02d}" if schedule else "09:00"
    days = [{"text": plain(_("Weekdays"), limit.OPTION_TEXT), "value": "weekdays"},
            {"text": plain(_("Every day"), limit.OPTION_TEXT), "value": "daily"},
            {"text": plain(_("Off"), limit.OPTION_TEXT), "value": "off"}]
    chosen = days[2] if schedule is None else (days[1] if schedule.days == "daily" else days[0])
    return {
        "type": "modal", "callback_id": NUDGE_MODAL,
        "title": plain(_("Daily nudge"), limit.VIEW_TITLE),
        "submit": plain(_("Save"), limit.VIEW_TITLE),
        "close": plain(_("Cancel"), limit.VIEW_TITLE),
        "private_metadata": json.dumps({}),
        "blocks": [
            {"type": "input", "block_id": "time", "label": {"type": "plain_text",
                                                            "text": _("Time")},
             "element": {"type": "timepicker", "action_id": "time",
                         "initial_time": initial_time}},
            {"type": "input", "block_id": "days", "label": {"type": "plain_text",
                                                            "text": _("Days")},
             "element": {"type": "radio_buttons", "action_id": "days", "options": days,
                         "initial_option": chosen}},
            context(_("In {tz}, your Slack timezone.").format(tz=data.tz)),
        ],
    }


