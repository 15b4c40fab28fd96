"""`/geese feedback @person subject: message`, and the form (`/geese feedback`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.feedback import blocks
from bot.feedback.parse import Feedback, parse
from bot.geese.feedback import VISIBILITY
from bot.i18n import _
from bot.services import Services
from bot.slack.gateway import open_view
from handlers.errors import reporting, require_link
from handlers.payloads import (
    COMMAND,
    after_subcommand,
    identity_of,
    subcommand,
    view_input,
    working,
)
from storage import SlackIdentity

FEEDBACK = ("feedback",)
SUBCOMMANDS = FEEDBACK



def register(app: App, services: Services) -> None:
    def ack_feedback(ack, body, client):
        parsed = parse(after_subcommand(body), sender=body.get("user_id", ""))
        if parsed is None:
            ack()
            open_view(client, body["trigger_id"], blocks.modal(
                metadata={"response_url": body.get("response_url")}))
        elif isinstance(parsed, str):
            ack(**blocks.problem(parsed).as_kwargs(), response_type="ephemeral")
        else:
            ack(**working(_("Sending your feedback")))

    def send(body, respond):
        parsed = parse(after_subcommand(body), sender=body.get("user_id", ""))
        if not isinstance(parsed, Feedback):
            return
        identity = identity_of(body)
        with reporting(services, body, respond):
            reply = submit(services, identity, parsed, visible_to=[])
            respond(**reply.as_kwargs(), replace_original=True, response_type="ephemeral")

    app.command(COMMAND, matchers=[subcommand(*FEEDBACK)])(ack=ack_feedback, lazy=[send])

    def read(view) -> tuple[dict[str, Any], dict[str, str]]:
        answers = {
            "recipient": view_input(view, "recipient", "user").get("selected_user"),
            "subject": (view_input(view, "subject", "subject").get("value") or "").strip(),
            "message": (view_input(view, "message", "message").get("value") or "").strip(),
            "visible_to": [o.get("value") for o in view_input(view, "visibility", "visibility")
                           .get("selected_options") or [] if o.get("value") in VISIBILITY],
        }
        errors = {}
        if not answers["recipient"]:
            errors["recipient"] = _("Pick the person the feedback is for.")
        if not answers["subject"]:
            errors["subject"] = _("Give it a subject.")
        if not answers["message"]:
            errors["message"] = _("Write your feedback.")
        return answers, errors

    def ack_modal(ack, body, view):
        answers, errors = read(view)
        if answers["recipient"] and answers["recipient"] == identity_of(body).user_id:
            errors["recipient"] = _("Feedback is for someone else.")
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    def submit_modal(body, view):
        answers, errors = read(view)
        identity = identity_of(body)
        if errors or answers["recipient"] == identity.user_id:
            return
        with reporting(services, body, None):
            reply = submit(services, identity, Feedback(answers["recipient"], answers["subject"],
                                                        answers["message"]),
                           visible_to=answers["visible_to"])
            services.slack.dm(identity, **reply.as_kwargs())

    app.view(blocks.MODAL_ID)(ack=ack_modal, lazy=[submit_modal])


def submit(services: Services, identity: SlackIdentity, feedback: Feedback, *,
           visible_to: list[str]):
    person = services.directory.slack_person(
        SlackIdentity(identity.team_id, feedback.recipient, identity.enterprise_id))
    if person is None or person.deleted or person.is_bot:
        return blocks.problem(_("<@{recipient}> isn't someone in this workspace who can "
                                "receive feedback.").format(
                                recipient=feedback.recipient))
    require_link(services, identity)
    return services.writes.submit("feedback", identity, {
        "recipient": feedback.recipient, "subject": feedback.subject,
        "message": feedback.message, "visible_to": visible_to})
