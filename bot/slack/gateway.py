"""The Slack calls that services and web pages need, outside a Bolt request.

Bolt gives handlers their own `client`; everything else (the link callback, the
clock) goes through here, with Slack's retry handlers for 429 and 5xx.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.slack import limits as limit
from bot.slack.blocks import clip
from bot.slack.ratelimit import (
    PACED,
    SharedRateLimiter,
    SharedRateLimitHandler,
    WorkspaceLimiters,
)
from storage.records import SlackIdentity

log = logging.getLogger(__name__)

# What each Slack error means for a send, in one table every sender reads (Delivery):
# transient  Slack busy or down: the same send, a little later, may work
# unreachable  the place itself is out of reach (archived, gone, the bot removed, the
#            workspace or channel closed to it): a standing send stops after three in
#            a row (storage/unreachable.py), and its setter is told
# payload    Slack refused what was sent: sent again as plain text
SLACK_ERRORS: dict[str, str] = {
    **dict.fromkeys(("ratelimited", "rate_limited", "fatal_error", "internal_error",
                     "service_unavailable", "request_timeout", "connection_error",
                     "server_error"), "transient"),
    **dict.fromkeys(("not_in_channel", "channel_not_found", "is_archived",
                     "restricted_action", "account_inactive", "ekm_access_denied",
                     "team_access_not_granted"), "unreachable"),
    **dict.fromkeys(("invalid_blocks", "invalid_blocks_format", "invalid_arguments",
                     "msg_too_long", "msg_blocks_too_long", "invalid_view"), "payload"),
}
TRANSIENT = frozenset(e for e, kind in SLACK_ERRORS.items() if kind == "transient")
UNREACHABLE = frozenset(e for e, kind in SLACK_ERRORS.items() if kind == "unreachable")
PAYLOAD_REFUSED = frozenset(e for e, kind in SLACK_ERRORS.items() if kind == "payload")
# views.open: the trigger_id lived 3 s and could be used once.
TRIGGER_ERRORS = frozenset({"expired_trigger_id", "exchanged_trigger_id",
                            "invalid_trigger_id"})


@dataclass(frozen=True)
class SlackPerson:
    """A Slack user as users.info describes them."""

    name: str
    email: str | None
    is_bot: bool = False
    deleted: bool = False
    tz: str | None = None  # the person's Slack timezone (IANA name)
    email_confirmed: bool = False  # Slack's is_email_confirmed: they proved the address
    is_admin: bool = False  # a workspace admin or owner (Slack's is_admin / is_owner)
    is_guest: bool = False  # a multi- or single-channel guest (is_restricted / ultra)
    locale: str | None = None  # the language of their Slack ("fr-CA"), asked for explicitly


@dataclass(frozen=True)
class ChannelInfo:
    is_private: bool
    shared_outside: bool  # people of another organisation are in it, or invited


@dataclass(frozen=True)
class Workspace:
    """A Slack workspace as team.info describes it."""

    name: str
    domain: str  # ganderlabs: ganderlabs.slack.com

    @property
    def address(self) -> str:
        return f"{self.domain}.slack.com"


@dataclass(frozen=True)
class Delivery:
    """What became of a message the bot sent: true when Slack took it."""

    error: str | None = None

    def __bool__(self) -> bool:
        return self.error is None

    @property
    def transient(self) -> bool:
        return self.error in TRANSIENT

    @property
    def unreachable(self) -> bool:
        return self.error in UNREACHABLE


def _error_of(exc: Exception) -> str:
    if isinstance(exc, LookupError):  # bot.slack.workspaces.NotInstalled: no token for it
        return "not_installed"
    if isinstance(exc, SlackApiError):
        if exc.response.status_code >= 500:
            return "server_error"
        return exc.response.get("error") or "unknown_error"
    return "connection_error"


class ViewError(Exception):
    """Slack would not open or update a view; `error` is its code."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


def open_view(client: WebClient, trigger_id: str, view: dict[str, Any]) -> str:
    """Open a modal and return its id. Raises ViewError (the trigger expired or was used,
    or Slack refused the view) for the caller's error handler to explain."""
    try:
        return client.views_open(trigger_id=trigger_id, view=view)["view"]["id"]
    except (SlackApiError, OSError) as exc:
        error = _error_of(exc)
        log.warning("views.open failed: %s", error)
        raise ViewError(error) from None


