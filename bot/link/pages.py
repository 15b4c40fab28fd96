"""The few web pages a person sees while linking: short, friendly, no secrets."""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.i18n import N_, _, current

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title} · geese-bot</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;
line-height:1.5;color:#1d1c1d}} h1{{font-size:1.4rem}} .who{{background:#f4f4f4;
padding:.8rem 1rem;border-radius:6px}}</style></head>
<body><h1>{title}</h1>{body}</body></html>"""


def page(title: str, *paragraphs: str | Markup) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return PAGE.format(lang=current(), title=escape(title), body=body)


def _p(text: str) -> Markup:
    """A paragraph of our own text: the catalogs hold words, the markup stays here."""
    return Markup("<p>{}</p>").format(text)


def linked_page(slack_name: str, geese_name: str, geese_email: str) -> str:
    who = Markup(
        '<div class="who">Slack: <strong>{}</strong><br>7Geese: <strong>{}</strong> ({})</div>'
    ).format(slack_name, geese_name, geese_email)
    return PAGE.format(
        lang=current(),
        title=escape(_("Your accounts are linked")),
        body=who + _p(_("You can close this tab and go back to Slack. I've sent you a "
                        "message there too.")),
    )


def confirm_page(*, slack_name: str, workspace: str, address: str | None,
                 company: str | None, binds: bool, ticket: str, nonce: str) -> str:
    """"Is this you?": the Slack account, its workspace by name and by address (an
    address is unique in Slack, a name is not), and the 7Geese company it belongs to."""
    where = Markup("{} ({})").format(workspace, address) if address else workspace
    rows = Markup('<div class="who">{}: <strong>{}</strong><br>{}: <strong>{}</strong>').format(
        _("Slack account"), slack_name, _("Slack workspace"), where)
    if company:
        rows += Markup("<br>{}: <strong>{}</strong>").format(_("7Geese company"), company)
    who = rows + Markup("</div>")
    form = Markup('<form method="post" action="/link/7geese/start">'
                  '<input type="hidden" name="ticket" value="{}">'
                  '<input type="hidden" name="confirm" value="{}">'
                  '<button type="submit" id="continue">{}</button></form>'
                  ).format(ticket, nonce, _("Continue to 7Geese"))
    check = _p(_("Check the workspace's address: another workspace can take your company's "
                 "name, never its address.")) if address else Markup("")
    if binds:
        title = _("Bind this workspace to your 7Geese company")
        lead = _p(_("geese-bot will act in 7Geese as you, for this Slack account, and the "
                    "7Geese company you sign in to becomes this workspace's company: everyone "
                    "here will link accounts of that company only."))
        warn = _p(_("Continue only if you are an admin of this workspace and it belongs to "
                    "your company."))
    else:
        title = _("Link your 7Geese account")
        lead = _p(_("geese-bot will act in 7Geese as you, for this Slack account:"))
        warn = _p(_("Continue only if this Slack account is yours. If someone sent you this "
                    "link, close this tab: continuing would let them act in 7Geese as you."))
    return PAGE.format(lang=current(), title=escape(title),
                       body=lead + who + check + warn + form)


SAME_BROWSER = (N_("Please finish in the same browser"),
                N_("For your safety, linking only finishes in the browser where you clicked "
                   "the button in Slack. Run /geese link in Slack and open the button in "
                   "this browser."))
REFUSAL_PAGES = {
    "ticket_invalid": (N_("This link has expired"),
                       N_("Link buttons work once and for 10 minutes. In Slack, run "
                       "/geese link to get a fresh one.")),
    "ticket_missing": (N_("This link is incomplete"),
                       N_("In Slack, run /geese link and use the button it shows you.")),
    "state_invalid": (N_("This sign-in has expired"),
                      N_("It was already used or took longer than 10 minutes. In Slack, run "
                      "/geese link to start again.")),
    "browser_missing": SAME_BROWSER,
    "browser_mismatch": SAME_BROWSER,
    "denied": (N_("Nothing was linked"),
               N_("You chose not to give geese-bot access to 7Geese. You can close this tab; "
               "run /geese link in Slack whenever you're ready.")),
    "email_mismatch": (N_("Nothing was linked"),
                       N_("The 7Geese account you signed in with doesn't belong to the Slack "
                       "user who asked to link it. If that is you, sign in to 7Geese as "
                       "yourself and run /geese link in Slack again.")),
    "storage": (N_("Please try again in a minute"),
                N_("geese-bot can't reach its storage right now, so nothing was linked.")),
    "not_confirmed": (N_("Please use the button on the page"),
                      N_("Linking continues only from the page that shows whose Slack account "
                      "it is for. In Slack, run /geese link and open the button again.")),
    "workspace_gone": (N_("geese-bot is no longer in that workspace"),
                       N_("The app was removed from the Slack workspace this link was for, so "
                       "nothing was linked. You can close this tab.")),
    "slack_email_unconfirmed": (N_("Nothing was linked"),
                                N_("Your Slack email address isn't confirmed, so I can't check "
                                "that the 7Geese account is yours. Confirm it in Slack, then "
                                "run /geese link again.")),
    "company_mismatch": (N_("Nothing was linked"),
                         N_("That 7Geese account belongs to a different company from the one "
                         "this Slack workspace is bound to. Sign in to your own company's "
                         "7Geese, or ask the person who runs geese-bot.")),
    "workspace_unbound": (N_("Nothing was linked"),
                          N_("This Slack workspace isn't bound to a 7Geese company yet. Ask a "
                          "workspace admin to run /geese admin bind in Slack first.")),
    "not_admin": (N_("Nothing was bound"),
                  N_("Only a Slack workspace admin or owner can bind the workspace to a 7Geese "
                  "company, and Slack no longer says you are one. Ask an admin to run "
                  "/geese admin bind.")),
    "email_domain": (N_("Nothing was linked"),
                     N_("That 7Geese account's email isn't in one of your company's domains, "
                     "so geese-bot won't link it. Sign in with your work account.")),
    "company_unknown": (N_("Nothing was linked"),
                        N_("7Geese didn't say which company this account belongs to, so I "
                        "can't check it matches this Slack workspace. Please try again.")),
}
