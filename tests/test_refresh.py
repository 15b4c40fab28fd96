"""Refreshing 7Geese tokens: one refresh for many concurrent commands (refresh tokens
rotate), and a clear Reconnect answer when 7Geese no longer honours the link."""

from __future__ import annotations

import threading

import pytest

from storage.records import SlackIdentity

DANA = SlackIdentity(team_id="T0GANDER", user_id="U0DANA")


def concurrently(count, action):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        barrier.wait()
        results[i] = action()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def wait_for_checks(stack, count):
    """Each /geese status asks 7Geese `currentUser` once it has answered Slack."""
    stack.slack.wait_for(
        lambda: sum(1 for m, p, s in stack.geese.requests if p == "/graphql" and s == 200)
        >= count, timeout=30)


def test_twenty_concurrent_commands_after_7geese_expired_the_token(stack):
    stack.link("U0DANA")
    stack.geese.expire_access_tokens()  # 7Geese says 401; our record still looks fresh
    replies = concurrently(20, lambda: stack.driver.command("U0DANA", "status"))
    assert all(r.status == 200 and r.elapsed < 3 for r in replies)
    wait_for_checks(stack, 20)
    assert stack.geese.grants["refresh_token"] == 1
    link = stack.services.links.find(DANA)
    assert not link.broken
    assert not any("Reconnect 7Geese" in str(p.blocks) for p in stack.slack.posted)


def test_twenty_concurrent_commands_when_we_know_the_token_expired(stack, clock):
    stack.link("U0DANA")
    clock.advance(36000)  # past expires_in, for the bot and for 7Geese
    replies = concurrently(20, lambda: stack.driver.command("U0DANA", "status"))
    assert all(r.status == 200 for r in replies)
    wait_for_checks(stack, 20)
    assert stack.geese.grants["refresh_token"] == 1
    fresh = stack.services.links.find(DANA)
    assert not fresh.broken and fresh.token.expires_at > clock()


def test_a_revoked_refresh_token_yields_reconnect(stack):
    stack.link("U0DANA")
    stack.geese.revoke_user_tokens(102)
    stack.driver.command("U0DANA", "status")
    stack.slack.wait_for(lambda: any("Reconnect 7Geese" in str(p.blocks)
                                     for p in stack.slack.visible_to("U0DANA")))
    assert stack.services.links.find(DANA).broken
    # From now on the answer is immediate, and relinking repairs it.
    again = stack.driver.command("U0DANA", "status")
    assert "Reconnect 7Geese" in str(again.body)
    stack.link("U0DANA")
    assert not stack.services.links.find(DANA).broken


def test_a_refreshed_token_is_what_later_calls_use(stack, clock):
    stack.link("U0DANA")
    before = stack.services.links.find(DANA).token
    clock.advance(36000 - 60)  # inside the refresh leeway
    session = stack.services.geese.as_user(DANA)
    assert session.current_user().email == "dana@ganderlabs.example"
    after = stack.services.links.find(DANA).token
    assert after.access_token != before.access_token
    assert after.refresh_token != before.refresh_token
    session.current_user()
    assert stack.geese.grants["refresh_token"] == 1


def test_a_refresh_asks_for_no_scope_so_a_narrower_grant_still_refreshes(stack, clock):
    # Dana granted less than the bot asks for; a refresh that asked for "all" again
    # would be refused (invalid_scope). RFC 6749 section 6: the scope is optional.
    stack.quick_link("U0DANA", scope="userprofile:read objective:read")
    clock.advance(36000)
    session = stack.services.geese.as_user(DANA)
    assert session.current_user().email == "dana@ganderlabs.example"
    assert stack.geese.grants["refresh_token"] == 1
    assert stack.services.links.find(DANA).token.scope == "userprofile:read objective:read"


def test_a_dead_grant_asks_to_reconnect_not_to_retry(stack, clock):
    stack.quick_link("U0DANA")
    stack.geese.refresh_error = "invalid_grant"
    clock.advance(36000)
    answer = stack.driver.command("U0DANA", "status")
    stack.services.settle()
    shown = str(answer.body) + str([p.blocks for p in stack.slack.visible_to("U0DANA")])
    assert "Reconnect 7Geese" in shown and "couldn't reach 7Geese" not in shown
    assert stack.services.links.find(DANA).broken


@pytest.mark.parametrize("error", ["invalid_request", "invalid_client", "unauthorized_client",
                                   "invalid_scope"])
def test_the_bots_own_mistake_breaks_no_link_and_alerts_the_operator(stack, clock, error):
    """RFC 6749 5.2: only invalid_grant says the person's grant is dead. The others are
    about the bot's request: every person's link would break on an operator's typo."""
    from bot.ops.status import status

    stack.quick_link("U0DANA")
    stack.geese.refresh_error = error
    clock.advance(36000)
    answer = stack.driver.command("U0DANA", "status")
    stack.services.settle()
    shown = str(answer.body) + str([p.blocks for p in stack.slack.visible_to("U0DANA")])
    assert "Reconnect 7Geese" not in shown
    assert not stack.services.links.find(DANA).broken
    report = "\n".join(status(stack.services.redis, clock=clock).lines)
    assert f"ALERT geese_client_refused: {error}" in report
    assert stack.services.metrics.registry.get_sample_value(
        "geese_bot_token_refreshes_total", {"outcome": "client_refused"}) == 1
    stack.geese.refresh_error = None  # mended: the same link works again
    assert stack.services.geese.as_user(DANA).current_user().email == \
        "dana@ganderlabs.example"


def test_a_refresh_answer_without_a_refresh_token_keeps_the_old_one(stack, clock):
    """RFC 6749 section 6: a server that does not rotate refresh tokens leaves them out;
    the client keeps using the one it has (it stored None, and the link broke at the
    next expiry)."""
    stack.quick_link("U0DANA")
    stack.geese.rotate_refresh = False
    first = stack.services.links.find(DANA).token.refresh_token
    for _ in range(2):  # two expiries: the second refresh needs the kept token
        clock.advance(36000)
        assert stack.services.geese.as_user(DANA).current_user().email == \
            "dana@ganderlabs.example"
        assert stack.services.links.find(DANA).token.refresh_token == first
    assert stack.geese.grants["refresh_token"] == 2
    assert not stack.services.links.find(DANA).broken
