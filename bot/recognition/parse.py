"""Reading `/geese recognize ...` text. Pure: no Slack client, no 7Geese, no Redis.

    /geese recognize <@U1> <@U2|fox> Thanks for the release! #ownership --private

Recipients are the mentions at the start (or, when there are none there, every
mention in the text); the message is the rest; a `#badge` may stand anywhere and
matches a 7Geese badge ignoring case, spaces and hyphens (`#go-the-extra-mile`,
`#GoTheExtraMile`, `#go the extra mile`). A tag at the start or the end is taken
out of the message; one mid-sentence keeps its words. When the badge list is not
known yet (`badges=None`) the tag is kept as typed and checked later.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import N_, _, format_number
from bot.slack.blocks import mrkdwn_escape, shown

# Our own bounds, not 7Geese's (its limits are not published): a message reads well in a
# Slack card and a 7Geese feed at this length, and one recognition reaches at most this
# many people (each is a 7Geese post and a DM).
MESSAGE_LIMIT = 1000
MAX_RECIPIENTS = 20
USAGE = N_("`/geese recognize @person [@more] what they did [#badge] [--private]`")

# A Slack token (<@U1|name>, <#C1|eng>, <!here>, <https://...|label>) is one unit even
# when its label has spaces; any other "<" is just a character.
TOKEN = re.compile(r"<(?:[@#!]|https?://|mailto:)[^\s<>|]*(?:\|[^<>]*)?>|[^\s<]+|<")
USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
CHANNEL = re.compile(r"^<#(C[A-Z0-9]+)(?:\|([^>]*))?>$")
GROUP = re.compile(r"^<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>$")
SPECIAL = re.compile(r"^<!(here|channel|everyone)(?:\|[^>]*)?>$")
PRIVATE_FLAGS = {"--private", "\u2014private", "\u2013private"}  # Slack may turn -- into a dash


@dataclass(frozen=True)
class Draft:
    recipients: tuple[str, ...]  # Slack user IDs, in order, each once
    message: str  # as typed, Slack markup kept; see plain_text()
    badge: str | None  # a badge name, or the tag as typed when badges were not known
    private: bool
    badge_checked: bool  # whether `badge` was matched against the badge list


@dataclass(frozen=True)
class Refusal:
    reason: str  # a stable code
    text: str  # what to tell the person


@dataclass
class _Token:
    text: str
    start: int
    end: int


def normalize(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def parse(text: str, *, sender: str, badges: Sequence[str] | None = None,
          limit: int = MESSAGE_LIMIT) -> Draft | Refusal:
    tokens = [_Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text or "")]
    drop: list[tuple[int, int]] = []  # spans removed from the message
    private = False

    for token in tokens:
        if token.text.lower() in PRIVATE_FLAGS:
            private = True
            drop.append((token.start, token.end))
        elif (found := GROUP.match(token.text)) is not None:
            label = found.group(2) or _("that group")
            return Refusal("group", _("I can't recognize a user group ({label}). Mention "
                                      "each person instead: {USAGE}").format(
                                      label=shown(label, 80), USAGE=_(USAGE)))
        elif (found := SPECIAL.match(token.text)) is not None:
            return Refusal("special", _("@{value} can't receive recognition. Mention the "
                                        "people you mean: {USAGE}").format(
                                        value=shown(found.group(1), 80), USAGE=_(USAGE)))

    # The leading run: recipients, and perhaps the badge or the flag, before any words.
    leading: list[str] = []
    index = 0
    for index, token in enumerate(tokens):  # index is read after the loop
        t = token.text
        if (found := USER.match(t)) is not None:
            leading.append(found.group(1))
            drop.append((token.start, token.end))
        elif t.lower() in PRIVATE_FLAGS or _is_tag(t):
            continue
        elif (found := CHANNEL.match(t)) is not None:
            if badges is not None and _match_at(tokens, index, badges) is None:
                return Refusal("channel", _("#{value} is a channel, not a person. Mention "
                                            "people with @: {USAGE}").format(
                                            value=shown(found.group(2), 80) or _("that"),
                                            USAGE=_(USAGE)))
            continue
        elif t.startswith("@") and len(t) > 1:
            return Refusal("unresolved", _("I couldn't tell who {t} is. Pick people from "
                                           "Slack's @-mention list so they turn into "
                                           "links.").format(
                                           t=shown(t, 80)))
        else:
            break
    else:
        index = len(tokens)

    recipients = leading or [m.group(1) for tok in tokens
                             if (m := USER.match(tok.text)) is not None]
    recipients = list(dict.fromkeys(recipients))
    if not recipients:
        return Refusal("no_recipient", _("Who would you like to recognize? Mention them with "
                                         "@, like this: {USAGE}").format(
                                         USAGE=_(USAGE)))
    if sender in recipients:
        return Refusal("self", _("You can't recognize yourself, though I'm sure it was great "
                               "work! Mention the people you'd like to thank."))
    if len(recipients) > MAX_RECIPIENTS:
        return Refusal("too_many", _("That's {recipients} people; one recognition can thank "
                                     "up to {MAX_RECIPIENTS}. For a whole team, recognize "
                                     "the people who led it, or send a few.").format(
                                     recipients=len(recipients), MAX_RECIPIENTS=MAX_RECIPIENTS))

    badge, badge_spans, refusal = _find_badge(tokens, badges, leading_end=index)
    if refusal is not None:
        return refusal
    drop.extend(badge_spans)

    message = _remove(text or "", drop)
    if not message:
        return Refusal("no_message", _("What would you like to thank them for? Add a few "
                                       "words after the names, like this: {USAGE}").format(
                                       USAGE=_(USAGE)))
    if len(message) > limit:
        return Refusal("too_long", _("That message is {message} characters; 7Geese takes "
                                     "up to {limit}. Please shorten it.").format(
                                     message=format_number(len(message)),
                                     limit=format_number(limit)))
    return Draft(tuple(recipients), message, badge, private, badges is not None)


def _is_tag(text: str) -> bool:
    return text.startswith("#") and len(text) > 1 and not text[1:].isdigit()


def _find_badge(tokens: list[_Token], badges: Sequence[str] | None, *, leading_end: int):
    """(badge, spans to drop, refusal) for the one badge tag in the text, if any."""
    found: list[tuple[str, list[tuple[int, int]]]] = []
    unknown: list[str] = []
    for i, token in enumerate(tokens):
        channel = CHANNEL.match(token.text)
        if not _is_tag(token.text) and channel is None:
            continue
        if badges is None:
            if channel is not None and i >= leading_end:
                continue  # a channel named in the message is just text
            tag = token.text[1:] if channel is None else (channel.group(2) or "")
            found.append((tag, [(token.start, token.end)]))
            continue
        match = _match_at(tokens, i, badges)
        if match is not None:
            name, used = match
            after = [t for t in tokens[i + used:] if t.text.lower() not in PRIVATE_FLAGS]
            if i >= leading_end and after and channel is None:
                # Mid-sentence ("showed real #ownership today"): keep the words.
                found.append((name, [(token.start, token.start + 1)]))
            else:
                found.append((name, [(t.start, t.end) for t in tokens[i : i + used]]))
        elif channel is None:
            unknown.append(token.text)
    if unknown:
        names = ", ".join(f"#{shown(_hyphenate(b), 80)}" for b in badges or [])
        return None, [], Refusal("unknown_badge", _("There's no badge {unknown}. The badges "
                                                    "are: {names}.").format(
                                                    unknown=shown(unknown[0], 80),
                                                    names=names))
    distinct = {normalize(name) for name, _ in found}
    if len(distinct) > 1:
        return None, [], Refusal("two_badges", _("Please pick one badge per recognition."))
    if not found:
        return None, [], None
    return found[0][0], [span for _, spans in found for span in spans], None


def _match_at(tokens: list[_Token], i: int, badges: Sequence[str]) -> tuple[str, int] | None:
    """The badge named by the tag at tokens[i], and how many tokens it spans: the
    longest badge name made of the tag and the words after it."""
    by_key = {normalize(b): b for b in badges}
    channel = CHANNEL.match(tokens[i].text)
    first = channel.group(2) or "" if channel else tokens[i].text[1:]
    longest = max((len(b.split()) for b in badges), default=1)
    best = None
    words = first
    for used in range(1, longest + 1):
        if used > 1:
            if i + used - 1 >= len(tokens) or tokens[i + used - 1].text.startswith("<"):
                break
            words += " " + tokens[i + used - 1].text
        if normalize(words) in by_key:
            best = (by_key[normalize(words)], used)
    return best


def _hyphenate(name: str) -> str:
    return "-".join(name.lower().split())


def _remove(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(text[last:start])
        last = end
    out.append(text[last:])
    joined = "".join(out)
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in joined.split("\n")]
    return "\n".join(lines).strip()


def plain_text(message: str, names: dict[str, str], *, keep_people: bool = False) -> str:
    """The message as 7Geese should show it: Slack markup turned into words.
    `keep_people` leaves user mentions as they are (to be named later)."""

    def token(found: re.Match) -> str:
        inner = found.group(1)
        if inner.startswith("@") and keep_people:
            return found.group(0)
        if inner.startswith("@"):
            user_id, _bar, label = inner[1:].partition("|")
            return "@" + (names.get(user_id) or label or user_id)
        if inner.startswith("#"):
            _at, _bar, label = inner[1:].partition("|")
            return "#" + (label or "channel")
        if inner.startswith("!"):
            keyword, _bar, label = inner[1:].partition("|")
            return label or "@" + keyword.split("^")[0]
        url, _bar, label = inner.partition("|")
        return f"{label} ({url})" if label and label != url else url

    return html.unescape(re.sub(r"<([^<>]+)>", token, message))


def slack_display(message: str) -> str:
    """A command's text as Slack shows it in the card: people stay mentions; links show
    their real address, as text (a label can say one place and lead to another);
    everything else is text, escaped."""
    parts = re.split(r"(<@[UW][A-Z0-9]+(?:\|[^>]*)?>)", message)
    shown = []
    for part in parts:
        person = USER.match(part)
        shown.append(f"<@{person[1]}>" if person else mrkdwn_escape(plain_text(part, {})))
    return "".join(shown)
