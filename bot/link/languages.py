"""Which language the bot speaks with each person.

A person's choice (`/geese language fr|en`, the Home tab) wins; otherwise their Slack's
language (users.info `locale`: "fr-CA" is French) when we speak it; otherwise the
deployment's DEFAULT_LANGUAGE.

An ack must stay light, so requests read `quick`: this process's memory of the answer
(a minute), or, when it has none, the two words Redis keeps per person (their choice
and the language their Slack had when last asked) through a connection that gives up
at once; only for someone never seen before, one users.info with a one-second timeout,
once per person ever. The slow half of a request uses `of`, which reads Slack through
the people directory (cached a day) and keeps that second word current; jobs (a feed's
card every minute, each nudge) build in `quick`'s answer too, which those requests keep
current, rather than three reads a send.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bot import i18n
from bot.link.people import Directory
from storage import SlackIdentity
from storage.preferences import Preferences

CHOICE = "language"  # the preference holding a person's choice
SEEN = "slack-language"  # the language of their Slack when last asked
REMEMBERED_FOR = 60.0  # seconds another process may keep speaking a changed language


class Languages:
    def __init__(self, prefs: Preferences, directory: Directory, *, default: str,
                 quick_prefs: Preferences | None = None,
                 locale_now: Callable[[SlackIdentity], str | None] = lambda identity: None,
                 clock: Callable[[], float] = time.monotonic):
        # Slack asked briefly, the first time a person is seen at all (see `quick`)
        self._locale_now = locale_now
        self._prefs = prefs
        # The ack's read: one that gives up at once when Redis hangs (storage/connection)
        self._quick_prefs = quick_prefs or prefs
        self._directory = directory
        self._default = default
        self._clock = clock
        self._known: dict[str, tuple[str, float]] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        if self._quick_prefs is not self._prefs:
            self._quick_prefs.close()

    @property
    def default(self) -> str:
        return self._default

    def choice(self, identity: SlackIdentity) -> str | None:
        """What the person chose ("fr", "en"), or None: their Slack's language."""
        chosen = self._prefs.value(CHOICE, identity)
        return chosen if chosen in i18n.LANGUAGES else None

    def choose(self, identity: SlackIdentity, language: str | None) -> str:
        """Record the person's choice (None: follow Slack) and speak it from now on."""
        self._prefs.set_value(CHOICE, identity, language)
        with self._guard:
            self._known.pop(identity.key, None)
        return self.quick(identity)  # an ack: what Slack said last, never a call to it

    def of(self, identity: SlackIdentity) -> str:
        """The person's language, asking Slack for their locale if nobody has lately."""
        chosen = self.choice(identity)
        if chosen is None:
            person = self._directory.slack_person(identity)
            seen = i18n.language_of_locale(person.locale if person else None) or ""
            if person is not None and self._prefs.value(SEEN, identity) != seen:
                self._prefs.set_value(SEEN, identity, seen)
            chosen = seen
        return self._remember(identity, chosen or self._default)

    def quick(self, identity: SlackIdentity) -> str:
        """The person's language without asking Slack: for an ack."""
        with self._guard:
            known = self._known.get(identity.key)
        if known is not None and known[1] > self._clock():
            return known[0]
        try:
            chosen, seen = self._quick_prefs.values((CHOICE, SEEN), identity)
            if chosen is None and seen is None:
                # Never seen: one short users.info, once per person ever, so that even
                # their first answer is in their language.
                locale = self._locale_now(identity)
                if locale is not None:
                    seen = i18n.language_of_locale(locale) or ""
                    self._quick_prefs.set_value(SEEN, identity, seen)
        except Exception:  # Redis down: the ack says so in the default language
            return self._default
        language = next((found for found in (chosen, seen) if found in i18n.LANGUAGES),
                        self._default)
        return self._remember(identity, language)

    def _remember(self, identity: SlackIdentity, language: str) -> str:
        with self._guard:
            if len(self._known) > 50_000:  # a bound, not a cache policy: start afresh
                self._known.clear()
            self._known[identity.key] = (language, self._clock() + REMEMBERED_FOR)
        return language

    def speaking(self, identity: SlackIdentity):
        """`with languages.speaking(person):` builds what is inside in their language."""
        return i18n.speaking(self.quick(identity))
