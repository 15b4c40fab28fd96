"""7Geese's notifications as Slack DMs: each type once with its actions, and each action
working; per-type settings and the pause; a burst as one message; quiet hours holding
and releasing; nothing from before the link; 7Geese down delays and loses nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.notify.settings import Hours, parse_hours
from storage import SlackIdentity
from tests.helpers import answer, tick
from tests.recognition_helpers import wait_form
from tests.test_home import open_home, text_of
from tests.test_objectives import choice, number, status

DANA = "U0DANA"
ADA_PK, DANA_PK, FOX_PK = 101, 102, 103
TORONTO = ZoneInfo("America/Toronto")  # Dana's Slack timezone
ME = SlackIdentity("T0GANDER", DANA)


def at_local(clock, hour: int, minute: int = 0) -> None:
    """Move the clock forward to the next hh:mm in Dana's timezone."""
    now = datetime.fromtimestamp(clock(), TORONTO)
    target = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if target <= now:
        target += timedelta(days=1)
    clock.advance(target.timestamp() - now.timestamp())


@pytest.fixture
def working(dana, clock):
    """Dana linked, at 10:00 on a working day in Toronto, a minute after linking."""
    at_local(clock, 10)
    return dana


def poll(stack) -> str:
    return stack.services.notifications.poll_one(ME)


def dms(stack) -> list:
    return [p for p in stack.slack.posted if p.channel == "D0DANA" and p.kind == "message"]


def buttons(message) -> list[tuple[str, str]]:
    return [(e["action_id"], e.get("value") or e.get("url") or "")
            for b in message.blocks if b["type"] == "actions" for e in b["elements"]]


def enable(stack, *kinds: str) -> None:
    for kind in kinds:
        stack.services.notifications.settings.set(ME, kind, True)


# -- each type, once, with its actions ------------------------------------------------------


def test_a_recognition_comes_once_with_say_thanks(working, clock):
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, 1, "Steady hands <!here>")
    assert poll(working) == "sent"
    (dm,) = dms(working)
    text = str(dm.blocks)
    assert "<@U0ADA> recognized you for *:medal: Ownership*" in text
    assert "&lt;!here&gt;" in text and "<!here>" not in text  # 7Geese's text, escaped
    assert ("notify_thanks", "U0ADA") in buttons(dm)
    assert any(a == "notify_open" and "/recognition/" in v for a, v in buttons(dm))
    clock.advance(600)
    assert poll(working) == "nothing_new"
    assert len(dms(working)) == 1


def test_say_thanks_opens_the_recognition_form_for_the_sender(working):
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "Thanks!")
    poll(working)
    working.driver.block_action(DANA, {"action_id": "notify_thanks", "value": "U0ADA"},
                                channel="D0DANA", message={"ts": "1.2", "blocks": []})
    form = wait_form(working, DANA)
    assert form["callback_id"] == "recognize_modal"
    recipients = next(b for b in form["blocks"] if b.get("block_id") == "recipients")
    assert recipients["element"]["initial_users"] == ["U0ADA"]


def test_a_feedback_request_comes_with_answer_and_decline(working, clock):
    due = datetime.fromtimestamp(clock(), UTC) + timedelta(days=7)
    asked = working.geese.ask_feedback(ADA_PK, DANA_PK, FOX_PK, "Fox's quarter", due)
    assert poll(working) == "sent"
    (dm,) = dms(working)
    assert "<@U0ADA> asked for your feedback about <@U0FOX>: *Fox's quarter*, due" in \
        str(dm.blocks)
    assert ("notify_decline", str(asked.pk)) in buttons(dm)
    working.driver.block_action(DANA, {"action_id": "notify_decline", "value": str(asked.pk)},
                                channel="D0DANA", message={"ts": "1.2", "blocks": dm.blocks})
    working.services.settle()
    assert working.geese.feedback_requests[asked.pk].declined
    reply = [p for p in working.slack.visible_to(DANA) if p.kind == "response"][-1]
    assert "you declined that feedback request" in reply.text


