"""A person's Slack user by email is remembered only when Slack answered: a user, or
`users_not_found`. An error (Slack busy, down, rate limited) is asked again next time."""

from __future__ import annotations

from bot.slack.ids import SlackIds
from storage import SlackIdentity

ME = SlackIdentity("T0GANDER", "U0DANA")


def test_an_error_is_not_remembered_as_no_such_user(stack):
    ids = SlackIds(stack.services.redis, stack.services.slack)
    stack.slack.fail("users.lookupByEmail", "internal_error")
    assert ids.by_email(ME, "fox@ganderlabs.example") is None  # Slack failed: unknown
    assert ids.by_email(ME, "fox@ganderlabs.example") == "U0FOX"  # asked again, found


def test_a_real_no_such_user_and_a_user_are_remembered(stack):
    ids = SlackIds(stack.services.redis, stack.services.slack)
    assert ids.by_email(ME, "nobody@ganderlabs.example") is None
    assert ids.by_email(ME, "fox@ganderlabs.example") == "U0FOX"
    asked = sum(1 for c in stack.slack.calls if c.method == "users.lookupByEmail")
    assert ids.by_email(ME, "nobody@ganderlabs.example") is None
    assert ids.by_email(ME, "fox@ganderlabs.example") == "U0FOX"
    assert sum(1 for c in stack.slack.calls if c.method == "users.lookupByEmail") == asked
