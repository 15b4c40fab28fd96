"""What reminders and nudges look like in Slack."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.geese.models import Objective
from bot.objectives.blocks import CHECKIN_BUTTON, objective_blocks
from bot.reminders.records import Reminder
from bot.slack import limits as limit
from bot.slack.blocks import Reply, actions, button, context, section, why_unreachable
from bot.work.schedule import Schedule


def checkin_button(label: str = "Check in") -> dict:
    return button(label, CHECKIN_BUTTON, style="primary")


def channel_reminder(stale: int | None, checked: int) -> Reply:
    lines = ["*:alarm_clock: Time to check in on your objectives*"]
    if checked and stale is not None:
        lines.append(f"{stale} of {checked} linked member{'s' if checked != 1 else ''} "
                     f"{'have' if checked != 1 else 'has'} objectives with no check-in in 7 days.")
    blocks = [section("\n".join(lines)), actions(checkin_button()),
              context("Anyone can press *Check in*: it opens your own objectives. "
                      "Not linked yet? `/geese link`.")]
    return Reply("Time to check in on your objectives", blocks)


def reminder_set(reminder: Reminder, notes: Sequence[str]) -> Reply:
    text = (f":alarm_clock: <@{reminder.set_by}> set a daily objectives reminder here: "
            f"{reminder.schedule.describe()}. Turn it off with `/geese remind off`.")
    blocks = [section(text)]
    if notes:
        blocks.append(context(" ".join(f":warning: {n}" for n in notes)))
    return Reply(text, blocks)


def reminders_list(reminders: Sequence[Reminder], next_runs: Sequence[datetime]) -> Reply:
    if not reminders:
        return Reply("No reminders in this channel.", [section(
            "No objective reminders in this channel. Add one with "
            "`/geese remind objectives 09:30 weekdays`.")])
    lines = [f"• {r.schedule.describe()}, set by <@{r.set_by}>; next "
             f"<!date^{int(n.timestamp())}^{{date_short_pretty}} {{time}}|soon>"
             for r, n in zip(reminders, next_runs, strict=True)]
    return Reply("Reminders in this channel", [
        section("*Objective reminders in this channel*\n" + "\n".join(lines)),
        context("`/geese remind off` removes them.")])


RESUME = "reminder_resume"


def reminder_stopped(reminder: Reminder, reason: str) -> Reply:
    text = (f"I stopped the daily objectives reminder in <#{reminder.channel_id}> "
            f"({reminder.schedule.describe()}) because {why_unreachable(reason)}. Once "
            "that's sorted, *Resume* brings it back as it was.")
    return Reply(text, [section(text), actions(
        button("Resume", RESUME, reminder.id))])


def reminder_resumed(reminder: Reminder) -> Reply:
    text = (f"Resumed: <#{reminder.channel_id}> gets its objectives reminder again, "
            f"{reminder.schedule.describe()}.")
    return Reply(text, [section(text)])


def nudge_set(schedule: Schedule, notes: Sequence[str]) -> Reply:
    text = (f"Your objectives nudge is on: {schedule.describe()}. I'll skip days when "
            "you've already checked in on everything. `/geese nudges off` stops it.")
    blocks = [section(text)]
    if notes:
        blocks.append(context(" ".join(f":warning: {n}" for n in notes)))
    return Reply(text, blocks)


def nudge(objectives: Sequence[Objective], total: int, web_url: str | None) -> Reply:
    return Reply("Time to check in on your objectives", [
        section("*:wave: Time to check in on your objectives*"),
        *objective_blocks(objectives, total, budget=limit.MESSAGE_BLOCKS - 2, web_url=web_url),
        context("`/geese nudges off` stops these; `/geese nudges on 10:00` moves them.")])


def reconnect_nudge() -> Reply:
    text = ("It's time for your objectives check-in, but 7Geese no longer accepts your "
            "linked account. Run `/geese link` to reconnect.")
    return Reply(text, [section(text)])
