"""`/geese todo`, `/geese todo add ...`, the Done and Undo buttons, and the
*Add action item* form behind a 1-on-1's follow-up."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App

from bot.i18n import _
from bot.oneonones import items as action_items
from bot.services import Services
from bot.slack.blocks import problem, shown
from bot.slack.gateway import open_view
from bot.todo import blocks
from bot.todo.parse import Adding, due_date, parse
from handlers.errors import reporting, require_link, tell
from handlers.payloads import (
    COMMAND,
    after_subcommand,
    identity_of,
    subcommand,
    view_input,
    working,
)
from storage import SlackIdentity

TODO = ("todo", "todos", "actions")
SUBCOMMANDS = TODO



def register(app: App, services: Services) -> None:
    def ack_todo(ack, body):
        parsed = parse(after_subcommand(body))
        if isinstance(parsed, str):
            ack(**blocks_problem(parsed), response_type="ephemeral")
            return
        ack(**working(_("Adding your action item") if isinstance(parsed, Adding) else
                      _("Looking up your action items")))

    def answer_todo(body, respond):
        parsed = parse(after_subcommand(body))
        if isinstance(parsed, str):
            return
        identity = identity_of(body)
        with reporting(services, body, respond):
            if isinstance(parsed, Adding):
                reply = add(services, identity, parsed)
            else:
                items, total = services.todo.open_items(identity)
                reply = blocks.item_list(items, total, web_url=services.settings.geese_base_url)
            respond(**reply.as_kwargs(), replace_original=True, response_type="ephemeral")
        services.home.refresh_later(identity)

    app.command(COMMAND, matchers=[subcommand(*TODO)])(ack=ack_todo, lazy=[answer_todo])

    def toggle(done: bool):
        def ack_toggle(ack):
            ack()

        def run(body, action, respond):
            identity = identity_of(body)
            value = action.get("value") or ""
            if not value.isdigit():
                return  # only our buttons send this
            with reporting(services, body, respond):
                reply = services.writes.submit("todo_done", identity,
                                               {"pk": int(value), "done": done})
                if respond.response_url:  # the message it was pressed in shows it
                    respond(**reply.as_kwargs(), replace_original=False,
                            response_type="ephemeral")
                elif (body.get("view") or {}).get("type") != "home":
                    tell(services, body, None, reply)
            services.home.refresh_later(identity)
        return ack_toggle, run

    for action_id, done in ((action_items.DONE, True), (action_items.UNDO, False)):
        ack_toggle, run = toggle(done)
        app.action(action_id)(ack=ack_toggle, lazy=[run])

    @app.action(action_items.ADD)
    def add_button(ack, body, action, client):
        ack()
        try:
            value = json.loads(action.get("value") or "{}")
        except ValueError:
            return
        if not isinstance(value, dict) or not isinstance(value.get("meeting"), int):
            return
        open_view(client, body["trigger_id"], blocks.add_modal(
            meeting=value["meeting"], person=value.get("user")))

    def ack_modal(ack, view):
        title = (view_input(view, "title", "title").get("value") or "").strip()
        if not title:
            ack(response_action="errors", errors={"title": _("Write what there is to do.")})
        else:
            ack()

    def submit_modal(body, view):
        title = (view_input(view, "title", "title").get("value") or "").strip()
        if not title:
            return
        identity = identity_of(body)
        try:
            metadata = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            metadata = {}
        mine = (view_input(view, "mine", "mine").get("selected_option") or {}).get("value")
        with reporting(services, body, None):
            reply = services.writes.submit("todo_add", identity, {
                "meeting": metadata.get("meeting"), "title": title[:255],
                "theirs": mine == "them",
                "due": view_input(view, "due", "due").get("selected_date")})
            services.slack.dm(identity, **reply.as_kwargs())
        services.home.refresh_later(identity)

    app.view(blocks.ADD_MODAL)(ack=ack_modal, lazy=[submit_modal])


def add(services: Services, identity: SlackIdentity, adding: Adding):
    require_link(services, identity)
    due = None
    if adding.due:
        found = due_date(adding.due, services.todo.today(identity))
        if found is None:
            return problem(_("I can't read `{due}` as a day. Try `due friday`, `due "
                             "tomorrow` or `due 2026-12-11`.").format(
                             due=shown(adding.due, 40)))
        due = found.isoformat()
    if adding.assignee not in (None, identity.user_id, adding.partner):
        return problem(_("An action item belongs to you or the person you meet with: use "
                         "`for <@{partner}>` or leave `for` out.").format(
                         partner=adding.partner))
    return services.writes.submit("todo_add", identity, {
        "partner": adding.partner, "title": adding.title,
        "theirs": adding.assignee == adding.partner, "due": due})


def blocks_problem(text: str) -> dict[str, Any]:
    return problem(text).as_kwargs()
