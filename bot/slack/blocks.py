"""Block Kit as data: the small pure helpers every builder uses.

A builder returns a `Reply` (fallback text + blocks) so handlers, the link callback and
the playground all render the same thing. Text from people and from 7Geese goes through
`shown` (escaped, then cut to Slack's limit); lists through `fit_lines`/`sections`,
which end with "and N more". Features keep their own builders (`bot/<feature>/blocks.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.i18n import _, format_datetime, ngettext
from bot.slack import limits as limit

ELLIPSIS = "…"


@dataclass(frozen=True)
class Reply:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": clip(self.text, limit.FALLBACK_TEXT), "blocks": self.blocks or None}


# -- text from people and from 7Geese: escaped, and cut to Slack's limits ---------------

def mrkdwn_escape(text: str) -> str:
    """Text from a person or from 7Geese, shown as written: Slack reads `&`, `<` and `>`
    as markup (mentions, @channel, links), so a typed `<!channel>` must not be one."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_len(text: str) -> int:
    """Length as Slack may count it. Slack does not say whether it counts code points or
    UTF-16 units; this counts UTF-16 units (an emoji outside the BMP is two), the larger."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def clip(text: str, most: int) -> str:
    """`text` within `most` characters: cut at a word boundary near the end where there
    is one, with an ellipsis. Never cuts an escaped `&amp;` or a `<...>` token in half."""
    if slack_len(text) <= most:
        return text
    cut = text[: most - 1]
    while slack_len(cut) > most - 1:
        cut = cut[:-1]
    for opener, closer in (("&", ";"), ("<", ">")):
        start = cut.rfind(opener)
        if start != -1 and closer not in cut[start:]:
            cut = cut[:start]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= len(cut) * 2 // 3:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def shown(text: str | None, most: int) -> str:
    """Text from a person or from 7Geese, escaped and clipped: the only way such text
    reaches a block."""
    return clip(mrkdwn_escape(text or ""), most)


def fit_lines(lines: Sequence[str], most: int = limit.TEXT, *,
              more: Callable[[int], str] | None = None) -> tuple[str, int]:
    """As many whole lines as fit in `most` characters, newline-joined, then `more(n)`
    for the n left out. Returns the text and how many lines it shows."""
    lines = [clip(line, most) for line in lines]
    used, fits = -1, 0
    for line in lines:
        used += slack_len(line) + 1
        if used > most:
            break
        fits += 1
    if fits == len(lines) or more is None:
        return "\n".join(lines[:fits]), fits
    for keep in range(fits, -1, -1):  # make room for the "and N more" line
        text = "\n".join([*lines[:keep], clip(more(len(lines) - keep), most)])
        if slack_len(text) <= most:
            return text, keep
    return clip(more(len(lines)), most), 0


def sections(lines: Sequence[str], *, max_blocks: int,
             more: Callable[[int], str]) -> tuple[list[dict[str, Any]], int]:
    """Lines packed into section blocks of at most Slack's 3,000 characters, at most
    `max_blocks` of them; past that, the last block ends with `more(n)`. Returns the
    blocks and how many lines they show."""
    blocks: list[dict[str, Any]] = []
    placed = 0
    while placed < len(lines) and len(blocks) < max_blocks:
        last = len(blocks) == max_blocks - 1
        text, count = fit_lines(lines[placed:], more=more if last else None)
        if count == 0 and not last:
            count = 1  # a line longer than a block was clipped to fit one
            text = clip(lines[placed], limit.TEXT)
        blocks.append(section(text))
        placed += count
        if count == 0:
            break
    return blocks, placed


def people(mentions: Sequence[str], *, most: int = 10) -> str:
    """"<@A>, <@B> and <@C>", with at most `most` named and the rest counted."""
    names = list(mentions[:most])
    extra = len(mentions) - len(names)
    if extra:
        names.append(ngettext("{n} other", "{n} others", extra).format(n=extra))
    if len(names) <= 1:
        return "".join(names)
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def text_size(node: Any) -> int:
    """The text Slack counts toward msg_blocks_too_long: every text object's text."""
    if isinstance(node, list):
        return sum(text_size(item) for item in node)
    if not isinstance(node, dict):
        return 0
    own = slack_len(node["text"]) if node.get("type") in ("plain_text", "mrkdwn") and \
        isinstance(node.get("text"), str) else 0
    return own + sum(text_size(value) for value in node.values() if isinstance(value, dict | list))


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, limit.TEXT)}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn",
                                             "text": clip(text, limit.TEXT)}]}


def plain(text: str, most: int) -> dict[str, str]:
    """A plain_text object (labels, options, button text) within its own limit."""
    return {"type": "plain_text", "text": clip(text, most) or " "}


def button(label: str, action_id: str, value: str | None = None, *,
           style: str | None = None) -> dict[str, Any]:
    """A button that sends the app `value` when pressed. Slack refuses an empty value,
    so a button without one carries none."""
    made: dict[str, Any] = {"type": "button", "action_id": action_id,
                            "text": plain(label, limit.BUTTON_TEXT)}
    if value:
        made["value"] = value
    if style:
        made["style"] = style
    return made


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


def date(epoch: int, fallback: str | None = None) -> str:
    """Slack renders this in each reader's own timezone (and language); the fallback is
    for clients that cannot."""
    shown_instead = fallback if fallback is not None else format_datetime(
        datetime.fromtimestamp(int(epoch), UTC), "date")
    return f"<!date^{int(epoch)}^{{date_short_pretty}}|{shown_instead}>"


def date_time(moment: datetime) -> str:
    """A day and time Slack shows in each reader's timezone; the fallback, for clients
    that cannot, in UTC."""
    return "<!date^{epoch}^{tokens}|{fallback}>".format(
        epoch=int(moment.timestamp()),
        # Slack's date tokens, joined as the language says "Thursday at 09:00"
        tokens=_("{date_short_pretty} at {time}"),
        fallback=format_datetime(moment.astimezone(UTC), "day_time") + " UTC")


def cannot_post_yet(channel_id: str, undone: str) -> Reply:
    """A channel setting refused because the bot is not in the channel (`undone`: "set the
    reminder", "start the feed")."""
    text = (_("I can't post in <#{channel_id}> yet, so I didn't {undone}. Invite me first "
              "with `/invite @geese-bot`, then run the command again.").format(
              channel_id=channel_id, undone=undone))
    return Reply(text, [section(text)])


def why_unreachable(error: str | None) -> str:
    """Why the bot stopped posting in a channel, from Slack's error (see Delivery)."""
    return {"is_archived": _("the channel was archived"),
            "not_in_channel": _("I was removed from the channel"),
            "channel_not_found": _("the channel is gone or I was removed from it")}.get(
        error or "", _("I can no longer post there"))


def problem(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])


def refusal_text(messages: Sequence[str], *, most: int = 3) -> str:
    """7Geese's reasons for refusing something, escaped and bounded: the first few,
    each cut short, then how many more."""
    shown_messages = [shown(m, 300) for m in messages[:most]] or [_("no reason given")]
    extra = len(messages) - most
    if extra > 0:
        shown_messages.append(_("and {n} more").format(n=extra))
    return "; ".join(shown_messages)
