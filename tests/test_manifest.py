"""manifest.yml: valid against Slack's schema, least privilege, and in step with the
listeners: every declared command and event is handled, and nothing undeclared is."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml
from slack_bolt import App

import handlers
from bot.app import BOT_SCOPES
from tests.helpers import REFERENCE, ROOT


@pytest.fixture(scope="module")
def manifest():
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


class Recorder:
    """Stands in for the Bolt App while handlers register, noting what they listen to."""

    def __init__(self, app: App):
        self._app = app
        self.commands: set[str] = set()
        self.events: set[str] = set()
        self.shortcuts: set[str] = set()

    def command(self, command, *args, **kwargs):
        self.commands.add(command)
        return self._app.command(command, *args, **kwargs)

    def event(self, event, *args, **kwargs):
        self.events.add(event if isinstance(event, str) else event["type"])
        return self._app.event(event, *args, **kwargs)

    def shortcut(self, callback_id, *args, **kwargs):
        self.shortcuts.add(callback_id)
        return self._app.shortcut(callback_id, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._app, name)


def test_manifest_validates_against_slacks_schema(manifest):
    schema = json.loads((REFERENCE / "manifest.schema.1.0.0.json").read_text())
    jsonschema.validate(manifest, schema)
    # The schema does not enforce this one's format.
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", manifest["display_information"]["background_color"])


def test_an_invalid_manifest_is_caught():
    schema = json.loads((REFERENCE / "manifest.schema.1.0.0.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"display_information": {"name": ""}}, schema)


def test_bot_scopes_are_exactly_what_the_code_uses(manifest):
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    assert "user" not in manifest["oauth_config"]["scopes"]


def test_declared_commands_events_and_shortcuts_match_the_listeners(manifest, stack):
    recorder = Recorder(App(client=stack.services.slack_client, signing_secret="x",
                            token_verification_enabled=False))
    handlers.register(recorder, stack.services)
    features = manifest["features"]
    assert {c["command"] for c in features["slash_commands"]} == recorder.commands
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == recorder.events
    assert {s["callback_id"] for s in features.get("shortcuts", [])} == recorder.shortcuts


def test_every_declared_command_and_event_is_answered(manifest, stack):
    for command in manifest["features"]["slash_commands"]:
        reply = stack.driver.command("U0DANA", "help", command=command["command"])
        assert reply.status == 200
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        assert stack.driver.event({"type": event, "user": "U0DANA", "tab": "home"}).status == 200
    # And the check can fail: something nobody listens to is not answered.
    assert stack.driver.event({"type": "pin_added", "user": "U0DANA"}).status == 404
    assert stack.driver.command("U0DANA", "help", command="/praise").status == 404


def test_urls_and_settings(manifest):
    settings = manifest["settings"]
    urls = [c["url"] for c in manifest["features"]["slash_commands"]]
    urls += [settings["event_subscriptions"]["request_url"],
             settings["interactivity"]["request_url"]]
    assert all(u.endswith("/slack/events") for u in urls)
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False
    assert settings["token_rotation_enabled"] is False
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_the_usage_hint_reaches_slack_whole_and_matches_help(manifest):
    """Unquoted, ` #badge` started a YAML comment: Slack got the hint cut short."""
    from bot.help.blocks import help_reply

    (command,) = manifest["features"]["slash_commands"]
    hint = command["usage_hint"]
    assert hint.startswith("recognize @person what they did #badge | ")
    assert hint.endswith("| help")
    help_text = json.dumps(help_reply().blocks)
    for part in hint.split(" | "):
        assert f"/geese {part.split()[0]}" in help_text, part
