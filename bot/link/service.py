"""Linking a Slack user to their 7Geese account (OAuth2 authorization code + PKCE).

The flow, and what each step guarantees:
1. `ticket_url`: a single-use ticket (10 min) bound to the Slack identity, shown
   only to that person in an ephemeral message.
2. `begin`: spends the ticket, binds the browser (a random secret in an HttpOnly
   cookie, only its hash stored), stores a single-use `state` (10 min) with the
   PKCE verifier, and sends the browser to 7Geese.
   Before that, a confirmation page (`preview`) names the Slack person and workspace
   the link is for; only the person's "Continue" spends the ticket.
3. `complete`: needs the same browser and an unspent state; exchanges the code,
   asks 7Geese who the account is, and (by default) insists it is the same
   person as in Slack (the same email, which Slack says they confirmed), so a
   forwarded link cannot bind someone else's 7Geese account to the wrong Slack
   user; the account must also be in the 7Geese company the workspace is bound
   to. Only then is anything stored; a refusal after the code exchange revokes the
   token 7Geese issued.

Who binds a workspace to a company: in multi-workspace mode a workspace admin, with
`/geese admin bind` (a link whose ticket says so, checked again when it completes);
a plain link in an unbound workspace is refused, since whoever links first could
otherwise be the attacker who installed the app. In single-workspace mode (one
operator, one workspace) the first link binds it.
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
from bot.geese.models import Profile, ascii_lower
from bot.i18n import _
from bot.slack.gateway import SlackPerson, Workspace
from storage.companies import WorkspaceCompanies
from storage.links import LinkStore
from storage.onetime import OneTimeStore
from storage.records import Link, OAuthToken, SlackIdentity

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkPreview:
    """What the confirmation page names before anything is spent."""

    identity: SlackIdentity
    person: SlackPerson | None
    workspace: Workspace | None
    company: str | None  # the 7Geese company the workspace is bound to, by name
    binds: bool  # an admin's bind: the sign-in names the workspace's company


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
    bound: str | None = None  # this link bound the workspace to that company (its name)


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


def in_domains(email: str, domains: tuple[str, ...]) -> bool:
    """The address's domain is exactly one of `domains` (a subdomain is not)."""
    _local, at, domain = email.rpartition("@")
    return bool(at) and email.isascii() and ascii_lower(domain.strip()) in domains


