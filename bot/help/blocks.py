"""`/geese help` and the answer to a word the bot does not know."""

from __future__ import annotations

from bot.slack.blocks import Reply, context, section, shown

HELP = Reply(
    "geese-bot brings 7Geese into Slack. Try /geese link to get started.",
    [
        section("*geese-bot* brings 7Geese into Slack. Here is what you can do:"),
        section(
            "• `/geese recognize @dana @fox what they did #badge`: recognize people in "
            "7Geese (add `--private` to skip the channel post and tell only them; "
            "`/geese recognize` alone opens a form)\n"
            "• `/geese objectives`: your open objectives, with a *Check in* button each; "
            "`/geese checkin` opens the check-in form\n"
            "• `/geese remind objectives 09:30 weekdays`: a daily check-in reminder in this "
            "channel (`/geese reminders` lists them, `/geese remind off` removes them)\n"
            "• `/geese nudges on 09:00`: a daily DM with your objectives (`/geese nudges off`)\n"
            "• `/geese 1on1`: your upcoming 1-on-1s; `/geese 1on1 @fox` the next one with Fox; "
            "`/geese 1on1 add @fox topic` adds a talking point (`/geese nudges 1on1 off` "
            "stops the reminder two hours before each)\n"
            "• `/geese todo`: your open action items from 1-on-1s, with *Done*; "
            "`/geese todo add @fox Send the rota due friday` adds one to your next 1-on-1 "
            "with Fox (`for @fox` makes it Fox's)\n"
            "• `/geese feedback @fox subject: message`: private feedback in 7Geese "
            "(`/geese feedback` alone opens a form)\n"
            "• `/geese feed recognition`: every public recognition made in 7Geese (web, "
            "mobile or Slack) posted in this channel as it happens (`/geese feeds` lists "
            "them, `/geese feed off` stops it)\n"
            "• `/geese digest recognition weekly fri 16:00`: in a channel, a weekly word on "
            "who was recognized there, and by whom (`/geese digests` lists them, "
            "`/geese digest off` stops it); `/geese digest team on`: your reports' week "
            "by DM on Fridays\n"
            "• `/geese notifications`: which 7Geese notifications come to you here "
            "(recognition, feedback requests, check-in reminders...) and when\n"
            "• `/geese pause until 2026-12-24`: no nudges while you're away "
            "(`/geese resume` ends it early)\n"
            "• `/geese link`: connect your 7Geese account (once)\n"
            "• `/geese status`: see which 7Geese account is linked\n"
            "• `/geese unlink`: disconnect it\n"
            "• `/geese admin bind`: (workspace admins) connect this workspace to your "
            "7Geese company\n"
            "• `/geese help`: this list\n"
            "On any message, *More actions → Recognize in 7Geese* recognizes its author, and "
            "*Add to my next 1-on-1* makes it a talking point."
        ),
        context("Everything you do here happens in 7Geese as you, with your permissions."),
    ],
)


def unknown_command(word: str) -> Reply:
    typed = shown(word, 30)
    return Reply(
        f"I don't know `{typed}`. Try /geese help.",
        [section(f"I don't know `/geese {typed}`."), *HELP.blocks[1:]],
    )
