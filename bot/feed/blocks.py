"""What the recognition feed looks like in Slack: the card, and the answers to the
feed commands."""

from __future__ import annotations

from collections.abc import Sequence

from bot.feed.records import Feed
from bot.i18n import N_, _
from bot.recognition.blocks import BADGE, quote
from bot.slack import limits as limit
from bot.slack.blocks import (
    Reply,
    actions,
    button,
    clip,
    context,
    people,
    section,
    shown,
    url_button,
    why_unreachable,
)

VIEW_BUTTON = "feed_view"
NAME = 80  # a 7Geese name, as shown when the person is not found in Slack


def card(sender: str, recipients: Sequence[str], badge: str | None, message: str,
         web_url: str | None) -> Reply:
    """`sender` and `recipients` are mentions or escaped names; `message` is raw 7Geese
    text (escaped here)."""
    badge_line = f"*:medal: {shown(badge, BADGE)}*\n" if badge else ""
    blocks = [
        section(_(":tada: {sender} recognized {recipients}").format(
                  sender=sender, recipients=people(list(recipients)))),
        section(clip(badge_line + quote(shown(message, limit.TEXT)), limit.TEXT)),
    ]
    if web_url:
        blocks.append(actions(url_button(_("View in 7Geese"), web_url, VIEW_BUTTON,
                                         primary=False)))
    blocks.append(context(_("From the 7Geese recognition feed")))
    return Reply(_("{sender} recognized {recipients}").format(
        sender=sender, recipients=people(list(recipients))), blocks)


def name(full_name: str) -> str:
    return f"*{shown(full_name or _('Someone'), NAME)}*"


def _reply(text: str) -> Reply:
    return Reply(text, [section(text)])


def started(channel_id: str) -> Reply:
    return _reply(_(":tada: From now on, every public recognition made in 7Geese shows up in "
                    "<#{channel_id}>, whether it was given on the web, on mobile or in "
                    "Slack. `/geese feed off` stops it.").format(
                    channel_id=channel_id))


def announced(setter: str) -> Reply:
    return _reply(_("<@{setter}> turned on the 7Geese recognition feed here: public "
                    "recognitions from across the company will show up in this channel.").format(
                    setter=setter))


def already(feed: Feed) -> Reply:
    return _reply(_("This channel already has the recognition feed (set by <@{set_by}>). "
                    "`/geese feed off` stops it.").format(
                    set_by=feed.set_by))


def not_a_channel() -> Reply:
    return _reply(_("The recognition feed is for channels. Run `/geese feed recognition` in "
                  "the channel that should get it."))


def other_company() -> Reply:
    return _reply(_("Your 7Geese account isn't in the company this workspace is connected to, "
                  "so I can't bring its recognitions here. Ask a workspace admin to check "
                  "`/geese admin bind`."))


OUTSIDE = {"shared": N_("is shared with another organisation"),
           "guests": N_("has guests in it")}


def outside(channel_id: str, why: str) -> Reply:
    return _reply(_("I didn't start the feed: <#{channel_id}> {why}, and 7Geese "
                    "recognitions are for people in your company. A workspace admin can "
                    "allow it with `/geese feed recognition --allow-outside` here.").format(
                    channel_id=channel_id, why=_(OUTSIDE[why])))


def allow_admins_only() -> Reply:
    return _reply(_("Only a workspace admin can let the feed post where guests or another "
                  "organisation can read it. Run `/geese feed recognition` without "
                  "`--allow-outside`, or ask an admin."))


def cannot_check(channel_id: str) -> Reply:
    return _reply(_("I couldn't check who's in <#{channel_id}>, so I didn't start the feed. "
                    "If it's a private channel, add me to it first (`/invite @geese-bot`); "
                    "otherwise try again in a minute.").format(
                    channel_id=channel_id))


def slack_busy() -> Reply:
    return _reply(_("Slack didn't let me post in this channel, so I didn't start the feed. "
                  "Please try again in a minute."))


def stopped_here(feed: Feed | None) -> Reply:
    if feed is None:
        return _reply(_("There is no recognition feed in this channel."))
    return _reply(_("Done: no more recognition feed in this channel. "
                  "`/geese feed recognition` starts it again."))


RESUME = "feed_resume"


def stopped(feed: Feed, why: str, *, resumable: bool = False) -> Reply:
    text = {"unlinked": "you unlinked your 7Geese account, and the feed reads 7Geese as you",
            "link_broken": "7Geese no longer accepts your linked account, and the feed reads "
                           "7Geese as you (run `/geese link` to reconnect)",
            "other_company": "your 7Geese account isn't in the company this workspace is "
                             "connected to",
            "shared": "the channel is now shared with another organisation, and 7Geese "
                      "recognitions are for people in your company",
            "guests": "guests joined the channel, and 7Geese recognitions are for people in "
                      "your company"}.get(
        why) or why_unreachable(why)
    if not resumable:
        again = (_("A workspace admin can start it again with `/geese feed recognition "
                 "--allow-outside` there.") if why in OUTSIDE else
                 _("Anyone linked can start it again with `/geese feed recognition` there."))
        return _reply(_("I stopped the recognition feed in <#{channel_id}> because {text}. "
                        "{again}").format(
                        channel_id=feed.channel_id, text=text, again=again))
    said = (_("I stopped the recognition feed in <#{channel_id}> because {text}. Once that's "
              "sorted, *Resume* brings it back as it was.").format(
              channel_id=feed.channel_id, text=text))
    return Reply(said, [section(said), actions(
        button(_("Resume"), RESUME, feed.id))])


def setter_left(feed: Feed) -> Reply:
    return _reply(_("The recognition feed in this channel has stopped: <@{set_by}>, who "
                    "started it, is no longer in this workspace. Anyone linked can start it "
                    "again with `/geese feed recognition`.").format(
                    set_by=feed.set_by))


def resumed(feed: Feed) -> Reply:
    return _reply(_("Resumed: recognitions show in <#{channel_id}> again, from where the "
                    "feed left off.").format(
                    channel_id=feed.channel_id))


def not_yours(feed: Feed) -> Reply:
    return _reply(_("Only <@{set_by}>, who started this channel's recognition feed, or a "
                    "workspace admin can stop it. Ask them, or leave the channel if the "
                    "cards aren't for you.").format(
                    set_by=feed.set_by))


def stopped_by(feed: Feed, user_id: str) -> Reply:
    return _reply(_("<@{user_id}> stopped the recognition feed you started in "
                    "<#{channel_id}>. `/geese feed recognition` there starts it again.").format(
                    user_id=user_id, channel_id=feed.channel_id))


def listing(feeds: Sequence[Feed], *, most: int = 20) -> Reply:
    if not feeds:
        return _reply(_("No channel of this workspace has the recognition feed. Run "
                      "`/geese feed recognition` in a channel to start one."))
    lines = [_("• <#{channel_id}>, set by <@{set_by}>").format(
               channel_id=f.channel_id, set_by=f.set_by) for f in feeds[:most]]
    if len(feeds) > most:
        lines.append(_("and {n} more").format(n=len(feeds) - most))
    return Reply(_("Recognition feeds: {n}").format(n=len(feeds)),
                 [section(_("*Recognition feeds in this workspace*\n") + "\n".join(lines)),
                  context(_("`/geese feed off` in a channel stops its feed."))])


def usage() -> Reply:
    return _reply(_("Try `/geese feed recognition` in a channel to post 7Geese recognitions "
                  "there, `/geese feed off` to stop, or `/geese feeds` to list them."))
