"""Asking 7Geese to revoke tokens we no longer use, until it has said yes.

Unlinking forgets the link at once; the refresh token stays live at 7Geese until it is
revoked. When 7Geese does not answer (a timeout, a 5xx, a 429), the token is queued
(sealed, in the outbox) and the clock tries again with growing pauses, for up to a
week, then gives up and says so in the log (the token then only lives until 7Geese
expires it). A refusal (any other 4xx) is logged and not asked again.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable

from bot.geese import GeeseOAuth
from storage.outbox import Outbox
from storage.records import OAuthToken

log = logging.getLogger(__name__)

BACKOFF = (60, 300, 900, 3600, 6 * 3600)
GIVE_UP_AFTER = 7 * 24 * 3600


class Revoker:
    def __init__(self, oauth: GeeseOAuth, outbox: Outbox, *,
                 clock: Callable[[], float] = time.time):
        self._oauth = oauth
        self.outbox = outbox
        self._clock = clock

    def revoke(self, token: OAuthToken) -> bool:
        """Revoke now; when 7Geese does not answer, queue it and return False. A refusal
        (a 4xx) is final: asking again for a week would not change it."""
        outcome = self._oauth.revoke(token)
        if outcome != "retry":
            return outcome == "revoked"
        now = self._clock()
        self.outbox.add("revoke-" + secrets.token_hex(8), {
            "token": {"access_token": token.access_token,
                      "refresh_token": token.refresh_token, "expires_at": token.expires_at},
            "queued_at": now, "attempts": 0}, due_at=now + BACKOFF[0])
        log.warning("7Geese did not revoke a token; queued to try again")
        return False

    def retry_due(self) -> dict[str, int]:
        """The clock's job: try each queued revocation that is due."""
        outcomes: dict[str, int] = {}
        for item_id in self.outbox.due():
            lock = self.outbox.lock(item_id)
            if not lock.acquire():
                continue
            try:
                outcome = self._retry(item_id)
            finally:
                lock.release()
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return outcomes

    def _retry(self, item_id: str) -> str:
        item = self.outbox.load(item_id)
        if item is None:
            self.outbox.remove(item_id)
            return "gone"
        outcome = self._oauth.revoke(OAuthToken(**item["token"]))
        if outcome != "retry":
            self.outbox.remove(item_id)
            return outcome
        if self._clock() - item["queued_at"] > GIVE_UP_AFTER:
            self.outbox.remove(item_id)
            log.error("gave up revoking a token after a week of 7Geese refusing or not "
                      "answering (it lapses when 7Geese expires it)")
            return "given_up"
        item["attempts"] += 1
        self.outbox.save(item_id, item)
        self.outbox.schedule(item_id, self._clock()
                             + BACKOFF[min(item["attempts"], len(BACKOFF) - 1)])
        return "later"
