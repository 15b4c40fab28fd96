"""What a recognition digest looks like in Slack, and the answers to its commands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.digest.records import Digest
from bot.geese.team import TeamWeek
from bot.i18n import N_, _, format_number, ngettext
from bot.oneonones.blocks import add_button
from bot.slack import limits as limit
from bot.slack.blocks import Reply, clip, context, date, people, section, shown, text_size

PEOPLE_SHOWN = 25  # recognized people named; the rest are "and N more"
BADGES_SHOWN = 3
WHEN = {"daily": N_("today"), "weekly": N_("this week"), "monthly": N_("this month")}
PERIODS = {"daily": N_("daily"), "weekly": N_("weekly"), "monthly": N_("monthly")}


def _period(period: str) -> str:
    return _(PERIODS[period]) if period in PERIODS else period


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
    when = _(WHEN[period]) if period in WHEN else _("lately")
    head = ngettext(":sparkles: *{total} recognition {when}* in 7Geese among this channel's "
                    "members",
                    ":sparkles: *{total} recognitions {when}* in 7Geese among this channel's "
                    "members", total).format(total=format_number(total), when=when)
    lines = []
    for person in recognized[:PEOPLE_SHOWN]:
        line = _("• {who}, by {senders}").format(who=person.who, senders=people(list(person.by)))
        if person.web_url:
            line += " (<{url}|{view}>)".format(url=person.web_url, view=_("view"))
        lines.append(line)
    if len(recognized) > PEOPLE_SHOWN:
        lines.append(_("and {n} more").format(n=len(recognized) - PEOPLE_SHOWN))
    blocks = [section(head)]
    if badges:
        top = ", ".join(f"{shown(name, 75)}" for name, _given in badges[:BADGES_SHOWN])
        blocks.append(context(_("Most given: {top}").format(top=top)))
    # A section holds 3,000 characters: lines go in as many sections as they need.
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > limit.TEXT:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(clip(line, limit.TEXT))
    if chunk:
        blocks.append(section("\n".join(chunk)))
    blocks.append(context(_("The recognition digest. `/geese digest off` stops it.")))
    return Reply(ngettext("{total} recognition {when} among this channel's members",
                          "{total} recognitions {when} among this channel's members",
                          total).format(total=format_number(total), when=when), blocks)


def _reply(text: str) -> Reply:
    return Reply(text, [section(text)])


def started(digest_: Digest) -> Reply:
    return _reply(_(":sparkles: Done: <#{channel_id}> gets a {period} recognition digest, "
                    "{describe}. It's skipped when there's nothing to tell. `/geese digest "
                    "off` stops it.").format(
                    channel_id=digest_.channel_id, period=_period(digest_.period),
                    describe=digest_.schedule.describe()))


def announced(setter: str, period: str) -> Reply:
    return _reply(_("<@{setter}> set up a {period} 7Geese recognition digest here: who was "
                    "recognized among this channel's members, and by whom.").format(
                    setter=setter, period=_period(period)))


def already(digest_: Digest) -> Reply:
    return _reply(_("This channel already has a {period} recognition digest (set by "
                    "<@{set_by}>). `/geese digest off` stops it first.").format(
                    period=_period(digest_.period), set_by=digest_.set_by))


def stopped_here(digest_: Digest | None) -> Reply:
    if digest_ is None:
        return _reply(_("There is no recognition digest in this channel."))
    return _reply(_("Done: no more recognition digest in this channel."))


def not_yours(digest_: Digest) -> Reply:
    return _reply(_("Only <@{set_by}>, who set up this channel's digest, or a workspace "
                    "admin can stop it.").format(
                    set_by=digest_.set_by))


def stopped(digest_: Digest, why: str) -> Reply:
    return _reply(_("I stopped the recognition digest in <#{channel_id}> because {why}. "
                    "`/geese digest recognition` there sets it up again.").format(
                    channel_id=digest_.channel_id, why=why))


def listing(digests: Sequence[Digest], *, most: int = 20) -> Reply:
    if not digests:
        return _reply(_("No channel of this workspace has a recognition digest. Run "
                      "`/geese digest recognition` in a channel to set one up."))
    lines = [_("• <#{channel_id}>: {period}, {describe}, set by <@{set_by}>").format(
               channel_id=d.channel_id, period=_period(d.period), describe=d.schedule.describe(),
               set_by=d.set_by) for d in digests[:most]]
    if len(digests) > most:
        lines.append(_("and {n} more").format(n=len(digests) - most))
    return Reply(_("Recognition digests: {n}").format(n=len(digests)),
                 [section(_("*Recognition digests in this workspace*\n") + "\n".join(lines))])


def usage(problem: str) -> Reply:
    return _reply(problem)


# -- a manager's week (bot/digest/team.py) ---------------------------------------------------

REPORTS_SHOWN = 20  # reports with something to tell, one section each
REPORT_TEXT = 1200  # one report's section, at most
LINES_SHOWN = 3  # recognitions, stale objectives, due items: per report, each


def _some(lines: list[str]) -> list[str]:
    more = len(lines) - LINES_SHOWN
    return lines[:LINES_SHOWN] + (["   " + _("and {n} more").format(n=more)] if more > 0 else [])


def team_week(week: TeamWeek, *, slack_ids: dict[int, str | None]) -> Reply:
    """Per report: recognition received, objectives going stale, the next 1-on-1 (with
    *Add talking point* when its agenda is empty) and action items due this coming week.
    Reports with nothing to note are named together at the end."""
    blocks_: list[dict] = [section(_(":seedling: *Your team this week*"))]
    told = [r for r in week.reports if not r.quiet]
    shown_reports = 0
    for report in told[:REPORTS_SHOWN]:
        lines = [f"*{shown(report.profile.name, 80)}*"]
        lines += _some([(_(":tada: Recognized by {sender} for *{badge}*") if t.badge
                         else _(":tada: Recognized by {sender}")).format(
                            sender=shown(t.sender, 80), badge=shown(t.badge, 75))
                        + (" (<{url}|{view}>)".format(url=t.web_url, view=_("view"))
                           if t.web_url else "")
                        for t in report.recognized])
        lines += _some([_(":hourglass_flowing_sand: No check-in for 14+ days: ")
                        + (f"<{o.web_url}|{shown(o.name, 150)}>" if o.web_url
                           else shown(o.name, 150)) for o in report.stale])
        lines += _some([_(":pushpin: Due {when}: {title}").format(
                          when=date(int(i.due.timestamp())), title=shown(i.title, 150))
                        for i in report.due if i.due])
        block = section("")
        meeting = report.next_meeting
        if meeting is not None:
            points = len(meeting.talking_points)
            lines.append(_(":calendar: Next 1-on-1 {when}: {agenda}").format(
                when=date(int(meeting.start.timestamp())),
                agenda=ngettext("{n} talking point", "{n} talking points", points).format(
                    n=points) if points else _("no talking points yet")))
            if not points:
                block["accessory"] = add_button(meeting, slack_ids.get(report.profile.pk))
        block["text"]["text"] = clip("\n".join(lines), REPORT_TEXT)
        # Slack counts the text of all blocks together: keep room for the closing lines.
        if text_size([*blocks_, block]) > limit.MESSAGE_BLOCKS_TEXT - limit.TEXT - 400:
            break
        blocks_.append(block)
        shown_reports += 1
    if len(told) > shown_reports:
        blocks_.append(context(_("and {n} more people with something to note: see 7Geese")
                               .format(n=len(told) - shown_reports)))
    quiet = [r.profile.name for r in week.reports if r.quiet]
    if quiet:
        blocks_.append(context(_("Nothing to note for {names}").format(
            names=", ".join(shown(n, 80) for n in quiet))))
    blocks_.append(context(_("Your weekly team digest, from what 7Geese shows you. "
                           "`/geese digest team off` stops it.")))
    return Reply(_("Your team this week: {told} of {reports} with something to note").format(
                   told=len(told), reports=len(week.reports)), blocks_)


def team_on(describe: str) -> Reply:
    return _reply(_(":seedling: Done: your team digest comes by DM {describe}, with each "
                    "report's recognition, objectives going stale, next 1-on-1 and action "
                    "items due. It's skipped when there's nothing to tell, and while your "
                    "nudges are paused. `/geese digest team off` stops it.").format(
                    describe=describe))


def team_off(was_on: bool) -> Reply:
    return _reply(_("Done: no more team digest.") if was_on else
                  _("Your team digest is already off. `/geese digest team on fri 15:00` starts "
                  "it."))
