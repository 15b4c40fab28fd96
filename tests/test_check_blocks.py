"""`geese-bot check-blocks` sends every payload the bot builds to Slack's blocks.validate:
here the sandbox Slack's, which holds the whole rule table."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot import i18n
from bot.builders import REGISTRY
from sandbox.servers import serve_in_thread
from sandbox.slack import SlackWorld, create_app
from tests.helpers import ROOT, FakeClock, free_port


@pytest.fixture
def slack():
    world = SlackWorld(scopes=set(), clock=FakeClock())
    server = serve_in_thread(create_app(world))
    yield world, server.url
    server.stop()


def check_blocks(api_url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return subprocess.run([sys.executable, "-m", "bot", "check-blocks"], text=True,
                          capture_output=True, timeout=120, cwd=ROOT,
                          env={**env, "SLACK_API_URL": api_url})


def test_every_payload_passes_slacks_validator(slack):
    world, url = slack
    done = check_blocks(url + "/api/")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    every = len(REGISTRY) * len(i18n.LANGUAGES)  # each payload in each language
    assert len([line for line in lines if line.startswith("ok ")]) == every
    assert any(line.endswith(", fr)") for line in lines)
    assert lines[-1] == f"{every} of {every} payloads accepted by {url}/api/blocks.validate"
    assert sum(1 for call in world.calls if call.method == "blocks.validate") == every


def test_a_refusal_is_named_and_exits_1(slack):
    world, url = slack
    world.fail("blocks.validate", "invalid_blocks")
    done = check_blocks(url + "/api/")
    assert done.returncode == 1
    assert f"REFUSED  {REGISTRY[0].name} (message, en): invalid_blocks" in done.stdout


def test_slack_out_of_reach_is_one_clear_line():
    done = check_blocks(f"http://127.0.0.1:{free_port()}/api/")
    assert done.returncode == 2
    assert done.stderr.startswith("geese-bot: could not reach http://127.0.0.1:")
    assert "Traceback" not in done.stderr
