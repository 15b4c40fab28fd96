"""When a workspace uninstalls the app (or revokes its bot token): forget everything of
that workspace, and nothing of any other. Users' 7Geese tokens are revoked at 7Geese."""

from __future__ import annotations

import json
import logging

from bot.oneonones.nudges import PLANNED
from bot.recognition.records import Pending
from storage import SlackIdentity
from storage.keys import key

log = logging.getLogger(__name__)


def forget_workspace(services, enterprise_id: str | None, team_id: str) -> dict[str, int]:
    prefix = f"{enterprise_id or '-'}:{team_id}:"

    def ours(identity_key: str) -> bool:
        return identity_key.startswith(prefix)

    counts = {"links": 0, "reminders": 0, "nudges": 0, "outbox": 0}
    for identity in list(services.links.identities()):
        if ours(identity.key):
            removed = services.links.delete(identity)
            if removed is not None:
                services.linking.revoke(removed)
            services.directory.forget(identity)
            services.prefs.forget(identity)
            counts["links"] += 1
    for schedule_id in services.reminders.reminders.ids(prefix):
        services.reminders.reminders.delete(schedule_id)
        counts["reminders"] += 1
    for schedule_id in services.reminders.nudges.ids(prefix):
        services.reminders.nudges.delete(schedule_id)
        counts["nudges"] += 1
    outbox = services.recognition.outbox
    for item_id in outbox.ids():
        data = outbox.load(item_id)
        if data is not None and ours(Pending.from_dict(data).sender.key):
            outbox.remove(item_id)
            counts["outbox"] += 1
    for member in services.redis.zrange(PLANNED, 0, -1):
        if ours(json.loads(member)["i"]):
            services.redis.zrem(PLANNED, member)
    services.badges.forget(SlackIdentity(team_id=team_id, user_id="-",
                                         enterprise_id=enterprise_id))
    if services.installations is not None:
        services.installations.delete_all(enterprise_id=enterprise_id, team_id=team_id)
    for cached in services.redis.scan_iter(key("people", "*", prefix + "*")):
        services.redis.delete(cached)
    log.info("forgot workspace %s: %s", prefix, counts)
    return counts
