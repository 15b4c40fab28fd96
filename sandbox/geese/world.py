"""The sandbox 7Geese's state: people, OAuth clients, codes, tokens and fault switches.

One `World` per server; everything is in memory behind one lock. Time comes from
an injectable clock so tests can expire tokens without sleeping.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin

from sandbox.geese.seed import PASSWORD, Person, SeedBadge, seed_badges, seed_people

RESOURCES = (
    "userprofile", "network", "department", "recognition", "oneonone",
    "feedback", "privatenote", "objective", "review",
)
SCOPES = ("all", *(f"{r}:{a}" for r in RESOURCES for a in ("read", "write")))


def scope_allows(granted: str, needed: str) -> bool:
    have = set(granted.split())
    if "all" in have or needed in have:
        return True
    # A write grant implies read of the same resource.
    resource, _, action = needed.partition(":")
    return action == "read" and f"{resource}:write" in have


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str = field(repr=False)  # authlib logs clients at DEBUG
    redirect_uris: tuple[str, ...]
    name: str = "geese-bot"
    grant_types: tuple[str, ...] = ("authorization_code", "refresh_token", "password")

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope):
        if not scope:
            return "all"
        return " ".join(s for s in scope.split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris  # exact string match (RFC 9700)

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in self.grant_types


@dataclass
class AuthCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user_pk: int
    code_challenge: str | None
    code_challenge_method: str | None
    created_at: float

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope


@dataclass
class Token(TokenMixin):
    access_token: str
    refresh_token: str | None
    client_id: str
    user_pk: int
    scope: str
    issued_at: float
    expires_in: int
    clock: Callable[[], float] = field(repr=False, default=time.time)
    access_revoked: bool = False
    refresh_revoked: bool = False
    rotated: bool = False  # revoked because a refresh replaced it

    def check_client(self, client):
        return client.client_id == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return self.issued_at + self.expires_in <= self.clock()

    def is_revoked(self):
        return self.access_revoked

    def get_user(self):
        return self.user_pk

    def get_client(self):
        return self.client_id


@dataclass
class Recognition:
    pk: int
    sender_pk: int
    recipient_pk: int
    badge_pk: int | None
    message: str
    created: datetime


@dataclass
class Faults:
    """Switches that make the sandbox misbehave the way a real service does.

    `path` limits them to requests whose path starts with it (and, for `method`,
    to that HTTP method); `skip` lets that many matching requests through first.
    Latency is added after the request is handled, so a client that times out
    may miss an answer 7Geese did act on, as happens for real.
    """

    latency: float = 0.0
    status: int | None = None
    status_times: int | None = None  # None: until cleared
    retry_after: int | None = None  # with status 429
    malformed_times: int = 0  # answer 200 with a body that is not JSON
    path: str | None = None
    method: str | None = None
    skip: int = 0


class World:
    CODE_LIFETIME = 600

    def __init__(self, *, clock: Callable[[], float] = time.time, expires_in: int = 36000):
        self.clock = clock
        self.expires_in = expires_in
        self.lock = threading.RLock()
        self.people: dict[int, Person] = {p.pk: p for p in seed_people()}
        self.badges: dict[int, SeedBadge] = {b.pk: b for b in seed_badges()}
        self.recognitions: list[Recognition] = []
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, AuthCode] = {}
        self.tokens: list[Token] = []
        self.faults = Faults()
        self.grants = Counter()  # grant_type -> tokens issued
        self.revocations = 0
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status)
        self.finished: list[tuple[str, str, float]] = []  # (method, path, monotonic time)

    # -- set-up ------------------------------------------------------------

    def register_client(self, client_id: str, client_secret: str, redirect_uris) -> Client:
        with self.lock:
            client = Client(client_id, client_secret, tuple(redirect_uris))
            self.clients[client_id] = client
            return client

    # -- people ------------------------------------------------------------

    def person(self, pk: int) -> Person | None:
        return self.people.get(pk)

    def person_by_email(self, email: str) -> Person | None:
        email = email.strip().lower()
        return next((p for p in self.people.values() if p.email == email), None)

    def check_password(self, email: str, password: str) -> Person | None:
        person = self.person_by_email(email)
        if person and secrets.compare_digest(password, PASSWORD):
            return person
        return None

    # -- codes and tokens -----------------------------------------------------

    def save_code(self, code: AuthCode) -> None:
        with self.lock:
            self.codes[code.code] = code

    def take_code(self, code: str, client_id: str) -> AuthCode | None:
        with self.lock:
            found = self.codes.get(code)
            if not found or found.client_id != client_id:
                return None
            if found.created_at + self.CODE_LIFETIME <= self.clock():
                return None
            return found

    def delete_code(self, code: AuthCode) -> None:
        with self.lock:
            self.codes.pop(code.code, None)

    def save_token(self, data: dict, client_id: str, user_pk: int, grant_type: str) -> None:
        with self.lock:
            self.tokens.append(
                Token(
                    access_token=data["access_token"],
                    refresh_token=data.get("refresh_token"),
                    client_id=client_id,
                    user_pk=user_pk,
                    scope=data.get("scope", ""),
                    issued_at=self.clock(),
                    expires_in=int(data.get("expires_in", self.expires_in)),
                    clock=self.clock,
                )
            )
            self.grants[grant_type] += 1

    def token_by_access(self, access_token: str) -> Token | None:
        with self.lock:
            return next((t for t in self.tokens if t.access_token == access_token), None)

    def token_by_refresh(self, refresh_token: str) -> Token | None:
        with self.lock:
            return next((t for t in self.tokens if t.refresh_token == refresh_token), None)

    def rotate_out(self, token: Token) -> None:
        with self.lock:
            token.access_revoked = token.refresh_revoked = token.rotated = True

    def replayed(self, token: Token) -> None:
        """A rotated-out refresh token came back: as RFC 9700 advises, treat the
        whole family as stolen and revoke every token of that user and client."""
        self.revoke_user_tokens(token.user_pk, client_id=token.client_id)

    def revoke(self, token: Token) -> None:
        with self.lock:
            token.access_revoked = token.refresh_revoked = True
            self.revocations += 1

    # -- fault switches -------------------------------------------------------

    def revoke_user_tokens(self, user_pk: int, *, client_id: str | None = None) -> int:
        with self.lock:
            hit = [t for t in self.tokens if t.user_pk == user_pk
                   and (client_id is None or t.client_id == client_id)]
            for t in hit:
                t.access_revoked = t.refresh_revoked = True
            return len(hit)

    def expire_access_tokens(self, user_pk: int | None = None) -> int:
        with self.lock:
            hit = [t for t in self.tokens if user_pk is None or t.user_pk == user_pk]
            for t in hit:
                t.expires_in = 0
            return len(hit)

    def add_recognition(self, sender_pk: int, recipient_pk: int, badge_pk: int | None,
                        message: str) -> Recognition:
        with self.lock:
            item = Recognition(len(self.recognitions) + 1, sender_pk, recipient_pk, badge_pk,
                               message, datetime.fromtimestamp(self.clock(), UTC))
            self.recognitions.append(item)
            return item

    def set_faults(self, **changes) -> None:
        with self.lock:
            for name, value in changes.items():
                if not hasattr(self.faults, name):
                    raise ValueError(f"unknown fault {name}")
                setattr(self.faults, name, value)

    def clear_faults(self) -> None:
        with self.lock:
            self.faults = Faults()

    def take_fault(self, path: str, method: str) -> tuple[float, int | None, int | None, bool]:
        """(latency, status to answer or None, Retry-After, malformed) for one request."""
        with self.lock:
            f = self.faults
            if (f.path and not path.startswith(f.path)) or (f.method and method != f.method):
                return 0.0, None, None, False
            if f.skip > 0:
                f.skip -= 1
                return 0.0, None, None, False
            status = f.status
            if status is not None and f.status_times is not None:
                f.status_times -= 1
                if f.status_times <= 0:
                    f.status, f.status_times = None, None
            malformed = False
            if status is None and f.malformed_times > 0:
                f.malformed_times -= 1
                malformed = True
            return f.latency, status, f.retry_after, malformed
