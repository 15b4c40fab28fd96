"""Which 7Geese company each Slack workspace belongs to.

In multi-workspace mode a workspace admin binds it (`/geese admin bind`): their own
7Geese sign-in names the company. In single-workspace mode the first link binds it.
Every later link from the workspace must be to an account of that company, so a
workspace nobody at the company controls can never act in the company's 7Geese.
An operator can reset a binding (`geese-bot companies reset`).
"""

from __future__ import annotations

import redis

from storage.keys import key


class WorkspaceCompanies:
    def __init__(self, client: redis.Redis):
        self._redis = client

    def bind(self, *, enterprise_id: str | None, team_id: str, company_pk: int,
             name: str | None = None) -> int:
        """The company the workspace is bound to: `company_pk` if it was not bound yet."""
        pk_key = self._key(enterprise_id, team_id)
        if self._redis.set(pk_key, company_pk, nx=True) and name:
            self._redis.set(self._name_key(enterprise_id, team_id), name)
        return int(self._redis.get(pk_key))

    def find(self, *, enterprise_id: str | None, team_id: str) -> int | None:
        found = self._redis.get(self._key(enterprise_id, team_id))
        return int(found) if found is not None else None

    def name(self, *, enterprise_id: str | None, team_id: str) -> str | None:
        """The company's name as 7Geese gave it when bound (for people to read)."""
        found = self._redis.get(self._name_key(enterprise_id, team_id))
        return found.decode() if isinstance(found, bytes) else found

    def reset(self, *, enterprise_id: str | None, team_id: str) -> bool:
        return bool(self._redis.delete(self._key(enterprise_id, team_id),
                                       self._name_key(enterprise_id, team_id)))

    @staticmethod
    def _key(enterprise_id: str | None, team_id: str) -> str:
        return key("company", enterprise_id or "-", team_id)

    @staticmethod
    def _name_key(enterprise_id: str | None, team_id: str) -> str:
        return key("company-name", enterprise_id or "-", team_id)
