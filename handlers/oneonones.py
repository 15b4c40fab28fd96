"""`/geese 1on1 ...`, the "Add to my next 1-on-1" shortcut, and its modal."""

from __future__ import annotations

import json
import logging
import re
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from slack_bolt import App

from bot.geese import GeeseError, Invalid, LinkBroken, NotFound, NotLinked
from bot.geese.oneonones import AgendaRace
from bot.i18n import _, fold, format_number
from bot.oneonones import blocks
from bot.oneonones.service import NoMeeting, NotInGeese
from bot.services import Services
from bot.slack.blocks import refusal_text
from bot.slack.gateway import open_view, update_view
from handlers.errors import reporting
from handlers.payloads import (
    COMMAND,
    after_subcommand,
    identity_of,
    quoted_message,
    subcommand,
    view_input,
    working,
)
from storage import STORAGE_ERRORS, SlackIdentity

log = logging.getLogger(__name__)

ONEONONE = ("1on1", "1:1", "1-on-1", "oneonone", "one-on-one")
SUBCOMMANDS = ONEONONE
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
MANAGER_WAIT = 4  # how long the open form waits for 7Geese to name the manager


def parse(text: str) -> tuple[str, str | None, str] | str:
    """("list"|"show"|"add", person, talking point), or what is wrong."""
    words = text.split(maxsplit=2)
    if not words:
        return "list", None, ""
    if fold(words[0]) in ("add", "ajouter"):
        found = MENTION.match(words[1]) if len(words) > 1 else None
        if not found:
            return _("Who is the 1-on-1 with? Mention them with @, like this: {USAGE}").format(
                     USAGE=_(blocks.USAGE))
        point = words[2].strip() if len(words) > 2 else ""
        if not point:
            return _("What should I add? Write the talking point after the name: {USAGE}").format(
                     USAGE=_(blocks.USAGE))
        if len(point) > blocks.POINT_LIMIT:
            return (_("Talking points are limited to {POINT_LIMIT} characters. Please "
                      "shorten it.").format(
                      POINT_LIMIT=format_number(blocks.POINT_LIMIT)))
        return "add", found.group(1), point
    found = MENTION.match(words[0])
    if found and len(words) == 1:
        return "show", found.group(1), ""
    return _("I didn't understand that. Try {USAGE}").format(USAGE=_(blocks.USAGE))


def register(app: App, services: Services) -> None:
    def ack_command(ack, body):
        parsed = parse(after_subcommand(body))
        if isinstance(parsed, str):
            ack(**blocks.problem(parsed).as_kwargs(), response_type="ephemeral")
        else:
            ack(**working(_("Adding your talking point") if parsed[0] == "add" else
                          _("Looking up your 1-on-1s")))

    def answer_command(body, respond):
        parsed = parse(after_subcommand(body))
        if isinstance(parsed, str):
            return
        verb, person, point = parsed
        identity = identity_of(body)
        with reporting(services, body, respond):
            reply = run(services, identity, verb, person, point)
            respond(**reply.as_kwargs(), replace_original=True, response_type="ephemeral")
        if verb == "add":
            services.home.refresh_later(identity)

    app.command(COMMAND, matchers=[subcommand(*ONEONONE)])(
        ack=ack_command, lazy=[answer_command])

    @app.shortcut(blocks.SHORTCUT_ID)
    def add_from_message(ack, body, client):
        ack()
        identity = identity_of(body)
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id")
        author = message.get("user") if not message.get("bot_id") else None
        # The form opens at once; suggesting the manager takes a 7Geese call.
        view_id = open_view(client, body["trigger_id"], blocks.loading_modal())
        services.lazy.submit(_fill_shortcut_modal, services, client, identity, view_id,
                             author if author != identity.user_id else None,
                             quoted_message(body, message, channel))

    @app.action(blocks.ADD_BUTTON)
    def add_button(ack, body, action, client):
        ack()
        value = _json_object(action.get("value"))
        open_view(client, body["trigger_id"], blocks.add_modal(
            person=value.get("user"), meeting=value.get("meeting")))

    def ack_modal(ack, view):
        person, point = _read(view)
        errors = {}
        if not person:
            errors["person"] = _("Pick the person you meet with.")
        if not point:
            errors["point"] = _("Write the talking point.")
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack(response_action="update", view=blocks.message_modal(
                _(":hourglass_flowing_sand: Adding it to your next 1-on-1...")))

    def submit_modal(body, view, client):
        person, point = _read(view)
        if not person or not point:
            return
        identity = identity_of(body)
        try:
            reply = run(services, identity, "add", person, point)
        except Exception as exc:  # every failure is told in the modal
            reply = blocks.problem(_problem_text(exc))
        if reply.text.startswith("Added to your 1-on-1"):
            services.home.refresh_later(identity)
            shown = update_view(client, view["id"], blocks.message_modal(
                reply.blocks[0]["text"]["text"]))
        else:
            shown = update_view(client, view["id"], blocks.add_modal(
                person=person, text=point, problem_text=reply.text))
        if not shown:  # the form was closed meanwhile: the outcome still reaches them
            services.slack.dm(identity, **reply.as_kwargs())

    app.view(blocks.MODAL_ID)(ack=ack_modal, lazy=[submit_modal])


