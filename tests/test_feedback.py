"""Quick feedback end to end: `/geese feedback @fox subject: message`, the form with its
visibility choices, people who can't receive it, and 7Geese down (the write waits)."""

from __future__ import annotations

import pytest

from bot.feedback.parse import Feedback, parse
from storage import SlackIdentity
from tests.helpers import answer, tick
from tests.recognition_helpers import wait_form

DANA, FOX = "U0DANA", "U0FOX"
DANA_PK, FOX_PK = 102, 103
SECRET = "Demo: clear walkthrough, but the Q&A ran long"


def given(stack):
    return [(f.giver_pk, f.recipient_pk, f.subject, f.message, f.visibility)
            for f in stack.geese.feedback]


def dms_to(stack, channel):
    return [p for p in stack.slack.posted if p.channel == channel and p.kind == "message"]


def nowhere_in_slack(stack, words: str) -> bool:
    return all(words not in (p.text or "") + str(p.blocks or "") + str(p.view or "")
               for p in stack.slack.posted)


# -- reading the command (pure) ----------------------------------------------------------


def test_parse_reads_person_subject_and_message():
    assert parse("<@U0FOX|fox> Demo: clear walkthrough", sender=DANA) == \
        Feedback("U0FOX", "Demo", "clear walkthrough")
    assert parse("", sender=DANA) is None  # the form


@pytest.mark.parametrize("text, says", [
    ("fox Demo: good", "Mention them with @"),
    ("<@U0DANA> Demo: good", "Feedback is for someone else"),
    ("<@U0FOX> no colon here", "Write a subject, a colon"),
    ("<@U0FOX> Demo:", "Write a subject, a colon"),
    ("<@U0FOX> " + "s" * 256 + ": x", "limited to 255 characters"),
])
def test_parse_explains_what_is_wrong(text, says):
    assert says in parse(text, sender=DANA)


# -- the command -------------------------------------------------------------------------


def test_feedback_is_given_privately_and_fox_is_told_only_that_it_arrived(dana):
    reply = answer(dana, DANA, f"feedback <@U0FOX|fox> {SECRET}")
    assert "Your feedback for <@U0FOX> is in 7Geese: only <@U0FOX> can read it" in reply.text
    flags = dict.fromkeys(("directManagersCanView", "indirectManagersCanView",
                           "recipientsDirectManagersCanView",
                           "recipientsIndirectManagersCanView", "adminsCanView"), False)
    assert given(dana) == [(DANA_PK, FOX_PK, "Demo",
                            "clear walkthrough, but the Q&A ran long", flags)]
    (note,) = dms_to(dana, "D0FOX")
    assert "<@U0DANA> gave you feedback in 7Geese" in note.text
    assert "/feedback/received/" in str(note.blocks)
    # Its words stay in 7Geese: in no DM, no reply, no channel.
    assert nowhere_in_slack(dana, "clear walkthrough")


def test_fox_need_not_be_linked_to_receive_feedback(dana):
    assert dana.services.links.find(SlackIdentity("T0GANDER", FOX)) is None
    answer(dana, DANA, "feedback <@U0FOX> Rota: thanks for covering")
    assert [g[1] for g in given(dana)] == [FOX_PK]


@pytest.mark.parametrize("who", ["U0DEPLOY", "U0NOBODY"])
def test_a_bot_or_unknown_person_gets_a_clear_answer(dana, who):
    reply = answer(dana, DANA, f"feedback <@{who}> Demo: good")
    assert f"<@{who}> isn't someone in this workspace who can receive feedback" in reply.text
    assert given(dana) == []


def test_someone_in_slack_but_not_in_7geese(dana):
    reply = answer(dana, DANA, "feedback <@U0JO> Demo: good")
    assert "I couldn't find <@U0JO> in 7Geese" in reply.text
    assert "was not sent" in reply.text
    assert given(dana) == [] and dana.services.writes.outbox.ids() == []


