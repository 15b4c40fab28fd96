"""Who is who: a Slack user as Slack describes them, and as a 7Geese profile.

A Slack user maps to 7Geese through their own link when they have one, else
through their Slack email and `profiles(user_Email:)`. Both answers are cached
in Redis (sealed: names and emails are personal data) for a day; "not in 7Geese"
and "no such Slack user" for ten minutes, so a new hire shows up soon after joining.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import asdict

import redis

from bot.geese import Profile, UserSession
from bot.slack.gateway import SlackGateway, SlackPerson
from storage import LinkStore, Sealer, SlackIdentity
from storage.crypto import SealBroken
from storage.keys import key

FOUND_TTL = 24 * 3600
MISSING_TTL = 600


class Directory:
    def __init__(self, client: redis.Redis, sealer: Sealer, links: LinkStore,
                 slack: SlackGateway, *, clock: Callable[[], float] = time.time):
        self._redis = client
        self._sealer = sealer
        self._links = links
        self._slack = slack
        self._clock = clock
        # One users.info at a time per person in this process: a modal's ack and its
        # lazy half check the same people at the same moment.
        self._guard = threading.Lock()
        self._looking: dict[str, threading.Lock] = {}

    def slack_person(self, identity: SlackIdentity) -> SlackPerson | None:
        with self._guard:
            lock = self._looking.setdefault(identity.key, threading.Lock())
        with lock:
            try:
                return self._slack_person(identity)
            finally:
                with self._guard:
                    self._looking.pop(identity.key, None)

    def _slack_person(self, identity: SlackIdentity) -> SlackPerson | None:
        cached = self._get("slack", identity)
        if cached is not None:
            return SlackPerson(**cached["person"]) if cached["person"] else None
        person, definitive = self._slack.lookup_person(identity)
        if person is not None:
            self._put("slack", identity, {"person": asdict(person)}, FOUND_TTL)
        elif definitive:  # made-up or departed ids cost one users.info per ten minutes
            self._put("slack", identity, {"person": None}, MISSING_TTL)
        return person

    def profile(self, session: UserSession, identity: SlackIdentity) -> Profile | None:
        """The 7Geese profile of a Slack user, looked up with `session`'s access."""
        cached = self._get("geese", identity)
        if cached is not None:
            return Profile(**cached["profile"]) if cached["profile"] else None
        link = self._links.find(identity)
        if link is not None:
            profile = session.profile_by_pk(link.profile_pk)
        else:
            person = self.slack_person(identity)
            profile = session.profile_by_email(person.email) if person and person.email else None
        self._put("geese", identity, {"profile": asdict(profile) if profile else None},
                  FOUND_TTL if profile else MISSING_TTL)
        return profile

    def forget(self, identity: SlackIdentity) -> None:
        self._redis.delete(self._key("slack", identity), self._key("geese", identity))

    def _key(self, kind: str, identity: SlackIdentity) -> str:
        return key("people", kind, identity.key)

    def _get(self, kind: str, identity: SlackIdentity) -> dict | None:
        raw = self._redis.get(self._key(kind, identity))
        if raw is None:
            return None
        try:
            return self._sealer.open(json.loads(raw)["sealed"])
        except (ValueError, KeyError, SealBroken):
            return None

    def _put(self, kind: str, identity: SlackIdentity, data: dict, ttl: int) -> None:
        self._redis.set(self._key(kind, identity),
                        json.dumps({"v": 1, "sealed": self._sealer.seal(data)}), ex=ttl)
