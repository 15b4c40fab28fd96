"""`/geese recognize`, the recognition modal, and the "Recognize in 7Geese" shortcut."""

from __future__ import annotations

import json
import logging
import secrets
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond

from bot.geese import GeeseError
from bot.i18n import _, format_number
from bot.recognition import blocks
from bot.recognition.parse import MAX_RECIPIENTS, MESSAGE_LIMIT, Refusal
from bot.recognition.records import Pending
from bot.services import Services
from bot.slack import limits as limit
from bot.slack.blocks import shown
from bot.slack.gateway import open_view, update_view
from handlers.errors import reporting, tell
from handlers.payloads import (
    COMMAND,
    after_subcommand,
    identity_of,
    quoted_message,
    subcommand,
    view_input,
)
from storage import STORAGE_ERRORS, SlackIdentity

log = logging.getLogger(__name__)

RECOGNIZE = ("recognize", "recognise", "kudos", "praise", "thanks")
SUBCOMMANDS = RECOGNIZE
BADGE_WAIT = 4  # how long the open form waits for 7Geese's badge list



def register(app: App, services: Services) -> None:
    service = services.recognition

    def ack_recognize(ack, body, client):
        identity = identity_of(body)
        text = after_subcommand(body)
        if not text.strip():
            ack()
            open_modal(services, client, identity, body["trigger_id"],
                       channel_id=body.get("channel_id"),
                       metadata={"channel": body.get("channel_id"),
                                 "response_url": body.get("response_url")})
            return
        checked = service.check(text, identity)
        if isinstance(checked, Refusal):
            ack(**blocks.refused(checked.text).as_kwargs(), response_type="ephemeral")
        else:
            ack(**blocks.interim(checked.recipients).as_kwargs(), response_type="ephemeral")

    def post_recognition(body, respond):
        identity = identity_of(body)
        text = after_subcommand(body)
        if not text.strip():
            return  # the modal opened
        # If the check fails here it failed in the ack too: the report replaces that answer.
        with reporting(services, body, respond):
            if isinstance(service.check(text, identity), Refusal):
                return  # the ack already explained the refusal
            service.submit(Pending(
                id="cmd-" + secrets.token_hex(8), sender=identity, created_at=services.clock(),
                source="command", text=text, channel_id=body.get("channel_id"),
                response_url=body.get("response_url")))

    app.command(COMMAND, matchers=[subcommand(*RECOGNIZE)])(
        ack=ack_recognize, lazy=[post_recognition])

    @app.shortcut(blocks.SHORTCUT_ID)
    def recognize_message(ack, body, client):
        ack()
        identity = identity_of(body)
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id")
        author = message.get("user")
        recipients = [author] if author and author != identity.user_id \
            and not message.get("bot_id") else []
        open_modal(services, client, identity, body["trigger_id"], recipients=recipients,
                   message=quoted_message(body, message, channel), channel_id=channel,
                   metadata={"channel": channel, "source": "shortcut",
                             "from": f"{channel}:{message.get('ts')}"})

    def ack_modal(ack, body, view):
        # Only what the form itself says: asking Slack about the people and the channel
        # (20 lookups, a 20,000-member channel's pages) cannot promise Slack's 3 seconds.
        _typed, errors = read_modal(identity_of(body), view)
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    def submit_modal(body, view):
        identity = identity_of(body)
        values, errors = read_modal(identity, view)
        if errors:
            return  # shown in the form by the ack
        metadata = _metadata(view)
        with reporting(services, body, None):
            channel = values["channel"]
            member = services.slack.is_member(identity, channel, identity.user_id) \
                if channel else True
            problems = slack_problems(services, identity, values, member=member)
            if problems:  # the form has closed: say what, keep what they wrote
                tell(services, body, _responder(metadata), blocks.not_sent(
                    problems, values["message"], _draft(values)))
                return
            service.submit(Pending(
                # One item per view: a double-clicked submit posts once.
                id="view-" + view["id"], sender=identity, created_at=services.clock(),
                source=metadata.get("source", "modal"), recipients=values["recipients"],
                message=values["message"], badge=values["badge"], private=values["private"],
                # Fail closed: no card where membership is unknown; 7Geese still gets it.
                channel_id=channel if member is not None else None,
                response_url=metadata.get("response_url")))
            if isinstance(metadata.get("from"), str):  # no reaction offer for it again
                services.offers.recognized_from(identity, metadata["from"])
            if member is None:  # by DM: an answer in the channel is replaced by the outcome
                tell(services, body, None, blocks.unchecked_channel(channel))

    app.view(blocks.MODAL_ID)(ack=ack_modal, lazy=[submit_modal])

    @app.action(blocks.VIEW_BUTTON)
    def view_button_clicked(ack):
        ack()

    @app.action(blocks.RETRY)
    def try_again(ack, body, action, client):
        ack()
        try:
            draft = json.loads(action.get("value") or "{}")
        except ValueError:
            draft = {}
        channel = draft.get("c") if isinstance(draft.get("c"), str) else None
        open_modal(services, client, identity_of(body), body["trigger_id"],
                   recipients=[u for u in draft.get("r") or [] if isinstance(u, str)],
                   message=str(draft.get("m") or ""), channel_id=channel,
                   metadata={"channel": channel})


