"""The recognition modal: from `/geese recognize` alone and from the message shortcut,
with inline validation and a double-clicked submit that posts once."""

from __future__ import annotations

import json

import pytest

from tests.recognition_helpers import (
    given,
    last_view,
    modal_values,
    posts_to_recognitions,
    wait_for_dms,
    wait_for_text,
    wait_form,
)

ADA, DANA, FOX = 101, 102, 103



def test_recognize_alone_opens_the_modal_with_active_badges(ada):
    stack = ada
    stack.slack.channels["C0ENG"].members.add("U0ADA")  # she shares where she is a member
    reply = stack.driver.command("U0ADA", "recognize", channel="C0ENG")
    assert reply.status == 200 and not reply.body  # an empty ack; the modal says the rest
    view = wait_form(stack, "U0ADA")
    assert view["callback_id"] == "recognize_modal" and view["title"]["text"] == "Recognize"
    badge_block = next(b for b in view["blocks"] if b.get("block_id") == "badge")
    names = [o["text"]["text"] for o in badge_block["element"]["options"]]
    assert names == ["Ownership", "Go the Extra Mile", "Customer Obsession", "Teamwork",
                     "Learn and Grow", "Kindness"]  # Rockstar was deleted
    channel = next(b for b in view["blocks"] if b.get("block_id") == "channel")
    assert channel["element"]["initial_conversation"] == "C0ENG"

    answer = stack.driver.view_submission(
        "U0ADA", view, modal_values(users=["U0DANA", "U0FOX"], badge=4,
                                    message="Great sprint demo", channel="C0ENG"))
    assert answer.status == 200 and not answer.body  # the modal closes
    wait_for_text(stack, "U0ADA", "Done! Your recognition")
    assert given(stack) == [(ADA, DANA, 4, "Great sprint demo"), (ADA, FOX, 4, "Great sprint demo")]
    card = wait_for_text(stack, "U0BEA", "recognized")  # Bea is in #eng
    assert card.channel == "C0ENG" and card.kind == "message" and "Teamwork" in str(card.blocks)
    wait_for_dms(stack, "U0DANA", "U0FOX")


@pytest.mark.parametrize(
    ("values", "block", "says"),
    [
        (modal_values(users=[], message="hi"), "recipients", "Pick at least one person"),
        (modal_values(users=["U0ADA"], message="hi"), "recipients", "can't recognize yourself"),
        (modal_values(users=["U0DANA"], message="  "), "message", "Add a few words"),
        (modal_values(users=["U0DANA"], message="x" * 1001), "message", "under 1,000"),
    ],
)
def test_modal_errors_come_back_inline(ada, values, block, says):
    stack = ada
    stack.driver.command("U0ADA", "recognize")
    view = wait_form(stack, "U0ADA")
    answer = stack.driver.view_submission("U0ADA", view, values)
    assert answer.status == 200 and answer.body["response_action"] == "errors"
    assert says in answer.body["errors"][block]
    stack.services.settle()
    assert given(stack) == [] and posts_to_recognitions(stack) == 0


def test_a_bot_picked_in_the_form_is_told_after_it_closes_and_nothing_is_lost(ada):
    """Who is a bot only Slack knows: asked after the ack, and told with what they wrote
    and a *Try again* that reopens the form as it was."""
    stack = ada
    stack.driver.command("U0ADA", "recognize")
    view = wait_form(stack, "U0ADA")
    answer = stack.driver.view_submission("U0ADA", view, modal_values(
        users=["U0DEPLOY", "U0DANA"], message="Kept the lights on", channel="C0GENERAL"))
    assert answer.status == 200 and not answer.body  # the form closes
    told = wait_for_text(stack, "U0ADA", "I didn't send your recognition")
    assert "is a bot; bots can't receive recognition" in told.text
    assert "Kept the lights on" in str(told.blocks)
    stack.services.settle()
    assert given(stack) == [] and posts_to_recognitions(stack) == 0
    stack.driver.click("U0ADA", told, "Try again")
    again = stack.slack.wait_for(lambda: next(
        (p.view for p in reversed(stack.slack.posted) if p.kind == "view"
         and "Kept the lights on" in str(p.view)), None))
    recipients = next(b for b in again["blocks"] if b.get("block_id") == "recipients")
    assert recipients["element"]["initial_users"] == ["U0DEPLOY", "U0DANA"]


def test_a_double_clicked_submit_posts_once(ada):
    stack = ada
    stack.driver.command("U0ADA", "recognize")
    view = wait_form(stack, "U0ADA")
    values = modal_values(users=["U0DANA"], message="Thanks!", private=True)
    first = stack.driver.view_submission("U0ADA", view, values)
    second = stack.driver.view_submission("U0ADA", view, values)
    assert first.status == second.status == 200
    stack.services.settle()
    assert given(stack) == [(ADA, DANA, None, "Thanks!")]


