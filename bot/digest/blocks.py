"""What a recognition digest looks like in Slack, and the answers to its commands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.digest.records import Digest
from bot.geese.team import TeamWeek
from bot.oneonones.blocks import add_button
from bot.slack import limits as limit
from bot.slack.blocks import Reply, clip, context, date, people, section, shown, text_size

PEOPLE_SHOWN = 25  # recognized people named; the rest are "and N more"
BADGES_SHOWN = 3
WHEN = {"daily": "today", "weekly": "this week", "monthly": "this month"}


@dataclass(frozen=True)
class Recognized:
    """One person recognized in the period, with who recognized them (mentions or
    escaped names, made by the service) and a link to one of theirs in 7Geese."""

    who: str
    by: tuple[str, ...]
    web_url: str | None


def digest(period: str, total: int, badges: Sequence[tuple[str, int]],
           recognized: Sequence[Recognized]) -> Reply:
    """Congratulatory, not competitive: how many, the badges given most, and each person
    named once with who recognized them (no ranking, no counts per person)."""
    when = WHEN.get(period, "lately")
    head = (f":sparkles: *{total} recognition{'s' if total != 1 else ''} {when}* "
            "in 7Geese among this channel's members")
    lines = []
    for person in recognized[:PEOPLE_SHOWN]:
        line = f"• {person.who}, by {people(list(person.by))}"
        if person.web_url:
            line += f" (<{person.web_url}|view>)"
        lines.append(line)
    if len(recognized) > PEOPLE_SHOWN:
        lines.append(f"and {len(recognized) - PEOPLE_SHOWN} more")
    blocks = [section(head)]
    if badges:
        top = ", ".join(f"{shown(name, 75)}" for name, _ in badges[:BADGES_SHOWN])
        blocks.append(context(f"Most given: {top}"))
    # A section holds 3,000 characters: lines go in as many sections as they need.
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > limit.TEXT:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(clip(line, limit.TEXT))
    if chunk:
        blocks.append(section("\n".join(chunk)))
    blocks.append(context("The recognition digest. `/geese digest off` stops it."))
    return Reply(f"{total} recognitions {when} among this channel's members", blocks)


def _reply(text: str) -> Reply:
    return Reply(text, [section(text)])


def started(digest_: Digest) -> Reply:
    return _reply(f":sparkles: Done: <#{digest_.channel_id}> gets a {digest_.period} "
                  f"recognition digest, {digest_.schedule.describe()}. It's skipped when "
                  "there's nothing to tell. `/geese digest off` stops it.")


def announced(setter: str, period: str) -> Reply:
    return _reply(f"<@{setter}> set up a {period} 7Geese recognition digest here: who was "
                  "recognized among this channel's members, and by whom.")


def already(digest_: Digest) -> Reply:
    return _reply(f"This channel already has a {digest_.period} recognition digest (set by "
                  f"<@{digest_.set_by}>). `/geese digest off` stops it first.")


def stopped_here(digest_: Digest | None) -> Reply:
    if digest_ is None:
        return _reply("There is no recognition digest in this channel.")
    return _reply("Done: no more recognition digest in this channel.")


def not_yours(digest_: Digest) -> Reply:
    return _reply(f"Only <@{digest_.set_by}>, who set up this channel's digest, or a "
                  "workspace admin can stop it.")


def stopped(digest_: Digest, why: str) -> Reply:
    return _reply(f"I stopped the recognition digest in <#{digest_.channel_id}> because {why}. "
                  "`/geese digest recognition` there sets it up again.")


def listing(digests: Sequence[Digest], *, most: int = 20) -> Reply:
    if not digests:
        return _reply("No channel of this workspace has a recognition digest. Run "
                      "`/geese digest recognition` in a channel to set one up.")
    lines = [f"• <#{d.channel_id}>: {d.period}, {d.schedule.describe()}, set by "
             f"<@{d.set_by}>" for d in digests[:most]]
    if len(digests) > most:
        lines.append(f"and {len(digests) - most} more")
    return Reply(f"Recognition digests: {len(digests)}",
                 [section("*Recognition digests in this workspace*\n" + "\n".join(lines))])


def usage(problem: str) -> Reply:
    return _reply(problem)


# -- a manager's week (bot/digest/team.py) ---------------------------------------------------

REPORTS_SHOWN = 20  # reports with something to tell, one section each
REPORT_TEXT = 1200  # one report's section, at most
LINES_SHOWN = 3  # recognitions, stale objectives, due items: per report, each


def _some(lines: list[str], what: str) -> list[str]:
    more = len(lines) - LINES_SHOWN
    return lines[:LINES_SHOWN] + ([f"   and {more} more {what}"] if more > 0 else [])


def team_week(week: TeamWeek, *, slack_ids: dict[int, str | None]) -> Reply:
    """Per report: recognition received, objectives going stale, the next 1-on-1 (with
    *Add talking point* when its agenda is empty) and action items due this coming week.
    Reports with nothing to note are named together at the end."""
    blocks_: list[dict] = [section(":seedling: *Your team this week*")]
    told = [r for r in week.reports if not r.quiet]
    shown_reports = 0
    for report in told[:REPORTS_SHOWN]:
        lines = [f"*{shown(report.profile.name, 80)}*"]
        lines += _some([f":tada: Recognized by {shown(t.sender, 80)}"
                        + (f" for *{shown(t.badge, 75)}*" if t.badge else "")
                        + (f" (<{t.web_url}|view>)" if t.web_url else "")
                        for t in report.recognized], "recognitions")
        lines += _some([":hourglass_flowing_sand: No check-in for 14+ days: "
                        + (f"<{o.web_url}|{shown(o.name, 150)}>" if o.web_url
                           else shown(o.name, 150)) for o in report.stale], "objectives")
        lines += _some([f":pushpin: Due {date(int(i.due.timestamp()), 'soon')}: "
                        f"{shown(i.title, 150)}" for i in report.due if i.due], "action items")
        block = section("")
        meeting = report.next_meeting
        if meeting is not None:
            points = len(meeting.talking_points)
            lines.append(f":calendar: Next 1-on-1 {date(int(meeting.start.timestamp()), 'soon')}: "
                         + (f"{points} talking point{'s' if points != 1 else ''}" if points
                            else "no talking points yet"))
            if not points:
                block["accessory"] = add_button(meeting, slack_ids.get(report.profile.pk))
        block["text"]["text"] = clip("\n".join(lines), REPORT_TEXT)
        # Slack counts the text of all blocks together: keep room for the closing lines.
        if text_size([*blocks_, block]) > limit.MESSAGE_BLOCKS_TEXT - limit.TEXT - 400:
            break
        blocks_.append(block)
        shown_reports += 1
    if len(told) > shown_reports:
        blocks_.append(context(f"and {len(told) - shown_reports} more people with something "
                               "to note: see 7Geese"))
    quiet = [r.profile.name for r in week.reports if r.quiet]
    if quiet:
        blocks_.append(context("Nothing to note for " + ", ".join(shown(n, 80)
                                                                  for n in quiet)))
    blocks_.append(context("Your weekly team digest, from what 7Geese shows you. "
                           "`/geese digest team off` stops it."))
    return Reply(f"Your team this week: {len(told)} of {len(week.reports)} with something "
                 "to note", blocks_)


def team_on(describe: str) -> Reply:
    return _reply(f":seedling: Done: your team digest comes by DM {describe}, with each "
                  "report's recognition, objectives going stale, next 1-on-1 and action items "
                  "due. It's skipped when there's nothing to tell, and while your nudges are "
                  "paused. `/geese digest team off` stops it.")


def team_off(was_on: bool) -> Reply:
    return _reply("Done: no more team digest." if was_on else
                  "Your team digest is already off. `/geese digest team on fri 15:00` starts "
                  "it.")
