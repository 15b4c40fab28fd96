"""What linking looks like in Slack: the Link button, the account a person is linked to,
and why a link was refused."""

from __future__ import annotations

from bot import i18n
from bot.i18n import N_, _
from bot.slack.blocks import Reply, actions, context, date, section, shown, url_button
from storage.records import Link

# Clicking a URL button also sends the app an action, which must be acknowledged.
LINK_BUTTON = "link_open"


def who(link: Link, *, bold: bool = True) -> str:
    name = shown(link.name, 80)
    return f"{f'*{name}*' if bold else name} ({shown(link.email, 254)})"


def link_prompt(url: str, *, current: Link | None = None) -> Reply:
    if current is not None and not current.broken:
        lead = (_("You're linked to 7Geese as {current}. To switch to a different 7Geese "
                  "account, link again:").format(
                  current=who(current)))
        label = _("Link a different account")
    else:
        lead = _("Connect your 7Geese account so I can act as you in 7Geese.")
        label = _("Link my 7Geese account")
    # The URL stays out of the fallback text: a notification preview or an unfurler
    # must not be able to spend the single-use ticket.
    return Reply(
        _("Link your 7Geese account with the button in this message."),
        [
            section(lead),
            actions(url_button(label, url, LINK_BUTTON)),
            context(_("The button works once and for 10 minutes. Only you can see this.")),
        ],
    )


def bind_prompt(url: str) -> Reply:
    return Reply(
        _("Bind this workspace to your 7Geese company with the button in this message."),
        [
            section(_("Link your own 7Geese account to bind this Slack workspace to your "
                    "7Geese company: the company you sign in to becomes this workspace's, "
                    "and everyone here will link accounts of that company only.")),
            actions(url_button(_("Bind and link my 7Geese account"), url, LINK_BUTTON)),
            context(_("The button works once and for 10 minutes. Only you can see this.")),
        ],
    )


def needs_binding() -> Reply:
    text = (_("This workspace isn't connected to a 7Geese company yet. Ask a Slack workspace "
            "admin to run `/geese admin bind`; then `/geese link` works for everyone here."))
    return Reply(text, [section(text)])


def bind_admins_only() -> Reply:
    text = (_("Only a Slack workspace admin or owner can bind this workspace to a 7Geese "
            "company. Ask one of them to run `/geese admin bind`."))
    return Reply(text, [section(text)])


def admins_only() -> Reply:
    text = (_("Only a Slack workspace admin or owner can change geese-bot's workspace "
            "settings. Ask one of them."))
    return Reply(text, [section(text)])


def already_bound(company: str | None) -> Reply:
    name = f"*{shown(company, 80)}*" if company else _("a 7Geese company")
    text = (_("This workspace is already bound to {name}. People here link with `/geese "
              "link`; to move it to another company, ask whoever runs geese-bot.").format(
              name=name))
    return Reply(text.replace("*", ""), [section(text)])


def admin_usage() -> Reply:
    text = (_("`/geese admin bind` binds this workspace to your 7Geese company; "
            "`/geese admin reaction :emoji:|off` picks the reaction that offers a "
            "recognition; `/geese admin` shows both (workspace admins and owners only)."))
    return Reply(text, [section(text)])


def admin_settings(company: str | None, bound: bool, emoji: str | None) -> Reply:
    company_line = (_("*7Geese company*: {value}").format(
                      value=shown(company, 80) if company else _("bound"))
                    if bound else _("*7Geese company*: not bound yet (`/geese admin bind`)"))
    emoji_line = (_("*Reaction that offers a recognition*: :{emoji}:").format(emoji=emoji)
      if emoji else
                  _("*Reaction that offers a recognition*: off (`/geese admin reaction "
                  ":emoji:`)"))
    return Reply(_("This workspace's geese-bot settings."),
                 [section(_("*This workspace's geese-bot "
                            "settings*\n{company_line}\n{emoji_line}").format(
                            company_line=company_line, emoji_line=emoji_line)),
                  context(_("Workspace admins and owners can change them."))])


def reconnect(url: str, email: str | None) -> Reply:
    account = f" ({shown(email, 254)})" if email else ""
    return Reply(
        _("7Geese no longer accepts your link. Reconnect with the button in this message."),
        [
            section(_("7Geese no longer accepts your linked account{account}: access was "
                      "revoked or has lapsed. Reconnect to keep using geese-bot.").format(
                      account=account)),
            actions(url_button(_("Reconnect 7Geese"), url, LINK_BUTTON)),
            context(_("The button works once and for 10 minutes. Only you can see this.")),
        ],
    )


def status(link: Link) -> Reply:
    return Reply(
        _("You're linked to 7Geese as {link}.").format(link=who(link, bold=False)),
        [
            section(_("You're linked to 7Geese as {link}, since {linked_at}.").format(
                      link=who(link), linked_at=date(link.linked_at))),
            context(_("Switch accounts with `/geese link`; disconnect with `/geese unlink`.")),
        ],
    )


