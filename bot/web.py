"""The HTTP side: Slack's requests, the 7Geese link routes, and a health check.

    POST /slack/events           every Slack request (Bolt verifies the signature)
    GET  /link/7geese/start      spends a link ticket, binds the browser, goes to 7Geese
    GET  /link/7geese/callback   the OAuth redirect URI
    GET  /healthz                200 when Redis answers, 503 otherwise
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, redirect, request
from slack_bolt.adapter.flask import SlackRequestHandler

from bot import blocks, pages
from bot.app import build_app
from bot.config import Settings
from bot.linking import LinkOutcome, LinkRefused
from bot.services import Services, build_services
from storage import STORAGE_ERRORS
from storage.connection import ping

log = logging.getLogger(__name__)

COOKIE = "geese_link_browser"
COOKIE_PATH = "/link/7geese/"


def create_app(settings: Settings | None = None, services: Services | None = None, *,
               slack_events: bool = True) -> Flask:
    """gunicorn calls this with no arguments (`bot.web:create_app()`); tests and the
    playground pass their own settings and services."""
    settings = settings or Settings.from_env("serve")
    services = services or build_services(settings)
    web = Flask("geese_bot")
    web.config["services"] = services

    if slack_events:
        slack_handler = SlackRequestHandler(build_app(settings, services))

        @web.post("/slack/events")
        def slack_events_route():
            return slack_handler.handle(request)

        if settings.multi_workspace:
            # Bolt serves the "Add to Slack" page and the OAuth redirect itself.
            @web.get("/slack/install")
            def slack_install_route():
                return slack_handler.handle(request)

            @web.get("/slack/oauth_redirect")
            def slack_oauth_redirect_route():
                return slack_handler.handle(request)

    @web.get("/healthz")
    def healthz():
        if ping(services.redis):
            return jsonify(ok=True)
        return jsonify(ok=False, redis="unreachable"), 503

    @web.get("/link/7geese/start")
    def link_start():
        ticket = request.args.get("ticket", "")
        if not ticket:
            return _refusal_page("ticket_missing", 400)
        try:
            start = services.linking.begin(ticket)
        except LinkRefused as refused:
            return _refusal_page(refused.reason, 400)
        except STORAGE_ERRORS:
            return _refusal_page("storage", 503)
        resp = redirect(start.authorize_url, code=302)
        resp.set_cookie(COOKIE, start.browser_secret, max_age=600, path=COOKIE_PATH,
                        httponly=True, samesite="Lax", secure=settings.secure_cookies)
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["Referrer-Policy"] = "no-referrer"
        return resp

    @web.get("/link/7geese/callback")
    def link_callback():
        browser = request.cookies.get(COOKIE)
        state = request.args.get("state") or None
        try:
            if request.args.get("error"):
                refused = services.linking.deny(state=state, browser_secret=browser)
                _tell_slack(services, refused)
                return _forget_browser(_refusal_page("denied", 200))
            code = request.args.get("code")
            if not code or not state:
                return _refusal_page("state_invalid", 400)
            outcome = services.linking.complete(state=state, code=code, browser_secret=browser)
        except LinkRefused as refused:
            _tell_slack(services, refused)
            return _forget_browser(_refusal_page(refused.reason, 400))
        except STORAGE_ERRORS:
            return _refusal_page("storage", 503)
        _announce(services, outcome)
        # What the person typed before linking goes out now, without holding up the page;
        # the items are due in the outbox too, so the clock finishes them if this stops.
        services.background.submit(services.recognition.after_link, outcome.link.identity)
        services.home.refresh_later(outcome.link.identity)
        person = outcome.slack_person
        slack_name = person.name if person and person.name else outcome.link.identity.user_id
        return _forget_browser(Response(
            pages.linked_page(slack_name, outcome.link.name, outcome.link.email),
            mimetype="text/html", headers={"Cache-Control": "no-store"}))

    return web


def _refusal_page(reason: str, status: int) -> Response:
    if reason in pages.REFUSAL_PAGES:
        title, text = pages.REFUSAL_PAGES[reason]
    else:
        title, text = "Nothing was linked", blocks.link_refused(reason).text.replace("`", "")
    return Response(pages.page(title, text), status=status, mimetype="text/html",
                    headers={"Cache-Control": "no-store"})


def _forget_browser(resp: Response) -> Response:
    resp.delete_cookie(COOKIE, path=COOKIE_PATH)
    return resp


def _announce(services: Services, outcome: LinkOutcome) -> None:
    reply = blocks.linked(outcome.link)
    services.slack.dm(outcome.link.identity, **reply.as_kwargs())
    if outcome.response_url:
        # The ephemeral with the (now spent) link button gives way to the result.
        services.slack.respond(outcome.response_url, **reply.as_kwargs(), replace_original=True)


def _tell_slack(services: Services, refused: LinkRefused) -> None:
    """Tell the person in Slack why linking stopped, when we know who they are."""
    if refused.identity is None:
        return
    reply = blocks.link_refused(refused.reason, refused.detail)
    services.slack.dm(refused.identity, **reply.as_kwargs())
    if refused.response_url:
        services.slack.respond(refused.response_url, **reply.as_kwargs(), replace_original=True)
