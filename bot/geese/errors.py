"""What can go wrong talking to 7Geese, by meaning. Handlers map each to one message."""

from __future__ import annotations


class GeeseError(Exception):
    """Base of every 7Geese failure the bot knows how to explain."""


class NotLinked(GeeseError):
    """This Slack user has not linked a 7Geese account."""


class LinkBroken(GeeseError):
    """The link exists but 7Geese no longer honours it (revoked, refresh refused)."""

    def __init__(self, email: str | None = None):
        super().__init__("7Geese no longer accepts this link")
        self.email = email


class RateLimited(GeeseError):
    def __init__(self, retry_after: float | None = None):
        super().__init__("7Geese asked us to slow down")
        self.retry_after = retry_after


class Unavailable(GeeseError):
    """7Geese is down, slow past our bound, or answered with something unreadable.
    `sent`: a write may have been carried out (the failing request was a write that may
    have reached 7Geese: a timeout, a 5xx, a broken answer, or a success without the
    expected answer). False for reads and for writes that never left."""

    def __init__(self, message: str = "7Geese is unavailable", *, sent: bool = False):
        super().__init__(message)
        self.sent = sent


class NotFound(GeeseError):
    pass


class Invalid(GeeseError):
    """7Geese refused the request as invalid; `messages` say why, in its words."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages) or "7Geese refused the request")
        self.messages = messages


class InvalidGrant(GeeseError):
    """The token endpoint refused a code or refresh token (internal to the client)."""


class ClientRefused(Unavailable):
    """The token endpoint refused the bot itself (invalid_client, invalid_request,
    unauthorized_client, ...): the operator's to mend, never a broken link for the person,
    who is told 7Geese can't be reached right now."""

    def __init__(self, error: str):
        super().__init__(f"7Geese's token endpoint refused the bot's request: {error}")
        self.error = error


class TokenRejected(GeeseError):
    """An API call answered 401 (internal: the session refreshes and retries once)."""