def open_modal(services: Services, client, identity: SlackIdentity, trigger_id: str, *,
               recipients: list[str] | None = None, message: str = "",
               channel_id: str | None = None, metadata: dict[str, Any]) -> None:
    """Open the form within the trigger's 3 s: with the badges when they are cached, else
    as a short "loading" view that the badges (or a note that 7Geese is slow) replace."""
    link = services.linking.find(identity)
    if link is None or link.broken:
        open_view(client, trigger_id, blocks.link_modal(services.linking.ticket_url(identity)))
        return

    def form(badges):
        return blocks.modal(badges=badges, recipients=recipients or (), message=message,
                            channel_id=channel_id, metadata=metadata)

    cached = services.badges.cached(identity)
    if cached is not None:
        open_view(client, trigger_id, form(cached))
        return
    view_id = open_view(client, trigger_id, blocks.loading_modal())
    services.lazy.submit(_fill_modal, services, client, identity, view_id, form)


def _fill_modal(services: Services, client, identity: SlackIdentity, view_id: str,
                form) -> None:
    future = services.background.submit(services.badges.get, services.geese.as_user(identity))
    try:
        badges = future.result(timeout=BADGE_WAIT)
    except (FutureTimeout, GeeseError, *STORAGE_ERRORS):
        badges = None  # the form says so; the fetch goes on and warms the cache
    update_view(client, view_id, form(badges))


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def read_modal(identity: SlackIdentity, view: dict[str, Any]):
    """The modal's answers, and errors keyed by block for Slack to show inline: what the
    form itself says, with no call to Slack (the ack's 3 seconds)."""
    def field(block: str, action: str) -> dict[str, Any]:
        return view_input(view, block, action)

    recipients = list(dict.fromkeys(field("recipients", "users").get("selected_users") or []))
    option = field("badge", "badge").get("selected_option") or {}
    message = (field("message", "text").get("value") or "").strip()
    answers = {
        "recipients": tuple(recipients),
        "badge": f"pk:{option['value']}" if option.get("value") else None,
        "message": message,
        "channel": field("channel", "channel").get("selected_conversation"),
        "private": bool(field("visibility", "private").get("selected_options")),
    }
    errors: dict[str, str] = {}
    if not recipients:
        errors["recipients"] = _("Pick at least one person.")
    elif identity.user_id in recipients:
        errors["recipients"] = _("You can't recognize yourself. Pick the people you'd like "
                                 "to thank.")
    elif len(recipients) > MAX_RECIPIENTS:
        errors["recipients"] = (_("One recognition can thank up to {MAX_RECIPIENTS} people; "
                                  "you picked {recipients}.").format(
                                  MAX_RECIPIENTS=MAX_RECIPIENTS, recipients=len(recipients)))
    if not message:
        errors["message"] = _("Add a few words about what they did.")
    elif len(message) > MESSAGE_LIMIT:
        errors["message"] = _("Please keep it under {MESSAGE_LIMIT} characters.").format(
                              MESSAGE_LIMIT=format_number(MESSAGE_LIMIT))
    return answers, errors


def slack_problems(services: Services, identity: SlackIdentity, answers: dict[str, Any],
                   *, member: bool | None) -> list[str]:
    """What only Slack can tell, asked after the ack: people who are bots or gone (looked
    up side by side), and whether the sender is in the channel to share in (`member`,
    None when Slack would not say)."""
    def person(user_id: str):
        return services.directory.slack_person(
            SlackIdentity(identity.team_id, user_id, identity.enterprise_id))

    problems = []
    for found in services.background.map(person, answers["recipients"]):
        if found is not None and found.is_bot:
            problems.append(_("{name} is a bot; bots can't receive recognition.").format(
                              name=shown(found.name, 80)))
            break
        if found is None or found.deleted:
            problems.append(_("Someone you picked is no longer in this workspace."))
            break
    if member is False:
        # The bot may post where the sender is not: it must not do so on their behalf.
        problems.append(_("You're not in <#{channel}>, so I can't share it there. Pick a "
                          "channel you're in, or leave it empty.").format(
                          channel=answers['channel']))
    return problems


def _draft(answers: dict[str, Any]) -> str | None:
    """The form as it was, for *Try again* (a button's value holds 2,000 characters)."""
    draft = json.dumps({"r": list(answers["recipients"]), "c": answers["channel"],
                        "m": answers["message"]}, separators=(",", ":"), ensure_ascii=False)
    return draft if len(draft) <= limit.BUTTON_VALUE else None


def _responder(metadata: dict[str, Any]):
    """The command's response URL, when the form came from `/geese recognize`."""
    url = metadata.get("response_url")
    return Respond(response_url=url) if isinstance(url, str) and url else None
