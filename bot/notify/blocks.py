"""What 7Geese's notifications look like in Slack: one DM for all that arrived
together, each with the action that fits; and the settings."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from bot.geese import web
from bot.geese.notifications import Notice, epoch
from bot.notify.settings import KINDS, SHORT, Hours
from bot.objectives.blocks import CHECKIN_BUTTON
from bot.oneonones.blocks import ADD_BUTTON
from bot.recognition.blocks import BADGE, quote
from bot.slack.blocks import (
    Reply,
    actions,
    button,
    clip,
    context,
    section,
    shown,
    url_button,
)

THANKS = "notify_thanks"
DECLINE = "notify_decline"
OPEN = "notify_open"  # every link button (Slack sends an action for those too)
TOGGLE = "notify_toggle"
# Every switch: `notify_toggle:<kind>` (and the bare id older messages still carry).
TOGGLES = re.compile(r"^notify_toggle(:[a-z_]+)?$")
SHOWN = 10  # notifications in one message; the rest are counted, with a link
NAME = 80


def _button(label: str, action_id: str, value: str) -> dict[str, Any]:
    return button(label, action_id, value)


def _when(moment_epoch: float, fallback: str) -> str:
    return f"<!date^{int(moment_epoch)}^{{date_short_pretty}} at {{time}}|{fallback}>"


def digest(notices: Sequence[Notice], *, slack_id_of: Callable[[Any], str | None],
           web_url: str, me_pk: int) -> Reply:
    """`slack_id_of(profile)`: the person's Slack user id in this workspace, if any."""

    def who(profile) -> str:
        if profile is None:
            return "Someone"
        found = slack_id_of(profile)
        return f"<@{found}>" if found else f"*{shown(profile.name or 'Someone', NAME)}*"

    blocks: list[dict[str, Any]] = []
    lines: list[str] = []
    for notice in notices[:SHOWN]:
        text, buttons = _one(notice, who, slack_id_of, web_url, me_pk)
        lines.append(text.split("\n")[0])
        blocks.append(section(text))
        blocks.append(actions(*buttons))
    extra = len(notices) - SHOWN
    if extra > 0:
        blocks.append(context(f"and {extra} more in <{web_url}|7Geese>"))
    blocks.append(context("From your 7Geese notifications. Choose which come to Slack on "
                          "my Home tab, or with `/geese notifications`."))
    summary = lines[0] if len(notices) == 1 else f"{len(notices)} new from 7Geese"
    return Reply(clip(summary.replace("*", ""), 300), blocks)


def _one(notice: Notice, who, slack_id_of, web_url: str, me_pk: int):
    # 7Geese's own link when the notice has one; else a page from bot/geese/web.py.
    base = web_url
    kind, typename = notice.kind, notice.typename
    if kind == "recognition":
        badge = f" for *:medal: {shown(notice.badge, BADGE)}*" if notice.badge else ""
        text = f":tada: {who(notice.who)} recognized you{badge}"
        if notice.message:
            text += "\n" + quote(shown(notice.message, 1500))
        sender = slack_id_of(notice.who) if notice.who else None
        buttons = ([_button("Say thanks", THANKS, sender)] if sender else []) + [
            url_button("View in 7Geese", notice.web_url or web.recognitions(base), OPEN,
                       primary=False)]
        return text, buttons
    if kind == "feedback_request":
        about = notice.about
        asker = notice.who.pk if notice.who else None
        on = f" about {who(about)}" if about and about.pk not in (me_pk, asker) else ""
        due = f", due {_when(epoch(notice.due), 'soon')}" if notice.due else ""
        lead = "reminds you they asked" if "Reminder" in typename else "asked"
        text = (f":speech_balloon: {who(notice.who)} {lead} for your feedback{on}: "
                f"*{shown(notice.title or 'Feedback', 200)}*{due}")
        answer = notice.web_url or web.feedback_request(base, notice.ref)
        buttons = [url_button("Answer in 7Geese", answer, OPEN)]
        if notice.ref:
            buttons.append(_button("Decline", DECLINE, str(notice.ref)))
        return text, buttons
    if kind == "feedback_received":
        if typename == "FeedbackSharedNotificationNode":
            text = ":envelope: Feedback about you was shared with you in 7Geese."
        else:
            text = f":envelope: {who(notice.who)} gave you feedback in 7Geese."
        # The words stay in 7Geese: they can be sensitive.
        return text, [url_button("Read it in 7Geese", web.feedback_received(base), OPEN,
                                 primary=False)]
    if kind == "checkin":
        text = f":dart: Time to check in on *{shown(notice.title or 'your objective', 200)}*"
        buttons = [_button("Check in", CHECKIN_BUTTON, str(notice.ref))] if notice.ref else []
        if notice.web_url:
            buttons.append(url_button("View in 7Geese", notice.web_url, OPEN, primary=False))
        return text, buttons or [url_button("Open 7Geese", base, OPEN, primary=False)]
    if kind == "oneonone" and notice.meeting is not None:
        meeting = notice.meeting
        other = meeting.other(me_pk)
        page = notice.web_url or web.oneonone(base, meeting.pk)
        add = _button("Add talking point", ADD_BUTTON,
                      json.dumps({"meeting": meeting.pk, "user": slack_id_of(other)}))
        if typename == "UnscheduledOneOnOneNotificationNode":
            return (f":calendar: Your 1-on-1 with {who(other)} needs a date.",
                    [add, url_button("Schedule in 7Geese", page, OPEN, primary=False)])
        text = (f":calendar: Your 1-on-1 with {who(other)} is coming up: "
                f"{_when(meeting.start.timestamp(), 'soon')}")
        return text, [add, url_button("View in 7Geese", page, OPEN, primary=False)]
    return ":bell: 7Geese has something new for you.", [
        url_button("Open 7Geese", base, OPEN, primary=False)]


def settings_lines(chosen: dict[str, bool], hours: Hours) -> str:
    lines = [f"• {words}: *{'on' if chosen.get(kind) else 'off'}*"
             for kind, (words, _default) in KINDS.items()]
    lines.append(f"Delivered between {hours.describe().replace('-', ' and ')}, your time; "
                 "what arrives outside waits until then.")
    return "\n".join(lines)


def switches(chosen: dict[str, bool]) -> dict[str, Any]:
    """One button per kind, each turning it the other way. An action_id must be unique
    within its block (Slack refuses the whole payload otherwise), so the kind is in it."""
    return actions(*[
        _button(f"Turn {'off' if chosen.get(kind) else 'on'} {SHORT[kind]}",
                f"{TOGGLE}:{kind}", f"{kind}:{'off' if chosen.get(kind) else 'on'}")
        for kind in KINDS])


def settings(chosen: dict[str, bool], hours: Hours) -> Reply:
    return Reply("Your 7Geese notifications in Slack", [
        section("*Your 7Geese notifications in Slack*\n" + settings_lines(chosen, hours)),
        switches(chosen),
        context("`/geese notifications hours 09:00-18:00` sets your hours."),
    ])


def usage() -> Reply:
    text = ("Try `/geese notifications` (what comes to Slack), `/geese notifications off "
            "recognition`, or `/geese notifications hours 08:00-19:00`. Kinds: "
            + ", ".join(f"`{k}`" for k in KINDS) + ".")
    return Reply(text, [section(text)])


def declined() -> Reply:
    text = ("Done: you declined that feedback request in 7Geese. Whoever asked can see "
            "that you declined.")
    return Reply(text, [section(text)])
