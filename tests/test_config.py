"""Settings: one frozen object; a missing or malformed variable stops start-up with one
line that names it; no secret ever shows."""

from __future__ import annotations

import base64
import dataclasses
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from bot.config import ConfigError, Settings

# Fixed, so test ids are the same in every process (pytest-xdist compares them).
KEY = base64.urlsafe_b64encode(b"geese-bot tests, not a secret!!!").decode()
SERVE_ENV = {
    "SLACK_BOT_TOKEN": "xoxb-1-secret-bot-token",
    "SLACK_SIGNING_SECRET": "signing-secret-value-123",
    "GEESE_CLIENT_ID": "client-id",
    "GEESE_CLIENT_SECRET": "client-secret-value-456",
    "REDIS_URL": "redis://:redis-password-789@localhost:6379/0",
    "TOKEN_ENCRYPTION_KEY": KEY,
}
SECRETS = ["xoxb-1-secret-bot-token", "signing-secret-value-123", "client-secret-value-456",
           "redis-password-789", KEY]


def test_serve_settings_from_environment():
    settings = Settings.from_env("serve", {**SERVE_ENV, "PUBLIC_URL": "https://bot.example/"})
    assert settings.redirect_uri == "https://bot.example/link/7geese/callback"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.geese_base_url == "https://app.7geese.com"
    assert settings.geese_scopes == "all"
    assert settings.port == 3000
    assert settings.secure_cookies
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.port = 1  # type: ignore[misc]


def test_repr_shows_no_secret():
    text = repr(Settings.from_env("serve", SERVE_ENV))
    assert "client-id" in text
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize("missing", sorted(SERVE_ENV))
def test_each_required_variable_is_named_when_missing(missing):
    env = {k: v for k, v in SERVE_ENV.items() if k != missing}
    with pytest.raises(ConfigError) as err:
        Settings.from_env("serve", env)
    assert err.value.variable == missing
    assert str(err.value).startswith(missing + " is not set")


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("PORT", "eighty", "must be a number"),
        ("PORT", "70000", "must be a number"),
        ("PUBLIC_URL", "bot.example.com", "http:// or https://"),
        ("GEESE_BASE_URL", "ftp://7geese", "http:// or https://"),
        ("SLACK_API_URL", "https://slack.com/api/?x=1", "query string"),
        ("REDIS_URL", "http://localhost:6379", "redis://"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token", "xoxb-"),
        ("SLACK_APP_TOKEN", "xoxb-not-an-app-token", "xapp-"),
        ("TOKEN_ENCRYPTION_KEY", f"{KEY},not-a-key", "key 2 of 2"),
        ("LINK_REQUIRE_SAME_EMAIL", "maybe", "true or false"),
        ("GEESE_SCOPES", "all; drop", "scope names"),
    ],
)
def test_malformed_values_are_named_without_echoing_them(name, value, says):
    with pytest.raises(ConfigError) as err:
        Settings.from_env("serve", {**SERVE_ENV, name: value})
    assert err.value.variable == name
    assert says in str(err.value)
    assert value not in str(err.value) or value in ("eighty", "70000")


def test_several_encryption_keys_newest_first():
    other = Fernet.generate_key().decode()
    settings = Settings.from_env("serve", {**SERVE_ENV, "TOKEN_ENCRYPTION_KEY": f"{other}, {KEY}"})
    assert settings.token_encryption_keys == (other, KEY)


def test_roles_need_different_variables():
    clock_env = {k: v for k, v in SERVE_ENV.items() if k != "SLACK_SIGNING_SECRET"}
    Settings.from_env("clock", clock_env)  # the clock never verifies Slack requests
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        Settings.from_env("socket", SERVE_ENV)
    Settings.from_env("shell", {})  # the playground needs nothing


@pytest.mark.parametrize("command", ["serve", "socket", "clock"])
def test_start_up_with_a_missing_variable_prints_one_line_and_exits(command):
    env = {k: v for k, v in os.environ.items()
           if k not in SERVE_ENV and not k.startswith(("SLACK_", "GEESE_"))}
    env.update({k: v for k, v in SERVE_ENV.items() if k != "GEESE_CLIENT_SECRET"})
    env["SLACK_APP_TOKEN"] = "xapp-1-app-token"
    done = subprocess.run([sys.executable, "-m", "bot", command], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines == [f"geese-bot: GEESE_CLIENT_SECRET is not set (required for "
                     f"`geese-bot {command}`)"]
    for secret in SECRETS:
        assert secret not in done.stderr + done.stdout
