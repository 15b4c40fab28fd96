"""Calls to 7Geese's API with a bearer token: GraphQL and REST v2.

`GeeseApi` speaks HTTP and maps every failure to a typed error; reads are retried
within a bound (429 with a short Retry-After, 5xx, timeouts), writes never.
`UserSession` acts as one linked Slack user, refreshing once on a 401.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

import httpx2

from bot.geese import documents
from bot.geese.credentials import Credentials
from bot.geese.documents import Document
from bot.geese.errors import (
    Invalid,
    LinkBroken,
    NotFound,
    RateLimited,
    TokenRejected,
    Unavailable,
)
from bot.geese.models import Profile
from storage.links import LinkStore
from storage.records import OAuthToken, SlackIdentity

log = logging.getLogger(__name__)

GRAPHQL_PATH = "/graphql"
RETRYABLE_STATUS = {500, 502, 503, 504}


# Failures that happen before a request leaves: 7Geese cannot have acted on it.
NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)


class GeeseApi:
    def __init__(
        self,
        base_url: str,
        http: httpx2.Client,
        *,
        read_retries: int = 2,
        max_retry_wait: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
        observe: Callable[[str, str, float], None] | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self._http = http
        self._read_retries = read_retries
        self._max_retry_wait = max_retry_wait
        self._sleep = sleep
        # Told each call's operation, outcome and seconds (the metrics).
        self._observe = observe or (lambda operation, outcome, seconds: None)

    def graphql(self, access_token: str, document: Document,
                variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = {"query": document.text, "variables": variables or {},
                "operationName": document.name}
        payload = self._send("POST", GRAPHQL_PATH, access_token, json=body,
                             retry=document.is_read, operation=document.name)
        errors = payload.get("errors") or []
        if errors:
            messages = [str(e.get("message", "")) for e in errors if isinstance(e, dict)]
            raise Invalid(messages or ["7Geese could not run the query"])
        data = payload.get("data")
        if not isinstance(data, dict):
            raise Unavailable("7Geese answered without data", sent=not document.is_read)
        return data

    def rest(self, access_token: str, method: str, path: str,
             json: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._send(method, path, access_token, json=json, retry=method == "GET",
                          operation=f"{method} {re.sub(r'/[0-9]+/', '/{id}/', path)}")

    def _send(self, method: str, path: str, access_token: str, *, json=None,
              retry: bool, operation: str) -> dict[str, Any]:
        attempts = 1 + (self._read_retries if retry else 0)
        write = not retry  # only a write's failure may leave something done in 7Geese
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            started = time.monotonic()
            try:
                resp = self._http.request(
                    method, self.base_url + path, json=json,
                    headers={"Authorization": f"Bearer {access_token}",
                             "Accept": "application/json"},
                )
            except httpx2.TimeoutException as exc:
                self._observe(operation, "timeout", time.monotonic() - started)
                if last:
                    raise Unavailable("7Geese did not answer in time",
                                      sent=write and not isinstance(exc, NOT_SENT)) from None
                continue
            except httpx2.TransportError as exc:
                self._observe(operation, "unreachable", time.monotonic() - started)
                if last:
                    raise Unavailable(
                        f"7Geese could not be reached ({type(exc).__name__})",
                        sent=write and not isinstance(exc, NOT_SENT)) from None
                self._sleep(0.2 * attempt)
                continue

            status = resp.status_code
            self._observe(operation, _outcome(status), time.monotonic() - started)
            if status == 429:
                wait = _retry_after(resp)
                if last or wait is None or wait > self._max_retry_wait:
                    raise RateLimited(wait)
                self._sleep(wait)
                continue
            if status in RETRYABLE_STATUS:
                if last:
                    raise Unavailable(f"7Geese answered HTTP {status}", sent=write)
                self._sleep(0.2 * attempt)
                continue
            if status == 401:
                raise TokenRejected()
            if status == 404:
                raise NotFound(_detail(resp) or "not found")
            if status in (400, 403, 409, 422):
                raise Invalid(_messages(resp))
            if status >= 400:
                raise Unavailable(f"7Geese answered HTTP {status}", sent=write)
            try:
                payload = resp.json()
            except ValueError:
                if last:
                    raise Unavailable("7Geese answered with something that is not JSON",
                                      sent=write) from None
                continue
            if not isinstance(payload, dict):
                raise Unavailable("7Geese answered with an unexpected shape", sent=write)
            return payload
        raise AssertionError("unreachable")  # pragma: no cover

    # -- calls made with a token that is not stored yet (while linking) ---------

    def current_user(self, access_token: str) -> Profile:
        data = self.graphql(access_token, documents.CURRENT_USER)
        node = data.get("currentUser")
        if not node:
            raise NotFound("7Geese did not say who this account is")
        return Profile.from_node(node)


class UserSession:
    """7Geese as one linked Slack user."""

    def __init__(self, api: GeeseApi, credentials: Credentials, links: LinkStore,
                 identity: SlackIdentity, *,
                 budget: Callable[[SlackIdentity], None] | None = None):
        self._api = api
        self._credentials = credentials
        self._links = links
        self.identity = identity
        self._budget = budget

    def graphql(self, document: Document, variables: dict[str, Any] | None = None):
        return self._with_token(lambda token: self._api.graphql(token, document, variables))

    def rest(self, method: str, path: str, json: dict[str, Any] | None = None):
        return self._with_token(lambda token: self._api.rest(token, method, path, json))

    def current_user(self) -> Profile:
        return self._with_token(self._api.current_user)

    def profile_by_pk(self, pk: int) -> Profile | None:
        node = self.graphql(documents.PROFILE_BY_PK, {"pk": pk}).get("profile")
        return Profile.from_node(node) if node else None

    def profile_by_email(self, email: str) -> Profile | None:
        data = self.graphql(documents.PROFILE_BY_EMAIL, {"email": email.strip().lower()})
        edges = ((data.get("profiles") or {}).get("edges")) or []
        nodes = [e["node"] for e in edges if e and e.get("node")]
        # Two matches would be ambiguous; the query asks for two to notice that.
        return Profile.from_node(nodes[0]) if len(nodes) == 1 else None

    def _with_token(self, call: Callable[[str], Any]) -> Any:
        if self._budget is not None:
            self._budget(self.identity)
        token: OAuthToken = self._credentials.token_for(self.identity)
        try:
            return call(token.access_token)
        except TokenRejected:
            # Revoked or expired early: refresh once (under the lock) and try again.
            fresh = self._credentials.refresh(self.identity, stale=token)
            try:
                return call(fresh.access_token)
            except TokenRejected:
                link = self._links.mark_broken(self.identity)
                raise LinkBroken(link.email if link else None) from None


class GeeseClient:
    def __init__(self, api: GeeseApi, credentials: Credentials, links: LinkStore, *,
                 budget: Callable[[SlackIdentity], None] | None = None):
        self.api = api
        self._credentials = credentials
        self._links = links
        # Waits, when the person's company has spent its requests for this second.
        self._budget = budget

    def as_user(self, identity: SlackIdentity) -> UserSession:
        return UserSession(self.api, self._credentials, self._links, identity,
                           budget=self._budget)


def _outcome(status: int) -> str:
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "5xx"
    return "4xx" if status >= 400 else "ok"


def _retry_after(resp: httpx2.Response) -> float | None:
    try:
        return max(0.0, float(resp.headers.get("Retry-After", "")))
    except ValueError:
        return None


def _detail(resp: httpx2.Response) -> str | None:
    try:
        body = resp.json()
    except ValueError:
        return None
    return body.get("detail") if isinstance(body, dict) else None


def _messages(resp: httpx2.Response) -> list[str]:
    """DRF errors: {"detail": ".."} or {"field": [".."]}."""
    try:
        body = resp.json()
    except ValueError:
        return [f"7Geese refused the request (HTTP {resp.status_code})"]
    if isinstance(body, dict):
        if "detail" in body:
            return [str(body["detail"])]
        out = []
        for field, value in body.items():
            items = value if isinstance(value, list) else [value]
            out.extend(f"{field}: {item}" for item in items)
        return out or [f"7Geese refused the request (HTTP {resp.status_code})"]
    return [str(body)]
