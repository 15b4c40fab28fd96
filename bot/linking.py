"""Linking a Slack user to their 7Geese account (OAuth2 authorization code + PKCE).

The flow, and what each step guarantees:
1. `ticket_url`: a single-use ticket (10 min) bound to the Slack identity, shown
   only to that person in an ephemeral message.
2. `begin`: spends the ticket, binds the browser (a random secret in an HttpOnly
   cookie, only its hash stored), stores a single-use `state` (10 min) with the
   PKCE verifier, and sends the browser to 7Geese.
3. `complete`: needs the same browser and an unspent state; exchanges the code,
   asks 7Geese who the account is, and (by default) insists it is the same
   person as in Slack (same email), so a forwarded link cannot bind someone
   else's 7Geese account to the wrong Slack user. Only then is anything stored.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from bot.geese import GeeseApi, GeeseError, GeeseOAuth
from bot.geese.errors import InvalidGrant
from storage.links import LinkStore
from storage.onetime import OneTimeStore
from storage.records import Link, SlackIdentity

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackPerson:
    name: str
    email: str | None
    is_bot: bool = False
    deleted: bool = False
    tz: str | None = None  # the person's Slack timezone (IANA name)


@dataclass(frozen=True)
class LinkStart:
    authorize_url: str
    browser_secret: str  # for the cookie; never stored


@dataclass(frozen=True)
class LinkOutcome:
    link: Link
    slack_person: SlackPerson | None
    replaced: Link | None
    response_url: str | None


class LinkRefused(Exception):
    """Linking stopped; nothing was stored. `reason` is a stable code for pages,
    `identity` is set when we know (and trust) whom to tell in Slack."""

    def __init__(self, reason: str, *, identity: SlackIdentity | None = None,
                 response_url: str | None = None, detail: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.identity = identity
        self.response_url = response_url
        self.detail = detail


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class LinkingService:
    def __init__(
        self,
        *,
        links: LinkStore,
        tickets: OneTimeStore,
        states: OneTimeStore,
        browsers: OneTimeStore,
        oauth: GeeseOAuth,
        api: GeeseApi,
        slack_person: Callable[[SlackIdentity], SlackPerson | None],
        start_url: str,
        require_same_email: bool = True,
        clock: Callable[[], float] = time.time,
    ):
        self._links = links
        self._tickets = tickets
        self._states = states
        self._browsers = browsers
        self._oauth = oauth
        self._api = api
        self._slack_person = slack_person
        self._start_url = start_url
        self._require_same_email = require_same_email
        self._clock = clock

    # -- step 1 ------------------------------------------------------------------

    def ticket_url(self, identity: SlackIdentity, *, response_url: str | None = None) -> str:
        ticket = self._tickets.issue({"identity": identity.key, "response_url": response_url})
        return f"{self._start_url}?{urlencode({'ticket': ticket})}"

    # -- step 2 ------------------------------------------------------------------

    def begin(self, ticket: str) -> LinkStart:
        record = self._tickets.consume(ticket)
        if record is None:
            raise LinkRefused("ticket_invalid")
        browser_secret = secrets.token_urlsafe(32)
        state = secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(64)
        self._states.put(state, {
            "identity": record["identity"],
            "browser": _hash(browser_secret),
            "verifier": verifier,
            "response_url": record.get("response_url"),
        })
        # Lets a denial that comes back without `state` still be traced to its owner.
        self._browsers.put(browser_secret, {"state": state})
        return LinkStart(self._oauth.authorization_url(state=state, code_verifier=verifier),
                         browser_secret)

    # -- step 3 ------------------------------------------------------------------

    def complete(self, *, state: str, code: str, browser_secret: str | None) -> LinkOutcome:
        if not browser_secret:
            # Leave the state unspent: its owner's browser may still come back with it.
            raise LinkRefused("browser_missing" if self._states.exists(state)
                              else "state_invalid")
        record = self._states.consume(state)
        if record is None:
            raise LinkRefused("state_invalid")
        self._browsers.consume(browser_secret)
        if not hmac.compare_digest(record["browser"], _hash(browser_secret)):
            raise LinkRefused("browser_mismatch")
        identity = SlackIdentity.from_key(record["identity"])
        response_url = record.get("response_url")

        def refuse(reason: str, detail: str | None = None) -> LinkRefused:
            return LinkRefused(reason, identity=identity, response_url=response_url,
                               detail=detail)

        try:
            token = self._oauth.exchange_code(code=code, code_verifier=record["verifier"],
                                              state=state)
        except InvalidGrant:
            raise refuse("exchange_failed") from None
        except GeeseError:
            raise refuse("unavailable") from None

        try:
            profile = self._api.current_user(token.access_token)
        except GeeseError:
            self._oauth.revoke(token)
            raise refuse("unavailable") from None

        person = self._slack_person(identity)
        if self._require_same_email:
            if person is None or not person.email:
                self._oauth.revoke(token)
                raise refuse("slack_email_unknown")
            if person.email.lower() != profile.email:
                self._oauth.revoke(token)
                raise refuse("email_mismatch", detail=person.email.lower())

        link = Link(identity=identity, token=token, profile_pk=profile.pk, name=profile.name,
                    email=profile.email, linked_at=int(self._clock()))
        replaced = self._links.find(identity)
        self._links.save(link)
        if replaced is not None and not replaced.broken:
            self._oauth.revoke(replaced.token)
        log.info("linked %s to 7Geese profile %s", identity.key, profile.pk)
        return LinkOutcome(link, person, replaced, response_url)

    def deny(self, *, state: str | None, browser_secret: str | None) -> LinkRefused:
        """The person said no at 7Geese. Spend what is left and say whom to tell."""
        if not state and browser_secret:
            state = (self._browsers.consume(browser_secret) or {}).get("state")
        elif browser_secret:
            self._browsers.consume(browser_secret)
        record = self._states.consume(state) if state else None
        if record is None or not browser_secret or not hmac.compare_digest(
            record["browser"], _hash(browser_secret)
        ):
            return LinkRefused("denied")
        return LinkRefused("denied", identity=SlackIdentity.from_key(record["identity"]),
                           response_url=record.get("response_url"))

    # -- after ---------------------------------------------------------------------

    def find(self, identity: SlackIdentity) -> Link | None:
        return self._links.find(identity)

    def unlink(self, identity: SlackIdentity) -> Link | None:
        """Forget the link at once; `revoke` it at 7Geese afterwards (failure tolerated)."""
        return self._links.delete(identity)

    def revoke(self, link: Link) -> bool:
        return False if link.broken else self._oauth.revoke(link.token)