def test_a_feedback_reminder_says_so(working):
    asked = working.geese.ask_feedback(ADA_PK, DANA_PK, None, "Onboarding", None)
    working.geese.notify(DANA_PK, "FeedbackRequestReminderNotificationNodeV2", asked.pk)
    poll(working)
    text = str(dms(working)[-1].blocks)
    assert "<@U0ADA> asked for your feedback: *Onboarding*" in text
    assert "<@U0ADA> reminds you they asked for your feedback: *Onboarding*" in text


def test_decline_with_7geese_down_waits_in_the_outbox(working, clock):
    asked = working.geese.ask_feedback(ADA_PK, DANA_PK, None, "Onboarding", None)
    poll(working)
    working.geese.set_faults(status=503)
    working.driver.block_action(DANA, {"action_id": "notify_decline", "value": str(asked.pk)},
                                channel="D0DANA", message={"ts": "1.2", "blocks": []})
    working.services.settle()
    assert not working.geese.feedback_requests[asked.pk].declined
    assert len(working.services.writes.outbox.ids()) == 1
    working.geese.clear_faults()
    clock.advance(31)
    assert tick(working).get("write") == 1
    assert working.geese.feedback_requests[asked.pk].declined


def test_a_check_in_reminder_opens_the_check_in_form(working):
    working.geese.notify(DANA_PK, "CheckinReminderNotificationNode", 1)
    poll(working)
    (dm,) = dms(working)
    assert "Time to check in on *Ship the billing migration*" in str(dm.blocks)
    assert ("objective_checkin", "1") in buttons(dm)
    working.driver.click(DANA, dm, "Check in")
    assert wait_form(working, DANA)["callback_id"] == "checkin_modal"


def test_checking_in_from_a_digest_leaves_the_digest_as_it_was(working):
    """The digest DM keeps its other notifications and their buttons: a check-in made
    from it does not replace it with the objective list."""
    working.geese.notify(DANA_PK, "CheckinReminderNotificationNode", 1)
    due = datetime.fromtimestamp(working.services.clock(), UTC) + timedelta(days=7)
    working.geese.ask_feedback(ADA_PK, DANA_PK, FOX_PK, "Fox's quarter", due)
    poll(working)
    (digest,) = dms(working)
    before = json.dumps(digest.blocks)
    assert "Decline" in before and "Check in" in before
    working.driver.click(DANA, digest, "Check in")
    form = wait_form(working, DANA)
    krs = working.geese.objectives[1].key_results
    answer = working.driver.view_submission(DANA, form, {
        f"kr-{krs[0].pk}": number("75"), f"kr-{krs[1].pk}": number("9800"),
        f"kr-{krs[2].pk}": choice("1"), **status("1")})
    assert answer.body["response_action"] == "update"
    working.services.settle()
    assert working.geese.checkins[-1].objective_pk == 1
    assert not digest.replaced and json.dumps(digest.blocks) == before
    assert not [p for p in working.slack.visible_to(DANA) if p.kind == "response"]


def test_feedback_received_is_a_notice_without_its_words(working):
    enable(working, "feedback_received")
    working.geese.give_feedback(ADA_PK, DANA_PK, "Demo", "Talk slower next time", {})
    working.geese.notify(DANA_PK, "FeedbackSharedNotificationNode", 9)
    poll(working)
    (dm,) = dms(working)
    text = str(dm.blocks)
    assert "<@U0ADA> gave you feedback in 7Geese" in text
    assert "Feedback about you was shared with you in 7Geese" in text
    assert "Talk slower" not in text and "Demo" not in text


