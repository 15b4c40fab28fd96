"""Reading `/geese feedback @person subject: message`. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n import N_, _, format_number

USAGE = N_("`/geese feedback @person subject: your message` (or `/geese feedback` for a form)")
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
SUBJECT_LIMIT = 255
# The form's field holds at most 3,000 characters (Slack's cap on a text input), so the
# command takes the same: one bound, whichever way feedback is given.
MESSAGE_LIMIT = 3000


@dataclass(frozen=True)
class Feedback:
    recipient: str  # Slack user id
    subject: str
    message: str


def parse(text: str, *, sender: str) -> Feedback | str | None:
    """The feedback; a sentence saying what is wrong; None: no arguments (the form)."""
    words = text.split(maxsplit=1)
    if not words:
        return None
    found = MENTION.match(words[0])
    if not found:
        return _("Who is the feedback for? Mention them with @, like this: {USAGE}").format(
                 USAGE=_(USAGE))
    if found.group(1) == sender:
        return _("Feedback is for someone else. Mention the person it is for.")
    rest = words[1] if len(words) > 1 else ""
    subject, colon, message = rest.partition(":")
    if not colon or not subject.strip() or not message.strip():
        return _("Write a subject, a colon, then your message: {USAGE}").format(USAGE=_(USAGE))
    if len(subject.strip()) > SUBJECT_LIMIT:
        return _("Subjects are limited to {SUBJECT_LIMIT} characters.").format(
                 SUBJECT_LIMIT=SUBJECT_LIMIT)
    if len(message.strip()) > MESSAGE_LIMIT:
        return _("Please keep the message under {MESSAGE_LIMIT} characters.").format(
                 MESSAGE_LIMIT=format_number(MESSAGE_LIMIT))
    return Feedback(found.group(1), subject.strip(), message.strip())
