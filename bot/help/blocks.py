"""`/geese help` and the answer to a word the bot does not know."""

from __future__ import annotations

from bot.i18n import _, current, fold
from bot.slack.blocks import Reply, context, section, sections, shown

# French words for the commands: a French speaker may type either (`/geese aide`).
# Accents are optional: `reconnaître` and `reconnaitre` are one word.
ALIASES = {
    "reconnaitre": "recognize", "bravo": "recognize", "objectifs": "objectives",
    "suivi": "checkin", "rappel": "remind", "rappels": "reminders", "relances": "nudges",
    "tete-a-tete": "1on1", "taches": "todo", "retroaction": "feedback", "fil": "feed",
    "fils": "feeds", "synthese": "digest", "syntheses": "digests", "reprendre": "resume",
    "lier": "link", "delier": "unlink", "statut": "status", "aide": "help",
    "langue": "language",
}


def plain_word(word: str) -> str:
    """A typed command word as the bot matches it: lower case, accents dropped, a French
    alias read as its English command."""
    return ALIASES.get(fold(word), word.lower())


def _lines() -> list[str]:
    return [
        _("• `/geese recognize @dana @fox what they did #badge`: recognize people in 7Geese "
          "(add `--private` to skip the channel post and tell only them; `/geese recognize` "
          "alone opens a form)"),
        _("• `/geese objectives`: your open objectives, with a *Check in* button each; "
          "`/geese checkin` opens the check-in form"),
        _("• `/geese remind objectives 09:30 weekdays`: a daily check-in reminder in this "
          "channel (`/geese reminders` lists them, `/geese remind off` removes them)"),
        _("• `/geese nudges on 09:00`: a daily DM with your objectives (`/geese nudges off`)"),
        _("• `/geese 1on1`: your upcoming 1-on-1s; `/geese 1on1 @fox` the next one with Fox; "
          "`/geese 1on1 add @fox topic` adds a talking point (`/geese nudges 1on1 off` stops "
          "the reminder two hours before each)"),
        _("• `/geese todo`: your open action items from 1-on-1s, with *Done*; `/geese todo "
          "add @fox Send the rota due friday` adds one to your next 1-on-1 with Fox (`for "
          "@fox` makes it Fox's)"),
        _("• `/geese feedback @fox subject: message`: private feedback in 7Geese (`/geese "
          "feedback` alone opens a form)"),
        _("• `/geese feed recognition`: every public recognition made in 7Geese (web, mobile "
          "or Slack) posted in this channel as it happens (`/geese feeds` lists them, "
          "`/geese feed off` stops it)"),
        _("• `/geese digest recognition weekly fri 16:00`: in a channel, a weekly word on who "
          "was recognized there, and by whom (`/geese digests` lists them, `/geese digest "
          "off` stops it); `/geese digest team on`: your reports' week by DM on Fridays"),
        _("• `/geese notifications`: which 7Geese notifications come to you here "
          "(recognition, feedback requests, check-in reminders...) and when"),
        _("• `/geese pause until 2026-12-24`: no nudges while you're away (`/geese resume` "
          "ends it early)"),
        _("• `/geese language fr|en|auto`: the language I speak with you (auto: your Slack's)"),
        _("• `/geese link`: connect your 7Geese account (once)"),
        _("• `/geese status`: see which 7Geese account is linked"),
        _("• `/geese unlink`: disconnect it"),
        _("• `/geese admin bind`: (workspace admins) connect this workspace to your 7Geese "
          "company"),
        _("• `/geese help`: this list"),
        _("On any message, *More actions → Recognize in 7Geese* recognizes its author, and "
          "*Add to my next 1-on-1* makes it a talking point."),
    ]


def _aliases() -> str:
    by_command: dict[str, list[str]] = {}
    for alias, command in ALIASES.items():
        by_command.setdefault(command, []).append(f"`{alias}`")
    return ", ".join(f"`{command}`: {' '.join(aliases)}"
                     for command, aliases in by_command.items())


def help_reply() -> Reply:
    listed, _count = sections(_lines(), max_blocks=4, more=lambda n: "")
    blocks = [section(_("*geese-bot* brings 7Geese into Slack. Here is what you can do:")),
              *listed]
    if current() != "en":
        blocks.append(section(_("*The same commands in French:* ") + _aliases()))
    blocks.append(context(_("Everything you do here happens in 7Geese as you, with your "
                            "permissions.")))
    return Reply(_("geese-bot brings 7Geese into Slack. Try /geese link to get started."),
                 blocks)


def unknown_command(word: str) -> Reply:
    typed = shown(word, 30)
    return Reply(
        _("I don't know `{typed}`. Try /geese help.").format(typed=typed),
        [section(_("I don't know `/geese {typed}`.").format(typed=typed)),
         *help_reply().blocks[1:]],
    )
