"""Faults, end to end: 7Geese failing in every way it can, Slack rate limiting and
refusing the token, and arbitrary input from Slack. Clear answers, bounded retries,
nothing lost, no 5xx, no unhandled exception."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.stack import start_stack
from tests.recognition_helpers import given as recognitions_given
from tests.recognition_helpers import posts_to_recognitions, wait_for_text

FAULTS = {
    "500": {"status": 500},
    "502": {"status": 502},
    "503": {"status": 503},
    "429 with Retry-After": {"status": 429, "retry_after": 30},
    "malformed JSON": {"malformed_times": 100},
}


@pytest.fixture
def quick(redis_client, clock):
    """A stack whose 7Geese calls give up after a second (for the timeout case)."""
    with start_stack(redis_client=redis_client, clock=clock, geese_timeout=1.0) as stack:
        stack.quick_link("U0DANA")
        yield stack


def answer(stack, user, text):
    stack.driver.command(user, text)
    stack.services.settle()
    return [p for p in stack.slack.visible_to(user) if p.kind != "home"][-1]


@pytest.mark.parametrize("fault", [*FAULTS, "timeout"])
def test_a_read_answers_clearly_and_recovers(quick, fault):
    stack = quick
    stack.geese.set_faults(**(FAULTS.get(fault) or {"latency": 1.5}))
    reply = answer(stack, "U0DANA", "objectives")
    expected = "asked me to slow down" if fault.startswith("429") else "couldn't reach 7Geese"
    assert expected in reply.text and "try again" in reply.text
    reads = sum(1 for _, p, s in stack.geese.requests if p == "/graphql")
    assert reads <= 3  # retried within a bound
    stack.geese.clear_faults()
    assert "Your open objectives" in answer(stack, "U0DANA", "objectives").text


@pytest.mark.parametrize("fault", [*FAULTS, "timeout"])
def test_a_write_goes_to_the_outbox_and_lands_once(quick, clock, fault):
    stack = quick
    stack.geese.set_faults(path="/api/v/2.0/recognitions/", method="POST",
                           **(FAULTS.get(fault) or {"latency": 1.5}))
    stack.driver.command("U0DANA", "recognize <@U0FOX> steady on-call week")
    wait_for_text(stack, "U0DANA", "I saved your recognition", timeout=15)
    stack.services.settle()
    stack.geese.clear_faults()
    clock.advance(3700)
    stack.services.recognition.process_due()
    # Even when 7Geese acted but its answer was lost (malformed, timeout), one lands.
    assert [r[:2] for r in recognitions_given(stack)] == [(102, 103)]
    assert posts_to_recognitions(stack) >= 1


def test_slack_rate_limits_are_waited_out(stack, clock):
    stack.quick_link("U0FOX")
    stack.driver.command("U0FOX", "nudges on 06:00 daily")
    stack.slack.rate_limit("chat.postMessage", retry_after=1, times=2)
    schedule = stack.services.reminders.nudge_of(next(iter(stack.services.links.identities()))
                                                 ).schedule
    slot = schedule.next_after(datetime.fromtimestamp(clock(), UTC))
    clock.advance(slot.timestamp() - clock() + 1)
    assert stack.services.dispatcher.run_due() == {"sent": 1}
    posts = stack.slack.calls_to("chat.postMessage")
    assert [c.status for c in posts][-3:] == [429, 429, 200]


def test_slack_refusing_the_token_is_reported_and_the_clock_goes_on(stack, clock, caplog):
    stack.quick_link("U0FOX")
    stack.driver.command("U0FOX", "nudges on 06:00 daily")
    stack.slack.fail("chat.postMessage", "invalid_auth", times=1)
    schedule = stack.services.reminders.nudge_of(next(iter(stack.services.links.identities()))
                                                 ).schedule
    first = schedule.next_after(datetime.fromtimestamp(clock(), UTC))
    clock.advance(first.timestamp() - clock() + 1)
    assert stack.services.dispatcher.run_due() == {"refused": 1}
    assert "invalid_auth" in caplog.text
    clock.advance(timedelta(days=1).total_seconds())
    assert stack.services.dispatcher.run_due() == {"sent": 1}  # the next day works again


FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
COMMAND_WORDS = ["", "help", "link", "status", "unlink", "recognize", "objectives", "checkin",
                 "1on1", "1on1 add", "remind", "remind objectives", "reminders", "nudges",
                 "nudges 1on1", "pause", "resume", "frobnicate"]
ACTIONS = ["link_open", "objective_checkin", "checkin_pick", "oneonone_add", "home_unlink",
           "home_recognize", "home_nudge_settings", "home_oneonone_nudges", "home_pause",
           "home_resume", "recognition_view", "unknown_action"]
VIEWS = ["recognize_modal", "checkin_modal", "oneonone_add_modal", "home_nudge_modal",
         "unknown_view"]
noise = st.text(max_size=60) | st.sampled_from(["<@U0FOX>", "<!here>", "#ownership", "25:00",
                                                "2026-13-45", "{", "<", "\u202e", "tz=Mars/X"])


@pytest.fixture(scope="module")
def fuzz_stack():
    with start_stack() as stack:
        stack.quick_link("U0DANA")
        yield stack


def no_unhandled(stack, caplog) -> None:
    stack.services.settle()
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR
           and "cannot be opened" not in r.getMessage()]
    assert not bad, [r.getMessage() for r in bad]


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.sampled_from(COMMAND_WORDS), rest=st.lists(noise, max_size=4).map(" ".join))
def test_fuzzed_commands_never_get_a_5xx(fuzz_stack, caplog, word, rest):
    reply = fuzz_stack.driver.command("U0DANA", f"{word} {rest}".strip())
    assert reply.status < 500
    no_unhandled(fuzz_stack, caplog)


element = st.fixed_dictionaries({}, optional={
    "value": noise, "selected_users": st.lists(noise, max_size=2),
    "selected_option": st.fixed_dictionaries({"value": noise}),
    "selected_user": noise, "selected_time": noise, "selected_date": noise})
block = st.dictionaries(st.sampled_from(["users", "text", "value", "user", "time", "days",
                                         "badge", "channel"]), element, max_size=3)
state_values = st.dictionaries(st.sampled_from(["recipients", "message", "badge", "person",
                                                "point", "status", "time", "days", "kr-1",
                                                "channel"]), block, max_size=5)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from(ACTIONS), value=noise, view=st.sampled_from(VIEWS),
       values=state_values)
def test_fuzzed_interactions_never_get_a_5xx(fuzz_stack, caplog, action, value, view, values):
    driver = fuzz_stack.driver
    first = driver.block_action("U0DANA", {"action_id": action, "value": value,
                                           "selected_date": value,
                                           "selected_option": {"value": value}},
                                channel="C0GENERAL", message={"ts": "1.1"})
    second = driver.view_submission("U0DANA", {
        "id": "VFUZZ", "type": "modal", "callback_id": view, "blocks": [],
        "private_metadata": json.dumps({"objective": 1, "krs": {"1": 1}})}, values)
    assert first.status < 500 and second.status < 500
    no_unhandled(fuzz_stack, caplog)
