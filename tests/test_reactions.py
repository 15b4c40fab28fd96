"""Recognize with a reaction (issue 26): the workspace's emoji offers the reactor a
recognition of the message's author; nothing reaches 7Geese without the confirming
click."""

from __future__ import annotations

import json

import pytest

from storage import SlackIdentity
from tests.helpers import answer, press_home_button
from tests.recognition_helpers import given, modal_values, wait_form
from tests.test_home import open_home

DANA, FOX, ADA = "U0DANA", "U0FOX", "U0ADA"
ENG = "C0ENG"


@pytest.fixture
def emoji(dana):
    """Dana linked; Ada (the workspace's owner) chose :raised_hands:."""
    told = answer(dana, ADA, "admin reaction :raised_hands:")
    assert "anyone who reacts with :raised_hands:" in told.text
    return dana


def react(stack, user, author, *, channel=ENG, ts=None, reaction="raised_hands"):
    ts = ts or f"{stack.services.clock() - 60:.6f}"
    stack.driver.event({"type": "reaction_added", "user": user, "reaction": reaction,
                        "item_user": author, "event_ts": f"{stack.services.clock():.6f}",
                        "item": {"type": "message", "channel": channel, "ts": ts}})
    stack.services.settle()
    return ts


def offers(stack, user=DANA):
    return [p for p in stack.slack.posted
            if (p.user == user or p.channel == "D0" + user[2:]) and not p.replaced
            and "in 7Geese for their message" in (p.text or "")]


def test_only_an_admin_picks_the_emoji(dana):
    told = answer(dana, DANA, "admin reaction :tada:")
    assert "Only a Slack workspace admin or owner" in told.text
    assert answer(dana, ADA, "admin reaction tada").text.startswith("Done")
    assert ":tada:" in str(answer(dana, ADA, "admin").blocks)
    assert "Try `/geese admin reaction" in answer(dana, ADA, "admin reaction two words").text
    assert "no longer offer" in answer(dana, ADA, "admin reaction off").text
    react(dana, DANA, FOX, reaction="tada")
    assert offers(dana) == []


def test_a_reaction_offers_and_one_click_gives_one_recognition(emoji):
    stack = emoji
    ts = react(stack, DANA, FOX)
    (offer,) = offers(stack)
    assert offer.kind == "ephemeral" and offer.channel == ENG
    assert "Recognize <@U0FOX> in 7Geese for their message in <#C0ENG>?" in offer.text
    assert given(stack) == []  # an offer, not a recognition
    react(stack, DANA, FOX, ts=ts)  # the same reaction again: no second offer
    assert len(offers(stack)) == 1
    stack.driver.click(DANA, offer, "Recognize")
    form = wait_form(stack, DANA)
    prefilled = json.dumps(form["blocks"])
    assert "U0FOX" in prefilled
    assert f"/archives/C0ENG/p{ts.replace('.', '')}" in prefilled
    stack.driver.view_submission(DANA, form, modal_values(
        users=[FOX], message="Thanks for the quick fix", channel=ENG))
    stack.services.settle()
    assert [g[3] for g in given(stack)] == ["Thanks for the quick fix"]
    assert offers(stack) == []  # the outcome took the offer's place
    react(stack, DANA, FOX, ts=ts, reaction="raised_hands::skin-tone-3")
    assert offers(stack) == []  # recognized from it already


def test_not_now_and_dont_ask_again(emoji):
    stack = emoji
    react(stack, DANA, FOX)
    stack.driver.click(DANA, offers(stack)[0], "Not now")
    stack.services.settle()
    assert offers(stack) == []
    react(stack, DANA, "U0BEA")
    stack.driver.click(DANA, offers(stack)[0], "Don't ask me again")
    stack.services.settle()
    assert offers(stack) == []
    react(stack, DANA, "U0IVAN")
    assert offers(stack) == []
    home = open_home(stack, DANA)
    assert "react with :raised_hands:" in json.dumps(home) and "off" in json.dumps(home)
    press_home_button(stack, DANA, home, "home_reaction_offers", "Turn on")
    react(stack, DANA, "U0IVAN", ts=f"{stack.services.clock() - 30:.6f}")
    assert len(offers(stack)) == 1
    assert given(stack) == []


def test_no_offer_for_a_bot_oneself_an_old_message_or_another_emoji(emoji, clock):
    stack = emoji
    react(stack, DANA, "U0DEPLOY")  # a bot's message
    react(stack, DANA, DANA)  # one's own
    react(stack, DANA, FOX, ts=f"{clock() - 8 * 86400:.6f}")  # over a week old
    react(stack, DANA, FOX, reaction="thumbsup")
    react(stack, DANA, FOX, channel="D0DANA")  # a DM is not a channel
    assert offers(stack) == []


def test_an_unlinked_reactor_links_first_and_the_offer_stands(emoji):
    stack = emoji  # Fox is not linked
    react(stack, FOX, DANA)
    (offer,) = offers(stack, FOX)
    assert "First, link your 7Geese account" in json.dumps(offer.blocks)
    url = next(e["url"] for b in offer.blocks for e in b.get("elements", [])
               if e.get("action_id") == "link_open")
    assert stack.follow_link(url, email="fox@ganderlabs.example").status == 200
    stack.driver.click(FOX, offer, "Recognize")
    form = wait_form(stack, FOX)
    assert "U0DANA" in json.dumps(form["blocks"])


def test_where_the_bot_is_not_the_offer_comes_by_dm(emoji):
    stack = emoji  # the bot is not in #random
    react(stack, DANA, FOX, channel="C0RANDOM")
    (offer,) = offers(stack)
    assert offer.channel == "D0DANA"


def test_a_burst_of_fifty_reactions_is_a_few_offers(emoji, clock):
    stack = emoji
    for n in range(50):
        react(stack, DANA, FOX, ts=f"{clock() - 100 - n:.6f}")
    assert len(offers(stack)) == 10
    clock.advance(3600)
    react(stack, DANA, FOX, ts=f"{clock() - 5:.6f}")
    assert len(offers(stack)) == 11


def test_7geese_down_at_confirm_keeps_the_recognition(emoji):
    stack = emoji
    react(stack, DANA, FOX)
    stack.driver.click(DANA, offers(stack)[0], "Recognize")
    form = wait_form(stack, DANA)
    stack.geese.set_faults(status=503)
    stack.driver.view_submission(DANA, form, modal_values(users=[FOX], message="Great call"))
    stack.services.settle()
    assert given(stack) == []
    assert stack.services.recognition.outbox.ids()  # kept, for the clock to retry
    stack.geese.clear_faults()


def test_an_uninstalled_workspace_forgets_the_emoji(two):
    stack = two
    honk = stack.world("T0HONK")
    stack.drivers["T0HONK"].command("W0OTTO", "admin reaction :duck:", channel="C1GENERAL")
    stack.services.settle()
    otto = SlackIdentity("T0HONK", "W0OTTO", "E0HONK")
    assert stack.services.offers.emoji(otto) == "duck"
    stack.drivers["T0HONK"].event({"type": "app_uninstalled"})
    stack.services.settle()
    assert stack.services.offers.emoji(otto) is None
    assert honk.refusals == []


def test_slack_refusing_the_offer_everywhere_loses_nothing_else(emoji):
    stack = emoji
    stack.slack.fail("chat.postEphemeral", "internal_error", times=1)
    stack.slack.fail("chat.postMessage", "internal_error", times=1)
    react(stack, DANA, FOX)
    assert offers(stack) == [] and given(stack) == []
    react(stack, DANA, "U0BEA")  # the next reaction is offered as usual
    assert len(offers(stack)) == 1
