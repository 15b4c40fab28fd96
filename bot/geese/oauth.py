"""The OAuth2 side of 7Geese: authorize URL, code exchange, refresh, revocation.

authlib's httpx2 client does the protocol (PKCE S256, client secret by HTTP Basic);
this module adds timeouts and turns every failure into a typed error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

import httpx2
from authlib.integrations.httpx_client import OAuth2Client, OAuthError

from bot.geese.errors import ClientRefused, InvalidGrant, RateLimited, Unavailable
from storage.records import OAuthToken

log = logging.getLogger(__name__)

# Paths from the 7Geese API introduction (API.md); revocation is django-oauth-toolkit's.
AUTHORIZE_PATH = "/o/authorize/"
TOKEN_PATH = "/o/token/"
REVOKE_PATH = "/o/revoke_token/"


class GeeseOAuth:
    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        scopes: str,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ):
        self.base_url = base_url.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uri = redirect_uri
        self._scopes = scopes
        self._timeout = timeout
        self._clock = clock
        # One connection pool (and TLS context) for every token call: at 09:00 a
        # fan-out of nudges refreshes thousands of tokens, and building a TLS context
        # per call costs more than the call.
        self._transport = httpx2.HTTPTransport()

    def close(self) -> None:
        self._transport.close()

    def _client(self, *, scope: str | None = None) -> OAuth2Client:
        # authlib's client keeps the last token on itself, so each call gets its own
        # (cheap: it borrows the shared transport, and is never closed, which would
        # close the transport).
        client = OAuth2Client(
            self._client_id,
            self._client_secret,
            token_endpoint_auth_method="client_secret_basic",
            revocation_endpoint_auth_method="client_secret_basic",
            scope=scope,
            redirect_uri=self._redirect_uri,
            code_challenge_method="S256",
            timeout=self._timeout,
            transport=self._transport,
        )
        client.register_compliance_hook("access_token_response", _check_token_response)
        client.register_compliance_hook("refresh_token_response", _check_token_response)
        return client

    def authorization_url(self, *, state: str, code_verifier: str) -> str:
        url, _ = self._client(scope=self._scopes).create_authorization_url(
            self.base_url + AUTHORIZE_PATH, state=state, code_verifier=code_verifier
        )
        return url

    def exchange_code(self, *, code: str, code_verifier: str, state: str) -> OAuthToken:
        client = self._client()
        data = self._token_call(lambda: client.fetch_token(
            self.base_url + TOKEN_PATH, grant_type="authorization_code", code=code,
            code_verifier=code_verifier, state=state))
        return OAuthToken.from_response(data, self._clock())

    def refresh(self, refresh_token: str) -> OAuthToken:
        # No scope (RFC 6749 section 6: it is optional, and asking for more than the person
        # granted is refused): the new token gets the scope of the one it replaces.
        client = self._client()
        data = self._token_call(lambda: client.refresh_token(
            self.base_url + TOKEN_PATH, refresh_token=refresh_token))
        token = OAuthToken.from_response(data, self._clock())
        # Section 6: a server that does not rotate sends no refresh_token, and the client
        # keeps the one it has.
        return token if token.refresh_token else replace(token, refresh_token=refresh_token)

    def revoke(self, token: OAuthToken) -> str:
        """Ask 7Geese to forget the token (RFC 7009): "revoked" (200, which also answers a
        token it no longer knows), "retry" (a 5xx, 429 or no answer: worth asking again)
        or "refused" (any other answer, which asking again would not change). Unlinking
        goes ahead whatever it answers."""
        value, hint = (
            (token.refresh_token, "refresh_token") if token.refresh_token
            else (token.access_token, "access_token")
        )
        if not value:
            return "refused"
        try:
            resp = self._client().revoke_token(
                self.base_url + REVOKE_PATH, token=value, token_type_hint=hint)
        except httpx2.HTTPError as exc:
            log.warning("7Geese token revocation failed: %s", type(exc).__name__)
            return "retry"
        if resp.status_code == 200:
            return "revoked"
        if resp.status_code >= 500 or resp.status_code == 429:
            return "retry"
        log.error("7Geese refused to revoke a token (HTTP %d); not asking again",
                  resp.status_code)
        return "refused"

    @staticmethod
    def _token_call(call) -> dict:
        try:
            return dict(call())
        except OAuthError as exc:
            # The grant itself is no good (revoked, expired, narrowed): only linking again
            # mends it, so the link is marked broken and the person is asked to reconnect.
            # Only invalid_grant says so (RFC 6749 5.2); invalid_request, invalid_client,
            # unauthorized_client, invalid_scope are about the bot's own request, and a
            # mistake there must not break every person's link.
            if exc.error == "invalid_grant":
                raise InvalidGrant(exc.error) from None
            raise ClientRefused(exc.error or "unknown") from None
        except httpx2.TimeoutException:
            raise Unavailable("7Geese did not answer in time") from None
        except (httpx2.HTTPError, ValueError) as exc:
            raise Unavailable(f"7Geese token endpoint failed: {type(exc).__name__}") from None


def _check_token_response(resp: httpx2.Response) -> httpx2.Response:
    if resp.status_code == 429:
        raise RateLimited(_retry_after(resp))
    if resp.status_code >= 500:
        raise Unavailable(f"7Geese token endpoint answered HTTP {resp.status_code}")
    return resp


def _retry_after(resp: httpx2.Response) -> float | None:
    try:
        return float(resp.headers.get("Retry-After", ""))
    except ValueError:
        return None