def test_1on1_notifications_and_the_bots_own_reminder(working):
    enable(working, "oneonone")
    meeting = next(m for m in working.geese.oneonones.values()
                   if DANA_PK in (m.facilitator_pk, m.participant_pk))
    working.geese.notify(DANA_PK, "UpcomingOneOnOneNotificationNode", meeting.pk)
    working.geese.notify(DANA_PK, "UnscheduledOneOnOneNotificationNode", meeting.pk)
    poll(working)
    (dm,) = dms(working)  # the upcoming one is covered by the bot's own reminder
    assert "needs a date" in str(dm.blocks) and "is coming up" not in str(dm.blocks)
    assert "oneonone_add" in [a for a, _ in buttons(dm)]
    working.driver.block_action(DANA, {"action_id": "oneonone_add", "value": dict(
        buttons(dm))["oneonone_add"]}, channel="D0DANA", message={"ts": "1.2", "blocks": []})
    assert wait_form(working, DANA)["callback_id"] == "oneonone_add_modal"
    working.services.prefs.set_off("oneonone-nudges", ME, True)
    working.geese.notify(DANA_PK, "UpcomingOneOnOneNotificationNode", meeting.pk)
    poll(working)
    latest = dms(working)[-1]
    assert "is coming up" in str(latest.blocks)
    (add,) = [v for a, v in buttons(latest) if a == "oneonone_add"]
    assert json.loads(add)["meeting"] == meeting.pk


def test_other_types_are_one_line_when_turned_on(working):
    working.geese.notify(DANA_PK, "UpdateProfileNotificationNode")
    assert poll(working) == "nothing_new"  # off by default
    enable(working, "other")
    working.geese.notify(DANA_PK, "UpdateProfileNotificationNode")
    poll(working)
    assert "7Geese has something new for you" in str(dms(working)[-1].blocks)


# -- together, and when -------------------------------------------------------------------


def test_a_burst_of_ten_is_one_message_and_more_are_counted(working):
    for n in range(12):
        working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, f"Thanks #{n}")
    poll(working)
    (dm,) = dms(working)
    assert dm.text == "12 new from 7Geese"
    text = str(dm.blocks)
    assert text.count("recognized you") == 10 and "and 2 more in" in text
    assert text.index("Thanks #0") < text.index("Thanks #9")  # oldest first


def test_nothing_from_before_the_link(stack, clock):
    at_local(clock, 10)
    stack.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "Old news")
    clock.advance(1)
    stack.quick_link(DANA)
    stack.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "Fresh")
    poll(stack)
    (dm,) = dms(stack)
    assert "Fresh" in str(dm.blocks) and "Old news" not in str(dm.blocks)


def test_quiet_hours_hold_until_morning(working, clock):
    at_local(clock, 21)
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "Late-night thanks")
    assert poll(working) == "quiet_hours"
    at_local(clock, 7, 59)
    assert poll(working) == "quiet_hours"
    at_local(clock, 8, 0)
    assert poll(working) == "sent"
    assert "Late-night thanks" in str(dms(working)[-1].blocks)


def test_hours_are_a_setting(working, clock):
    reply = answer(working, DANA, "notifications hours 11:00-18:00")
    assert "Delivered between 11:00 and 18:00" in str(reply.blocks)
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "Early")
    assert poll(working) == "quiet_hours"  # it is 10:00
    at_local(clock, 11)
    assert poll(working) == "sent"


@pytest.mark.parametrize("text, hours", [
    ("08:00-19:00", Hours(480, 1140)), ("22:00-06:00", Hours(1320, 360)),
    ("9:30-24:00", Hours(570, 1440)), ("25:00-26:00", None), ("08:00-08:00", None),
    ("8-19", None),
])
def test_parse_hours(text, hours):
    assert parse_hours(text) == hours


def test_overnight_hours_wrap_midnight():
    night = Hours(22 * 60, 6 * 60)
    assert night.contains(23 * 60) and night.contains(60) and not night.contains(12 * 60)


