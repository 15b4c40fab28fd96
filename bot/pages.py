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
}
