"""The HTTP side: Slack's requests, the 7Geese link routes, and a health check.

    POST /slack/events           every Slack request (Bolt verifies the signature)
    GET  /link/7geese/start      "is this you?": names the Slack person and workspace
    POST /link/7geese/start      spends the link ticket, binds the browser, goes to 7Geese
    GET  /link/7geese/callback   the OAuth redirect URI
    GET  /healthz                200 when Redis answers, 503 otherwise
    GET  /metrics                Prometheus metrics (a bearer token when METRICS_TOKEN is set)

Bodies over MAX_BODY are refused with 413 before anything reads them, and a body that
does not parse gets 400 with one log line.
"""

from __future__ import annotations

import logging
import secrets
import time
from urllib.parse import unquote_to_bytes, urlsplit

from flask import Flask, Response, jsonify, redirect, request
from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt.adapter.flask import SlackRequestHandler
from werkzeug.exceptions import RequestEntityTooLarge

from bot import i18n
from bot.app import build_app
from bot.config import Settings
from bot.i18n import _
from bot.link import blocks, pages
from bot.link.service import LinkOutcome, LinkRefused
from bot.ops.logs import add_context
from bot.ops.metrics import RedisFigures
from bot.services import Services, build_services
from bot.slack.gateway import SlackPerson
from storage import STORAGE_ERRORS, SlackIdentity
from storage.connection import ping

log = logging.getLogger(__name__)

COOKIE = "geese_link_browser"
CONFIRM_COOKIE = "geese_link_confirm"
COOKIE_PATH = "/link/7geese/"
# Slack's largest requests (a view submission with a full modal) are tens of KiB.
MAX_BODY = 1024 * 1024
PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                "X-Frame-Options": "DENY"}


def page_headers(settings: Settings) -> dict[str, str]:
    """Our pages: never cached, never framed (no click-jacking the Continue button), and
    their one form may only lead here and on to 7Geese."""
    geese = urlsplit(settings.geese_base_url)
    return {**PAGE_HEADERS, "Content-Security-Policy":
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
            f"form-action 'self' {geese.scheme}://{geese.netloc}"}