def update_view(client: WebClient, view_id: str, view: dict[str, Any]) -> bool:
    """Replace an open modal's content. False when it is gone (the person closed it) or
    Slack refused it: the caller tells the person another way when it matters."""
    try:
        client.views_update(view_id=view_id, view=view)
        return True
    except (SlackApiError, OSError) as exc:
        error = _error_of(exc)
        (log.info if error == "not_found" else log.warning)("views.update failed: %s", error)
        return False


class PacedClient(WebClient):
    """A WebClient that waits out a pause Slack put on a method in this workspace (a 429
    met by any process) before calling that method again; other methods go on."""

    def __init__(self, *args: Any, limiter: SharedRateLimiter, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._limiter = limiter

    def api_call(self, api_method: str, **kwargs: Any):  # type: ignore[override]
        if api_method not in PACED:  # posting keeps its own pace (SlackGateway.post)
            self._limiter.wait(api_method)
        return super().api_call(api_method, **kwargs)


def web_client(token: str | None, base_url: str, *,
               limiter: SharedRateLimiter | None = None) -> WebClient:
    if limiter is None:
        return WebClient(token=token, base_url=base_url, timeout=10, retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=1)])
    return PacedClient(token=token, base_url=base_url, timeout=10, limiter=limiter,
                       retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1),
                                       SharedRateLimitHandler(limiter),
                                       ServerErrorRetryHandler(max_retry_count=1)])


APOLOGY_HOME = {"type": "home", "blocks": [{"type": "section", "text": {
    "type": "mrkdwn", "text": ":warning: Sorry, part of this page couldn't be shown. Try "
    "`/geese help` meanwhile; the team has been told and is on it."}}]}


def plain_words(text: str, blocks: list[dict[str, Any]]) -> str:
    """What a refused message said, as plain text: each section's and context's words
    (buttons aside), within what Slack takes of a message's text."""
    words = [t for b in blocks for t in _block_words(b)]
    return clip("\n".join(words) if words else text, limit.UPDATE_TEXT)


def _block_words(block: dict[str, Any]) -> list[str]:
    found = []
    if isinstance(block.get("text"), dict):
        found.append(block["text"].get("text") or "")
    for field in block.get("fields") or []:
        found.append(field.get("text") or "")
    if block.get("type") == "context":
        found += [e.get("text") or "" for e in block.get("elements") or [] if "text" in e]
    return [w for w in found if w]


def _reasons(exc: Exception) -> str:
    """Slack's own account of a refused payload: its JSON pointers, for the log."""
    if not isinstance(exc, SlackApiError):
        return ""
    found = (exc.response.get("response_metadata") or {}).get("messages") or [
        str(e.get("pointer", "")) + " " + str(e.get("message", ""))
        for e in exc.response.get("errors") or [] if isinstance(e, dict)]
    return "; ".join(str(m) for m in found[:3])


