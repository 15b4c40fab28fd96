"""Every failure a person can meet, mapped to one friendly answer, in one place.

Bolt sends listener exceptions to the global error handler registered here: a
command not yet acknowledged gets the answer as its HTTP response; later work
(lazy listeners, after ack) answers through `respond`.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from typing import Any

from slack_bolt import App, BoltResponse

from bot.geese import (
    Invalid,
    LinkBroken,
    NotFound,
    NotLinked,
    RateLimited,
    Unavailable,
)
from bot.i18n import N_, _
from bot.link.blocks import link_prompt, reconnect
from bot.services import Services
from bot.slack import blocks
from bot.slack.blocks import Reply
from bot.slack.gateway import TRIGGER_ERRORS, ViewError
from handlers.payloads import identity_of
from storage import STORAGE_ERRORS

log = logging.getLogger(__name__)

STORAGE_DOWN = (N_("I can't reach my storage right now, so I didn't do anything. "
                "Please try again in a minute."))
UNEXPECTED = (N_("Something went wrong on my side and nothing was changed. Please try again; "
              "if it keeps happening, let your Slack admin know."))
FORM_LATE = (N_("Slack gives me three seconds to open a form, and this time I missed it. "
             "Nothing was changed; please try again."))
FORM_REFUSED = (N_("Slack wouldn't open that form just now (it said `{error}`). Nothing was "
                "changed; please try again in a minute."))


def reply_for(error: Exception, services: Services, body: dict[str, Any]) -> Reply:
    if isinstance(error, ViewError):
        return blocks.problem(_(FORM_LATE) if error.error in TRIGGER_ERRORS
                              else _(FORM_REFUSED).format(error=error.error))
    if isinstance(error, STORAGE_ERRORS):
        return blocks.problem(_(STORAGE_DOWN))
    if isinstance(error, NotLinked | LinkBroken):
        try:
            url = services.linking.ticket_url(identity_of(body),
                                              response_url=body.get("response_url"))
        except (*STORAGE_ERRORS, ValueError):
            return blocks.problem(_(STORAGE_DOWN))
        if isinstance(error, LinkBroken):
            return reconnect(url, error.email)
        return link_prompt(url)
    if isinstance(error, RateLimited):
        return blocks.problem(_("7Geese is busy and asked me to slow down. "
                              "Nothing was changed; please try again in a minute."))
    if isinstance(error, Unavailable):
        return blocks.problem(_("I couldn't reach 7Geese just now, so nothing was changed. "
                              "Please try again in a few minutes."))
    if isinstance(error, NotFound):
        return blocks.problem(_("7Geese couldn't find that. It may have been removed."))
    if isinstance(error, Invalid):
        return blocks.problem(_("7Geese didn't accept that: {reasons}").format(
            reasons=blocks.refusal_text(error.messages)))
    log.error("unexpected error in a listener", exc_info=error)
    return blocks.problem(_(UNEXPECTED))


def require_link(services: Services, identity) -> None:
    """Before queueing work that acts as the person: they must be linked (the error
    handler then answers with the link button)."""
    link = services.links.find(identity)
    if link is None:
        raise NotLinked()
    if link.broken:
        raise LinkBroken(link.email)


def register(app: App, services: Services) -> None:
    @app.error
    def answer_error(error, body, response, respond):
        reply = reply_for(error, services, body or {})
        if response is not None and (body or {}).get("command"):
            # Not acknowledged yet: the answer travels in the HTTP response itself.
            return BoltResponse(
                status=200,
                headers={"content-type": ["application/json;charset=utf-8"]},
                body=json.dumps({"response_type": "ephemeral", **reply.as_kwargs()}),
            )
        tell(services, body or {}, respond, reply)
        return None


def tell(services: Services, body: dict[str, Any], respond, reply: Reply, *,
         replace: bool = False) -> None:
    """Answer the person where they are: through the response URL when the request has
    one (a command, a message button or shortcut), else by DM (the Home tab, a modal)."""
    try:
        if respond is not None and respond.response_url:
            respond(**reply.as_kwargs(), response_type="ephemeral", replace_original=replace)
        elif body.get("user") or body.get("user_id"):
            services.slack.dm(identity_of(body), **reply.as_kwargs())
    except Exception:  # Slack itself unreachable: nothing else to tell anyone
        log.warning("could not tell the person what happened", exc_info=True)


@contextmanager
def reporting(services: Services, body: dict[str, Any], respond):
    """For work after the ack: a failure is told to the person, not just logged."""
    try:
        yield
    except Exception as error:
        # It takes the place of the "working on it" answer, if there was one.
        tell(services, body, respond, reply_for(error, services, body), replace=True)
