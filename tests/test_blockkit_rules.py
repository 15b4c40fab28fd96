"""The sandbox Slack holds Block Kit's whole contract (bot/slack/rules.py): each rule has
a payload that breaks it and is refused with that rule named, and payloads that keep
every rule pass."""

from __future__ import annotations

import json

import httpx2
import pytest

from bot.slack.rules import RULES, SCHEMAS
from sandbox.servers import serve_in_thread
from sandbox.slack import SlackWorld, create_app, strict
from tests.helpers import FakeClock


def text(value: str = "hi", kind: str = "plain_text") -> dict:
    return {"type": kind, "text": value}


def button(action_id: str = "go", **extra) -> dict:
    return {"type": "button", "action_id": action_id, "text": text("Go"), **extra}


def option(value: str = "a", label: str = "A") -> dict:
    return {"text": text(label), "value": value}


def section(**extra) -> dict:
    return {"type": "section", "text": text("hello", "mrkdwn"), **extra}


def field_input(element: dict, **extra) -> dict:
    return {"type": "input", "label": text("Label"), "element": element, **extra}


def modal(*blocks: dict, **extra) -> dict:
    return {"type": "modal", "title": text("Title"), "submit": text("Save"),
            "blocks": list(blocks), **extra}


def home(*blocks: dict, **extra) -> dict:
    return {"type": "home", "blocks": list(blocks), **extra}


# Each rule, with payloads that break it: ("message", blocks) or ("view", view).
BROKEN: dict[str, list[tuple[str, object]]] = {
    "closed": [
        ("message", [{"type": "actions", "elements": [{**button(), "disabled": True}]}]),  # R7
        ("message", [section(text={"type": "mrkdwn", "text": "x", "emoji": False})]),  # R6
        ("view", modal(section(), submit_disabled=True)),  # R8
        ("view", home(section(), title=text("Home"))),  # a Home tab has no title
    ],
    "json-type": [
        ("view", modal(field_input({"type": "plain_text_input"}, dispatch_action={}))),  # R9
        ("message", [section(text={"type": "mrkdwn", "text": "x", "verbatim": "{false}"})]),
        ("view", modal(field_input({"type": "number_input", "is_decimal_allowed": False,
                                    "min_value": 1}))),  # R21
        ("message", {"blocks": []}),  # R22: blocks must be an array, not an object
    ],
    "required": [
        ("message", [{"type": "header"}]),
        ("view", modal(field_input({"type": "number_input"}))),  # is_decimal_allowed
        ("view", {"type": "modal", "blocks": [section()]}),  # a modal's title
        ("message", [{"type": "actions", "elements": [{"type": "button", "action_id": "x"}]}]),
    ],
    "length": [
        ("message", [section(text=text("x" * 3001, "mrkdwn"))]),  # R13
        ("message", [section(text=text("", "mrkdwn"))]),  # R11
        ("message", [section(fields=[text("x", "mrkdwn")] * 11)]),  # R14
        ("message", [section(fields=[text("", "mrkdwn")])]),  # R12
        ("message", [section(fields=[text("x" * 2001, "mrkdwn")])]),
        ("message", [{"type": "actions", "elements": [button(text=text("x" * 76))]}]),
        ("message", [{"type": "actions", "elements": [button(value="")]}]),
        ("message", [{"type": "header", "text": text("x" * 151)}]),
        ("view", modal(field_input({"type": "plain_text_input", "max_length": 5000}))),
        ("view", modal(field_input({"type": "plain_text_input", "max_length": 0}))),
        ("view", modal(section(), title=text("x" * 25))),  # R19
        ("view", modal(section(), private_metadata="x" * 3001)),
        ("message", [{"type": "actions", "elements": []}]),
        ("message", [{"type": "context", "elements": [text()] * 11}]),
        ("message", [section(text=text("😀" * 1501, "mrkdwn"))]),  # UTF-16 units, strictly
        ("message", [{"type": "actions", "elements": [{
            "type": "overflow", "action_id": "o", "options": [option()]}]}]),  # min 2
        ("message", [{"type": "actions", "elements": [{
            "type": "static_select", "action_id": "s",
            "options": [option("v" * 151)]}]}]),
        ("message", [section(block_id="")]),  # R3: an empty block_id
        ("message", [{"type": "actions", "elements": [button(action_id="")]}]),
    ],
    "enum": [
        ("message", [{"type": "actions", "elements": [button(style="warning")]}]),  # R24
    ],
    "type": [
        ("message", [button()]),  # R23: an element as a block
        ("message", [{"type": "nonsense"}]),
        ("message", [section(text={"type": "text", "text": "x"})]),
        ("message", [{"type": "header", "text": text("x", "mrkdwn")}]),  # plain only
        ("message", [{"type": "rich_text", "elements": [{"type": "paragraph"}]}]),
    ],
    "placement": [
        ("message", [section(accessory={"type": "datetimepicker", "action_id": "d"})]),
        ("view", modal(field_input(button()))),
        ("message", [{"type": "context", "elements": [button()]}]),
    ],
    "surface": [
        ("message", [{"type": "file", "external_id": "x", "source": "remote"}]),
        ("message", [field_input({"type": "plain_text_input"})]),  # R17: strict reading
        ("view", home(section(), {"type": "actions", "elements": [
            {"type": "datetimepicker", "action_id": "d"}]})),
        ("view", modal({"type": "markdown", "text": "**x**"})),
        ("view", home(field_input({"type": "number_input", "is_decimal_allowed": True}))),
    ],
    "block-id-unique": [
        ("message", [section(block_id="a"), section(block_id="a")]),
        ("view", modal(field_input({"type": "plain_text_input"}, block_id="x"),
                       field_input({"type": "plain_text_input"}, block_id="x"))),  # R2
    ],
    "action-id-unique": [
        ("message", [{"type": "actions", "elements": [button("same"), button("same")]}]),  # R1
    ],
    "one-focus": [
        ("view", modal(field_input({"type": "plain_text_input", "focus_on_load": True}),
                       field_input({"type": "plain_text_input", "focus_on_load": True}))),
    ],
    "block-count": [
        ("message", [section()] * 51),
        ("view", modal(*[section()] * 101)),
        ("view", home()),  # a view has at least one block
    ],
    "markdown-total": [
        ("message", [{"type": "markdown", "text": "x" * 7000},
                     {"type": "markdown", "text": "x" * 7000}]),
    ],
    "submit-with-input": [
        ("view", {"type": "modal", "title": text("T"),
                  "blocks": [field_input({"type": "plain_text_input"})]}),  # R20
    ],
    "initial-among-options": [
        ("view", modal(field_input({"type": "multi_static_select", "options": [option()],
                                    "initial_options": []}))),  # R4
        ("view", modal(field_input({"type": "static_select", "options": [option("a")],
                                    "initial_option": option("b")}))),
        ("view", modal(field_input({"type": "radio_buttons", "options": [option("a")],
                                    "initial_option": option("a", "Not A")}))),
    ],
    "options-xor-groups": [
        ("view", modal(field_input({"type": "static_select"}))),
        ("view", modal(field_input({"type": "static_select", "options": [option()],
                                    "option_groups": [{"label": text("G"),
                                                       "options": [option()]}]}))),
    ],
    "one-image-source": [
        ("message", [{"type": "image", "alt_text": "x"}]),
        ("message", [{"type": "image", "alt_text": "x", "image_url": "https://x.example/a.png",
                      "slack_file": {"id": "F12345678"}}]),
        ("message", [{"type": "image", "alt_text": "x", "slack_file": {}}]),
    ],
    "section-content": [
        ("message", [{"type": "section"}]),
    ],
    "min-max": [
        ("view", modal(field_input({"type": "number_input", "is_decimal_allowed": True,
                                    "min_value": "5", "max_value": "1"}))),
        ("view", modal(field_input({"type": "plain_text_input", "min_length": 10,
                                    "max_length": 5}))),
    ],
    "format": [
        ("message", [section(accessory={"type": "datepicker", "initial_date": "2026-13-01"})]),
        ("message", [section(accessory={"type": "timepicker", "initial_time": "25:00"})]),
        ("view", modal(field_input({"type": "number_input", "is_decimal_allowed": True,
                                    "initial_value": "ten"}))),
    ],
    "view-size": [
        ("view", modal(*[section(text=text("x" * 2900, "mrkdwn")) for _ in range(90)])),
    ],
    "message-text": [
        ("post", [section(text=text("x" * 3000, "mrkdwn")) for _ in range(4)]),  # R18
    ],
    "no-dispatch-file": [
        ("view", modal(field_input({"type": "file_input"}, dispatch_action=True))),
    ],
}