def linked(link: Link, bound: str | None = None) -> Reply:
    """`bound`: this link also bound the workspace to that 7Geese company."""
    company = (_(" This workspace is now bound to *{bound}*: everyone here can link with "
                 "`/geese link`.").format(
                 bound=shown(bound, 80))) if bound else ""
    return Reply(
        _("You're all set: linked to 7Geese as {link}.").format(link=who(link, bold=False)),
        [
            section(_(":white_check_mark: You're all set: your Slack account is linked to "
                      "7Geese as {link}.{company}").format(
                      link=who(link), company=company)),
            context(_("Try `/geese help` to see what you can do. "
                    "`/geese unlink` disconnects at any time.")),
        ],
    )


def unlinked(link: Link | None) -> Reply:
    if link is None:
        return Reply(_("No 7Geese account is linked to you, so there's nothing to unlink."),
                     [section(_("No 7Geese account is linked to you, so there's nothing to "
                              "unlink. `/geese link` connects one."))])
    return Reply(
        _("Unlinked: you're no longer connected to 7Geese as {name}.").format(
          name=shown(link.name, 80)),
        [
            section(_("Done: your Slack account is no longer linked to 7Geese as {link}. "
                      "I've also asked 7Geese to revoke geese-bot's access.").format(
                      link=who(link))),
            context(_("`/geese link` connects again whenever you like.")),
        ],
    )


LINK_REFUSALS = {
    "denied": N_("No problem: you chose not to link 7Geese, so nothing was connected. "
              "Run `/geese link` whenever you're ready."),
    "exchange_failed": N_("Linking didn't finish: 7Geese didn't accept the sign-in (it may "
                       "have taken too long). Run `/geese link` to try again."),
    "unavailable": N_("Linking didn't finish because 7Geese didn't answer. Nothing was "
                   "connected; run `/geese link` again in a few minutes."),
    "email_mismatch": N_("I didn't link that 7Geese account: it doesn't belong to your Slack "
                      "email ({detail}). Sign in to 7Geese as yourself, then run "
                      "`/geese link` again."),
    "slack_email_unknown": N_("I couldn't read your Slack email to check the 7Geese account is "
                           "yours, so nothing was connected. Please try `/geese link` again."),
    "slack_email_unconfirmed": N_("Your Slack email address isn't confirmed, so I can't check "
                               "the 7Geese account is yours. Confirm it in Slack, then run "
                               "`/geese link` again."),
    "company_mismatch": N_("I didn't link that 7Geese account: it belongs to a different company "
                        "from the one this workspace is bound to. Sign in to your company's "
                        "7Geese and run `/geese link` again."),
    "workspace_unbound": N_("This workspace isn't bound to a 7Geese company yet, so nothing was "
                         "linked. Ask a workspace admin to run `/geese admin bind` first."),
    "not_admin": N_("Nothing was bound: only a Slack workspace admin or owner can bind this "
                 "workspace to a 7Geese company. Ask an admin to run `/geese admin bind`."),
    "email_domain": N_("I didn't link that 7Geese account: its email isn't in one of your "
                    "company's domains. Sign in to 7Geese with your work account and run "
                    "`/geese link` again."),
    "company_unknown": N_("7Geese didn't say which company that account belongs to, so nothing "
                       "was connected. Please try `/geese link` again."),
}


def link_refused(reason: str, detail: str | None = None) -> Reply:
    text = _(LINK_REFUSALS.get(reason, LINK_REFUSALS["exchange_failed"])).format(
        detail=shown(detail or "unknown", 254))
    return Reply(text, [section(text)])


# -- the language the bot speaks with a person (`/geese language`) ------------------------

LANGUAGE_PICK = "language_pick"


def language_choices() -> list[tuple[str, str]]:
    """(value, label) of each choice, in the current language; "auto" follows Slack."""
    return [("auto", _("Automatic (as my Slack)")),
            *((code, i18n.NAMES[code]) for code in i18n.LANGUAGES)]


def language_now(language: str, chosen: str | None) -> Reply:
    how = _("you chose it") if chosen else _("it's your Slack's language")
    text = _("I speak {language} with you ({how}). `/geese language fr`, `/geese language en` "
             "or `/geese language auto` changes it.").format(
        language=i18n.spoken_name(language), how=how)
    return Reply(text, [section(text)])


def language_set(language: str, chosen: str | None) -> Reply:
    text = (_("Done: I'll speak {language} with you from now on.") if chosen else
            _("Done: I'll speak your Slack's language with you ({language} for now).")
            ).format(language=i18n.spoken_name(language))
    return Reply(text, [section(":speech_balloon: " + text)])


def language_usage(word: str) -> Reply:
    text = _("I don't know the language `{word}`. Try `/geese language fr`, `/geese language "
             "en` or `/geese language auto`.").format(word=shown(word, 30))
    return Reply(text, [section(text)])
