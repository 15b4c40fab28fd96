"""1-on-1s end to end: list, show, add with the agenda asserted in 7Geese, the
shortcut's modal, and every way it can go wrong."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.oneonones.service import HORIZON_DAYS
from tests.recognition_helpers import wait_form

DANA, FOX_PK = "U0DANA", 103


def answer(stack, user, text) -> str:
    stack.driver.command(user, text)
    stack.services.settle()
    return [p for p in stack.slack.visible_to(user) if p.kind != "home"][-1]


def agenda(stack, pk) -> list[str]:
    return [q.content for q in stack.geese.oneonones[pk].questions]


def test_list_shows_whom_when_and_how_many_points(dana):
    reply = answer(dana, DANA, "1on1")
    text = str(reply.blocks)
    assert "*Ada Okafor*" in text and "*Fox Adeyemi*" in text and "*Bea Novak*" in text
    assert "(2 talking points)" in text and "(1 talking point)" in text
    assert "Ivan Petrov" not in text  # that one was cancelled
    assert "<!date^" in text and "at {time}" in text  # each reader's own timezone
    # The weekly series, as far as the list looks ahead (whether its last meeting falls
    # inside depends on the time of day the test runs).
    now = datetime.fromtimestamp(dana.services.clock(), UTC)
    fox_meetings = [m for m in dana.geese.oneonones.values() if m.involves(FOX_PK)
                    and not m.completed and now < m.start <= now + timedelta(HORIZON_DAYS)]
    assert len(fox_meetings) >= 4
    assert text.count("Fox Adeyemi") == len(fox_meetings)


def test_show_the_next_one_with_a_person(dana):
    reply = answer(dana, DANA, "1on1 <@U0FOX|fox>")
    text = reply.blocks[0]["text"]["text"]
    assert text.startswith("*Next 1-on-1 with Fox Adeyemi*: <!date^")
    start = int(dana.geese.oneonones[2].start.timestamp())
    assert f"<!date^{start}^" in text  # the next of the series, by its date
    assert "1. Release retro\n2. On-call load" in text
    button = reply.blocks[0]["accessory"]
    assert button["action_id"] == "oneonone_add"
    assert json.loads(button["value"]) == {"meeting": 2, "user": "U0FOX"}


def test_add_a_talking_point_and_see_it_in_7geese(dana):
    dana.geese.oneonones[2].questions[0].description = "What went well, what didn't"
    reply = answer(dana, DANA, "1on1 add <@U0FOX|fox> Ask about the on-call rota")
    assert agenda(dana, 2) == ["Release retro", "On-call load", "Ask about the on-call rota"]
    # The agenda is replaced whole: the existing points went back with what they had.
    assert dana.geese.oneonones[2].questions[0].description == "What went well, what didn't"
    assert "Added to your 1-on-1 with *Fox Adeyemi* on <!date^" in reply.text
    assert "It has 3 talking points now" in reply.text
    assert agenda(dana, 201) == []  # not the later meeting of the series


def test_adding_a_point_keeps_every_note_and_every_point_past_a_hundred(dana):
    """updateOneononeAgenda replaces the whole agenda, notes included: the bot sent the
    points without their notes and read only the first 100 points."""
    from datetime import UTC, datetime

    from sandbox.geese.world import Note

    meeting = dana.geese.oneonones[2]
    said = Note("Fox will own the rota from March", 103, datetime(2026, 11, 2, tzinfo=UTC))
    meeting.questions[0].notes.append(said)
    for n in range(130):
        dana.geese.add_talking_point(2, f"Earlier point {n}", 103)
    reply = answer(dana, DANA, "1on1 add <@U0FOX|fox> Ask about the on-call rota")
    assert "Added to your 1-on-1 with *Fox Adeyemi*" in reply.text
    points = agenda(dana, 2)
    assert len(points) == 2 + 130 + 1 and points[-1] == "Ask about the on-call rota"
    (kept,) = meeting.questions[0].notes
    assert (kept.content, kept.creator_pk, kept.modified) == \
        (said.content, said.creator_pk, said.modified)


def test_a_point_with_more_notes_than_one_read_is_left_alone_and_said_so(dana):
    from datetime import UTC, datetime

    from sandbox.geese.world import Note

    meeting = dana.geese.oneonones[2]
    meeting.questions[0].notes += [Note(f"note {n}", 103, datetime(2026, 11, 2, tzinfo=UTC))
                                   for n in range(101)]
    reply = answer(dana, DANA, "1on1 add <@U0FOX|fox> Ask about the on-call rota")
    assert "please add your talking point in 7Geese" in reply.text
    assert len(meeting.questions[0].notes) == 101
    assert agenda(dana, 2) == ["Release retro", "On-call load"]


@pytest.mark.parametrize(("text", "says"), [
    ("1on1 <@U0IVAN|ivan>", "You have no 1-on-1 with Ivan Petrov in the next 30 days. You "
                            "can schedule one in 7Geese"),
    ("1on1 add <@U0IVAN> pager rota", "so I couldn't add the talking point. Schedule one"),
    ("1on1 <@U0JO|jo>", "I couldn't find <@U0JO> in 7Geese"),
])
def test_no_meeting_and_not_in_7geese_are_said_plainly(dana, text, says):
    assert says in answer(dana, DANA, text).text


@pytest.mark.parametrize(("text", "says"), [
    ("1on1 add", "Who is the 1-on-1 with?"),
    ("1on1 add <@U0FOX>", "What should I add?"),
    ("1on1 add <@U0FOX> " + "x" * 1001, "limited to 1,000 characters"),
    ("1on1 fox", "I didn't understand that"),
])
def test_malformed_commands_show_the_right_form(dana, text, says):
    reply = dana.driver.command(DANA, text)
    assert says in reply.body["text"]
    assert agenda(dana, 2) == ["Release retro", "On-call load"]


def test_unlinked_broken_and_7geese_down(stack):
    assert "Link my 7Geese account" in str(answer(stack, DANA, "1on1").blocks)
    stack.quick_link(DANA)
    stack.geese.set_faults(status=503)
    assert "couldn't reach 7Geese" in answer(stack, DANA, "1on1 add <@U0FOX> x").text
    stack.geese.clear_faults()
    stack.geese.revoke_user_tokens(102)
    stack.geese.expire_access_tokens(102)
    assert "Reconnect 7Geese" in str(answer(stack, DANA, "1on1").blocks)


def test_an_edit_that_overwrites_ours_is_retried_and_then_reported(dana):
    world = dana.geese
    clobbers = {"left": 1}

    def clobber(pk):  # someone saves an older copy of the agenda right after us
        if clobbers["left"] > 0:
            clobbers["left"] -= 1
            world.oneonones[pk].questions = world.oneonones[pk].questions[:2]

    world.after_agenda_update = clobber
    reply = answer(dana, DANA, "1on1 add <@U0FOX> Ask about the on-call rota")
    assert "Added to your 1-on-1" in reply.text  # the second try stuck
    assert agenda(dana, 2)[-1] == "Ask about the on-call rota"

    clobbers["left"] = 99
    reply = answer(dana, DANA, "1on1 add <@U0FOX> Budget for the offsite")
    assert "the agenda was changed at the same time" in reply.text
    assert "“Budget for the offsite”" in reply.text  # handed back, never silently lost


def test_a_refusal_from_7geese_is_reported(dana):
    dana.geese.before_agenda_update = lambda pk: setattr(dana.geese.oneonones[pk],
                                                         "deleted", True)
    reply = answer(dana, DANA, "1on1 add <@U0FOX> Ask about the on-call rota")
    assert "7Geese didn't accept the talking point" in reply.text
    assert "cancelled" in reply.text


def views(stack, user):
    return [p.view for p in stack.slack.posted if p.kind == "view" and p.user == user]


def test_the_shortcut_defaults_to_the_manager_and_adds_the_message(dana):
    message = {"type": "message", "user": "U0FOX", "ts": "1795000000.000300",
               "text": "Should we move standup to 10?"}
    dana.driver.message_shortcut(DANA, "oneonone_add_message", message, channel="C0ENG")
    view = wait_form(dana, DANA)
    person = next(b for b in view["blocks"] if b.get("block_id") == "person")
    assert person["element"]["initial_user"] == "U0ADA"  # Dana's manager in 7Geese
    text = next(b for b in view["blocks"] if b.get("block_id") == "point")
    prefilled = text["element"]["initial_value"]
    assert prefilled.startswith("> Should we move standup to 10?")
    assert "archives/C0ENG/p1795000000000300" in prefilled

    values = {"person": {"user": {"type": "users_select", "selected_user": "U0ADA"}},
              "point": {"text": {"type": "plain_text_input", "value": prefilled}}}
    reply = dana.driver.view_submission(DANA, view, values)
    assert reply.body["response_action"] == "update"
    done = dana.slack.wait_for(lambda: next((v for v in views(dana, DANA)
                                             if "Added to your 1-on-1" in str(v)), None))
    assert "Ada Okafor" in str(done)
    assert agenda(dana, 12)[-1] == prefilled
    assert dana.slack.calls_to("users.lookupByEmail")[-1].args["email"] == \
        "ada@ganderlabs.example"


def test_without_a_manager_the_shortcut_suggests_the_author(stack):
    stack.quick_link("U0ADA")  # Ada is the CEO: no manager
    message = {"type": "message", "user": "U0CHEN", "ts": "1795000000.000400", "text": "hi"}
    stack.driver.message_shortcut("U0ADA", "oneonone_add_message", message, channel="C0GENERAL")
    view = wait_form(stack, "U0ADA")
    person = next(b for b in view["blocks"] if b.get("block_id") == "person")
    assert person["element"]["initial_user"] == "U0CHEN"


def test_modal_errors_and_no_meeting_keep_the_text(dana):
    dana.driver.block_action(DANA, {"action_id": "oneonone_add",
                                    "value": json.dumps({"meeting": None, "user": "U0IVAN"})},
                             channel="C0GENERAL", message={"ts": "1"})
    view = dana.slack.wait_for(lambda: next(iter(views(dana, DANA)), None))
    empty = dana.driver.view_submission(DANA, view, {
        "person": {"user": {"selected_user": "U0IVAN"}}, "point": {"text": {"value": " "}}})
    assert empty.body == {"response_action": "errors",
                          "errors": {"point": "Write the talking point."}}
    dana.driver.view_submission(DANA, view, {
        "person": {"user": {"selected_user": "U0IVAN"}},
        "point": {"text": {"value": "Pager rotation"}}})
    again = dana.slack.wait_for(lambda: next((v for v in views(dana, DANA)
                                              if "no 1-on-1 with Ivan" in str(v)), None))
    point = next(b for b in again["blocks"] if b.get("block_id") == "point")
    assert point["element"]["initial_value"] == "Pager rotation"