def test_feedback_to_yourself_is_refused(dana):
    reply = answer(dana, DANA, "feedback <@U0DANA> Me: great job")
    assert "Feedback is for someone else" in reply.text
    assert given(dana) == []


def test_an_unlinked_giver_is_asked_to_link_first(stack):
    reply = answer(stack, FOX, "feedback <@U0DANA> Demo: good")
    assert "Connect your 7Geese account" in str(reply.blocks)
    assert given(stack) == []


def test_7geese_down_keeps_the_feedback_and_gives_it_once_when_back(dana, clock):
    dana.geese.set_faults(status=503)
    reply = answer(dana, DANA, f"feedback <@U0FOX> {SECRET}")
    assert "7Geese isn't answering right now, so I saved" in reply.text
    assert given(dana) == [] and len(dana.services.writes.outbox.ids()) == 1
    dana.geese.clear_faults()
    clock.advance(31)
    assert tick(dana).get("write") == 1
    assert len(given(dana)) == 1 and dana.services.writes.outbox.ids() == []
    assert "Your feedback for <@U0FOX> is in 7Geese" in str(dms_to(dana, "D0DANA")[-1].blocks)
    assert len(dms_to(dana, "D0FOX")) == 1
    clock.advance(600)
    assert dana.services.writes.outbox.due(limit=10) == [] and len(given(dana)) == 1
    assert nowhere_in_slack(dana, "clear walkthrough")


# -- the form ----------------------------------------------------------------------------


def form_values(*, user=FOX, subject="Demo", message="clear walkthrough", visible=()):
    return {
        "recipient": {"user": {"type": "users_select", "selected_user": user}},
        "subject": {"subject": {"type": "plain_text_input", "value": subject}},
        "message": {"message": {"type": "plain_text_input", "value": message}},
        "visibility": {"visibility": {"type": "checkboxes", "selected_options":
                                      [{"value": v} for v in visible]}},
    }


def test_the_form_offers_7geese_visibility_in_plain_words(dana):
    dana.driver.command(DANA, "feedback")
    modal = wait_form(dana, DANA)
    assert modal["callback_id"] == "feedback_modal"
    words = [o["text"]["text"] for b in modal["blocks"] if b.get("block_id") == "visibility"
             for o in b["element"]["options"]]
    assert words == ["My manager", "My manager's managers", "Their manager",
                     "Their manager's managers", "7Geese admins"]
    delivery = dana.driver.view_submission(DANA, modal, form_values(
        visible=("recipientsDirectManagersCanView", "adminsCanView")))
    assert delivery.status == 200
    dana.services.settle()
    ((giver, recipient, subject, message, flags),) = given(dana)
    assert (giver, recipient, subject, message) == (DANA_PK, FOX_PK, "Demo", "clear walkthrough")
    assert {f for f, on in flags.items() if on} == {"recipientsDirectManagersCanView",
                                                   "adminsCanView"}
    confirmation = str(dms_to(dana, "D0DANA")[-1].blocks)
    assert "<@U0FOX>, their manager and 7Geese admins can read it" in confirmation
    assert len(dms_to(dana, "D0FOX")) == 1
    assert nowhere_in_slack(dana, "clear walkthrough")


@pytest.mark.parametrize("values, field, says", [
    (form_values(user=DANA), "recipient", "Feedback is for someone else"),
    (form_values(user=None), "recipient", "Pick the person"),
    (form_values(subject="  "), "subject", "Give it a subject"),
    (form_values(message=""), "message", "Write your feedback"),
])
def test_the_form_points_at_what_is_missing(dana, values, field, says):
    dana.driver.command(DANA, "feedback")
    modal = wait_form(dana, DANA)
    delivery = dana.driver.view_submission(DANA, modal, values)
    assert delivery.body["response_action"] == "errors"
    assert says in delivery.body["errors"][field]
    dana.services.settle()
    assert given(dana) == []
