"""What 7Geese's notifications look like in Slack: one DM for all that arrived
together, each with the action that fits; and the settings."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from bot.geese import web
from bot.geese.notifications import Notice, epoch
from bot.i18n import _
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
    date_time,
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


def _when(moment_epoch: float) -> str:
    return date_time(datetime.fromtimestamp(moment_epoch, UTC))


def digest(notices: Sequence[Notice], *, slack_id_of: Callable[[Any], str | None],
           web_url: str, me_pk: int) -> Reply:
    """`slack_id_of(profile)`: the person's Slack user id in this workspace, if any."""

    def who(profile) -> str:
        if profile is None:
            return _("Someone")
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
        blocks.append(context(_("and {extra} more in <{web_url}|7Geese>").format(
                                extra=extra, web_url=web_url)))
    blocks.append(context(_("From your 7Geese notifications. Choose which come to Slack on "
                          "my Home tab, or with `/geese notifications`.")))
    summary = lines[0] if len(notices) == 1 else _("{n} new from 7Geese").format(
                                                   n=len(notices))
    return Reply(clip(summary.replace("*", ""), 300), blocks)


def _one(notice: Notice, who, slack_id_of, web_url: str, me_pk: int):
    # 7Geese's own link when the notice has one; else a page from bot/geese/web.py.
    base = web_url
    kind, typename = notice.kind, notice.typename
    if kind == "recognition":
        badge = _(" for *:medal: {badge}*").format(badge=shown(notice.badge, BADGE)) \
            if notice.badge else ""
        text = _(":tada: {who} recognized you{badge}").format(who=who(notice.who), badge=badge)
        if notice.message:
            text += "\n" + quote(shown(notice.message, 1500))
        sender = slack_id_of(notice.who) if notice.who else None
        buttons = ([_button(_("Say thanks"), THANKS, sender)] if sender else []) + [
            url_button(_("View in 7Geese"), notice.web_url or web.recognitions(base), OPEN,
                       primary=False)]
        return text, buttons
    if kind == "feedback_request":
        about = notice.about
        asker = notice.who.pk if notice.who else None
        on = _(" about {who}").format(who=who(about)) \
            if about and about.pk not in (me_pk, asker) else ""
        due = _(", due {when}").format(when=_when(epoch(notice.due))) if notice.due else ""
        asked = (_(":speech_balloon: {who} reminds you they asked for your feedback{about}: "
                   "*{title}*{due}") if "Reminder" in typename else
                 _(":speech_balloon: {who} asked for your feedback{about}: *{title}*{due}"))
        text = asked.format(who=who(notice.who), about=on,
                            title=shown(notice.title or _("Feedback"), 200), due=due)
        answer = notice.web_url or web.feedback_request(base, notice.ref)
        buttons = [url_button(_("Answer in 7Geese"), answer, OPEN)]
        if notice.ref:
            buttons.append(_button(_("Decline"), DECLINE, str(notice.ref)))
        return text, buttons
    if kind == "feedback_received":
        if typename == "FeedbackSharedNotificationNode":
            text = _(":envelope: Feedback about you was shared with you in 7Geese.")
        else:
            text = _(":envelope: {who} gave you feedback in 7Geese.").format(who=who(notice.who))
        # The words stay in 7Geese: they can be sensitive.
        return text, [url_button(_("Read it in 7Geese"), web.feedback_received(base), OPEN,
                                 primary=False)]
    if kind == "checkin":
        text = _(":dart: Time to check in on *{value}*").format(
                 value=shown(notice.title or _("your objective"), 200))
        buttons = [_button(_("Check in"), CHECKIN_BUTTON, str(notice.ref))] if notice.ref else []
        if notice.web_url:
            buttons.append(url_button(_("View in 7Geese"), notice.web_url, OPEN, primary=False))
        return text, buttons or [url_button(_("Open 7Geese"), base, OPEN, primary=False)]
    if kind == "oneonone" and notice.meeting is not None:
        meeting = notice.meeting
        other = meeting.other(me_pk)
        page = notice.web_url or web.oneonone(base, meeting.pk)
        add = _button(_("Add talking point"), ADD_BUTTON,
                      json.dumps({"meeting": meeting.pk, "user": slack_id_of(other)}))
        if typename == "UnscheduledOneOnOneNotificationNode":
            return (_(":calendar: Your 1-on-1 with {other} needs a date.").format(
                      other=who(other)),
                    [add, url_button(_("Schedule in 7Geese"), page, OPEN, primary=False)])
        text = (_(":calendar: Your 1-on-1 with {other} is coming up: {timestamp}").format(
                  other=who(other), timestamp=_when(meeting.start.timestamp())))
        return text, [add, url_button(_("View in 7Geese"), page, OPEN, primary=False)]
    return _(":bell: 7Geese has something new for you."), [
        url_button(_("Open 7Geese"), base, OPEN, primary=False)]


def settings_lines(chosen: dict[str, bool], hours: Hours) -> str:
    lines = [f"• {_(words)}: *{_('on') if chosen.get(kind) else _('off')}*"
             for kind, (words, _default) in KINDS.items()]
    lines.append(_("Delivered between {value}, your time; what arrives outside waits until "
                   "then.").format(
                   value=hours.describe().replace("-", _(" and "))))
    return "\n".join(lines)


def switches(chosen: dict[str, bool]) -> dict[str, Any]:
    """One button per kind, each turning it the other way. An action_id must be unique
    within its block (Slack refuses the whole payload otherwise), so the kind is in it."""
    return actions(*[
        _button((_("Turn off {kind}") if chosen.get(kind) else _("Turn on {kind}")).format(
                  kind=_(SHORT[kind])),
                f"{TOGGLE}:{kind}", f"{kind}:{'off' if chosen.get(kind) else 'on'}")
        for kind in KINDS])


def settings(chosen: dict[str, bool], hours: Hours) -> Reply:
    return Reply(_("Your 7Geese notifications in Slack"), [
        section(_("*Your 7Geese notifications in Slack*\n") + settings_lines(chosen, hours)),
        switches(chosen),
        context(_("`/geese notifications hours 09:00-18:00` sets your hours.")),
    ])


def usage() -> Reply:
    text = (_("Try `/geese notifications` (what comes to Slack), `/geese notifications off "
            "recognition`, or `/geese notifications hours 08:00-19:00`. Kinds: ")
            + ", ".join(f"`{k}`" for k in KINDS) + ".")
    return Reply(text, [section(text)])


def declined() -> Reply:
    text = (_("Done: you declined that feedback request in 7Geese. Whoever asked can see "
            "that you declined."))
    return Reply(text, [section(text)])
