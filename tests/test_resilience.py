"""When Redis or 7Geese is down: clear answers, a 503 health check, nothing half-done;
and no secret in any log line while linking."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import fakeredis
import httpx2
import pytest

from playground.stack import start_stack
from storage import STORAGE_ERRORS, connect
from storage.records import SlackIdentity
from tests.helpers import REDIS_SERVER, RedisProcess
from tests.recognition_helpers import given as recognitions_given
from tests.recognition_helpers import posts_to_recognitions, wait_for_text

DANA = SlackIdentity(team_id="T0GANDER", user_id="U0DANA")


class FakeOutage:
    def __init__(self):
        self.server = fakeredis.FakeServer()
        self.client = fakeredis.FakeRedis(server=self.server, decode_responses=True)

    def down(self):
        self.server.connected = False

    def up(self):
        self.server.connected = True

    def cleanup(self):
        pass


class RealOutage:
    def __init__(self):
        self.process = RedisProcess(persist=True).start()
        self.client = connect(self.process.url)

    def down(self):
        self.process.stop()

    def up(self):
        self.process.start()

    def cleanup(self):
        self.process.cleanup()


@pytest.fixture(params=["fakeredis", "redis-server"])
def outage(request):
    if request.param == "redis-server" and REDIS_SERVER is None:
        pytest.skip("redis-server is not installed here (CI installs it)")
    kind = FakeOutage() if request.param == "fakeredis" else RealOutage()
    yield kind
    kind.cleanup()


@pytest.fixture
def fragile(outage, clock):
    with start_stack(redis_client=outage.client, clock=clock) as stack:
        yield stack, outage


def test_healthz_follows_redis(fragile):
    stack, outage = fragile
    assert httpx2.get(stack.app_url + "/healthz").json() == {"ok": True}
    outage.down()
    resp = httpx2.get(stack.app_url + "/healthz")
    assert resp.status_code == 503 and resp.json()["redis"] == "unreachable"
    outage.up()
    assert httpx2.get(stack.app_url + "/healthz").status_code == 200


@pytest.mark.parametrize("text", ["link", "status", "unlink", "feeds", "feed off",
                                  "notifications", "language fr"])
def test_commands_while_redis_is_down_say_try_again(fragile, text):
    stack, outage = fragile
    stack.link("U0DANA")
    outage.down()
    reply = stack.driver.command("U0DANA", text)
    assert reply.status == 200 and not reply.late
    stack.services.settle()  # the answer may come after the ack, by the response URL
    body = str(reply.body) + str([p.text for p in stack.slack.visible_to("U0DANA")
                                  if p.kind == "response"])
    assert "try again in a minute" in body and "Traceback" not in body
    outage.up()
    # Nothing was half-done, and the bot recovers without a restart.
    assert stack.services.links.find(DANA) is not None
    assert "linked to 7Geese" in str(stack.driver.command("U0DANA", "status").body)


def test_a_hung_redis_still_gets_an_answer_within_three_seconds(clock):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed here (CI installs it)")
    process = RedisProcess().start()
    try:
        with start_stack(redis_client=connect(process.url), clock=clock) as stack:
            process.pause()
            try:
                reply = stack.driver.command("U0DANA", "link")
            finally:
                process.resume()
            assert reply.status == 200 and reply.elapsed < 3
            assert "try again in a minute" in str(reply.body)
            assert "Link my 7Geese account" in str(stack.driver.command("U0DANA", "link").body)
    finally:
        process.cleanup()


def test_link_routes_while_redis_is_down(fragile):
    stack, outage = fragile
    stack.driver.command("U0DANA", "link")
    url = stack.link_button_url("U0DANA")
    outage.down()
    resp = httpx2.get(url)
    assert resp.status_code == 503 and "try again in a minute" in resp.text
    outage.up()
    assert stack.follow_link(url, email="dana@ganderlabs.example").status == 200


def test_status_while_7geese_is_down_keeps_the_link(stack):
    stack.link("U0DANA")
    stack.geese.expire_access_tokens()
    stack.geese.set_faults(status=503)
    reply = stack.driver.command("U0DANA", "status")
    assert "linked to 7Geese" in str(reply.body)
    stack.slack.wait_for(lambda: any(p == "/o/token/" for _, p, _ in stack.geese.requests))
    stack.geese.clear_faults()
    assert not stack.services.links.find(DANA).broken


def test_no_secret_reaches_the_logs(redis_client, clock, caplog):
    caplog.set_level(logging.DEBUG)
    with start_stack(redis_client=redis_client, clock=clock) as stack:
        stack.link("U0DANA")
        stack.geese.expire_access_tokens()
        stack.driver.command("U0DANA", "status")
        stack.slack.wait_for(lambda: stack.geese.grants["refresh_token"] == 1)
        stack.driver.command("U0DANA", "unlink")
        stack.slack.wait_for(lambda: stack.geese.revocations == 1)
        secrets = [stack.settings.geese_client_secret, stack.settings.slack_signing_secret,
                   stack.settings.slack_bot_token, *stack.settings.token_encryption_keys]
        for token in stack.geese.tokens:
            secrets += [token.access_token, token.refresh_token]
        secrets += list(stack.geese.codes)
    logged = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)
    assert caplog.records  # the check is not vacuous: things were logged
    for secret in secrets:
        assert secret not in logged


def test_redis_restarted_mid_run_loses_nothing_and_needs_no_restart(fragile, clock, caplog):
    """A recognition and a due nudge across a Redis restart: the person is told to try
    again, 7Geese gets nothing half-done, and afterwards both go out exactly once."""
    stack, outage = fragile
    stack.quick_link("U0DANA")
    stack.driver.command("U0DANA", "nudges on 06:00 daily")
    stack.services.settle()
    nudge = stack.services.reminders.nudge_of(SlackIdentity(team_id="T0GANDER",
                                                            user_id="U0DANA"))
    slot = nudge.schedule.next_after(datetime.fromtimestamp(clock(), UTC))
    clock.advance(slot.timestamp() - clock() + 1)  # the next 06:00 is due
    outage.down()
    reply = stack.driver.command("U0DANA", "recognize <@U0FOX> steady on-call week")
    stack.services.settle()
    assert reply.status == 200
    assert "try again in a minute" in str(reply.body) + " ".join(
        p.text or "" for p in stack.slack.visible_to("U0DANA"))
    assert posts_to_recognitions(stack) == 0
    with pytest.raises(STORAGE_ERRORS):  # APScheduler logs it and runs the job again
        stack.services.dispatcher.run_due()
    sent_while_down = len(stack.slack.calls_to("chat.postMessage"))
    outage.up()
    assert stack.services.dispatcher.run_due() == {"sent": 1}
    assert stack.services.dispatcher.run_due() == {}
    stack.driver.command("U0DANA", "recognize <@U0FOX> steady on-call week")
    wait_for_text(stack, "U0DANA", "recognized")
    stack.services.settle()
    assert [r[:2] for r in recognitions_given(stack)] == [(102, 103)]
    assert len(stack.slack.calls_to("chat.postMessage")) > sent_while_down
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
