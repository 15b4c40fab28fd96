"""Who is who between Slack and 7Geese: linking a Slack user to their 7Geese account.

service      the OAuth2 flow (ticket, confirmation, state, code exchange, checks)
pages        the few pages a person sees in the browser while linking
blocks       what linking looks like in Slack (the Link button, status, refusals)
people       a Slack user as a 7Geese profile, through their link or their email
revocations  asking 7Geese to revoke tokens the bot no longer uses, until it says yes
uninstall    a workspace leaves: forget everything of it, and nothing of any other
"""
