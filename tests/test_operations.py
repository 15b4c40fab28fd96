"""Seeing it run: /metrics moves with real requests, JSON log lines parse and hold no
secret, `geese-bot status` reads a real Redis, and the deploy files agree with the
Procfile, the README and the metrics."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path
from urllib.parse import quote_plus

import httpx2
import pytest

from bot.config import Settings
from bot.ops.logs import setup_logging
from tests.helpers import ROOT, tick
from tests.recognition_helpers import queue_while_7geese_is_down, wait_for_text

SAMPLE = re.compile(r"^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+|NaN)$")


def scrape(stack, token: str | None = None) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    resp = httpx2.get(stack.app_url + "/metrics", headers=headers)
    assert resp.status_code == 200, resp.text
    figures: dict[str, float] = {}
    for line in resp.text.splitlines():
        found = SAMPLE.match(line)
        if found:
            figures[found.group(1) + (found.group(2) or "")] = float(found.group(3))
    return figures


def total(figures: dict[str, float], prefix: str) -> float:
    return sum(v for k, v in figures.items() if k.startswith(prefix))


def test_metrics_follow_real_requests(stack, clock):
    stack.link("U0DANA")
    before = scrape(stack)
    stack.driver.command("U0DANA", "recognize <@U0FOX|fox> steady on-call week")
    wait_for_text(stack, "U0DANA", "Done!")
    stack.services.settle()
    after = scrape(stack)
    assert total(after, 'geese_bot_geese_requests_total{operation="POST /api/v/2.0/'
                        'recognitions/",outcome="ok"') == 1
    assert total(after, "geese_bot_slack_ack_seconds_count") > \
        total(before, "geese_bot_slack_ack_seconds_count")
    assert after['geese_bot_linked_people{state="healthy"}'] == 1

    queue_while_7geese_is_down(stack, "<@U0FOX|fox> calm during the outage")
    down = scrape(stack)
    assert total(down, "geese_bot_geese_requests_total") > \
        total(down, 'geese_bot_geese_requests_total{operation="POST /api/v/2.0/'
                    'recognitions/",outcome="ok"')
    assert total(down, 'geese_bot_geese_requests_total{operation=') and \
        any('outcome="5xx"' in k for k in down)
    assert down['geese_bot_outbox_depth{kind="recognition"}'] == 1
    assert down['geese_bot_outbox_oldest_age_seconds{kind="recognition"}'] >= 0

    stack.driver.command("U0DANA", "nudges on 06:00 daily")
    from datetime import UTC, datetime

    schedule = stack.services.reminders.nudge_of(
        next(stack.services.links.identities())).schedule
    slot = schedule.next_after(datetime.fromtimestamp(clock(), UTC))
    clock.advance(slot.timestamp() - clock() + 30)
    stack.services.dispatcher.run_due()
    sent = scrape(stack)
    assert sent['geese_bot_scheduled_sends_total{kind="nudge",outcome="sent"}'] == 1
    assert sent['geese_bot_scheduled_send_lag_seconds_count{kind="nudge"}'] == 1
    assert sent['geese_bot_scheduled_send_lag_seconds_bucket{kind="nudge",le="60.0"}'] == 1


def test_metrics_can_require_a_token(redis_client, clock):
    from playground.stack import start_stack

    with start_stack(redis_client=redis_client, clock=clock,
                     metrics_token="scrape-me-please") as stack:
        assert httpx2.get(stack.app_url + "/metrics").status_code == 401
        assert httpx2.get(stack.app_url + "/metrics",
                          headers={"Authorization": "Bearer nope"}).status_code == 401
        assert "geese_bot_workspaces" in str(scrape(stack, "scrape-me-please"))
        # A header that is not ASCII is a wrong token (401), not a crash (500).
        assert httpx2.get(stack.app_url + "/metrics", headers={
            "Authorization": "Bearer caf\u00e9".encode("latin-1")}).status_code == 401


@pytest.fixture
def json_logs():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    yield stream
    root.handlers[:], root.level = saved


def test_json_log_lines_parse_and_carry_no_secret(stack, json_logs):
    settings = stack.settings.__class__(**{**stack.settings.__dict__, "log_format": "json",
                                           "log_level": "DEBUG"})
    setup_logging(settings)
    logging.getLogger().handlers[0].setStream(json_logs)
    stack.link("U0DANA")
    queue_while_7geese_is_down(stack, "<@U0FOX|fox> steady on-call week")
    stack.driver.command("U0DANA", "unlink")
    stack.services.settle()
    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any(line.get("workspace") == "T0GANDER" and line.get("user") == "U0DANA"
               for line in lines)
    text = json_logs.getvalue()
    secrets = [settings.geese_client_secret, settings.slack_signing_secret,
               settings.slack_bot_token, *settings.token_encryption_keys]
    secrets += [t.access_token for t in stack.geese.tokens]
    secrets += [t.refresh_token for t in stack.geese.tokens if t.refresh_token]
    assert [s for s in secrets if s and s in text] == []
    assert not re.search(r"xox[a-z]-[A-Za-z0-9-]{6,}", text)


def test_status_reads_a_real_redis(redis_process, stack):
    if redis_process is None:
        pytest.skip("redis-server is not installed here (CI installs it)")
    from bot.ops.status import status

    client = stack.services.redis
    found = status(client, clock=stack.services.clock)
    assert not found.healthy and "has never ticked" in found.lines[-1]
    stack.quick_link("U0DANA")
    stack.driver.command("U0DANA", "nudges on 07:45 daily")
    tick(stack)
    found = status(client, clock=stack.services.clock)
    text = "\n".join(found.lines)
    assert found.healthy, text
    assert "links: 1 (1 healthy, 0 broken)" in text
    assert "personal nudges: 1; next at " in text
    assert "clock: last tick 0 s ago by" in text
    late = status(client, clock=lambda: stack.services.clock() + 600)
    assert not late.healthy and "NOT TICKING" in late.lines[-1]


def test_the_status_command_exits_non_zero_when_the_clock_stopped(redis_process, redis_client):
    # redis_client empties the database first: a tick left by an earlier test in this
    # process would otherwise look recent whenever the process clock is near the pinned one.
    if redis_process is None:
        pytest.skip("redis-server is not installed here (CI installs it)")
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "bot", "status"], capture_output=True,
                          text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "REDIS_URL": redis_process.url})
    assert done.returncode == 1 and "links:" in done.stdout, done.stderr


# -- the deploy files ------------------------------------------------------------------

def readme_variables() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration")[1].split("## Processes")[0]
    return {name for row in table.splitlines() if row.startswith("| `")
            for name in re.findall(r"`([A-Z][A-Z_]+)`", row.split("|")[1])}


def test_app_json_matches_the_procfile_and_the_readme():
    app = json.loads((ROOT / "app.json").read_text())
    procfile = dict(line.split(": ", 1) for line in
                    (ROOT / "Procfile").read_text().strip().splitlines())
    assert set(app["formation"]) == set(procfile)
    assert any(a["plan"].startswith("heroku-redis") for a in app["addons"])
    documented = readme_variables()
    for name, spec in app["env"].items():
        assert name in documented, f"{name} is in app.json but not in the README's table"
        assert spec["description"]
    assert app["env"]["TOKEN_ENCRYPTION_KEY"]["generator"] == "secret"
    Settings.from_env("clock", {  # Heroku's generated secret is a key the bot accepts
        "SLACK_BOT_TOKEN": "xoxb-1", "GEESE_CLIENT_ID": "i", "GEESE_CLIENT_SECRET": "s",
        "REDIS_URL": "redis://h:1/0", "TOKEN_ENCRYPTION_KEY": "ab" * 32})
    settings_fields = set(Settings.__dataclass_fields__)
    assert {"geese_rate", "metrics_token", "metrics_port", "log_format"} <= settings_fields


def test_every_metric_the_dashboard_shows_exists(stack):
    dashboard = json.loads((ROOT / "deploy" / "grafana-dashboard.json").read_text())
    queried = {m for panel in dashboard["panels"] for target in panel.get("targets", [])
               for m in re.findall(r"geese_bot_[a-z_]+", target["expr"])}
    assert queried
    tick(stack)  # the clock's gauge appears
    exposed = httpx2.get(stack.app_url + "/metrics").text
    names = set(re.findall(r"^# TYPE (geese_bot_[a-z_]+) ", exposed, re.M))
    series = {n + suffix for n in names for suffix in ("", "_bucket", "_count", "_sum")}
    missing = {m for m in queried if m not in series}
    assert missing == set()


def test_readme_lists_every_setting_the_code_reads():
    code = (ROOT / "bot" / "config.py").read_text()
    read = set(re.findall(r'env, "([A-Z][A-Z0-9_]+)"', code))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z][A-Z0-9_]+)"',
                           (ROOT / "bot" / "cli.py").read_text()))
    assert len(read) > 20
    assert read - readme_variables() - {"PROMETHEUS_MULTIPROC_DIR"} == set()


def test_deploy_folder_is_documented():
    assert (ROOT / "deploy" / "grafana-dashboard.json").exists()
    assert "Deploy to Heroku" in (ROOT / "README.md").read_text()
    assert Path(ROOT / "app.json").exists()


@pytest.mark.parametrize("body, kind", [
    (b"token=x&command=%2Fgeese&text=help", "command"),
    (b"payload=" + quote_plus('{"type":"block_actions","user":{}}').encode(), "action"),
    (b"payload=" + quote_plus('{"type": "view_submission"}').encode(), "view"),
    (b"payload=" + quote_plus('{"type":"message_action"}').encode(), "shortcut"),
    (b"payload=" + quote_plus('{"type":"block_suggestion"}').encode(), "options"),
    (b"payload=%7B%7D", "other"),
])
def test_the_ack_metric_names_the_kind_from_the_raw_body(body, kind):
    from flask import Flask

    from bot.web import request_kind

    with Flask("t").test_request_context(
            "/slack/events", method="POST", data=body,
            content_type="application/x-www-form-urlencoded"):
        assert request_kind() == kind
