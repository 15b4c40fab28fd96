"""The few web pages a person sees while linking: short, friendly, no secrets."""

from __future__ import annotations

from markupsafe import Markup, escape

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title} · geese-bot</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;
line-height:1.5;color:#1d1c1d}} h1{{font-size:1.4rem}} .who{{background:#f4f4f4;
padding:.8rem 1rem;border-radius:6px}}</style></head>
<body><h1>{title}</h1>{body}</body></html>"""


def page(title: str, *paragraphs: str | Markup) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return PAGE.format(title=escape(title), body=body)


def linked_page(slack_name: str, geese_name: str, geese_email: str) -> str:
    who = Markup(
        '<div class="who">Slack: <strong>{}</strong><br>7Geese: <strong>{}</strong> ({})</div>'
    ).format(slack_name, geese_name, geese_email)
    return PAGE.format(
        title="Your accounts are linked",
        body=who + Markup("<p>You can close this tab and go back to Slack. "
                          "I've sent you a message there too.</p>"),
    )


def confirm_page(*, slack_name: str, workspace: str, address: str | None,
                 company: str | None, binds: bool, ticket: str, nonce: str) -> str:
    """"Is this you?": the Slack account, its workspace by name and by address (an
    address is unique in Slack, a name is not), and the 7Geese company it belongs to."""
    where = Markup("{} ({})").format(workspace, address) if address else workspace
    rows = Markup('<div class="who">Slack account: <strong>{}</strong><br>'
                  'Slack workspace: <strong>{}</strong>').format(slack_name, where)
    if company:
        rows += Markup("<br>7Geese company: <strong>{}</strong>").format(company)
    who = rows + Markup("</div>")
    form = Markup('<form method="post" action="/link/7geese/start">'
                  '<input type="hidden" name="ticket" value="{}">'
                  '<input type="hidden" name="confirm" value="{}">'
                  '<button type="submit" id="continue">Continue to 7Geese</button></form>'
                  ).format(ticket, nonce)
    check = Markup("<p>Check the workspace's address: another workspace can take your "
                   "company's name, never its address.</p>") if address else Markup("")
    if binds:
        title = "Bind this workspace to your 7Geese company"
        lead = Markup("<p>geese-bot will act in 7Geese as you, for this Slack account, and "
                      "the 7Geese company you sign in to becomes this workspace's company: "
                      "everyone here will link accounts of that company only.</p>")
        warn = Markup("<p>Continue only if you are an admin of this workspace and it belongs "
                      "to your company.</p>")
    else:
        title = "Link your 7Geese account"
        lead = Markup("<p>geese-bot will act in 7Geese as you, for this Slack account:</p>")
        warn = Markup("<p>Continue only if this Slack account is yours. If someone sent "
                      "you this link, close this tab: continuing would let them act in "
                      "7Geese as you.</p>")
    return PAGE.format(title=escape(title), body=lead + who + check + warn + form)


REFUSAL_PAGES = {
    "ticket_invalid": ("This link has expired",
                       "Link buttons work once and for 10 minutes. In Slack, run "
                       "/geese link to get a fresh one."),
    "ticket_missing": ("This link is incomplete",
                       "In Slack, run /geese link and use the button it shows you."),
    "state_invalid": ("This sign-in has expired",
                      "It was already used or took longer than 10 minutes. In Slack, run "
                      "/geese link to start again."),
    "browser_missing": ("Please finish in the same browser",
                        "For your safety, linking only finishes in the browser where you "
                        "clicked the button in Slack. Run /geese link in Slack and open the "
                        "button in this browser."),
    "browser_mismatch": ("Please finish in the same browser",
                         "For your safety, linking only finishes in the browser where you "
                         "clicked the button in Slack. Run /geese link in Slack and open the "
                         "button in this browser."),
    "denied": ("Nothing was linked",
               "You chose not to give geese-bot access to 7Geese. You can close this tab; "
               "run /geese link in Slack whenever you're ready."),
    "email_mismatch": ("Nothing was linked",
                       "The 7Geese account you signed in with doesn't belong to the Slack "
                       "user who asked to link it. If that is you, sign in to 7Geese as "
                       "yourself and run /geese link in Slack again."),
    "storage": ("Please try again in a minute",
                "geese-bot can't reach its storage right now, so nothing was linked."),
    "not_confirmed": ("Please use the button on the page",
                      "Linking continues only from the page that shows whose Slack account "
                      "it is for. In Slack, run /geese link and open the button again."),
    "workspace_gone": ("geese-bot is no longer in that workspace",
                       "The app was removed from the Slack workspace this link was for, so "
                       "nothing was linked. You can close this tab."),
    "slack_email_unconfirmed": ("Nothing was linked",
                                "Your Slack email address isn't confirmed, so I can't check "
                                "that the 7Geese account is yours. Confirm it in Slack, then "
                                "run /geese link again."),
    "company_mismatch": ("Nothing was linked",
                         "That 7Geese account belongs to a different company from the one "
                         "this Slack workspace is bound to. Sign in to your own company's "
                         "7Geese, or ask the person who runs geese-bot."),
    "workspace_unbound": ("Nothing was linked",
                          "This Slack workspace isn't bound to a 7Geese company yet. Ask a "
                          "workspace admin to run /geese admin bind in Slack first."),
    "not_admin": ("Nothing was bound",
                  "Only a Slack workspace admin or owner can bind the workspace to a 7Geese "
                  "company, and Slack no longer says you are one. Ask an admin to run "
                  "/geese admin bind."),
    "email_domain": ("Nothing was linked",
                     "That 7Geese account's email isn't in one of your company's domains, "
                     "so geese-bot won't link it. Sign in with your work account."),
    "company_unknown": ("Nothing was linked",
                        "7Geese didn't say which company this account belongs to, so I "
                        "can't check it matches this Slack workspace. Please try again."),
}
