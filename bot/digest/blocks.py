"""What a recognition digest looks like in Slack, and the answers to its commands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.digest.records import Digest
from bot.slack import limits as limit
from bot.slack.blocks import Reply, clip, context, people, section, shown

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


def team_not_yet() -> Reply:
    return _reply("The manager's weekly digest isn't available yet. The channel digest is: "
                  "`/geese digest recognition weekly fri 16:00` in a channel.")


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
