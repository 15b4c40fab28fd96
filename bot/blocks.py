"""Block Kit as data: small pure functions that return what Slack shows.

Each returns a `Reply` (fallback text + blocks) so handlers, the link callback and
the playground all render the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.records import Link


@dataclass(frozen=True)
class Reply:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks or None}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


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


def who(link: Link) -> str:
    return f"*{link.name}* ({link.email})"


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
            "7Geese (add `--private` to tell only them; `/geese recognize` alone opens a form)\n"
            "• `/geese objectives`: your open objectives, with a *Check in* button each; "
            "`/geese checkin` opens the check-in form\n"
            "• `/geese remind objectives 09:30 weekdays`: a daily check-in reminder in this "
            "channel (`/geese reminders` lists them, `/geese remind off` removes them)\n"
            "• `/geese nudges on 09:00`: a daily DM with your objectives (`/geese nudges off`)\n"
            "• `/geese 1on1`: your upcoming 1-on-1s; `/geese 1on1 @fox` the next one with Fox; "
            "`/geese 1on1 add @fox topic` adds a talking point (`/geese nudges 1on1 off` "
            "stops the reminder two hours before each)\n"
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
    shown = word if len(word) <= 30 else word[:29] + "…"
    return Reply(
        f"I don't know `{shown}`. Try /geese help.",
        [section(f"I don't know `/geese {shown}`."), *HELP.blocks[1:]],
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
        f"You're linked to 7Geese as {link.name} ({link.email}).",
        [
            section(f"You're linked to 7Geese as {who(link)}, since {date(link.linked_at)}."),
            context("Switch accounts with `/geese link`; disconnect with `/geese unlink`."),
        ],
    )


def linked(link: Link) -> Reply:
    return Reply(
        f"You're all set: linked to 7Geese as {link.name} ({link.email}).",
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
        f"Unlinked: you're no longer connected to 7Geese as {link.name}.",
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
}


def link_refused(reason: str, detail: str | None = None) -> Reply:
    text = LINK_REFUSALS.get(reason, LINK_REFUSALS["exchange_failed"]).format(
        detail=detail or "unknown")
    return Reply(text, [section(text)])


def problem(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])