def test_the_message_shortcut_recognizes_the_author(ada):
    stack = ada
    stack.slack.channels["C0ENG"].members.add("U0ADA")
    message = {"type": "message", "user": "U0FOX", "ts": "1795000000.001200",
               "text": "Rolled back the bad deploy in 4 minutes, all green now"}
    reply = stack.driver.message_shortcut("U0ADA", "recognize_message", message,
                                          channel="C0ENG")
    assert reply.status == 200
    view = wait_form(stack, "U0ADA")
    recipients = next(b for b in view["blocks"] if b["block_id"] == "recipients")
    assert recipients["element"]["initial_users"] == ["U0FOX"]
    text = next(b for b in view["blocks"] if b["block_id"] == "message")
    prefilled = text["element"]["initial_value"]
    assert prefilled.startswith("> Rolled back the bad deploy")
    assert "https://ganderlabs.slack.com/archives/C0ENG/p1795000000001200" in prefilled
    assert json.loads(view["private_metadata"])["source"] == "shortcut"

    stack.driver.view_submission("U0ADA", view, modal_values(
        users=["U0FOX"], badge=1, message=prefilled + "\nCalm under pressure.",
        channel="C0ENG"))
    wait_for_text(stack, "U0ADA", "Done!")
    (recognition,) = given(stack)
    assert recognition[:3] == (ADA, FOX, 1)
    assert "archives/C0ENG/p1795000000001200" in recognition[3]


def test_the_shortcut_on_your_own_message_leaves_recipients_empty(ada):
    stack = ada
    message = {"type": "message", "user": "U0ADA", "ts": "1795000000.000100", "text": "me"}
    stack.driver.message_shortcut("U0ADA", "recognize_message", message, channel="C0ENG")
    recipients = next(b for b in wait_form(stack, "U0ADA")["blocks"]
                      if b["block_id"] == "recipients")
    assert "initial_users" not in recipients["element"]


def test_an_unlinked_person_gets_a_link_prompt_instead_of_the_modal(stack):
    stack.driver.command("U0ELI", "recognize")
    stack.slack.wait_for(lambda: any(p.kind == "view" for p in stack.slack.posted))
    view = last_view(stack, "U0ELI")
    assert "first link your 7Geese account" in str(view["blocks"])
    assert "submit" not in view


def test_sharing_in_a_channel_without_the_bot_says_how_to_invite_it(ada):
    stack = ada
    stack.driver.command("U0ADA", "recognize")
    stack.driver.view_submission("U0ADA", wait_form(stack, "U0ADA"), modal_values(
        users=["U0DANA"], message="Thanks!", channel="C0RANDOM"))
    notice = wait_for_text(stack, "U0ADA", "I'm not a member there")
    assert "/invite @geese-bot" in notice.text
    assert given(stack) == [(ADA, DANA, None, "Thanks!")]


def test_the_form_is_acked_in_time_in_a_20000_member_channel_with_slack_slow(ada):
    """Slack answers users.info and conversations.members in a second each: checking
    three people and paging a 20,000-member channel before the ack took past Slack's 3
    seconds. The ack now asks Slack nothing; the checks follow it."""
    from sandbox.slack.world import Channel

    stack = ada
    crowd = stack.slack.add_people(20_000)
    stack.slack.channels["C0BIG"] = Channel("C0BIG", "all-hands", {
        "U0ADA", stack.slack.BOT_USER_ID, *(p.id for p in crowd)})
    stack.driver.command("U0ADA", "recognize", channel="C0BIG")
    view = wait_form(stack, "U0ADA")
    stack.slack.slow("users.info", 1.0)
    stack.slack.slow("conversations.members", 1.0)
    answer = stack.driver.view_submission("U0ADA", view, modal_values(
        users=["U0DANA", "U0FOX", "U0BEA"], message="All-hands demo", channel="C0BIG"))
    assert answer.status == 200 and not answer.body and not answer.late
    card = stack.slack.wait_for(lambda: next((p for p in stack.slack.posted
                                              if p.channel == "C0BIG" and p.kind == "message"),
                                             None), timeout=30)
    assert "All-hands demo" in str(card.blocks)


def test_membership_is_read_only_until_the_person_is_found(ada):
    from sandbox.slack.world import Channel
    from storage import SlackIdentity

    stack = ada
    crowd = stack.slack.add_people(3_500)
    stack.slack.channels["C0BIG"] = Channel("C0BIG", "all-hands", {
        "U0ADA", stack.slack.BOT_USER_ID, *(p.id for p in crowd)})
    ada_id = SlackIdentity("T0GANDER", "U0ADA")
    before = len(stack.slack.calls_to("conversations.members"))
    assert stack.services.slack.is_member(ada_id, "C0BIG", "U0ADA") is True
    assert len(stack.slack.calls_to("conversations.members")) - before == 1  # the first page
    assert stack.services.slack.is_member(ada_id, "C0BIG", "U0FOX") is False
    assert len(stack.slack.calls_to("conversations.members")) - before == 1 + 4  # every page
