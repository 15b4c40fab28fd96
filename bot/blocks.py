"""Block Kit as data: small pure functions that return what Slack shows.

Each returns a `Reply` (fallback text + blocks) so handlers, the link callback and
the playground all render the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot import slack_limits as limit
from storage.records import Link

ELLIPSIS = "…"


@dataclass(frozen=True)
class Reply:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": clip(self.text, limit.FALLBACK_TEXT), "blocks": self.blocks or None}


# -- text from people and from 7Geese: escaped, and cut to Slack's limits ---------------

def mrkdwn_escape(text: str) -> str:
    """Text from a person or from 7Geese, shown as written: Slack reads `&`, `<` and `>`
    as markup (mentions, @channel, links), so a typed `<!channel>` must not be one."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_len(text: str) -> int:
    """Length as Slack may count it. Slack does not say whether it counts code points or
    UTF-16 units; this counts UTF-16 units (an emoji outside the BMP is two), the larger."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def clip(text: str, most: int) -> str:
    """`text` within `most` characters: cut at a word boundary near the end where there
    is one, with an ellipsis. Never cuts an escaped `&amp;` or a `<...>` token in half."""
    if slack_len(text) <= most:
        return text
    cut = text[: most - 1]
    while slack_len(cut) > most - 1:
        cut = cut[:-1]
    for opener, closer in (("&", ";"), ("<", ">")):
        start = cut.rfind(opener)
        if start != -1 and closer not in cut[start:]:
            cut = cut[:start]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= len(cut) * 2 // 3:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def shown(text: str | None, most: int) -> str:
    """Text from a person or from 7Geese, escaped and clipped: the only way such text
    reaches a block."""
    return clip(mrkdwn_escape(text or ""), most)


def fit_lines(lines: Sequence[str], most: int = limit.TEXT, *,
              more: Callable[[int], str] | None = None) -> tuple[str, int]:
    """As many whole lines as fit in `most` characters, newline-joined, then `more(n)`
    for the n left out. Returns the text and how many lines it shows."""
    lines = [clip(line, most) for line in lines]
    used, fits = -1, 0
    for line in lines:
        used += slack_len(line) + 1
        if used > most:
            break
        fits += 1
    if fits == len(lines) or more is None:
        return "\n".join(lines[:fits]), fits
    for keep in range(fits, -1, -1):  # make room for the "and N more" line
        text = "\n".join([*lines[:keep], clip(more(len(lines) - keep), most)])
        if slack_len(text) <= most:
            return text, keep
    return clip(more(len(lines)), most), 0


def sections(lines: Sequence[str], *, max_blocks: int,
             more: Callable[[int], str]) -> tuple[list[dict[str, Any]], int]:
    """Lines packed into section blocks of at most Slack's 3,000 characters, at most
    `max_blocks` of them; past that, the last block ends with `more(n)`. Returns the
    blocks and how many lines they show."""
    blocks: list[dict[str, Any]] = []
    placed = 0
    while placed < len(lines) and len(blocks) < max_blocks:
        last = len(blocks) == max_blocks - 1
        text, count = fit_lines(lines[placed:], more=more if last else None)
        if count == 0 and not last:
            count = 1  # a line longer than a block was clipped to fit one
            text = clip(lines[placed], limit.TEXT)
        blocks.append(section(text))
        placed += count
        if count == 0:
            break
    return blocks, placed


def people(mentions: Sequence[str], *, most: int = 10) -> str:
    """"<@A>, <@B> and <@C>", with at most `most` named and the rest counted."""
    names = list(mentions[:most])
    extra = len(mentions) - len(names)
    if extra:
        names.append(f"{extra} other{'s' if extra != 1 else ''}")
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, limit.TEXT)}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn",
                                             "text": clip(text, limit.TEXT)}]}


def plain(text: str, most: int) -> dict[str, str]:
    """A plain_text object (labels, options, button text) within its own limit."""
    return {"type": "plain_text", "text": clip(text, most) or " "}


def url_button(label: str, url: str, action_id: str, *, primary: bool = True) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "url": url,
        "action_id": action_id,
    }
    if primary:
        button["style"] = "primary"
    return button


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def who(link: Link, *, bold: bool = True) -> str:
    name = shown(link.name, 80)
    return f"{f'*{name}*' if bold else name} ({shown(link.email, 254)})"


def date(epoch: int, fallback: str = "recently") -> str:
    """Slack renders this in each reader's own timezone."""
    return f"<!date^{int(epoch)}^{{date_short_pretty}}|{fallback}>"


# Clicking a URL button also sends the app an action, which must be acknowledged.
LINK_BUTTON = "link_open"

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
            "• `/geese notifications`: which 7Geese notifications come to you here "
            "(recognition, feedback requests, check-in reminders...) and when\n"
            "• `/geese pause until 2026-12-24`: no nudges while you're away "
            "(`/geese resume` ends it early)\n"
            "• `/geese link`: connect your 7Geese account (once)\n"
            "• `/geese status`: see which 7Geese account is linked\n"
            "• `/geese unlink`: disconnect it\n"
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


