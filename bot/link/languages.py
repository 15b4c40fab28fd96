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
current, rather than three reads a send. A new choice is announced over Redis pub/sub,
and every process forgets what it remembered of that person at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import redis
from redis.client import PubSubWorkerThread

from bot import i18n
from bot.link.people import Directory
from bot.slack.gateway import SlackPerson
from storage import SlackIdentity
from storage.keys import key
from storage.preferences import Preferences

log = logging.getLogger(__name__)

CHANGES = key("languages", "changed")  # where a new choice is announced to every process
CHOICE = "language"  # the preference holding a person's choice
SEEN = "slack-language"  # the language of their Slack when last asked
REMEMBERED_FOR = 60.0  # seconds a language is remembered without asking Redis again


class Languages:
    def __init__(self, prefs: Preferences, directory: Directory, *, default: str,
                 quick_prefs: Preferences | None = None,
                 locale_now: Callable[[SlackIdentity], str | None] = lambda identity: None,
                 changes: redis.Redis | None = None,
                 clock: Callable[[], float] = time.monotonic):
        # A choice made in one process is announced here; every process forgets what it
        # remembered of that person at once (`listen`).
        self._changes = changes
        self._listener: PubSubWorkerThread | None = None
        self._closing = threading.Event()
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

    def listen(self) -> None:
        """Hear the choices other processes record, so a switch of language takes
        effect at once everywhere, not when this process's memory of it lapses."""
        if self._changes is None or self._listener is not None:
            return
        try:
            pubsub = self._changes.pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(**{CHANGES: self._heard})
            self._listener = pubsub.run_in_thread(sleep_time=1.0, daemon=True,
                                                  exception_handler=self._lost)
        except Exception:  # Redis down at start: memory lapses after a minute anyway
            log.warning("not listening for language changes", exc_info=True)

    def _heard(self, message: dict) -> None:
        data = message.get("data")
        with self._guard:
            self._known.pop(data.decode() if isinstance(data, bytes) else data, None)

    def _lost(self, error: BaseException, pubsub, thread) -> None:
        # Redis went away: a change may have been missed, so nothing remembered stands.
        with self._guard:
            self._known.clear()
        if not self._closing.is_set():
            self._closing.wait(1.0)  # then listen again (redis-py subscribes anew)

    def close(self) -> None:
        self._closing.set()
        if self._listener is not None:
            # It ends within a second, on its own (a daemon): no one waits for it.
            self._listener.stop(timeout=0)
            self._listener = None
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
        if self._changes is not None:
            self._changes.publish(CHANGES, identity.key)
        return self._remember(identity, language) if language else self.quick(identity)

    def of(self, identity: SlackIdentity, *, person: SlackPerson | None = None) -> str:
        """The person's language, asking Slack for their locale if nobody has lately
        (`person`: what Slack said of them, when the caller just asked)."""
        chosen, known = self._prefs.values((CHOICE, SEEN), identity)
        if chosen not in i18n.LANGUAGES:
            person = person or self._directory.slack_person(identity)
            chosen = i18n.language_of_locale(person.locale if person else None) or ""
            if person is not None and known != chosen:
                self._prefs.set_value(SEEN, identity, chosen)
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
