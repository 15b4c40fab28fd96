"""Recognition end to end: signed Slack requests in, 7Geese recognitions and Slack
posts out, every request to the sandboxes asserted."""

from __future__ import annotations

import pytest

from tests.recognition_helpers import (
    GENERAL,
    given,
    posts_to_recognitions,
    visible_texts,
    wait_for_dms,
    wait_for_text,
)

ADA, DANA, FOX, BEA = 101, 102, 103, 104
OWNERSHIP = 1



def test_recognize_two_people_with_a_badge(ada):
    stack = ada
    reply = stack.driver.command(
        "U0ADA", "recognize <@U0DANA> <@U0FOX|fox> Thanks for carrying the release over "
                 "the line! #ownership")
    assert reply.status == 200
    assert reply.body["text"] == "Recognizing <@U0DANA> and <@U0FOX>..."
    wait_for_text(stack, "U0ADA", "Done! Your recognition")

    message = "Thanks for carrying the release over the line!"
    assert given(stack) == [(ADA, DANA, OWNERSHIP, message), (ADA, FOX, OWNERSHIP, message)]
    assert posts_to_recognitions(stack) == 2

    # The interim answer was replaced; the card is in the channel for everyone.
    ada_sees = visible_texts(stack, "U0ADA")
    assert not any(t.startswith("Recognizing") for t in ada_sees)
    card = wait_for_text(stack, "U0BEA", "recognized")
    assert card.user is None and card.channel == GENERAL and card.kind == "response"
    assert card.response_type == "in_channel"
    text = str(card.blocks)
    assert "<@U0ADA> recognized <@U0DANA> and <@U0FOX>" in text
    assert "Ownership" in text and message in text
    assert "View in 7Geese" in text and "/recognition/1/" in text
    # Each recipient gets the card by DM, with a link to their own recognition.
    dms = wait_for_dms(stack, "U0DANA", "U0FOX")
    assert "/recognition/1/" in dms["U0DANA"] and "/recognition/2/" in dms["U0FOX"]


def test_private_recognition_tells_only_sender_and_recipients(ada):
    stack = ada
    stack.driver.command("U0ADA", "recognize <@U0DANA> quietly brilliant --private")
    wait_for_text(stack, "U0ADA", "only they were told in Slack (7Geese shows it as usual)")
    assert given(stack) == [(ADA, DANA, None, "quietly brilliant")]
    wait_for_dms(stack, "U0DANA")
    assert not any("recognized" in t for t in visible_texts(stack, "U0BEA"))
    assert any("recognized" in str(p.blocks) for p in stack.slack.visible_to("U0DANA"))


def test_message_markup_becomes_plain_text_in_7geese(ada):
    stack = ada
    stack.driver.command("U0ADA", "recognize <@U0DANA> for pairing with <@U0BEA|bea> "
                                  "&amp; fixing <https://ci.example/42|the build>\n"
                                  "on a Friday #go-the-extra-mile")
    wait_for_text(stack, "U0ADA", "Done!")
    assert given(stack) == [(ADA, DANA, 2, "for pairing with @bea & fixing the build "
                                         "(https://ci.example/42)\non a Friday")]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("recognize thanks everyone", "Who would you like to recognize?"),
        ("recognize <@U0DANA>", "What would you like to thank them for?"),
        ("recognize <@U0ADA> me, myself", "You can't recognize yourself"),
        ("recognize <!subteam^S0ENG|@eng> great sprint", "I can't recognize a user group"),
        ("recognize <!here> great sprint", "@here can't receive recognition"),
        ("recognize @dana great", "I couldn't tell who @dana is"),
        ("recognize <@U0DANA> " + "x" * 1001, "That message is 1,001 characters"),
        ("recognize <@U0DANA> two #ownership #teamwork", "one badge per recognition"),
    ],
)
def test_refusals_answer_at_once_and_post_nothing(ada, text, says):
    stack = ada
    reply = ada.driver.command("U0ADA", text)
    assert reply.status == 200 and says in reply.body["text"]
    assert reply.body["response_type"] == "ephemeral"
    assert given(stack) == [] and posts_to_recognitions(stack) == 0


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("recognize <@U0DEPLOY> shipped it", "<@U0DEPLOY> is a bot"),
        ("recognize <@U0JO> great docs", "I couldn't find <@U0JO> in 7Geese"),
        ("recognize <@U0DANA> <@U0JO> great docs", "I couldn't find <@U0JO> in 7Geese"),
        ("recognize <@U0DANA> nice #rockstar", "There's no badge #rockstar"),
        ("recognize <#C0ENG|eng> <@U0DANA> nice", "#eng is a channel"),
    ],
)
def test_refusals_found_with_7geese_post_nothing(ada, text, says):
    stack = ada
    stack.driver.command("U0ADA", text)
    notice = wait_for_text(stack, "U0ADA", says)
    assert "Recognizing" not in (notice.text or "")
    assert given(stack) == [] and posts_to_recognitions(stack) == 0


def test_an_unknown_badge_is_refused_at_once_once_badges_are_known(ada):
    stack = ada
    stack.driver.command("U0ADA", "recognize <@U0DANA> first #teamwork")  # warms the list
    wait_for_text(stack, "U0ADA", "Done!")
    reply = stack.driver.command("U0ADA", "recognize <@U0DANA> again #heroics")
    assert "There's no badge #heroics. The badges are: #ownership, #go-the-extra-mile" in \
        reply.body["text"]
    assert "#rockstar" not in reply.body["text"]  # deleted badges are never offered


def test_the_ack_comes_before_7geese_answers(ada):
    """With 5 s of 7Geese latency the command is answered first, by event order."""
    stack = ada
    earlier = len(stack.geese.finished)
    stack.geese.set_faults(latency=5.0)
    reply = stack.driver.command("U0ADA", "recognize <@U0DANA> patient work")
    stack.slack.wait_for(lambda: len(stack.geese.finished) > earlier, timeout=15)
    first_answer = stack.geese.finished[earlier][2]
    stack.geese.clear_faults()
    assert reply.status == 200 and reply.received_at < first_answer
    wait_for_text(stack, "U0ADA", "Done!", timeout=30)
    assert given(stack) == [(ADA, DANA, None, "patient work")]