def create_app(settings: Settings | None = None, services: Services | None = None, *,
               slack_events: bool = True) -> Flask:
    """gunicorn calls this with no arguments (`bot.web:create_app()`); tests and the
    playground pass their own settings and services."""
    settings = settings or Settings.from_env("serve")
    services = services or build_services(settings)
    web = Flask("geese_bot")
    web.config["services"] = services
    web.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    headers = page_headers(settings)

    @web.before_request
    def refuse_large_bodies():
        # Before any parsing: a declared length over the limit is refused unread (a body
        # without one is cut off at the limit by Werkzeug as it is read).
        if (request.content_length or 0) > MAX_BODY:
            raise RequestEntityTooLarge()

    @web.before_request
    def speak_the_browsers_language():
        # The link pages: the browser's language until we know whose link it is. (Slack's
        # own requests get their sender's language in the Bolt middleware.)
        if request.path.startswith("/link/"):
            i18n.activate(request.accept_languages.best_match(i18n.LANGUAGES)
                          or settings.default_language)

    @web.errorhandler(RequestEntityTooLarge)
    def too_large(_error):
        log.warning("refused a %s-byte request to %s", request.content_length, request.path)
        return jsonify(error="request body too large"), 413

    if slack_events:
        slack_handler = SlackRequestHandler(build_app(settings, services))
        web.config["bolt"] = slack_handler.app  # for bench/ack_profile.py

        @web.post("/slack/events")
        def slack_events_route():
            started = time.monotonic()
            add_context(request=secrets.token_hex(6))
            try:
                return slack_handler.handle(request)
            except (RecursionError, ValueError, UnicodeDecodeError) as exc:
                # A body Bolt cannot parse (nested past Python's recursion limit, or not
                # what its content type says): one line, no traceback, and a 400.
                log.warning("unparseable request to /slack/events: %s", type(exc).__name__)
                return jsonify(error="bad request"), 400
            finally:
                services.metrics.ack_seconds.labels(request_kind()).observe(
                    time.monotonic() - started)

        if settings.multi_workspace:
            # Bolt serves the "Add to Slack" page and the OAuth redirect itself.
            @web.get("/slack/install")
            def slack_install_route():
                return slack_handler.handle(request)

            @web.get("/slack/oauth_redirect")
            def slack_oauth_redirect_route():
                return slack_handler.handle(request)

    figures = RedisFigures(services, clock=services.clock)

    @web.get("/metrics")
    def metrics():
        token = settings.metrics_token
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        # Bytes: compare_digest refuses a str that is not ASCII (a 500, not a 401).
        if token and not secrets.compare_digest(given.encode(), token.encode()):
            return Response("unauthorized\n", status=401, mimetype="text/plain",
                            headers={"WWW-Authenticate": "Bearer"})
        try:
            body = services.metrics.scrape(figures)
        except STORAGE_ERRORS:  # the process's own figures, without Redis's
            body = services.metrics.scrape(None)
        return Response(body, mimetype=CONTENT_TYPE_LATEST)

    @web.get("/healthz")
    def healthz():
        if ping(services.redis):
            return jsonify(ok=True)
        return jsonify(ok=False, redis="unreachable"), 503

    @web.get("/link/7geese/start")
    def link_confirm():
        """Names whom the link is for and asks the person to continue: a forwarded
        button then shows someone else's name, and a link scanner spends nothing."""
        ticket = request.args.get("ticket", "")
        if not ticket:
            return _refusal_page("ticket_missing", 400)
        try:
            preview = services.linking.preview(ticket)
        except LinkRefused as refused:
            return _refusal_page(refused.reason, 400)
        except STORAGE_ERRORS:
            return _refusal_page("storage", 503)
        _speak_to(services, preview.identity, preview.person)
        nonce = secrets.token_urlsafe(24)
        person, workspace = preview.person, preview.workspace
        resp = Response(pages.confirm_page(
            slack_name=person.name if person and person.name else preview.identity.user_id,
            workspace=workspace.name if workspace else preview.identity.team_id,
            address=workspace.address if workspace else None,
            company=preview.company, binds=preview.binds, ticket=ticket, nonce=nonce),
            mimetype="text/html", headers=headers)
        # Only this page's form can continue: a cross-site POST carries no such cookie.
        resp.set_cookie(CONFIRM_COOKIE, nonce, max_age=600, path=COOKIE_PATH, httponly=True,
                        samesite="Strict", secure=settings.secure_cookies)
        return resp

    @web.post("/link/7geese/start")
    def link_start():
        ticket = request.form.get("ticket", "")
        nonce = request.form.get("confirm", "")
        if not ticket:
            return _refusal_page("ticket_missing", 400)
        if not nonce or not secrets.compare_digest(
                nonce.encode(), request.cookies.get(CONFIRM_COOKIE, "").encode()):
            return _refusal_page("not_confirmed", 400)
        try:
            start = services.linking.begin(ticket)
        except LinkRefused as refused:
            return _refusal_page(refused.reason, 400)
        except STORAGE_ERRORS:
            return _refusal_page("storage", 503)
        resp = redirect(start.authorize_url, code=303)
        resp.set_cookie(COOKIE, start.browser_secret, max_age=600, path=COOKIE_PATH,
                        httponly=True, samesite="Lax", secure=settings.secure_cookies)
        resp.delete_cookie(CONFIRM_COOKIE, path=COOKIE_PATH)
        resp.headers.update(headers)
        return resp

    @web.get("/link/7geese/callback")
    def link_callback():
        browser = request.cookies.get(COOKIE)
        state = request.args.get("state") or None
        try:
            if request.args.get("error"):
                refused = services.linking.deny(state=state, browser_secret=browser)
                _speak_to(services, refused.identity)
                _tell_slack(services, refused)
                page = _refusal_page("denied", 200)
                # Only a genuine answer ends the browser's binding: a forged one leaves
                # the link in progress as it was.
                return _forget_browser(page) if refused.identity else page
            code = request.args.get("code")
            if not code or not state:
                return _refusal_page("state_invalid", 400)
            outcome = services.linking.complete(state=state, code=code, browser_secret=browser)
        except LinkRefused as refused:
            _speak_to(services, refused.identity)
            _tell_slack(services, refused)
            return _forget_browser(_refusal_page(refused.reason, 400))
        except STORAGE_ERRORS:
            return _refusal_page("storage", 503)
        _speak_to(services, outcome.link.identity, outcome.slack_person)
        _announce(services, outcome)
        # What the person typed before linking goes out now, without holding up the page;
        # the items are due in the outbox too, so the clock finishes them if this stops.
        services.background.submit(services.recognition.after_link, outcome.link.identity)
        services.home.refresh_later(outcome.link.identity)
        person = outcome.slack_person
        slack_name = person.name if person and person.name else outcome.link.identity.user_id
        return _forget_browser(Response(
            pages.linked_page(slack_name, outcome.link.name, outcome.link.email),
            mimetype="text/html", headers=headers))

    return web


KINDS = ((b'"type":"block_actions"', "action"), (b'"type":"view_', "view"),
         (b'"type":"shortcut"', "shortcut"), (b'"type":"message_action"', "shortcut"),
         (b'"type":"block_suggestion"', "options"))


def request_kind() -> str:
    """command, action, view, shortcut, options or event: what Slack sent, read from the
    start of the raw body Bolt already took (no second parse of the form)."""
    if request.is_json:
        return "event"
    data = request.get_data(cache=True)
    if data.startswith(b"payload="):
        head = unquote_to_bytes(data[8:300].replace(b"+", b" ")).replace(b" ", b"")
        return next((kind for marker, kind in KINDS if marker in head), "other")
    return "command" if b"command=" in data else "other"


def _speak_to(services: Services, identity: SlackIdentity | None,
              person: SlackPerson | None = None) -> None:
    """The rest of a link page and its Slack messages: in the language of the person the
    link is for."""
    if identity is None:
        return
    try:
        i18n.activate(services.languages.of(identity, person=person))
    except Exception:  # Slack or Redis down: the browser's language will do
        log.warning("could not tell the language of %s", identity.key, exc_info=True)


def _refusal_page(reason: str, status: int) -> Response:
    if reason in pages.REFUSAL_PAGES:
        title, text = (_(words) for words in pages.REFUSAL_PAGES[reason])
    else:
        title, text = _("Nothing was linked"), blocks.link_refused(reason).text.replace("`", "")
    return Response(pages.page(title, text), status=status, mimetype="text/html",
                    headers=PAGE_HEADERS)


def _forget_browser(resp: Response) -> Response:
    resp.delete_cookie(COOKIE, path=COOKIE_PATH)
    return resp


def _announce(services: Services, outcome: LinkOutcome) -> None:
    reply = blocks.linked(outcome.link, outcome.bound)
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