class SlackGateway:
    def __init__(self, client_for: Callable[[SlackIdentity], WebClient], *,
                 limiters: WorkspaceLimiters | None = None,
                 refused: Callable[[str], None] | None = None):
        self._client_for = client_for
        # Paces posting so a fan-out (thousands of nudges) meets few 429s.
        self._limiters = limiters
        self._refused = refused or (lambda builder: None)  # a payload Slack refused (metrics)

    def _payload_refused(self, builder: str, method: str, exc: Exception) -> None:
        """Logged once, with Slack's pointers, and counted: a builder broke a rule."""
        log.error("Slack refused the %s payload (%s): %s %s", builder, method,
                  _error_of(exc), _reasons(exc))
        self._refused(builder)

    def _paced(self, identity: SlackIdentity) -> None:
        if self._limiters is not None:
            self._limiters.for_workspace(identity.enterprise_id, identity.team_id).acquire()

    def publish_home(self, identity: SlackIdentity, view: dict[str, Any]) -> bool:
        client = self._client_for(identity)
        try:
            client.views_publish(user_id=identity.user_id, view=view)
            return True
        except SlackApiError as exc:
            if _error_of(exc) not in PAYLOAD_REFUSED:
                log.warning("views.publish failed: %s", exc.response.get("error"))
                return False
            self._payload_refused("home.home_view", "views.publish", exc)
        try:  # a Home tab that says so, rather than none at all
            client.views_publish(user_id=identity.user_id, view=APOLOGY_HOME)
        except SlackApiError as exc:
            log.warning("views.publish failed: %s", exc.response.get("error"))
        return False

    def user_by_email(self, identity: SlackIdentity, email: str) -> tuple[str | None, bool]:
        """The Slack user id with this email in the person's workspace, and whether the
        answer is definitive: Slack's "no such user" is; Slack busy or down is not."""
        try:
            found = self._client_for(identity).users_lookupByEmail(email=email)
        except (SlackApiError, OSError, LookupError) as exc:
            error = _error_of(exc)
            if error != "users_not_found":
                log.warning("users.lookupByEmail failed: %s", error)
            return None, error == "users_not_found"
        return (found.get("user") or {}).get("id"), True

    def members(self, identity: SlackIdentity, channel: str) -> list[str]:
        """Everyone in a channel (all pages)."""
        return [member for page in self._member_pages(identity, channel) for member in page]

    def _member_pages(self, identity: SlackIdentity, channel: str) -> Iterator[list[str]]:
        client, cursor = self._client_for(identity), None
        while True:
            page = client.conversations_members(channel=channel, cursor=cursor, limit=1000)
            yield page.get("members") or []
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    def person(self, identity: SlackIdentity) -> SlackPerson | None:
        return self.lookup_person(identity)[0]

    def lookup_person(self, identity: SlackIdentity) -> tuple[SlackPerson | None, bool]:
        """The person as Slack describes them, and whether the answer is definitive (a
        "no such user" is; Slack being busy or down is not, and must not be cached)."""
        try:
            user = self._client_for(identity).users_info(user=identity.user_id,
                                                         include_locale=True)["user"]
        except (SlackApiError, OSError, LookupError) as exc:
            error = _error_of(exc)
            log.warning("users.info failed: %s", error)
            return None, error in ("user_not_found", "user_not_visible")
        profile = user.get("profile") or {}
        name = user.get("real_name") or profile.get("real_name") or user.get("name") or ""
        return SlackPerson(name=name, email=profile.get("email"),
                           is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
                           deleted=bool(user.get("deleted")), tz=user.get("tz"),
                           email_confirmed=user.get("is_email_confirmed") is True,
                           is_admin=user.get("is_admin") is True
                           or user.get("is_owner") is True,
                           is_guest=user.get("is_restricted") is not False
                           or user.get("is_ultra_restricted") is True,
                           locale=user.get("locale")), True

    def locale_now(self, identity: SlackIdentity, *, timeout: float) -> str | None:
        """The language of the person's Slack ("" when Slack gives none), asked once with
        a short timeout: an ack's first sight of someone. None when Slack didn't say."""
        try:
            client = self._client_for(identity)
            brief = WebClient(token=client.token, base_url=client.base_url, timeout=timeout)
            user = brief.users_info(user=identity.user_id, include_locale=True)["user"]
        except Exception as exc:  # slow, down or refusing: the default language will do
            log.info("users.info for a language failed: %s", _error_of(exc))
            return None
        return user.get("locale") or ""

    def members_or_none(self, identity: SlackIdentity, channel: str) -> list[str] | None:
        """Everyone in `channel`, or None when the bot cannot see its members (a private
        channel it is not in, or Slack unreachable)."""
        try:
            return self.members(identity, channel)
        except (SlackApiError, OSError, LookupError) as exc:
            log.info("conversations.members of %s failed: %s", channel, _error_of(exc))
            return None

    def is_member(self, identity: SlackIdentity, channel: str, user_id: str) -> bool | None:
        """Whether `user_id` is in `channel` (None when Slack would not say); reads pages
        only until it is found (a 20,000-member channel is 20 pages)."""
        try:
            return any(user_id in page for page in self._member_pages(identity, channel))
        except (SlackApiError, OSError, LookupError) as exc:
            log.info("conversations.members of %s failed: %s", channel, _error_of(exc))
            return None

    def channel(self, identity: SlackIdentity, channel: str) -> ChannelInfo | None:
        """What conversations.info says of a channel (None when Slack would not say)."""
        try:
            found = self._client_for(identity).conversations_info(channel=channel)
        except (SlackApiError, OSError, LookupError) as exc:
            log.info("conversations.info of %s failed: %s", channel, _error_of(exc))
            return None
        info = found.get("channel") or {}
        return ChannelInfo(
            is_private=bool(info.get("is_private")),
            # Slack Connect, or an invitation to it; a channel shared only between the
            # workspaces of one Enterprise Grid org stays inside the company.
            shared_outside=bool(info.get("is_ext_shared") or info.get("is_pending_ext_shared")
                                or (info.get("is_shared") and not info.get("is_org_shared"))))

    def is_private(self, identity: SlackIdentity, channel: str) -> bool | None:
        """Whether a channel is private (None when Slack would not say)."""
        info = self.channel(identity, channel)
        return None if info is None else info.is_private

    def workspace(self, identity: SlackIdentity) -> Workspace | None:
        """The workspace's name and Slack domain, from team.info: the domain is unique
        across Slack, so a workspace named like another still shows as itself."""
        try:
            team = self._client_for(identity).team_info(team=identity.team_id).get("team")
        except (SlackApiError, OSError, LookupError) as exc:
            log.info("team.info failed: %s", _error_of(exc))
            return None
        if not team or not team.get("domain"):
            return None
        return Workspace(name=team.get("name") or team["domain"], domain=team["domain"])

    def dm(self, identity: SlackIdentity, *, text: str,
           blocks: list[dict[str, Any]] | None = None, builder: str = "message") -> Delivery:
        """Post in the app's DM with the person; the Delivery says whether Slack took it."""
        return self.post(identity, identity.user_id, text=text, blocks=blocks, builder=builder)

    def post(self, identity: SlackIdentity, channel: str, *, text: str,
             blocks: list[dict[str, Any]] | None = None, builder: str = "message") -> Delivery:
        """Post in a channel (a user id: the app's DM with them). A refusal is logged with
        Slack's error; the Delivery carries it so nothing counts as sent that was not.
        When Slack refuses the payload itself, the same words go as plain text."""
        return self._deliver(identity, "chat.postMessage", channel,
                             lambda client, **message: client.chat_postMessage(
                                 channel=channel, **message), text, blocks, builder)

    def ephemeral(self, identity: SlackIdentity, channel: str, *, text: str,
                  blocks: list[dict[str, Any]] | None = None,
                  builder: str = "message") -> Delivery:
        """Show a message in `channel` to `identity` alone (chat.postEphemeral)."""
        return self._deliver(identity, "chat.postEphemeral", channel,
                             lambda client, **message: client.chat_postEphemeral(
                                 channel=channel, user=identity.user_id, **message),
                             text, blocks, builder)

    def _deliver(self, identity: SlackIdentity, method: str, channel: str,
                 send: Callable[..., Any], text: str, blocks: list[dict[str, Any]] | None,
                 builder: str) -> Delivery:
        self._paced(identity)
        try:
            send(self._client_for(identity), text=text, blocks=blocks)
            return Delivery()
        except (SlackApiError, OSError, LookupError) as exc:
            error = _error_of(exc)
            if error in PAYLOAD_REFUSED and blocks:
                self._payload_refused(builder, method, exc)
                return self._deliver(identity, method, channel, send,
                                     plain_words(text, blocks), None, builder)
            log.warning("%s to %s in %s failed: %s", method, channel, identity.team_id, error)
            return Delivery(error)

    def respond(self, response_url: str, *, text: str,
                blocks: list[dict[str, Any]] | None = None, replace_original: bool = False,
                response_type: str = "ephemeral", builder: str = "message") -> bool:
        try:
            resp = WebhookClient(response_url, timeout=10).send(
                text=text, blocks=blocks, replace_original=replace_original,
                response_type=response_type,
            )
        except OSError as exc:
            log.warning("response_url post failed: %s", type(exc).__name__)
            return False
        if resp.status_code == 400 and blocks and resp.body in PAYLOAD_REFUSED:
            log.error("Slack refused the %s payload (response_url): %s", builder, resp.body)
            self._refused(builder)
            return self.respond(response_url, text=plain_words(text, blocks),
                                replace_original=replace_original,
                                response_type=response_type, builder=builder)
        return resp.status_code == 200