def link_prompt(url: str, *, current: Link | None = None) -> Reply:
    if current is not None and not current.broken:
        lead = (f"You're linked to 7Geese as {who(current)}. "
                "To switch to a different 7Geese account, link again:")
        label = "Link a different account"
    else:
        lead = "Connect your 7Geese account so I can act as you in 7Geese."
        label = "Link my 7Geese account"
    # The URL stays out of the fallback text: a notification preview or an unfurler
    # must not be able to spend the single-use ticket.
    return Reply(
        "Link your 7Geese account with the button in this message.",
        [
            section(lead),
            actions(url_button(label, url, LINK_BUTTON)),
            context("The button works once and for 10 minutes. Only you can see this."),
        ],
    )


def reconnect(url: str, email: str | None) -> Reply:
    account = f" ({email})" if email else ""
    return Reply(
        "7Geese no longer accepts your link. Reconnect with the button in this message.",
        [
            section(f"7Geese no longer accepts your linked account{account}: access was "
                    "revoked or has lapsed. Reconnect to keep using geese-bot."),
            actions(url_button("Reconnect 7Geese", url, LINK_BUTTON)),
            context("The button works once and for 10 minutes. Only you can see this."),
        ],
    )


def status(link: Link) -> Reply:
    return Reply(
        f"You're linked to 7Geese as {who(link, bold=False)}.",
        [
            section(f"You're linked to 7Geese as {who(link)}, since {date(link.linked_at)}."),
            context("Switch accounts with `/geese link`; disconnect with `/geese unlink`."),
        ],
    )


def linked(link: Link) -> Reply:
    return Reply(
        f"You're all set: linked to 7Geese as {who(link, bold=False)}.",
        [
            section(f":white_check_mark: You're all set: your Slack account is linked to "
                    f"7Geese as {who(link)}."),
            context("Try `/geese help` to see what you can do. "
                    "`/geese unlink` disconnects at any time."),
        ],
    )


def unlinked(link: Link | None) -> Reply:
    if link is None:
        return Reply("No 7Geese account is linked to you, so there's nothing to unlink.",
                     [section("No 7Geese account is linked to you, so there's nothing to "
                              "unlink. `/geese link` connects one.")])
    return Reply(
        f"Unlinked: you're no longer connected to 7Geese as {shown(link.name, 80)}.",
        [
            section(f"Done: your Slack account is no longer linked to 7Geese as {who(link)}. "
                    "I've also asked 7Geese to revoke geese-bot's access."),
            context("`/geese link` connects again whenever you like."),
        ],
    )


LINK_REFUSALS = {
    "denied": "No problem: you chose not to link 7Geese, so nothing was connected. "
              "Run `/geese link` whenever you're ready.",
    "exchange_failed": "Linking didn't finish: 7Geese didn't accept the sign-in (it may "
                       "have taken too long). Run `/geese link` to try again.",
    "unavailable": "Linking didn't finish because 7Geese didn't answer. Nothing was "
                   "connected; run `/geese link` again in a few minutes.",
    "email_mismatch": "I didn't link that 7Geese account: it doesn't belong to your Slack "
                      "email ({detail}). Sign in to 7Geese as yourself, then run "
                      "`/geese link` again.",
    "slack_email_unknown": "I couldn't read your Slack email to check the 7Geese account is "
                           "yours, so nothing was connected. Please try `/geese link` again.",
    "slack_email_unconfirmed": "Your Slack email address isn't confirmed, so I can't check "
                               "the 7Geese account is yours. Confirm it in Slack, then run "
                               "`/geese link` again.",
    "company_mismatch": "I didn't link that 7Geese account: it belongs to a different company "
                        "from the accounts already linked in this workspace. Sign in to your "
                        "company's 7Geese and run `/geese link` again.",
    "company_unknown": "7Geese didn't say which company that account belongs to, so nothing "
                       "was connected. Please try `/geese link` again.",
}


def link_refused(reason: str, detail: str | None = None) -> Reply:
    text = LINK_REFUSALS.get(reason, LINK_REFUSALS["exchange_failed"]).format(
        detail=shown(detail or "unknown", 254))
    return Reply(text, [section(text)])


def cannot_post_yet(channel_id: str, undone: str) -> Reply:
    """A channel setting refused because the bot is not in the channel (`undone`: "set the
    reminder", "start the feed")."""
    text = (f"I can't post in <#{channel_id}> yet, so I didn't {undone}. Invite me first "
            "with `/invite @geese-bot`, then run the command again.")
    return Reply(text, [section(text)])


def why_unreachable(error: str | None) -> str:
    """Why the bot stopped posting in a channel, from Slack's error (see Delivery)."""
    return {"is_archived": "the channel was archived",
            "not_in_channel": "I was removed from the channel",
            "channel_not_found": "the channel is gone or I was removed from it"}.get(
        error or "", "I can no longer post there")


def problem(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])


def refusal_text(messages: Sequence[str], *, most: int = 3) -> str:
    """7Geese's reasons for refusing something, escaped and bounded: the first few,
    each cut short, then how many more."""
    shown_messages = [shown(m, 300) for m in messages[:most]] or ["no reason given"]
    extra = len(messages) - most
    return "; ".join(shown_messages) + (f"; and {extra} more" if extra > 0 else "")
