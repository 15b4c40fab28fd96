"""What the 1-on-1 commands do, free of Slack types."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.geese import GeeseClient, LinkBroken, NotLinked, Profile
from bot.geese.oneonones import Meeting, TalkingPoint, add_talking_point, manager, upcoming
from bot.link.people import Directory
from bot.slack.ids import SlackIds
from storage import LinkStore, SlackIdentity

HORIZON_DAYS = 30


class NoMeeting(Exception):
    def __init__(self, other: Profile):
        super().__init__(other.name)
        self.other = other


class NotInGeese(Exception):
    pass


@dataclass(frozen=True)
class Added:
    meeting: Meeting
    point: TalkingPoint
    other: Profile


class OneOnOneService:
    def __init__(self, *, geese: GeeseClient, links: LinkStore, directory: Directory,
                 ids: SlackIds, clock: Callable[[], float] = time.time):
        self._geese = geese
        self._links = links
        self._directory = directory
        self._ids = ids
        self._clock = clock

    def me(self, identity: SlackIdentity) -> int:
        """The person's 7Geese profile pk, from their link (which must be healthy)."""
        link = self._links.find(identity)
        if link is None:
            raise NotLinked()
        if link.broken:
            raise LinkBroken(link.email)
        return link.profile_pk

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def upcoming(self, identity: SlackIdentity, *, days: float = HORIZON_DAYS) -> list[Meeting]:
        return upcoming(self._geese.as_user(identity), self.me(identity), now=self.now(),
                        days=days)

    def person(self, identity: SlackIdentity, slack_user_id: str) -> Profile:
        """The 7Geese profile of another person in the workspace."""
        other = SlackIdentity(identity.team_id, slack_user_id, identity.enterprise_id)
        profile = self._directory.profile(self._geese.as_user(identity), other)
        if profile is None:
            raise NotInGeese(slack_user_id)
        return profile

    def next_with(self, identity: SlackIdentity, slack_user_id: str) -> tuple[Meeting, Profile]:
        me = self.me(identity)
        other = self.person(identity, slack_user_id)
        for meeting in self.upcoming(identity):
            if meeting.other(me).pk == other.pk:
                return meeting, other
        raise NoMeeting(other)

    def add(self, identity: SlackIdentity, slack_user_id: str, content: str) -> Added:
        meeting, other = self.next_with(identity, slack_user_id)
        after, point = add_talking_point(self._geese.as_user(identity), meeting.pk, content)
        return Added(after, point, other)

    def manager_slack_id(self, identity: SlackIdentity) -> str | None:
        """The person's manager in Slack, when 7Geese knows one."""
        boss = manager(self._geese.as_user(identity))
        return self._ids.by_email(identity, boss.email) if boss else None
