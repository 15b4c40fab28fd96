"""What real Slack does to the bot: forms must open within the trigger's 3 seconds
however slow 7Geese is, a form that cannot open or was closed is explained, a message
Slack refuses is not counted as sent, and a manager's full week fits every payload."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from sandbox.geese.world import KeyResult, Objective, OneOnOne
from tests.recognition_helpers import wait_for_text

DANA = "U0DANA"
SLOW = 5.0  # seconds 7Geese takes to answer: past a trigger's 3 s life


def views(stack, user=DANA):
    return [p.view for p in stack.slack.posted if p.kind == "view" and p.user == user]


def opened(stack, user=DANA, timeout=10):
    """The first view the person saw (the sandbox refuses a late views.open)."""
    return stack.slack.wait_for(lambda: next(iter(views(stack, user)), None), timeout=timeout)


@pytest.fixture
def slow(stack):
    stack.quick_link(DANA)  # no badges cached yet: the form must not wait for 7Geese
    stack.geese.set_faults(latency=SLOW)
    yield stack
    stack.geese.clear_faults()


def test_every_form_opens_in_time_while_7geese_takes_five_seconds(slow):
    stack = slow
    stack.driver.command(DANA, "recognize")
    assert "badges" in str(opened(stack)["blocks"])  # "Getting your company's badges..."
    stack.driver.command(DANA, "checkin")
    stack.driver.message_shortcut(DANA, "oneonone_add_message", {
        "type": "message", "user": "U0FOX", "ts": "1795000000.000300", "text": "standup?"},
        channel="C0ENG")
    stack.driver.block_action(DANA, {"action_id": "oneonone_add",
                                     "value": json.dumps({"meeting": 2, "user": "U0FOX"})},
                              channel="C0GENERAL", message={"ts": "1"})
    stack.driver.event({"type": "app_home_opened", "user": DANA, "tab": "home",
                        "channel": "D0DANA"})
    home = stack.slack.wait_for(lambda: stack.slack.homes.get(DANA), timeout=30)
    stack.driver.block_action(DANA, {"action_id": "home_nudge_settings", "value": ""},
                              view={**home, "id": "VHOME" + DANA})
    # Five opens (a form's later views.update is a view too, so count the opens).
    stack.slack.wait_for(lambda: len(stack.slack.calls_to("views.open")) >= 5, timeout=10)
    opens = stack.slack.calls_to("views.open")
    assert len(opens) == 5 and all(c.ok for c in opens), [c.error for c in opens]
    # Then each form fills in, or says 7Geese is slow, once 7Geese has answered.
    stack.slack.wait_for(lambda: any("couldn't load the badges" in str(v) for v in views(stack)),
                         timeout=15)
    stack.slack.wait_for(lambda: any(v.get("submit", {}).get("text") == "Check in"
                                     or "Which objective" in str(v) for v in views(stack)),
                         timeout=30)


def test_a_form_slack_would_not_open_is_explained(stack):
    stack.quick_link(DANA)
    stack.slack.fail("views.open", "expired_trigger_id")
    stack.driver.command(DANA, "checkin")
    told = wait_for_text(stack, DANA, "Slack gives me three seconds to open a form")
    assert "try again" in told.text
    stack.slack.fail("views.open", "exchanged_trigger_id")
    home = {"type": "home", "blocks": [], "id": "VHOME" + DANA}
    stack.driver.block_action(DANA, {"action_id": "home_recognize", "value": ""}, view=home)
    dm = stack.slack.wait_for(lambda: next(
        (p for p in stack.slack.posted if p.channel == "D0DANA"
         and "three seconds" in (p.text or "")), None))
    assert dm.kind == "message"  # no response URL from the Home tab: a DM


def test_a_checkin_whose_form_was_closed_is_reported_by_dm(stack):
    stack.quick_link(DANA)
    stack.driver.command(DANA, "objectives")
    listing = wait_for_text(stack, DANA, "Your open objectives")
    stack.driver.block_action(DANA, {"action_id": "objective_checkin", "value": "1"},
                              channel="C0GENERAL", message={"ts": listing.ts})
    form = stack.slack.wait_for(lambda: next(
        (v for v in views(stack) if v.get("submit", {}).get("text") == "Check in"), None))
    krs = stack.geese.objectives[1].key_results
    stack.slack.fail("views.update", "not_found")  # she closed the form meanwhile
    stack.driver.view_submission(DANA, form, {
        f"kr-{krs[0].pk}": {"value": {"value": "70"}},
        f"kr-{krs[1].pk}": {"value": {"value": "10000"}},
        f"kr-{krs[2].pk}": {"value": {"selected_option": {"value": "0"}}},
        "status": {"value": {"selected_option": {"value": "1"}}}})
    dm = wait_for_text(stack, DANA, "Checked in on")
    assert dm.channel == "D0DANA" and "Ship the billing migration" in str(dm.blocks)


def _due(stack, clock, hour):
    schedule = stack.services.reminders.nudge_of(
        next(iter(stack.services.links.identities()))).schedule
    slot = schedule.next_after(datetime.fromtimestamp(clock(), UTC))
    clock.advance(slot.timestamp() - clock() + 1)


def test_a_nudge_slack_refuses_arrives_as_plain_text_and_is_logged(stack, clock, caplog):
    stack.quick_link("U0FOX")
    stack.driver.command("U0FOX", "nudges on 06:00 daily")
    stack.slack.fail("chat.postMessage", "invalid_blocks")
    _due(stack, clock, 6)
    with caplog.at_level(logging.WARNING):
        assert stack.services.dispatcher.run_due() == {"sent": 1}
    assert "refused the reminders.blocks.nudge payload" in caplog.text
    nudge = [p for p in stack.slack.posted if p.channel == "D0FOX" and p.kind == "message"][-1]
    assert nudge.blocks is None and "Time to check in on your objectives" in nudge.text


def test_a_nudge_slack_refuses_even_as_plain_text_is_not_counted_as_sent(stack, clock):
    stack.quick_link("U0FOX")
    stack.driver.command("U0FOX", "nudges on 06:00 daily")
    stack.slack.fail("chat.postMessage", "msg_too_long", times=2)  # the plain text too
    _due(stack, clock, 6)
    assert stack.services.dispatcher.run_due() == {"refused": 1}


def test_a_nudge_that_met_a_busy_slack_goes_out_later_in_the_hour(stack, clock):
    stack.quick_link("U0FOX")
    stack.driver.command("U0FOX", "nudges on 06:00 daily")
    stack.slack.fail("chat.postMessage", "service_unavailable")
    _due(stack, clock, 6)
    assert stack.services.dispatcher.run_due() == {"retry": 1}  # the claim was released
    clock.advance(120)
    assert stack.services.dispatcher.run_due() == {"sent": 1}
    assert stack.services.dispatcher.run_due() == {}


def test_a_1on1_nudge_slack_refuses_is_not_counted_and_a_busy_one_is_retried(stack, clock):
    stack.quick_link("U0ADA")
    nudger = stack.services.oneonone_nudges
    nudger.poll()
    meeting = stack.geese.oneonones[12]  # Ada and Dana, tomorrow
    clock.advance((meeting.start - timedelta(hours=2)).timestamp() - clock() + 5)
    stack.slack.fail("chat.postMessage", "ratelimited")
    assert nudger.send_due() == {"retry": 1}
    assert nudger.send_due() == {"sent": 1}  # the next minute's pass
    stack.quick_link("U0DANA")
    nudger.poll()  # plans Dana's side, and Ada's again (its claim says it was sent)
    stack.slack.fail("chat.postMessage", "invalid_blocks", times=2)  # plain text too
    assert nudger.send_due() == {"refused": 1, "already_sent": 1}
    assert nudger.send_due() == {}


def test_a_managers_full_week_fits_every_payload(stack, clock):
    """40 upcoming 1-on-1s, three objectives of 25 long key results, 30 talking points:
    the list, one meeting, the objectives, the Home tab, the daily nudge and the
    pre-meeting nudge all reach Slack whole (the fixture fails on any refusal)."""
    stack.quick_link(DANA)
    now = datetime.fromtimestamp(clock(), UTC)
    geese = stack.geese
    for pk in [o for o in geese.objectives if geese.objectives[o].owner_pk == 102]:
        del geese.objectives[pk]
    for n in range(3):
        pk = 900 + n
        geese.objectives[pk] = Objective(
            pk, 102, f"Objective {n}: " + "make the platform dependable " * 8,
            now - timedelta(days=20), now + timedelta(days=40),
            [KeyResult(90_000 + pk * 100 + k, pk, f"Key result {k}: " + "reduce toil " * 12,
                       3, 0, 100, 10) for k in range(25)])
    reports = [104, 105, 103, 106, 107, 108, 109, 110]
    for n in range(40):
        start = (now + timedelta(days=1 + n // 8, hours=n % 8)).replace(minute=0, second=0)
        geese.oneonones[800 + n] = OneOnOne(800 + n, 102, reports[n % 8], start,
                                            start + timedelta(minutes=30), [])
    first = geese.oneonones[800]
    for p in range(30):
        geese.add_talking_point(800, f"Talking point {p}: " + "about the roadmap " * 5, 102)

    listing = answer(stack, "1on1")
    assert "Your upcoming 1-on-1s" in listing and "Bea Novak" in listing
    detail = answer(stack, "1on1 <@U0BEA|bea>")
    assert "Talking point 0" in detail and "and 10 more talking points in" in detail
    objectives = answer(stack, "objectives")
    assert "Objective 2" in objectives and "Key result 24" not in objectives
    assert "more key results in 7Geese" in objectives

    stack.driver.event({"type": "app_home_opened", "user": DANA, "tab": "home",
                        "channel": "D0DANA"})
    stack.services.settle()
    assert "Objective 0" in str(stack.slack.homes[DANA])

    stack.driver.command(DANA, "nudges on 06:00 daily")
    _due(stack, clock, 6)
    assert stack.services.dispatcher.run_due() == {"sent": 1}
    nudger = stack.services.oneonone_nudges
    nudger.poll()
    clock.advance((first.start - timedelta(hours=2)).timestamp() - clock() + 5)
    assert nudger.send_due().get("sent", 0) >= 1
    dms = [p for p in stack.slack.posted if p.channel == "D0DANA" and p.kind == "message"]
    assert any("Time to check in" in str(p.blocks) for p in dms)
    assert any("Talking point 29" not in str(p.blocks) and "Talking point 19" in str(p.blocks)
               for p in dms)


def answer(stack, text):
    stack.driver.command(DANA, text)
    stack.services.settle()
    return str([p.blocks for p in stack.slack.visible_to(DANA) if p.kind == "response"][-1])
