"""The stores, on fakeredis and on a real redis-server: sealed tokens, key rotation,
single-use secrets, namespaced and versioned values."""

from __future__ import annotations

import json
import threading

import pytest

from storage import Link, LinkStore, OAuthToken, OneTimeStore, Sealer, SlackIdentity
from storage.keys import PREFIX
from storage.sealed import reseal_all
from tests.helpers import FakeClock

DANA = SlackIdentity(team_id="T1", user_id="U1")
GRID_DANA = SlackIdentity(team_id="T1", user_id="U1", enterprise_id="E1")


def make_link(identity=DANA, access="access-token-AAAA", refresh="refresh-token-RRRR"):
    return Link(identity=identity,
                token=OAuthToken(access_token=access, refresh_token=refresh,
                                 expires_at=2_000_000_000, scope="all"),
                profile_pk=102, name="Dana Ito", email="dana@ganderlabs.example",
                linked_at=1_800_000_000)


def everything_in(client) -> str:
    """Every key and value in Redis, as one string to search for plain text."""
    parts = []
    for key in client.keys("*"):
        kind = client.type(key)
        value = client.get(key) if kind == "string" else " ".join(sorted(client.smembers(key)))
        parts.append(f"{key}={value}")
    return " ".join(parts)


def test_links_round_trip_and_hold_nothing_readable(any_redis):
    store = LinkStore(any_redis, Sealer([Sealer.generate_key()]))
    store.save(make_link())
    assert store.find(DANA) == make_link()
    dump = everything_in(any_redis)
    for plain in ("access-token-AAAA", "refresh-token-RRRR", "dana@ganderlabs.example",
                  "Dana Ito"):
        assert plain not in dump
    assert all(k.startswith(PREFIX + ":") for k in any_redis.keys("*"))
    envelope = json.loads(any_redis.get(f"{PREFIX}:link:{DANA.key}"))
    assert envelope["v"] == 1 and set(envelope) == {"v", "sealed"}


def test_identities_are_keyed_by_enterprise_and_team(any_redis):
    store = LinkStore(any_redis, Sealer([Sealer.generate_key()]))
    store.save(make_link(GRID_DANA))
    assert store.find(DANA) is None
    assert store.find(SlackIdentity(team_id="T2", user_id="U1", enterprise_id="E1")) is None
    assert store.find(GRID_DANA).identity == GRID_DANA
    assert set(store.identities()) == {GRID_DANA}


def test_rotated_keys_still_open_old_records_and_reseal(any_redis):
    old, new = Sealer.generate_key(), Sealer.generate_key()
    LinkStore(any_redis, Sealer([old])).save(make_link())
    rotated = LinkStore(any_redis, Sealer([new, old]))
    assert rotated.find(DANA) == make_link()
    assert reseal_all(any_redis, Sealer([new, old]))["links"].resealed == 1
    # After resealing, the old key can be dropped.
    assert LinkStore(any_redis, Sealer([new])).find(DANA) == make_link()
    assert LinkStore(any_redis, Sealer([old])).find(DANA) is None


def test_a_record_no_key_opens_reads_as_absent(any_redis, caplog):
    LinkStore(any_redis, Sealer([Sealer.generate_key()])).save(make_link())
    assert LinkStore(any_redis, Sealer([Sealer.generate_key()])).find(DANA) is None
    assert "cannot be opened" in caplog.text
    assert "access-token-AAAA" not in caplog.text


def test_delete_returns_the_link_for_revocation(any_redis):
    store = LinkStore(any_redis, Sealer([Sealer.generate_key()]))
    store.save(make_link())
    assert store.delete(DANA) == make_link()
    assert store.delete(DANA) is None
    assert list(store.identities()) == []


def test_update_token_never_resurrects_or_overwrites_a_new_link(any_redis):
    store = LinkStore(any_redis, Sealer([Sealer.generate_key()]))
    fresh = OAuthToken(access_token="new", refresh_token="new-r", expires_at=1, scope="all")
    assert store.update_token(DANA, fresh) is None  # unlinked: stays unlinked
    store.save(make_link())
    updated = store.update_token(DANA, fresh)
    assert updated.token == fresh and updated.email == "dana@ganderlabs.example"
    broken = store.mark_broken(DANA)
    assert broken.broken and broken.token.access_token == "" and broken.email
    assert store.find(DANA).broken


def test_refresh_lock_is_exclusive(any_redis):
    store = LinkStore(any_redis, Sealer([Sealer.generate_key()]))
    first = store.refresh_lock(DANA, wait=0.1)
    assert first.acquire()
    assert not store.refresh_lock(DANA, wait=0.1).acquire()
    first.release()
    assert store.refresh_lock(DANA, wait=0.1).acquire()


def test_one_time_secrets_are_single_use_and_expire(any_redis):
    clock = FakeClock()
    tickets = OneTimeStore(any_redis, Sealer([Sealer.generate_key()]), kind="ticket",
                           ttl_seconds=600, clock=clock)
    first = tickets.issue({"identity": DANA.key})
    assert first not in everything_in(any_redis)  # only a hash of it is stored
    assert tickets.consume(first) == {"identity": DANA.key}
    assert tickets.consume(first) is None
    late = tickets.issue({"identity": DANA.key})
    clock.advance(601)
    assert tickets.consume(late) is None
    assert tickets.consume("") is None and tickets.consume("x" * 1000) is None
    # Redis forgets unspent secrets by itself, too.
    tickets.issue({"identity": DANA.key})
    (key,) = any_redis.keys("*")
    assert 590 <= any_redis.ttl(key) <= 600


def test_racing_consumers_get_one_payload(any_redis):
    states = OneTimeStore(any_redis, Sealer([Sealer.generate_key()]), kind="state",
                          ttl_seconds=600)
    secret = states.issue({"n": 1})
    results, barrier = [], threading.Barrier(8)

    def take():
        barrier.wait()
        results.append(states.consume(secret))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count({"n": 1}) == 1 and results.count(None) == 7


def test_put_refuses_a_secret_already_in_use(any_redis):
    states = OneTimeStore(any_redis, Sealer([Sealer.generate_key()]), kind="state",
                          ttl_seconds=600)
    states.put("abc", {"n": 1})
    with pytest.raises(ValueError):
        states.put("abc", {"n": 2})
    assert states.consume("abc") == {"n": 1}
