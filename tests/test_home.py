"""The App Home tab end to end: signed app_home_opened events, every button, the
limits Slack sets, and the pause that quiets nudges for one person only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.reminders.records import Nudge
from storage import SlackIdentity

DANA = "U0DANA"
DANA_ID = SlackIdentity("T0GANDER", DANA)


def open_home(stack, user=DANA, **kwargs):
    stack.driver.event({"type": "app_home_opened", "user": user, "tab": "home",
                        "channel": "D0" + user[2:]}, **kwargs)
    stack.services.settle()
    return stack.slack.homes.get(user)


def text_of(view) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def action_ids(view) -> list[str]:
    found = []
    for block in view["blocks"]:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("action_id"):
                found.append(element["action_id"])
    return found


def press(stack, action_id, value="", user=DANA, **extra):
    view = stack.slack.homes[user]
    stack.driver.block_action(user, {"action_id": action_id, "value": value, **extra},
                              view={**view, "id": "VHOME" + user})
    stack.services.settle()
    return stack.slack.homes[user]


def test_an_unlinked_person_gets_one_explanation_and_the_link_button(stack):
    view = open_home(stack)
    text = text_of(view)
    assert "Link your 7Geese account once to start" in text
    assert "/link/7geese/start?ticket=" in text
    assert "Your open objectives" not in text and "Settings" not in text


def test_a_linked_person_gets_their_7geese_and_settings(stack):
    stack.quick_link(DANA)
    stack.geese.add_recognition(101, 102, 1, "Steady hands on the migration")
    view = open_home(stack)
    text = text_of(view)
    assert "Linked to 7Geese as *Dana Ito* (dana@ganderlabs.example)" in text
    assert "Ship the billing migration" in text and "objective_checkin" in text
    assert "*Your next 1-on-1s*" in text and "*Ada Okafor*" in text
    assert "oneonone_add" in text
    assert "*Ada Okafor* for *Ownership*: Steady hands on the migration" in text
    assert "home_recognize" in action_ids(view)
    assert "*What I'll do next for you*" in text
    assert "A reminder before your 1-on-1 with" in text
    assert "*Daily objectives nudge*: off" in text
    assert "Times are in America/Toronto, your Slack timezone." in text
    assert {"home_unlink", "home_nudge_settings", "home_oneonone_nudges", "home_pause"} <= \
        set(action_ids(view))


def test_a_broken_link_offers_reconnect(stack):
    stack.quick_link(DANA)
    stack.services.links.mark_broken(DANA_ID)
    text = text_of(open_home(stack))
    assert "no longer accepts your linked account" in text and "Reconnect 7Geese" in text


def test_7geese_down_still_shows_a_useful_home(stack):
    stack.quick_link(DANA)
    stack.driver.command(DANA, "nudges on 08:30")
    stack.geese.set_faults(status=503)
    text = text_of(open_home(stack))
    assert "Linked to 7Geese as *Dana Ito*" in text
    assert "7Geese didn't answer just now" in text
    assert "*Daily objectives nudge*: 08:30 on weekdays (America/Toronto)" in text
    assert "Your objectives nudge:" in text


def test_every_button_works_and_the_home_follows(stack, clock):
    stack.quick_link(DANA)
    open_home(stack)

    view = press(stack, "home_oneonone_nudges", "off")
    assert "*Reminder two hours before each 1-on-1*: off" in text_of(view)
    view = press(stack, "home_oneonone_nudges", "on")
    assert "*Reminder two hours before each 1-on-1*: on" in text_of(view)

    in_three_days = (datetime.fromtimestamp(clock(), UTC) + timedelta(days=3)).date()
    view = press(stack, "home_pause", selected_date=in_three_days.isoformat())
    assert "*Nudges paused* until" in text_of(view) and "home_resume" in action_ids(view)
    view = press(stack, "home_resume")
    assert "*Pause all nudges*" in text_of(view)

    press(stack, "home_nudge_settings")
    modal = [p.view for p in stack.slack.posted if p.kind == "view"][-1]
    assert modal["callback_id"] == "home_nudge_modal"
    stack.driver.view_submission(DANA, modal, {
        "time": {"time": {"type": "timepicker", "selected_time": "07:15"}},
        "days": {"days": {"type": "radio_buttons", "selected_option": {"value": "daily"}}}})
    stack.services.settle()
    assert "*Daily objectives nudge*: 07:15 every day" in text_of(stack.slack.homes[DANA])

    press(stack, "home_recognize")
    modal = [p.view for p in stack.slack.posted if p.kind == "view"][-1]
    assert modal["callback_id"] == "recognize_modal"

    view = press(stack, "home_unlink")
    assert "Link your 7Geese account once to start" in text_of(view)
    assert stack.services.links.find(DANA_ID) is None


def test_checking_in_from_the_home_refreshes_it(stack):
    stack.quick_link(DANA)
    assert "▰▰▰▱▱▱▱▱▱▱ 32%" in text_of(open_home(stack))
    press(stack, "objective_checkin", "1")
    form = stack.slack.wait_for(lambda: next(
        (p.view for p in reversed(stack.slack.posted)
         if p.kind == "view" and p.view.get("submit", {}).get("text") == "Check in"), None))
    krs = stack.geese.objectives[1].key_results
    stack.driver.view_submission(DANA, form, {
        f"kr-{krs[0].pk}": {"value": {"value": "100"}},
        f"kr-{krs[1].pk}": {"value": {"value": "8000"}},
        f"kr-{krs[2].pk}": {"value": {"selected_option": {"value": "1"}}},
        "status": {"value": {"selected_option": {"value": "1"}}}})
    stack.services.settle()
    stack.slack.wait_for(lambda: "▰▰▰▰▰▰▰▰▰▰ 100%" in text_of(stack.slack.homes[DANA]))


def test_forty_objectives_and_thirty_meetings_fit_slacks_limits(stack, clock):
    stack.quick_link(DANA)
    from sandbox.geese.world import KeyResult, Objective, OneOnOne

    now = datetime.fromtimestamp(clock(), UTC)
    for n in range(40):
        pk = 500 + n
        krs = [KeyResult(9000 + pk * 10 + k, pk, f"Key result {k} " + "x" * 80, 3, 0, 10, 2)
               for k in range(8)]
        stack.geese.objectives[pk] = Objective(pk, 102, f"Objective {n} " + "y" * 100,
                                               now - timedelta(days=5),
                                               now + timedelta(days=n + 1), krs)
    for n in range(30):
        stack.geese.oneonones[700 + n] = OneOnOne(700 + n, 102, 104,
                                                  now + timedelta(hours=6 + n * 12),
                                                  now + timedelta(hours=7 + n * 12), [])
    view = open_home(stack)
    assert view is not None  # the sandbox Slack refuses views over its limits
    assert len(view["blocks"]) <= 100
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in view["blocks"])
    text = text_of(view)
    assert "and 34 more objectives in" in text  # 42 open, 8 shown
    assert "more 1-on-1s in" in text
    assert stack.slack.calls_to("views.publish")[-1].ok


def test_pause_stops_nudges_until_the_date_for_that_person_only(stack, clock):
    for user in (DANA, "U0FOX"):
        stack.quick_link(user)
        stack.driver.command(user, "nudges on 09:00 daily")
    back_on = (datetime.fromtimestamp(clock(), UTC) + timedelta(days=3)).date()
    reply = stack.driver.command(DANA, f"pause until {back_on.isoformat()}").body["text"]
    assert reply.startswith("Nudges paused")
    assert "*Nudges paused* until" in text_of(open_home(stack))

    dispatcher = stack.services.dispatcher
    clock.advance(86400)  # tomorrow: Dana is paused, Fox is not
    outcomes = {}
    for kind, schedule_id, slot in _due_nudges(stack, clock):
        outcome = dispatcher.fire(kind, schedule_id, slot, now=slot + timedelta(seconds=1))
        outcomes[schedule_id] = outcome
    assert outcomes == {"-:T0GANDER:U0DANA": "paused", "-:T0GANDER:U0FOX": "sent"}

    # 1-on-1 nudges too: Dana is skipped, Ada (not paused) is not.
    stack.quick_link("U0ADA")
    nudger = stack.services.oneonone_nudges
    meeting = stack.geese.oneonones[12]
    clock.offset = 0
    nudger.poll()
    clock.advance((meeting.start - timedelta(hours=2)).timestamp() - clock() + 5)
    assert nudger.send_due() == {"paused": 1, "sent": 1}
    assert stack.driver.command(DANA, "resume").body["text"] == "Nudges are back on."


def _due_nudges(stack, clock):
    now = datetime.fromtimestamp(clock(), UTC)
    for schedule_id, record in stack.services.reminders.nudges.all().items():
        nudge = Nudge.from_dict(record)
        yield "nudge", schedule_id, nudge.schedule.last_at_or_before(now)


@pytest.mark.parametrize(("text", "says"), [
    ("pause", "Pause nudges until a date"),
    ("pause until soon", "isn't a date"),
    ("pause until 2001-01-01", "Pick a date after today"),
    ("pause until 2099-01-01", "up to a year"),
])
def test_pause_command_errors(stack, text, says):
    assert says in stack.driver.command(DANA, text).body["text"]


def test_events_are_handled_once_but_a_stale_retry_is_not_dropped(stack, clock):
    stack.quick_link(DANA)
    open_home(stack, event_id="Ev0001")
    open_home(stack, event_id="Ev0001", retry_num=1)
    assert len(stack.slack.calls_to("views.publish")) == 1
    # A delivery whose handling never finished (the process died) is taken over.
    stack.services.events._redis.set("geese-bot:event:Ev0002",
                                      json.dumps({"at": clock() - 60, "done": False}))
    open_home(stack, event_id="Ev0002", retry_num=1)
    assert len(stack.slack.calls_to("views.publish")) == 2