def same_email(slack_email: str, geese_email: str) -> bool:
    """Exactly the same address, A-Z folded and nothing else: an address with other
    characters (look-alikes such as KELVIN SIGN for "K") is never a match."""
    if not (slack_email.isascii() and geese_email.isascii()):
        return False
    return ascii_lower(slack_email.strip()) == ascii_lower(geese_email.strip()) != ""


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
        companies: WorkspaceCompanies,
        require_same_email: bool = True,
        admin_binds: bool = False,
        email_domains: tuple[str, ...] = (),
        installed: Callable[[SlackIdentity], bool] = lambda identity: True,
        workspace: Callable[[SlackIdentity], Workspace | None] = lambda identity: None,
        revoke: Callable[[OAuthToken], bool] | None = None,
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
        self._companies = companies  # one 7Geese company per workspace
        self._admin_binds = admin_binds  # multi-workspace mode: only an admin binds
        self._email_domains = email_domains
        self._installed = installed
        self._workspace = workspace
        # Revoking at 7Geese; the service wires in a revoker that queues what fails.
        self._revoke = revoke or (lambda token: oauth.revoke(token) == "revoked")
        self._clock = clock

    # -- step 1 ------------------------------------------------------------------

    def ticket_url(self, identity: SlackIdentity, *, response_url: str | None = None,
                   binds: bool = False) -> str:
        """`binds`: an admin's `/geese admin bind` (checked again when the link completes)."""
        ticket = self._tickets.issue({"identity": identity.key, "response_url": response_url,
                                      "binds": binds})
        return f"{self._start_url}?{urlencode({'ticket': ticket})}"

    def company(self, identity: SlackIdentity) -> int | None:
        """The 7Geese company the person's workspace is bound to (None: not yet)."""
        return self._companies.find(enterprise_id=identity.enterprise_id,
                                    team_id=identity.team_id)

    def company_name(self, identity: SlackIdentity) -> str | None:
        return self._companies.name(enterprise_id=identity.enterprise_id,
                                    team_id=identity.team_id)

    def needs_binding(self, identity: SlackIdentity) -> bool:
        """A plain link here would be refused: an admin must bind the workspace first."""
        return self._admin_binds and self.company(identity) is None

    # -- step 2 ------------------------------------------------------------------

    def preview(self, ticket: str) -> LinkPreview:
        """Whom a ticket would link, for the page that asks "is this you?" (a GET, which
        link scanners and previews may send too, so nothing is spent)."""
        record = self._tickets.peek(ticket)
        if record is None:
            raise LinkRefused("ticket_invalid")
        identity = SlackIdentity.from_key(record["identity"])
        if not self._installed(identity):
            raise LinkRefused("workspace_gone")
        if not record.get("binds") and self.needs_binding(identity):
            raise LinkRefused("workspace_unbound")  # say so now, not after the sign-in
        return LinkPreview(identity, self._slack_person(identity), self._workspace(identity),
                           self.company_name(identity), bool(record.get("binds")))

    def begin(self, ticket: str) -> LinkStart:
        """The person confirmed: spend the ticket and bind it to this browser."""
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
            "binds": bool(record.get("binds")),
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
            if not self._installed(identity):  # uninstalled meanwhile: that is the reason
                return LinkRefused("workspace_gone")
            return LinkRefused(reason, identity=identity, response_url=response_url,
                               detail=detail)

        if not self._installed(identity):  # uninstalled meanwhile: nothing to link to
            raise LinkRefused("workspace_gone")
        try:
            token = self._oauth.exchange_code(code=code, code_verifier=record["verifier"],
                                              state=state)
        except InvalidGrant:
            raise refuse("exchange_failed") from None
        except GeeseError:
            raise refuse("unavailable") from None
        # From here on 7Geese has issued a token: whatever stops the link revokes it.
        try:
            return self._keep(identity, token, response_url, refuse,
                              binds=bool(record.get("binds")))
        except BaseException:
            self._revoke(token)
            raise

    def _keep(self, identity: SlackIdentity, token: OAuthToken, response_url: str | None,
              refuse: Callable[..., LinkRefused], *, binds: bool) -> LinkOutcome:
        """Check whose account it is and store the link, or refuse."""
        try:
            profile = self._api.current_user(token.access_token)
        except GeeseError:
            raise refuse("unavailable") from None
        person = self._slack_person(identity)
        if self._require_same_email:
            if person is None or not person.email:
                raise refuse("slack_email_unknown")
            if not person.email_confirmed:
                raise refuse("slack_email_unconfirmed")
            if not same_email(person.email, profile.email):
                raise refuse("email_mismatch", detail=person.email)
        if self._email_domains and not in_domains(profile.email, self._email_domains):
            raise refuse("email_domain")
        if profile.company_pk is None:
            raise refuse("company_unknown")
        bound = self._check_company(identity, person, profile, binds, refuse)

        link = Link(identity=identity, token=token, profile_pk=profile.pk, name=profile.name,
                    email=profile.email, linked_at=int(self._clock()),
                    company_pk=profile.company_pk)
        replaced = self._links.find(identity)
        self._links.save(link)
        if not self._installed(identity):  # uninstalled while 7Geese answered: undo
            self._links.delete(identity)
            raise refuse("workspace_gone")  # the caller revokes the token
        if replaced is not None and not replaced.broken:
            self._revoke(replaced.token)
        log.info("linked %s to 7Geese profile %s", identity.key, profile.pk)
        return LinkOutcome(link, person, replaced, response_url, bound)

    def _check_company(self, identity: SlackIdentity, person: SlackPerson | None,
                       profile: Profile, binds: bool,
                       refuse: Callable[..., LinkRefused]) -> str | None:
        """The account is of the workspace's company; an admin's bind (or, with one
        workspace, the first link) names that company: then its name is returned."""
        bound = self.company(identity)
        if bound is None:
            if binds:
                # Asked afresh at the end: admin rights may have gone since the command.
                if person is None or not person.is_admin:
                    raise refuse("not_admin")
            elif self._admin_binds:
                raise refuse("workspace_unbound")
            bound = self._companies.bind(enterprise_id=identity.enterprise_id,
                                         team_id=identity.team_id,
                                         company_pk=profile.company_pk,
                                         name=profile.company_name)
            if bound == profile.company_pk:
                log.info("workspace %s bound to 7Geese company %s",
                         identity.team_id, profile.company_pk)
                return profile.company_name or _("your 7Geese company")
        if bound != profile.company_pk:
            raise refuse("company_mismatch")
        return None

    def deny(self, *, state: str | None, browser_secret: str | None) -> LinkRefused:
        """The person said no at 7Geese. Only the browser that started the link, with the
        state 7Geese echoes back (RFC 6749 4.1.2.1), ends it: a cross-site GET of
        `?error=access_denied` would otherwise cancel a link in progress."""
        if not state or not browser_secret:
            return LinkRefused("denied")  # spends nothing, tells nobody
        record = self._states.consume(state)
        if record is None or not hmac.compare_digest(record["browser"],
                                                     _hash(browser_secret)):
            return LinkRefused("denied")
        self._browsers.consume(browser_secret)
        return LinkRefused("denied", identity=SlackIdentity.from_key(record["identity"]),
                           response_url=record.get("response_url"))

    # -- after ---------------------------------------------------------------------

    def find(self, identity: SlackIdentity) -> Link | None:
        return self._links.find(identity)

    def unlink(self, identity: SlackIdentity) -> Link | None:
        """Forget the link at once; `revoke` it at 7Geese afterwards (failure tolerated)."""
        return self._links.delete(identity)

    def revoke(self, link: Link) -> bool:
        """Ask 7Geese to revoke the link's tokens (queued for later if it doesn't answer)."""
        return False if link.broken else self._revoke(link.token)
