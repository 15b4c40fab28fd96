"""Which 7Geese company each Slack workspace belongs to (multi-workspace mode).

The first link made from a workspace binds it to that person's 7Geese company (its
"network"); later links from the workspace must be to accounts of the same company.
So an admin of one workspace cannot, by setting a colleague's email on an account
there, have the bot act in another company's 7Geese. An operator can reset it.
"""

from __future__ import annotations

import redis

from storage.keys import key


class WorkspaceCompanies:
    def __init__(self, client: redis.Redis):
        self._redis = client

    def bind(self, *, enterprise_id: str | None, team_id: str, company_pk: int) -> int:
        """The company the workspace is bound to: `company_pk` if it was not bound yet."""
        name = self._key(enterprise_id, team_id)
        self._redis.set(name, company_pk, nx=True)
        return int(self._redis.get(name))

    def find(self, *, enterprise_id: str | None, team_id: str) -> int | None:
        found = self._redis.get(self._key(enterprise_id, team_id))
        return int(found) if found is not None else None

    def reset(self, *, enterprise_id: str | None, team_id: str) -> bool:
        return bool(self._redis.delete(self._key(enterprise_id, team_id)))

    @staticmethod
    def _key(enterprise_id: str | None, team_id: str) -> str:
        return key("company", enterprise_id or "-", team_id)
