"""A valid 7Geese access token for a linked Slack user, refreshed when it must be.

7Geese refresh tokens rotate: the old one dies on use. So refreshes for one user
are serialised across threads and processes by a Redis lock, and whoever waited
re-reads the store first: usually someone else has already refreshed.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

import redis

from bot.geese.errors import (
    ClientRefused,
    GeeseError,
    InvalidGrant,
    LinkBroken,
    NotLinked,
    Unavailable,
)
from bot.geese.oauth import GeeseOAuth
from storage.links import LinkStore
from storage.records import OAuthToken, SlackIdentity

log = logging.getLogger(__name__)


class Credentials:
    def __init__(
        self,
        links: LinkStore,
        oauth: GeeseOAuth,
        *,
        clock: Callable[[], float] = time.time,
        leeway: float = 300,
        refreshed: Callable[[str], None] | None = None,
        client_refused: Callable[[str], None] | None = None,
    ):
        self._links = links
        # 7Geese refused the bot's own OAuth client: the operator's to mend (status).
        self._client_refused = client_refused or (lambda error: None)
        self._oauth = oauth
        self._clock = clock
        self._refreshed = refreshed or (lambda outcome: None)  # ok, refused, failed (metrics)
        self._leeway = leeway  # refresh this long before expiry, to absorb clock skew

    def token_for(self, identity: SlackIdentity) -> OAuthToken:
        link = self._links.find(identity)
        if link is None:
            raise NotLinked()
        if link.broken:
            raise LinkBroken(link.email)
        if not link.token.expires_within(self._leeway, self._clock()):
            return link.token
        return self.refresh(identity, stale=link.token)

    def refresh(self, identity: SlackIdentity, *, stale: OAuthToken) -> OAuthToken:
        """A token newer than `stale`: someone else's fresh one, or one we fetch now."""
        lock = self._links.refresh_lock(identity)
        if not lock.acquire():
            raise Unavailable("another refresh of this 7Geese link is taking too long")
        try:
            link = self._links.find(identity)
            if link is None:
                raise NotLinked()
            if link.broken:
                raise LinkBroken(link.email)
            current = link.token
            if current.access_token != stale.access_token and not current.expires_within(
                self._leeway, self._clock()
            ):
                return current
            if not current.refresh_token:
                self._links.mark_broken(identity)
                raise LinkBroken(link.email)
            try:
                fresh = self._oauth.refresh(current.refresh_token)
            except ClientRefused as exc:
                self._refreshed("client_refused")
                log.error("7Geese's token endpoint refused the bot's own request (%s): "
                          "check GEESE_CLIENT_ID, GEESE_CLIENT_SECRET and GEESE_SCOPES",
                          exc.error)
                self._client_refused(exc.error)
                raise  # Unavailable for the person: their link is fine
            except GeeseError as exc:
                self._refreshed("refused" if isinstance(exc, InvalidGrant) else "failed")
                if not isinstance(exc, InvalidGrant):
                    raise
                # Before calling the link dead, look again: a process that lost its
                # lock mid-refresh may have stored a newer token meanwhile.
                again = self._links.find(identity)
                rotated = again and again.token.refresh_token != current.refresh_token
                if rotated and not again.broken:
                    return again.token
                log.info("7Geese refused the refresh token of %s; link marked broken",
                         identity.key)
                self._links.mark_broken(identity)
                raise LinkBroken(link.email) from None
            self._refreshed("ok")
            if self._links.update_token(identity, fresh) is None:
                raise NotLinked()  # unlinked while we refreshed
            return fresh
        finally:
            # The lock may have expired while we worked: nothing left to release then.
            with contextlib.suppress(redis.exceptions.LockError):
                lock.release()
