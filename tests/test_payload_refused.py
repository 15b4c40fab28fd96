"""When Slack refuses a payload anyway (a rule nobody published), the person still gets
the words as plain text, the refusal is logged once with Slack's pointers, and
geese_bot_slack_payload_refused_total counts it by builder."""

from __future__ import annotations

import logging

import httpx2

from storage import SlackIdentity

DANA = SlackIdentity("T0GANDER", "U0DANA")
# Two buttons with one action_id in one block: the sandbox refuses it, as Slack does.
BROKEN = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Your week*"}},
          {"type": "actions", "elements": [
              {"type": "button", "action_id": "same", "text": {"type": "plain_text",
                                                               "text": "A"}},
              {"type": "button", "action_id": "same", "text": {"type": "plain_text",
                                                               "text": "B"}}]},
          {"type": "context", "elements": [{"type": "mrkdwn", "text": "See you Monday"}]}]


def refused_count(stack, builder: str) -> float:
    return stack.services.metrics.registry.get_sample_value(
        "geese_bot_slack_payload_refused_total", {"builder": builder}) or 0


def test_a_refused_message_arrives_as_plain_text_and_is_counted(stack, caplog):
    with caplog.at_level(logging.ERROR):
        delivery = stack.services.slack.dm(DANA, text="Your week", blocks=BROKEN,
                                           builder="digest")
    assert delivery
    (sent,) = [p for p in stack.slack.posted if p.channel == "D0DANA"]
    assert sent.blocks is None and sent.text == "*Your week*\nSee you Monday"
    assert refused_count(stack, "digest") == 1
    (line,) = [r for r in caplog.records if "refused the digest payload" in r.getMessage()]
    assert "/blocks/1/elements/1/action_id" in line.getMessage()
    stack.slack.refusals.clear()  # the refusal was this test's point


def test_a_refused_home_tab_becomes_a_short_apology(stack):
    view = {"type": "home", "blocks": BROKEN}
    assert stack.services.slack.publish_home(DANA, view) is False
    assert "Sorry, part of this page couldn't be shown" in str(stack.slack.homes["U0DANA"])
    assert refused_count(stack, "home.home_view") == 1
    stack.slack.refusals.clear()


def test_a_refused_response_url_answer_arrives_as_plain_text(stack):
    base = stack.settings.slack_api_url.removesuffix("/api/")
    url = f"{base}/response/{stack.slack.new_response_url('U0DANA', 'C0GENERAL')}"
    assert stack.services.slack.respond(url, text="Your week", blocks=BROKEN,
                                        builder="todo.blocks.item_list")
    shown = [p for p in stack.slack.visible_to("U0DANA") if p.kind == "response"]
    assert shown[-1].text == "*Your week*\nSee you Monday" and not shown[-1].blocks
    assert refused_count(stack, "todo.blocks.item_list") == 1
    assert "geese_bot_slack_payload_refused_total" in httpx2.get(
        stack.app_url + "/metrics").text
    stack.slack.refusals.clear()
