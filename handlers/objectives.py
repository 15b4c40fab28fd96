"""`/geese objectives`, `/geese checkin`, and the check-in modal behind every
"Check in" button (the list, channel reminders, personal nudges)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.geese import GeeseError, Invalid, LinkBroken, NotLinked, RateLimited, Unavailable
from bot.geese.objectives import check_in, my_objectives, objective
from bot.i18n import _
from bot.objectives import blocks
from bot.objectives.checkin import metadata_of, read_form
from bot.services import Services
from bot.slack.blocks import refusal_text
from bot.slack.gateway import open_view, update_view
from handlers.errors import reporting
from handlers.payloads import COMMAND, identity_of, subcommand, working
from storage import STORAGE_ERRORS, SlackIdentity

log = logging.getLogger(__name__)

OBJECTIVES = ("objectives", "okrs", "goals")
CHECKIN = ("checkin", "check-in")
SUBCOMMANDS = OBJECTIVES + CHECKIN


def register(app: App, services: Services) -> None:
    def ack_list(ack):
        ack(**working(_("Fetching your objectives from 7Geese")))

    def send_list(body, respond):
        with reporting(services, body, respond):
            identity = identity_of(body)
            mine = my_objectives(services.geese.as_user(identity))
            services.checkins.remember(identity.key, mine.oldest_checkin)
            reply = blocks.objective_list(mine.objectives, mine.total,
                                          web_url=services.settings.geese_base_url)
            respond(**reply.as_kwargs(), replace_original=True, response_type="ephemeral")

    app.command(COMMAND, matchers=[subcommand(*OBJECTIVES)])(ack=ack_list, lazy=[send_list])

    @app.command(COMMAND, matchers=[subcommand(*CHECKIN)])
    def checkin_command(ack, body, client):
        ack()
        start_checkin(services, client, body, objective_pk=None,
                      metadata={"channel": body.get("channel_id")})

    @app.action(blocks.CHECKIN_BUTTON)
    @app.action(blocks.CHECKIN_FROM_LIST)
    def checkin_button(ack, body, action, client):
        ack()
        value = action.get("value") or ""
        # Only the `/geese objectives` list is refreshed in place (its response URL); a
        # nudge, a notification digest or any other message stays as it is.
        from_list = action.get("action_id") == blocks.CHECKIN_FROM_LIST
        metadata = {"response_url": body.get("response_url")} if from_list else {}
        start_checkin(services, client, body,
                      objective_pk=int(value) if value.isdigit() else None, metadata=metadata)

    @app.action(blocks.PICK)
    def picked(ack, body, action, client):
        ack()
        view = body.get("view")
        value = (action.get("selected_option") or {}).get("value") or ""
        if not view or not value.isdigit():
            return  # only the picker in our modal sends this; anything else is noise
        pk = int(value)
        services.lazy.submit(show_form, services, client, identity_of(body), view["id"], pk,
                             metadata_of(view))

    def ack_submit(ack, view):
        form = read_form(view)
        if form.errors:
            ack(response_action="errors", errors=form.errors)
        else:
            ack(response_action="update", view=blocks.saving(form.name))

    def submit(body, view, client):
        form = read_form(view)
        if form.errors:
            return
        post_checkin(services, client, identity_of(body), view, form)

    app.view(blocks.MODAL_ID)(ack=ack_submit, lazy=[submit])


def start_checkin(services: Services, client, body: dict[str, Any], *,
                  objective_pk: int | None, metadata: dict[str, Any]) -> None:
    """Open the modal at once (the trigger lives 3 s), then fill it from 7Geese."""
    identity = identity_of(body)
    view_id = open_view(client, body["trigger_id"], blocks.loading())
    services.lazy.submit(fill_checkin, services, client, identity, view_id,
                         objective_pk, metadata)


def fill_checkin(services: Services, client, identity: SlackIdentity, view_id: str,
                 objective_pk: int | None, metadata: dict[str, Any]) -> None:
    """The slow half: read 7Geese and put the form (or a picker) in the open modal."""
    try:
        if objective_pk is not None:
            show_form(services, client, identity, view_id, objective_pk, metadata)
            return
        mine = my_objectives(services.geese.as_user(identity))
        if not mine.objectives:
            update(client, view_id, blocks.message_view(
                _("You have no open objectives in 7Geese to check in on.")))
        elif len(mine.objectives) == 1:
            update(client, view_id, blocks.form(mine.objectives[0], metadata))
        else:
            update(client, view_id, blocks.picker(mine.objectives, metadata))
    except Exception as exc:  # every failure becomes a message in the modal
        update(client, view_id, blocks.message_view(problem_text(services, identity, exc)))


def show_form(services: Services, client, identity: SlackIdentity, view_id: str, pk: int,
              metadata: dict[str, Any]) -> None:
    try:
        found = objective(services.geese.as_user(identity), pk)
        view = blocks.form(found, metadata) if found else blocks.message_view(
            _("That objective isn't in 7Geese any more, or it isn't yours to check in on."))
    except Exception as exc:  # every failure becomes a message in the modal
        view = blocks.message_view(problem_text(services, identity, exc))
    update(client, view_id, view)


def post_checkin(services: Services, client, identity: SlackIdentity, view: dict[str, Any],
                 form) -> None:
    view_id = view["id"]
    session = services.geese.as_user(identity)

    def refill(problem: str) -> None:
        update(client, view_id, blocks.refilled(view, form.typed, form.status, form.message,
                                                problem))

    submitted_at = services.clock()
    try:
        before = objective(session, form.objective_pk)
        after = check_in(session, objective_pk=form.objective_pk, message=form.message,
                         status=form.status, values=form.values)
    except Invalid as exc:
        refill(_("7Geese didn't accept the check-in: ") + refusal_text(exc.messages))
        return
    except (Unavailable, RateLimited) as exc:
        landed = _landed(session, form, submitted_at)
        if landed is None:
            refill(_("7Geese is busy and asked me to slow down. Your values are still here: "
                   "press Check in again in a minute.") if isinstance(exc, RateLimited) else
                   _("7Geese didn't answer, so nothing was saved yet. Your values are still "
                   "here: press Check in again in a minute."))
            return
        before, after = landed, landed
    except GeeseError as exc:
        update(client, view_id, blocks.message_view(problem_text(services, identity, exc)))
        return
    services.checkins.forget(identity.key)  # a channel count reads it afresh
    if not update(client, view_id, blocks.checked_in(before or after, after)):
        # The form was closed meanwhile: the check-in is saved, so say so where it shows.
        services.slack.dm(identity, **blocks.checked_in_reply(before or after, after)
                          .as_kwargs())
    services.home.refresh_later(identity)
    response_url = form.metadata.get("response_url")
    if response_url:  # opened from the list: show the list as it is now
        try:
            mine = my_objectives(session)
        except GeeseError:
            return  # the check-in is saved; the list refreshes next time it is asked for
        services.slack.respond(response_url, **blocks.objective_list(
            mine.objectives, mine.total, web_url=services.settings.geese_base_url).as_kwargs(),
            replace_original=True)


def _landed(session, form, submitted_at: float):
    """After an unclear answer: did the check-in reach 7Geese anyway?"""
    try:
        now = objective(session, form.objective_pk)
    except GeeseError:
        return None
    if now is None or now.last_checkin is None:
        return None
    current = {kr.pk: kr.current for kr in now.key_results}
    if now.last_checkin.timestamp() >= submitted_at - 60 and all(
            current.get(pk) == value for pk, value in form.values.items()):
        return now
    return None


def problem_text(services: Services, identity: SlackIdentity, exc: Exception) -> str:
    if isinstance(exc, NotLinked):
        return (_("Link your 7Geese account first: run `/geese link`, then press *Check in* "
                "again."))
    if isinstance(exc, LinkBroken):
        return _("7Geese no longer accepts your link. Run `/geese link` to reconnect.")
    if isinstance(exc, STORAGE_ERRORS):
        return _("I can't reach my storage right now. Please try again in a minute.")
    if isinstance(exc, GeeseError):
        return _("I couldn't reach 7Geese just now. Please try again in a few minutes.")
    log.error("check-in modal failed", exc_info=exc)
    return _("Something went wrong on my side. Please try again.")


def update(client, view_id: str, view: dict[str, Any]) -> bool:
    return update_view(client, view_id, view)