def test_the_pause_holds_them(working, clock):
    today = datetime.fromtimestamp(clock(), TORONTO).date()
    answer(working, DANA, f"pause until {today + timedelta(days=2)}")
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "While away")
    assert poll(working) == "paused"
    clock.advance(2 * 86400)
    assert poll(working) == "sent"


def test_kinds_turned_off_by_command_and_on_the_home_tab(working):
    reply = answer(working, DANA, "notifications off recognition")
    assert "Recognition you receive: *off*" in str(reply.blocks)
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "Unseen")
    assert poll(working) == "nothing_new"
    home = open_home(working)
    assert "Turn on recognition" in text_of(home)
    working.driver.click(DANA, home, "Turn off check-in reminders")
    working.services.settle()
    assert not working.services.notifications.settings.is_on(ME, "checkin")
    assert "Turn on check-in reminders" in text_of(working.slack.homes[DANA])


def test_7geese_down_delays_and_loses_nothing(working, clock):
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "Through the outage")
    working.geese.set_faults(status=503)
    assert poll(working) == "retry"
    assert dms(working) == []
    working.geese.clear_faults()
    clock.advance(600)
    assert poll(working) == "sent"
    assert len(dms(working)) == 1


def test_slack_down_sends_them_at_the_next_turn(working, clock):
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "Through Slack's outage")
    working.slack.fail("chat.postMessage", "internal_error", times=1)
    assert poll(working) == "retry"
    assert poll(working) == "sent"
    assert len(dms(working)) == 1


def test_a_revoked_token_sends_nothing_until_the_person_reconnects(working, clock):
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "Before the reconnect")
    working.geese.revoke_user_tokens(DANA_PK)
    working.geese.expire_access_tokens(DANA_PK)
    assert poll(working) == "unlinked"
    assert dms(working) == []
    clock.advance(2)
    working.quick_link(DANA)  # a new link: like a first one, it starts from now
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "After the reconnect")
    assert poll(working) == "sent"
    (dm,) = dms(working)
    assert "After the reconnect" in str(dm.blocks) and "Before" not in str(dm.blocks)


def test_with_every_kind_off_7geese_is_not_asked(working):
    for kind in ("recognition", "feedback_request", "checkin"):
        working.services.notifications.settings.set(ME, kind, False)
    asked = len(working.geese.requests)
    assert poll(working) == "all_off"
    assert len(working.geese.requests) == asked


def graphql_reads(stack) -> int:
    return sum(1 for _m, path, _s in stack.geese.requests if path == "/graphql")


def test_a_turn_reads_1on1s_and_notifications_in_one_request(working, clock):
    from bot.jobs import JOBS

    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "One read")
    before = graphql_reads(working)
    outcome = JOBS["person_poll"](working.services, ME.key)
    assert graphql_reads(working) - before == 1
    assert outcome.endswith("notify:sent")
    at_local(clock, 21)  # quiet hours: the turn reads the 1-on-1s alone
    before = graphql_reads(working)
    assert JOBS["person_poll"](working.services, ME.key).endswith("notify:quiet_hours")
    assert graphql_reads(working) - before == 1


def test_a_turn_with_7geese_down_retries_and_loses_nothing(working, clock):
    from bot.jobs import JOBS

    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "After the outage")
    working.geese.set_faults(status=503)
    assert JOBS["person_poll"](working.services, ME.key) == "retry"
    working.geese.clear_faults()
    assert JOBS["person_poll"](working.services, ME.key).endswith("notify:sent")
    assert len(dms(working)) == 1


def test_the_clock_hands_each_person_a_poll(working, clock):
    working.geese.recognize_with_notice(ADA_PK, DANA_PK, None, "Via the worker tier")
    sent = 0
    for _ in range(10):  # everyone's turn comes within ten minutes
        clock.advance(60)
        sent += tick(working).get("person_poll", 0)
    assert sent >= 1
    # (The clock may also send a 1-on-1 reminder meanwhile, depending on the date.)
    assert sum("Via the worker tier" in str(d.blocks) for d in dms(working)) == 1
