"""What linking looks like in Slack: the Link button, the account a person is linked to,
and why a link was refused."""

from __future__ import annotations

from bot.slack.blocks import Reply, actions, context, date, section, shown, url_button
from storage.records import Link

# Clicking a URL button also sends the app an action, which must be acknowledged.
LINK_BUTTON = "link_open"


def who(link: Link, *, bold: bool = True) -> str:
    name = shown(link.name, 80)
    return f"{f'*{name}*' if bold else name} ({shown(link.email, 254)})"


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


def bind_prompt(url: str) -> Reply:
    return Reply(
        "Bind this workspace to your 7Geese company with the button in this message.",
        [
            section("Link your own 7Geese account to bind this Slack workspace to your "
                    "7Geese company: the company you sign in to becomes this workspace's, "
                    "and everyone here will link accounts of that company only."),
            actions(url_button("Bind and link my 7Geese account", url, LINK_BUTTON)),
            context("The button works once and for 10 minutes. Only you can see this."),
        ],
    )


def needs_binding() -> Reply:
    text = ("This workspace isn't connected to a 7Geese company yet. Ask a Slack workspace "
            "admin to run `/geese admin bind`; then `/geese link` works for everyone here.")
    return Reply(text, [section(text)])


def bind_admins_only() -> Reply:
    text = ("Only a Slack workspace admin or owner can bind this workspace to a 7Geese "
            "company. Ask one of them to run `/geese admin bind`.")
    return Reply(text, [section(text)])


def admins_only() -> Reply:
    text = ("Only a Slack workspace admin or owner can change geese-bot's workspace "
            "settings. Ask one of them.")
    return Reply(text, [section(text)])


def already_bound(company: str | None) -> Reply:
    name = f"*{shown(company, 80)}*" if company else "a 7Geese company"
    text = (f"This workspace is already bound to {name}. People here link with "
            "`/geese link`; to move it to another company, ask whoever runs geese-bot.")
    return Reply(text.replace("*", ""), [section(text)])


def admin_usage() -> Reply:
    text = ("`/geese admin bind` binds this workspace to your 7Geese company; "
            "`/geese admin reaction :emoji:|off` picks the reaction that offers a "
            "recognition; `/geese admin` shows both (workspace admins and owners only).")
    return Reply(text, [section(text)])


def admin_settings(company: str | None, bound: bool, emoji: str | None) -> Reply:
    company_line = (f"*7Geese company*: {shown(company, 80) if company else 'bound'}"
                    if bound else "*7Geese company*: not bound yet (`/geese admin bind`)")
    emoji_line = (f"*Reaction that offers a recognition*: :{emoji}:" if emoji else
                  "*Reaction that offers a recognition*: off (`/geese admin reaction "
                  ":emoji:`)")
    return Reply("This workspace's geese-bot settings.",
                 [section("*This workspace's geese-bot settings*\n"
                          f"{company_line}\n{emoji_line}"),
                  context("Workspace admins and owners can change them.")])


def reconnect(url: str, email: str | None) -> Reply:
    account = f" ({shown(email, 254)})" if email else ""
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


def linked(link: Link, bound: str | None = None) -> Reply:
    """`bound`: this link also bound the workspace to that 7Geese company."""
    company = (f" This workspace is now bound to *{shown(bound, 80)}*: everyone here can "
               "link with `/geese link`.") if bound else ""
    return Reply(
        f"You're all set: linked to 7Geese as {who(link, bold=False)}.",
        [
            section(f":white_check_mark: You're all set: your Slack account is linked to "
                    f"7Geese as {who(link)}.{company}"),
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
                        "from the one this workspace is bound to. Sign in to your company's "
                        "7Geese and run `/geese link` again.",
    "workspace_unbound": "This workspace isn't bound to a 7Geese company yet, so nothing was "
                         "linked. Ask a workspace admin to run `/geese admin bind` first.",
    "not_admin": "Nothing was bound: only a Slack workspace admin or owner can bind this "
                 "workspace to a 7Geese company. Ask an admin to run `/geese admin bind`.",
    "email_domain": "I didn't link that 7Geese account: its email isn't in one of your "
                    "company's domains. Sign in to 7Geese with your work account and run "
                    "`/geese link` again.",
    "company_unknown": "7Geese didn't say which company that account belongs to, so nothing "
                       "was connected. Please try `/geese link` again.",
}


def link_refused(reason: str, detail: str | None = None) -> Reply:
    text = LINK_REFUSALS.get(reason, LINK_REFUSALS["exchange_failed"]).format(
        detail=shown(detail or "unknown", 254))
    return Reply(text, [section(text)])
