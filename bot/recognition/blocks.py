"""What recognition looks like in Slack: the card, the notices, and the modal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.geese.models import Badge
from bot.i18n import _
from bot.link.blocks import LINK_BUTTON
from bot.recognition.parse import MAX_RECIPIENTS, MESSAGE_LIMIT
from bot.slack import limits as limit
from bot.slack.blocks import (
    Reply,
    actions,
    button,
    clip,
    context,
    people,
    plain,
    section,
    shown,
    url_button,
)

MODAL_ID = "recognize_modal"
SHORTCUT_ID = "recognize_message"
VIEW_BUTTON = "recognition_view"


BADGE = 75  # a badge name, as shown


def mentions(user_ids: Sequence[str]) -> str:
    """The people, as mentions the bot builds itself (at most ten named, then a count)."""
    return people([f"<@{u}>" for u in user_ids])


def quote(message: str) -> str:
    return "\n".join("> " + line if line else ">" for line in message.split("\n"))


def interim(recipients: Sequence[str]) -> Reply:
    return Reply(_("Recognizing {recipients}...").format(recipients=mentions(recipients)),
                 [context(_(":hourglass_flowing_sand: Recognizing {recipients}...").format(
                            recipients=mentions(recipients)))])


def card(sender: str, recipients: Sequence[str], badge: str | None, message: str,
         web_url: str | None) -> Reply:
    """`message` is safe to show (Slack markup from a command, or escaped text)."""
    badge_line = f"*:medal: {shown(badge, BADGE)}*\n" if badge else ""
    blocks: list[dict[str, Any]] = [
        section(_(":tada: <@{sender}> recognized {recipients}").format(
                  sender=sender, recipients=mentions(recipients))),
        section(clip(badge_line + quote(message), limit.TEXT)),
    ]
    if web_url:
        blocks.append(actions(url_button(_("View in 7Geese"), web_url, VIEW_BUTTON, primary=False)))
    blocks.append(context(_("Sent from Slack with `/geese recognize`")))
    return Reply(f"{_plain_people(sender, recipients)}: {message}", blocks)


def _plain_people(sender: str, recipients: Sequence[str]) -> str:
    return _("<@{sender}> recognized {recipients}").format(sender=sender,
                                                           recipients=mentions(recipients))


def done(recipients: Sequence[str], badge: str | None, *, private: bool, late: bool) -> Reply:
    lead = _("7Geese is back: your recognition") if late else _("Done! Your recognition")
    for_badge = _(" for *{badge}*").format(badge=shown(badge, BADGE)) if badge else ""
    tail = (_(" I didn't post it in a channel; only they were told in Slack (7Geese shows it "
            "as usual).")) if private else ""
    text = _(":white_check_mark: {lead} of {recipients}{for_badge} is in 7Geese.{tail}").format(
             lead=lead, recipients=mentions(recipients), for_badge=for_badge, tail=tail)
    return Reply(text.replace(":white_check_mark: ", ""), [section(text)])


def saved(recipients: Sequence[str]) -> Reply:
    text = (_(":inbox_tray: 7Geese isn't answering right now, so I saved your recognition of "
              "{recipients}. I'll post it as soon as 7Geese is back and let you know.").format(
              recipients=mentions(recipients)))
    return Reply(text, [section(text)])


def waiting_for_link(recipients: Sequence[str], url: str) -> Reply:
    text = (_("To recognize {recipients}, first link your 7Geese account. I've kept your "
              "message and will post it right after you link.").format(
              recipients=mentions(recipients)))
    return Reply(text, [
        section(text),
        actions(url_button(_("Link my 7Geese account"), url, "link_open")),
        context(_("The button works once and for 10 minutes. Only you can see this.")),
    ])


def refused(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])


RETRY = "recognition_retry"


def not_sent(problems: Sequence[str], message: str, draft: str | None) -> Reply:
    """The form was checked after it closed and something was wrong: what, what they
    wrote (as typed: escaped here; nothing lost), and *Try again* to reopen it as it was
    (`draft`, when it fits in a button)."""
    text = _(":warning: I didn't send your recognition: ") + " ".join(problems)
    blocks = [section(clip(text, limit.TEXT))]
    if message:
        blocks.append(section(clip(_("What you wrote:\n") + quote(shown(message, limit.TEXT)),
                                   limit.TEXT)))
    if draft:
        blocks.append(actions(button(_("Try again"), RETRY, draft, style="primary")))
    return Reply(clip(text.replace(":warning: ", ""), limit.FALLBACK_TEXT), blocks)


def unchecked_channel(channel_id: str) -> Reply:
    text = (_("Slack wouldn't tell me who is in <#{channel_id}> just now, so I didn't share "
              "your recognition there; it is going to 7Geese, and the people you thanked are "
              "told. Share it in the channel yourself if you like.").format(
              channel_id=channel_id))
    return Reply(text, [section(f":warning: {text}")])


def not_shared(channel_id: str) -> Reply:
    text = (_("Your recognition is in 7Geese, but I couldn't share it in <#{channel_id}> "
              "because I'm not a member there. Invite me with `/invite @geese-bot` to share "
              "there next time.").format(
              channel_id=channel_id))
    return Reply(text, [section(text)])


# -- the modal -------------------------------------------------------------------------

def modal(*, badges: Sequence[Badge] | None, recipients: Sequence[str] = (),
          message: str = "", channel_id: str | None = None,
          metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": "recipients",
            "label": {"type": "plain_text", "text": _("Who do you want to recognize?")},
            "element": {"type": "multi_users_select", "action_id": "users",
                        "placeholder": plain(_("Pick people"), limit.PLACEHOLDER),
                        "max_selected_items": MAX_RECIPIENTS,
                        **({"initial_users": list(recipients)[:MAX_RECIPIENTS]}
                           if recipients else {})},
        },
    ]
    if badges:
        blocks.append({
            "type": "input",
            "block_id": "badge",
            "optional": True,
            "label": {"type": "plain_text", "text": _("Badge")},
            "element": {"type": "static_select", "action_id": "badge",
                        "placeholder": plain(_("Pick a company value"), limit.PLACEHOLDER),
                        "options": [{"text": plain(b.name or _("Badge"), limit.OPTION_TEXT),
                                     "value": str(b.pk)} for b in badges[:limit.OPTIONS]]},
        })
    elif badges is not None:
        pass  # the company has no active badges: nothing to pick
    else:
        blocks.append(context(_("I couldn't load the badges from 7Geese just now; you can "
                              "still send your recognition without one.")))
    message_input: dict[str, Any] = {"type": "plain_text_input", "action_id": "text",
                                     "multiline": True, "max_length": MESSAGE_LIMIT}
    if message:
        message_input["initial_value"] = clip(message, MESSAGE_LIMIT)
    blocks.append({"type": "input", "block_id": "message",
                   "label": {"type": "plain_text", "text": _("What did they do?")},
                   "element": message_input})
    share: dict[str, Any] = {"type": "conversations_select", "action_id": "channel",
                             "default_to_current_conversation": True,
                             "filter": {"include": ["public", "private"],
                                        "exclude_bot_users": True}}
    if channel_id and channel_id.startswith(("C", "G")):
        share["initial_conversation"] = channel_id
    blocks.append({"type": "input", "block_id": "channel", "optional": True,
                   "label": {"type": "plain_text", "text": _("Share in channel")},
                   "element": share})
    blocks.append({"type": "input", "block_id": "visibility", "optional": True,
                   "label": {"type": "plain_text", "text": _("In Slack")},
                   "element": {"type": "checkboxes", "action_id": "private", "options": [
                       {"text": plain(_("Don't post it in a channel: only they are told"),
                                      limit.OPTION_TEXT),
                        "description": plain(_("It is still in 7Geese, as any recognition is."),
                                             limit.OPTION_TEXT),
                        "value": "private"}]}})
    return {
        "type": "modal",
        "callback_id": MODAL_ID,
        "title": plain(_("Recognize"), limit.VIEW_TITLE),
        "submit": plain(_("Recognize"), limit.VIEW_TITLE),
        "close": plain(_("Cancel"), limit.VIEW_TITLE),
        "private_metadata": json.dumps(metadata or {}, separators=(",", ":"),
                                       ensure_ascii=False),
        "blocks": blocks,
    }


def loading_modal() -> dict[str, Any]:
    return {"type": "modal", "callback_id": MODAL_ID,
            "title": plain(_("Recognize"), limit.VIEW_TITLE),
            "close": plain(_("Cancel"), limit.VIEW_TITLE),
            "blocks": [section(_(":hourglass_flowing_sand: Getting your company's badges "
                               "from 7Geese..."))]}


def link_modal(url: str) -> dict[str, Any]:
    reply = waiting_for_link([], url)
    return {
        "type": "modal",
        "title": plain(_("Recognize"), limit.VIEW_TITLE),
        "close": plain(_("Close"), limit.VIEW_TITLE),
        "blocks": [section(_("To recognize someone in 7Geese, first link your 7Geese account. "
                           "Then open this again.")), *reply.blocks[1:]],
    }


# -- the offer a reaction makes (bot/recognition/offers.py) --------------------------------

OFFER_RECOGNIZE = "offer_recognize"
OFFER_NOT_NOW = "offer_not_now"
OFFER_NEVER = "offer_never"


def offer(author: str, channel: str, ts: str, *, link_url: str | None = None) -> Reply:
    """"Recognize @author in 7Geese for this message?", for the person who reacted;
    `link_url`: they are not linked yet, so the Link button comes first."""
    value = json.dumps({"a": author, "c": channel, "ts": ts}, separators=(",", ":"))
    text = _("Recognize <@{author}> in 7Geese for their message in <#{channel}>?").format(
             author=author, channel=channel)
    buttons = [button(_("Recognize"), OFFER_RECOGNIZE, value, style=None if link_url
                      else "primary"),
               button(_("Not now"), OFFER_NOT_NOW, value),
               button(_("Don't ask me again"), OFFER_NEVER, value)]
    shown_blocks = [section(f":raised_hands: {text}")]
    if link_url:
        shown_blocks.append(section(_("First, link your 7Geese account; this offer still "
                                    "stands once you have.")))
        buttons.insert(0, url_button(_("Link my 7Geese account"), link_url, LINK_BUTTON))
    shown_blocks += [actions(*buttons),
                     context(_("Only you can see this. Nothing goes to 7Geese until you send "
                             "the form."))]
    return Reply(text, shown_blocks)


def offer_dismissed(never: bool) -> Reply:
    text = (_("OK, I won't offer recognitions for reactions again. Turn offers back on from "
            "my Home tab's settings.") if never else
            _("OK, not now. React again on another message whenever you like."))
    return Reply(text, [context(text)])


def reaction_chosen(emoji: str | None) -> Reply:
    if emoji is None:
        text = (_("Done: reactions no longer offer recognitions here. "
                "`/geese admin reaction :emoji:` turns them back on."))
    else:
        text = (_("Done: anyone who reacts with :{emoji}: to someone's message will be "
                  "offered to recognize them in 7Geese (one click to confirm). `/geese admin "
                  "reaction off` stops it.").format(
                  emoji=emoji))
    return Reply(text, [section(text)])


def reaction_usage() -> Reply:
    text = (_("Try `/geese admin reaction :raised_hands:` (any emoji name, custom ones too) "
            "or `/geese admin reaction off`."))
    return Reply(text, [section(text)])
