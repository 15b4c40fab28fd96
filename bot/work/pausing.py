"""`/geese pause until YYYY-MM-DD`: no personal or 1-on-1 nudges before that date."""

from __future__ import annotations

from datetime import date

from storage import SlackIdentity
from storage.preferences import Preferences

PAUSE = "pause-until"


def paused_until(prefs: Preferences, identity: SlackIdentity) -> date | None:
    value = prefs.value(PAUSE, identity)
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def is_paused(prefs: Preferences, identity: SlackIdentity, day: date) -> bool:
    """True on days before the pause ends (nudges come back on the date itself)."""
    until = paused_until(prefs, identity)
    return until is not None and day < until


def pause(prefs: Preferences, identity: SlackIdentity, until: date | None) -> None:
    prefs.set_value(PAUSE, identity, until.isoformat() if until else None)
