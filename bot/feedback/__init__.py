"""Quick feedback: `/geese feedback @fox subject: message`, or the form.

Feedback is private in 7Geese: the person it is for reads it, and whoever the giver
allows (their managers, the recipient's managers, admins). In Slack the recipient is
told only that feedback arrived, with a link: never its words, never in a channel.
"""