def refused_by(where: str, payload) -> set[str]:
    if where == "view":
        return {p.rule for p in strict.view_problems(payload)}
    if where == "post":
        return {"message-text"} if strict.blocks_text_too_long({"blocks": payload}) else set()
    return {p.rule for p in strict.message_problems({"blocks": payload})}


CASES = [(rule, where, payload) for rule, cases in BROKEN.items()
         for where, payload in cases]


@pytest.mark.parametrize(("rule", "where", "payload"), CASES,
                         ids=[f"{rule}-{i}" for i, (rule, _, _) in enumerate(CASES)])
def test_a_payload_that_breaks_a_rule_is_refused_by_that_rule(rule, where, payload):
    assert rule in refused_by(where, payload)


def test_every_rule_has_a_payload_that_breaks_it():
    assert set(RULES) - set(BROKEN) == set()
    assert set(BROKEN) - set(RULES) == set()


GOOD_MESSAGE = [
    {"type": "header", "text": text("A header")},
    section(block_id="s1", accessory=button("one", value="1", style="primary",
                                            confirm={"title": text("Sure?"),
                                                     "text": text("Really"),
                                                     "confirm": text("Yes"),
                                                     "deny": text("No")})),
    section(fields=[text("*a*", "mrkdwn"), text("b")]),
    {"type": "actions", "elements": [
        button("a", url="https://x.example"), button("b", value="2"),
        {"type": "overflow", "action_id": "o", "options": [
            {**option("1"), "url": "https://x.example"}, option("2")]},
        {"type": "static_select", "action_id": "s", "placeholder": text("Pick"),
         "options": [option("1"), option("2")], "initial_option": option("2")},
        {"type": "checkboxes", "action_id": "c", "options": [
            {"text": text("*x*", "mrkdwn"), "value": "x"}]},
        {"type": "datepicker", "action_id": "d", "initial_date": "2026-12-05"},
        {"type": "multi_users_select", "action_id": "u", "max_selected_items": 3}]},
    {"type": "context", "elements": [text("ctx", "mrkdwn"),
                                     {"type": "image", "image_url": "https://x.example/i.png",
                                      "alt_text": "i"}]},
    {"type": "divider"},
    {"type": "image", "image_url": "https://x.example/i.png", "alt_text": "i",
     "title": text("t")},
    {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": []}]},
    {"type": "markdown", "text": "**bold**"},
]

GOOD_MODAL = modal(
    field_input({"type": "plain_text_input", "action_id": "t", "multiline": True,
                 "max_length": 3000, "min_length": 1, "initial_value": "x",
                 "focus_on_load": True}, block_id="t", hint=text("h"), optional=True),
    field_input({"type": "number_input", "is_decimal_allowed": True, "min_value": "0",
                 "max_value": "10.5", "initial_value": "3"}),
    field_input({"type": "radio_buttons", "options": [option("a"), option("b")],
                 "initial_option": option("b")}),
    field_input({"type": "static_select", "option_groups": [
        {"label": text("G"), "options": [option("a")]}], "initial_option": option("a")}),
    field_input({"type": "multi_static_select", "options": [option("a"), option("b")],
                 "initial_options": [option("a")]}),
    field_input({"type": "conversations_select", "filter": {"include": ["public"]},
                 "default_to_current_conversation": True}),
    field_input({"type": "timepicker", "initial_time": "09:30", "timezone": "Europe/Paris"}),
    field_input({"type": "datetimepicker", "initial_date_time": 1_800_000_000}),
    field_input({"type": "email_text_input"}),
    field_input({"type": "rich_text_input", "action_id": "r"}),
    close=text("Cancel"), private_metadata="{}", callback_id="cb", notify_on_close=True,
)


def test_payloads_that_keep_every_rule_pass():
    assert strict.message_problems({"blocks": GOOD_MESSAGE}) == []
    assert strict.view_problems(GOOD_MODAL) == []
    assert strict.view_problems(home(*GOOD_MESSAGE[:-1], private_metadata="x")) == []


def test_every_schema_field_names_its_source_or_inherits_one():
    """A row without a source cannot be checked against the reference."""
    bare = [f"{kind}.{name}" for kind, fields in SCHEMAS.items()
            for name, field in fields.items() if not field.source]
    allowed = {"timepicker.timezone"}  # sources on the shared definitions (ID, ...) aside
    assert [b for b in bare if b not in allowed and not b.endswith(
        (".block_id", ".action_id", ".placeholder", ".focus_on_load", ".confirm",
         ".dispatch_action_config", ".initial_conversation", ".initial_channel",
         ".alt_text"))] == []


def test_a_problem_reads_like_slack_with_a_pointer():
    (problem,) = strict.message_problems({"blocks": [
        {"type": "actions", "elements": [button("same"), button("same")]}]})
    assert problem.rule == "action-id-unique"
    assert problem.endswith("[json-pointer:/blocks/0/elements/1/action_id]")


# -- blocks.validate, over HTTP ------------------------------------------------------------

@pytest.fixture
def slack():
    server = serve_in_thread(create_app(SlackWorld(scopes=set(), clock=FakeClock())))
    yield server.url
    server.stop()


def validate(url: str, **args) -> dict:
    """No token: Slack's validator needs none."""
    return httpx2.post(f"{url}/api/blocks.validate", data={
        k: v if isinstance(v, str) else json.dumps(v) for k, v in args.items()}).json()


def test_blocks_validate_answers_as_slack_does(slack):
    assert validate(slack, blocks=GOOD_MESSAGE) == {"ok": True}
    assert validate(slack, view=GOOD_MODAL) == {"ok": True}
    refused = validate(slack, blocks=[{"type": "actions",
                                       "elements": [button("x"), button("x")]}])
    assert refused["ok"] is False and refused["error"] == "invalid_blocks"
    assert refused["errors"][0]["pointer"] == "/blocks/0/elements/1/action_id"
    assert validate(slack, view=modal(section(), title=text("x" * 30)))["error"] == \
        "invalid_view"
    message = {"text": "hi", "blocks": [section(text=text(""))]}
    assert validate(slack, message=message)["error"] == "invalid_message"


def test_blocks_validate_takes_exactly_one_payload(slack):
    for args in ({}, {"blocks": GOOD_MESSAGE, "view": GOOD_MODAL}):
        answer = validate(slack, **args)
        assert answer["error"] == "invalid_arguments"
        assert "exactly one" in answer["response_metadata"]["messages"][0]
    assert validate(slack, blocks="[not json")["error"] == "invalid_arguments"