def run(services: Services, identity: SlackIdentity, verb: str, person: str | None,
        point: str):
    """One 1-on-1 command, as a reply; expected failures become replies too."""
    oneonones = services.oneonones
    web_url = services.settings.geese_base_url
    try:
        if verb == "list":
            link = services.links.find(identity)
            meetings = oneonones.upcoming(identity)
            return blocks.upcoming_list(meetings, link.profile_pk if link else 0, web_url)
        if verb == "show":
            meeting, other = oneonones.next_with(identity, person)
            return blocks.meeting_detail(meeting, other, person, web_url)
        result = oneonones.add(identity, person, point)
        return blocks.added(result.meeting, result.other, point)
    except NoMeeting as exc:
        return blocks.no_meeting(exc.other, web_url, adding=verb == "add")
    except NotInGeese:
        return blocks.not_in_geese(person or "")
    except AgendaRace:
        return blocks.race(point)
    except Invalid as exc:
        return blocks.problem(_("7Geese didn't accept the talking point: ")
                              + refusal_text(exc.messages))
    except NotFound:
        return blocks.problem(_("That 1-on-1 is no longer in 7Geese. `/geese 1on1` shows what "
                              "is coming up."))


def _problem_text(exc: Exception) -> str:
    if isinstance(exc, NotLinked):
        return _("Link your 7Geese account first: run `/geese link`, then try again.")
    if isinstance(exc, LinkBroken):
        return _("7Geese no longer accepts your link. Run `/geese link` to reconnect.")
    if isinstance(exc, STORAGE_ERRORS):
        return _("I can't reach my storage right now. Please try again in a minute.")
    if isinstance(exc, GeeseError):
        return _("I couldn't reach 7Geese just now, so nothing was added. Please try again soon.")
    log.error("adding a talking point failed", exc_info=exc)
    return _("Something went wrong on my side, so nothing was added. Please try again.")


def _read(view: dict[str, Any]) -> tuple[str | None, str]:
    person = view_input(view, "person", "user").get("selected_user")
    point = (view_input(view, "point", "text").get("value") or "").strip()
    return person, point


def _fill_shortcut_modal(services: Services, client, identity: SlackIdentity, view_id: str,
                         author: str | None, quote: str) -> None:
    person = _manager_quickly(services, identity) or author
    update_view(client, view_id, blocks.add_modal(person=person, text=quote))


def _manager_quickly(services: Services, identity: SlackIdentity) -> str | None:
    link = services.links.find(identity)
    if link is None or link.broken:
        return None
    future = services.background.submit(services.oneonones.manager_slack_id, identity)
    try:
        return future.result(timeout=MANAGER_WAIT)
    except (FutureTimeout, GeeseError, *STORAGE_ERRORS):
        return None


def _json_object(text: str | None) -> dict[str, Any]:
    """Our buttons carry a JSON object; anything else opens a blank modal."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
