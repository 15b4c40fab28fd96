"""What reminders and nudges look like in Slack."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.geese.models import Objective
from bot.i18n import _, format_number, ngettext
from bot.objectives.blocks import CHECKIN_BUTTON, objective_blocks
from bot.reminders.records import Reminder
from bot.slack import limits as limit
from bot.slack.blocks import Reply, actions, button, context, date_time, section, why_unreachable
from bot.work.schedule import Schedule


def checkin_button(label: str | None = None) -> dict:
    return button(label or _("Check in"), CHECKIN_BUTTON, style="primary")


def channel_reminder(stale: int | None, checked: int) -> Reply:
    lines = [_("*:alarm_clock: Time to check in on your objectives*")]
    if checked and stale is not None:
        lines.append(ngettext("{stale} of {checked} linked member has objectives with no "
                              "check-in in 7 days.",
                              "{stale} of {checked} linked members have objectives with no "
                              "check-in in 7 days.", checked).format(
            stale=format_number(stale), checked=format_number(checked)))
    blocks = [section("\n".join(lines)), actions(checkin_button()),
              context(_("Anyone can press *Check in*: it opens your own objectives. "
                      "Not linked yet? `/geese link`."))]
    return Reply(_("Time to check in on your objectives"), blocks)


def reminder_set(reminder: Reminder, notes: Sequence[str]) -> Reply:
    text = (_(":alarm_clock: <@{set_by}> set a daily objectives reminder here: {describe}. "
              "Turn it off with `/geese remind off`.").format(
              set_by=reminder.set_by, describe=reminder.schedule.describe()))
    blocks = [section(text)]
    if notes:
        blocks.append(context(" ".join(f":warning: {n}" for n in notes)))
    return Reply(text, blocks)


def reminders_list(reminders: Sequence[Reminder], next_runs: Sequence[datetime]) -> Reply:
    if not reminders:
        return Reply(_("No reminders in this channel."), [section(
            _("No objective reminders in this channel. Add one with "
            "`/geese remind objectives 09:30 weekdays`."))])
    lines = [_("• {describe}, set by <@{set_by}>; next {when}").format(
               describe=r.schedule.describe(), set_by=r.set_by, when=date_time(n))
             for r, n in zip(reminders, next_runs, strict=True)]
    return Reply(_("Reminders in this channel"), [
        section(_("*Objective reminders in this channel*\n") + "\n".join(lines)),
        context(_("`/geese remind off` removes them."))])


RESUME = "reminder_resume"


def reminder_stopped(reminder: Reminder, reason: str) -> Reply:
    text = (_("I stopped the daily objectives reminder in <#{channel_id}> ({describe}) "
              "because {reason}. Once that's sorted, *Resume* brings it back as it was.").format(
              channel_id=reminder.channel_id, describe=reminder.schedule.describe(),
              reason=why_unreachable(reason)))
    return Reply(text, [section(text), actions(
        button(_("Resume"), RESUME, reminder.id))])


def reminder_resumed(reminder: Reminder) -> Reply:
    text = (_("Resumed: <#{channel_id}> gets its objectives reminder again, {describe}.").format(
              channel_id=reminder.channel_id, describe=reminder.schedule.describe()))
    return Reply(text, [section(text)])


def nudge_set(schedule: Schedule, notes: Sequence[str]) -> Reply:
    text = (_("Your objectives nudge is on: {describe}. I'll skip days when you've already "
              "checked in on everything. `/geese nudges off` stops it.").format(
              describe=schedule.describe()))
    blocks = [section(text)]
    if notes:
        blocks.append(context(" ".join(f":warning: {n}" for n in notes)))
    return Reply(text, blocks)


def nudge(objectives: Sequence[Objective], total: int, web_url: str | None) -> Reply:
    return Reply(_("Time to check in on your objectives"), [
        section(_("*:wave: Time to check in on your objectives*")),
        *objective_blocks(objectives, total, budget=limit.MESSAGE_BLOCKS - 2, web_url=web_url),
        context(_("`/geese nudges off` stops these; `/geese nudges on 10:00` moves them."))])


def reconnect_nudge() -> Reply:
    text = (_("It's time for your objectives check-in, but 7Geese no longer accepts your "
            "linked account. Run `/geese link` to reconnect."))
    return Reply(text, [section(text)])
