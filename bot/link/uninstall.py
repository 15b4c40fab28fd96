"""When a workspace uninstalls the app (or revokes its bot token): forget everything of
that workspace, and nothing of any other. Users' 7Geese tokens are revoked at 7Geese.

Everything the bot keeps about a workspace names it as `<enterprise>:<team>:` (the
start of a Slack identity's key): in a key's name (a link, a setting, a cached name,
a schedule, an installation, the company it is bound to) or in a member of a shared
set, hash or sorted set (the index of links, on/off switches, planned nudges). One
walk over the bot's keys removes both, so a new kind of data cannot be forgotten.
Queued recognitions name their sender inside the sealed payload, so they are opened.
An org-wide (Enterprise Grid) uninstall names no team: every team of the enterprise
goes.
"""

from __future__ import annotations

import logging

from storage.keys import PREFIX, key

log = logging.getLogger(__name__)

# Kept through an uninstall on purpose: revocations still owed to 7Geese (their tokens
# are the workspace's, and must be revoked all the same).
KEEP = (key("outbox", "revocation", ""),)


def forget_workspace(services, enterprise_id: str | None, team_id: str | None) -> dict[str, int]:
    if team_id is None and enterprise_id is None:
        log.warning("an uninstall named neither a team nor an enterprise; nothing removed")
        return {}
    prefix = f"{enterprise_id or '-'}:" + (f"{team_id}:" if team_id else "")

    def ours(text: str) -> bool:
        # An identity ("E:T:U"), a schedule id, an installation ("E:T"), or JSON naming one.
        return (text + ":").startswith(prefix) or f'"{prefix}' in text

    # The installation goes first: a link finishing meanwhile then sees the workspace
    # gone, and undoes itself (bot/link/service.py), whichever of the two ends last.
    installations = services.slack_clients.installations
    if installations is not None:
        installations.delete_all(enterprise_id=enterprise_id, team_id=team_id)
    counts = {"links": 0, "outbox": 0, "keys": 0, "members": 0}
    for identity in list(services.links.identities()):
        if ours(identity.key):
            removed = services.links.delete(identity)
            if removed is not None:
                services.linking.revoke(removed)  # queued when 7Geese does not answer
            counts["links"] += 1
    # Queued items name their sender inside the sealed payload: each outbox opens its own.
    counts["outbox"] = sum(outbox.forget_sent_by(lambda sender: ours(sender.key))
                           for outbox in (services.recognition, services.writes))
    redis = services.redis
    for name in list(redis.scan_iter(f"{PREFIX}:*", count=1000)):
        if name.startswith(KEEP):
            continue
        if f":{prefix}" in name + ":":
            counts["keys"] += redis.delete(name)
            continue
        kind = redis.type(name)
        if kind == "set":
            gone = [m for m in redis.sscan_iter(name, count=1000) if ours(m)]
            if gone:
                counts["members"] += redis.srem(name, *gone)
        elif kind == "hash":
            gone = [f for f, _ in redis.hscan_iter(name, count=1000) if ours(f)]
            if gone:
                counts["members"] += redis.hdel(name, *gone)
        elif kind == "zset":
            gone = [m for m, _ in redis.zscan_iter(name, count=1000) if ours(m)]
            if gone:
                counts["members"] += redis.zrem(name, *gone)
    log.info("forgot workspace %s: %s", prefix, counts)
    return counts
