"""The Redis installation and OAuth state stores behave as slack_sdk's own stores are
expected to (the same behaviours its file and SQL stores are tested for), on fakeredis
and on a real redis-server."""

from __future__ import annotations

import json

from slack_sdk.oauth.installation_store import Installation

from storage import Sealer
from storage.slack_oauth import RedisInstallationStore, RedisOAuthStateStore


def store(client):
    return RedisInstallationStore(client, Sealer([Sealer.generate_key()]))


def workspace_install(**changes) -> Installation:
    fields = {"app_id": "A1", "enterprise_id": "E1", "team_id": "T1", "user_id": "U1",
              "bot_id": "B1", "bot_token": "xoxb-first", "bot_scopes": ["chat:write"],
              "bot_user_id": "UB1"}
    fields.update(changes)
    return Installation(**fields)


def test_workspace_installation_lookups(any_redis):
    s = store(any_redis)
    s.save(workspace_install())
    assert s.find_bot(enterprise_id="E1", team_id="T1").bot_token == "xoxb-first"
    assert s.find_bot(enterprise_id="E1", team_id="T2") is None  # another team
    assert s.find_bot(enterprise_id=None, team_id="T1") is None  # another enterprise
    assert s.find_installation(enterprise_id="E1", team_id="T1").user_id == "U1"
    assert s.find_installation(enterprise_id="E1", team_id="T1", user_id="U1") is not None
    assert s.find_installation(enterprise_id="E1", team_id="T1", user_id="U9") is None
    assert s.find_installation(enterprise_id="E1", team_id="T2", user_id="U1") is None


def test_deleting_one_user_bots_and_everything(any_redis):
    s = store(any_redis)
    s.save(workspace_install())
    s.delete_bot(enterprise_id="E1", team_id="T2")  # someone else's: nothing happens
    assert s.find_bot(enterprise_id="E1", team_id="T1") is not None
    s.delete_installation(enterprise_id="E1", team_id="T1", user_id="U1")
    assert s.find_installation(enterprise_id="E1", team_id="T1", user_id="U1") is None
    assert s.find_installation(enterprise_id="E1", team_id="T1") is not None
    s.delete_installation(enterprise_id="E1", team_id="T1")
    assert s.find_installation(enterprise_id="E1", team_id="T1") is None
    s.save(workspace_install())
    s.delete_all(enterprise_id="E1", team_id="T1")
    assert s.find_installation(enterprise_id="E1", team_id="T1") is None
    assert s.find_bot(enterprise_id="E1", team_id="T1") is None
    assert s.scopes() == []


def test_org_wide_installation_covers_the_org(any_redis):
    s = store(any_redis)
    s.save(workspace_install(enterprise_id="EO", team_id=None, is_enterprise_install=True,
                             bot_token="xoxb-org"))
    assert s.find_bot(enterprise_id="EO", team_id=None).bot_token == "xoxb-org"
    assert s.find_bot(enterprise_id="EO", team_id="T7", is_enterprise_install=True) is not None
    assert s.find_bot(enterprise_id="EO", team_id="T7") is None  # not a workspace install
    assert s.find_installation(enterprise_id="EO", team_id="T7",
                               is_enterprise_install=True) is not None
    s.delete_bot(enterprise_id="EO", team_id="T7")
    assert s.find_bot(enterprise_id="EO", team_id=None) is not None
    s.delete_bot(enterprise_id="EO", team_id=None)
    assert s.find_bot(enterprise_id="EO", team_id=None) is None


def test_a_users_installation_carries_the_latest_bot_token(any_redis):
    s = store(any_redis)
    s.save(workspace_install(user_id="U1", bot_token="xoxb-old"))
    s.save(workspace_install(user_id="U2", bot_token="xoxb-new", bot_refresh_token="xoxe-1-r",
                             bot_token_expires_at=2_000_000_000))
    older = s.find_installation(enterprise_id="E1", team_id="T1", user_id="U1")
    assert older.bot_token == "xoxb-new" and older.bot_refresh_token == "xoxe-1-r"
    assert older.bot_token_expires_at == 2_000_000_000


def test_tokens_are_sealed_at_rest(any_redis):
    s = store(any_redis)
    s.save(workspace_install(bot_token="xoxb-secret-bot-token", bot_refresh_token="xoxe-1-x"))
    dump = json.dumps({k: any_redis.get(k) for k in any_redis.keys("*")
                       if any_redis.type(k) == "string"})
    assert "xoxb-secret-bot-token" not in dump and "xoxe-1-x" not in dump


def test_states_are_single_use_and_expire(any_redis):
    states = RedisOAuthStateStore(any_redis, expiration_seconds=600)
    state = states.issue()
    assert states.consume(state) is True
    assert states.consume(state) is False
    assert states.consume("forged") is False and states.consume("") is False
    other = states.issue()
    (stored,) = [k for k in any_redis.keys("*") if "state" in k]
    assert 0 < any_redis.ttl(stored) <= 600
    assert other not in stored  # only a hash of it is kept
