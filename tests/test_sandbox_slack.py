"""The sandbox Slack holds the bot to Slack's rules: tokens, scopes, arguments,
trigger_ids, response_urls, view limits and rate limits."""

from __future__ import annotations

import httpx2
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.servers import serve_in_thread
from sandbox.slack import SlackWorld, create_app
from tests.helpers import FakeClock

ALL_SCOPES = {"chat:write", "commands", "users:read", "users:read.email", "im:write",
              "channels:read"}


@pytest.fixture
def slack():
    world = SlackWorld(scopes=ALL_SCOPES, clock=FakeClock())
    server = serve_in_thread(create_app(world))
    yield world, server.url, WebClient(token=world.bot_token, base_url=server.url + "/api/")
    server.stop()


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as err:
        call()
    return err.value.response["error"]


def test_tokens_are_checked(slack):
    world, url, client = slack
    assert client.auth_test()["user_id"] == world.BOT_USER_ID
    stranger = WebClient(token="xoxb-forged", base_url=url + "/api/")
    assert error_of(stranger.auth_test) == "invalid_auth"
    assert error_of(WebClient(base_url=url + "/api/").auth_test) == "not_authed"
    assert [c.method for c in world.calls] == ["auth.test"] * 3


def test_missing_scope_names_what_is_needed(slack):
    world, _, client = slack
    world.scopes.discard("users:read.email")
    assert "email" not in client.users_info(user="U0DANA")["user"]["profile"]
    world.scopes.discard("users:read")
    with pytest.raises(SlackApiError) as err:
        client.users_info(user="U0DANA")
    assert err.value.response["error"] == "missing_scope"
    assert err.value.response["needed"] == "users:read"


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_messages_follow_channel_membership(slack):
    world, _, client = slack
    assert client.chat_postMessage(channel="U0DANA", text="hi")["channel"] == "D0DANA"
    assert error_of(lambda: client.chat_postMessage(channel="C0RANDOM", text="hi")) == \
        "not_in_channel"
    assert error_of(lambda: client.chat_postMessage(channel="C0NOPE", text="hi")) == \
        "channel_not_found"
    assert error_of(lambda: client.chat_postMessage(channel="U0DANA")) == "no_text"
    assert error_of(lambda: client.chat_postEphemeral(channel="C0ENG", user="U0ADA",
                                                      text="hi")) == "user_not_in_channel"
    assert [p.text for p in world.visible_to("U0DANA")] == ["hi"]


def test_trigger_ids_are_single_use_and_short_lived(slack):
    world, _, client = slack
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Recognize"},
            "blocks": [{"type": "divider"}]}
    trigger = world.new_trigger("U0DANA")
    assert client.views_open(trigger_id=trigger, view=view)["ok"]
    assert error_of(lambda: client.views_open(trigger_id=trigger, view=view)) == \
        "exchanged_trigger_id"
    late = world.new_trigger("U0DANA")
    world.clock.advance(3.5)
    assert error_of(lambda: client.views_open(trigger_id=late, view=view)) == \
        "expired_trigger_id"


def test_view_limits(slack):
    world, _, client = slack
    long_title = {"type": "modal", "title": {"type": "plain_text", "text": "x" * 25},
                  "blocks": [{"type": "divider"}]}
    too_many = {"type": "modal", "title": {"type": "plain_text", "text": "ok"},
                "blocks": [{"type": "divider"}] * 101}
    fat = {"type": "home", "blocks": [{"type": "divider"}], "private_metadata": "x" * 3001}
    for view in (long_title, too_many):
        assert error_of(lambda v=view: client.views_open(
            trigger_id=world.new_trigger("U0DANA"), view=v)) == "invalid_arguments"
    assert error_of(lambda: client.views_publish(user_id="U0DANA", view=fat)) == \
        "invalid_arguments"


def section(text):
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def reasons(world):
    return [reason for _, found in world.refusals for reason in found]


