"""What a workspace's admins chose for everyone there (the emoji that offers a
recognition), keyed by workspace so an uninstall forgets it."""

from __future__ import annotations

import redis

from storage.keys import key


class WorkspaceSettings:
    def __init__(self, client: redis.Redis):
        self._redis = client

    def reaction(self, *, enterprise_id: str | None, team_id: str) -> str | None:
        return self._redis.get(self._key("reaction", enterprise_id, team_id))

    def set_reaction(self, *, enterprise_id: str | None, team_id: str,
                     emoji: str | None) -> None:
        name = self._key("reaction", enterprise_id, team_id)
        if emoji is None:
            self._redis.delete(name)
        else:
            self._redis.set(name, emoji)

    @staticmethod
    def _key(setting: str, enterprise_id: str | None, team_id: str) -> str:
        return key("workspace", setting, enterprise_id or "-", team_id)