def test_messages_over_slacks_limits_are_refused_as_slack_refuses_them(slack):
    world, _, client = slack
    refused = {
        "a section of 3,001 characters": [section("x" * 3001)],
        "51 blocks": [{"type": "divider"}] * 51,
        "a header of 151 characters": [{"type": "header", "text": {
            "type": "plain_text", "text": "x" * 151}}],
        "a context line of 3,001 characters": [{"type": "context", "elements": [
            {"type": "mrkdwn", "text": "x" * 3001}]}],
        "a button label of 76 characters": [{"type": "actions", "elements": [
            {"type": "button", "action_id": "a", "text": {"type": "plain_text",
                                                         "text": "x" * 76}}]}],
        "101 options": [{"type": "section", "text": {"type": "mrkdwn", "text": "pick"},
                         "accessory": {"type": "static_select", "action_id": "s", "options": [
                             {"text": {"type": "plain_text", "text": str(n)},
                              "value": str(n)} for n in range(101)]}}],
        "an empty section": [section("")],
    }
    for why, blocks in refused.items():
        with pytest.raises(SlackApiError) as caught:
            client.chat_postMessage(channel="C0GENERAL", text="hi", blocks=blocks)
        assert caught.value.response["error"] == "invalid_blocks", why
        assert caught.value.response["errors"][0].endswith("]"), why  # a JSON pointer
    assert "must be less than 3001 characters [json-pointer:/blocks/0/text/text]" in \
        reasons(world)
    assert error_of(lambda: client.chat_postEphemeral(
        channel="C0GENERAL", user="U0DANA", text="x" * 40_001)) == "msg_too_long"
    # chat.postMessage keeps the first 40,000 characters instead, as Slack does.
    client.chat_postMessage(channel="C0GENERAL", text="y" * 40_001)
    assert len(world.posted[-1].text) == 40_000
    fine = [section("x" * 3000), *[{"type": "divider"}] * 49]
    assert client.chat_postMessage(channel="C0GENERAL", text="hi", blocks=fine)["ok"]


def test_views_over_slacks_limits_are_refused(slack):
    world, _, client = slack
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Check in"}}
    label = {"type": "input", "block_id": "b", "label": {"type": "plain_text", "text": "x" * 2001},
             "element": {"type": "plain_text_input", "action_id": "a"}}
    for blocks in ([section("x" * 3001)], [label], [{"type": "divider"}] * 101):
        assert error_of(lambda b=blocks: client.views_open(
            trigger_id=world.new_trigger("U0DANA"), view={**modal, "blocks": b})) == \
            "invalid_arguments"
    assert error_of(lambda: client.views_publish(user_id="U0DANA", view={
        "type": "home", "blocks": [section("x" * 3001)]})) == "invalid_arguments"
    assert len(world.refusals) == 4


def test_a_response_url_refuses_an_oversized_payload(slack):
    world, url, _ = slack
    rid = world.new_response_url("U0DANA", "C0GENERAL")
    answer = httpx2.post(f"{url}/response/{rid}",
                         json={"text": "hi", "blocks": [section("x" * 3001)]})
    assert (answer.status_code, answer.text) == (400, "invalid_blocks")
    assert world.visible_to("U0DANA") == []


def test_response_urls_allow_five_uses_in_thirty_minutes(slack):
    world, url, _ = slack
    rid = world.new_response_url("U0DANA", "C0GENERAL")
    answers = [httpx2.post(f"{url}/response/{rid}", json={"text": f"#{i}"}) for i in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [404]
    assert answers[-1].text == "used_url"
    late = world.new_response_url("U0DANA", "C0GENERAL")
    world.clock.advance(30 * 60 + 1)
    assert httpx2.post(f"{url}/response/{late}", json={"text": "x"}).text == "expired_url"


def test_replace_original_through_a_response_url(slack):
    world, url, _ = slack
    rid = world.new_response_url("U0DANA", "C0GENERAL")
    httpx2.post(f"{url}/response/{rid}", json={"text": "Working on it..."})
    httpx2.post(f"{url}/response/{rid}", json={"text": "Done", "replace_original": True})
    assert [p.text for p in world.visible_to("U0DANA")] == ["Done"]


def test_rate_limits_answer_429_with_retry_after(slack):
    world, url, _ = slack
    world.rate_limit("chat.postMessage", retry_after=3, times=1)
    resp = httpx2.post(url + "/api/chat.postMessage",
                       data={"channel": "U0DANA", "text": "hi"},
                       headers={"Authorization": f"Bearer {world.bot_token}"})
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "3"
    assert resp.json() == {"ok": False, "error": "ratelimited"}


def test_people_match_the_sandbox_7geese_by_email(slack):
    from sandbox.geese import seed_people

    world, _, client = slack
    emails = {p.email for p in seed_people()}
    slack_emails = {u.email for u in world.users.values() if u.email}
    assert emails <= slack_emails
    assert client.users_lookupByEmail(email="fox@ganderlabs.example")["user"]["id"] == "U0FOX"
