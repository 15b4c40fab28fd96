"""Where the ack path spends its CPU: one process, cProfile around N signed commands.

    python bench/ack_profile.py [--count 300] [--redis-url redis://127.0.0.1:6379/0]

The bot's web app is driven through Flask's test client (no sockets) with a worker
tier registered in Redis, so each command's slow half is queued, as in production;
Bolt's ack function runs in the request thread here (process_before_response), so the
profile sees it. Printed: CPU per command for the bot and for a bare Bolt app that only
acks, their ratio, and the costliest functions of the bot's ack path.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rq import Worker  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402

from bench.ack_latency import USERS  # noqa: E402
from bot.work.queue import RqQueue  # noqa: E402
from playground.stack import start_stack  # noqa: E402
from storage import connect  # noqa: E402
from storage.connection import binary_twin  # noqa: E402

TEXTS = ["recognize <@U0FOX|fox> thanks for the review #teamwork", "objectives"]


def bodies(stack, count: int) -> list[bytes]:
    out = []
    for i in range(count):
        user = USERS[i % len(USERS)]
        rid = stack.slack.new_response_url(user, "C0GENERAL")
        out.append(urlencode({
            "command": "/geese", "text": TEXTS[i % 2], "user_id": user,
            "team_id": stack.slack.TEAM_ID, "channel_id": "C0GENERAL",
            "api_app_id": "A0GEESEBOT", "trigger_id": stack.slack.new_trigger(user),
            "response_url": f"{stack.driver.slack_url}/response/{rid}"}).encode())
    return out


def fire(client, secret: str, payloads: list[bytes]) -> float:
    """CPU seconds of this process for the requests (all acks run in this thread)."""
    verifier = SignatureVerifier(secret)
    started = time.process_time()
    for body in payloads:
        ts = str(int(time.time()))
        resp = client.post("/slack/events", data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": verifier.generate_signature(timestamp=ts, body=body)})
        assert resp.status_code == 200, resp.data
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--redis-url", default=None,
                        help="a real redis-server (default: fakeredis in this process)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    client = connect(args.redis_url)
    if args.redis_url:
        client.flushdb()
    from bench.bare_app import create as create_bare
    from bot.web import create_app

    with start_stack(redis_client=client) as stack:
        for user in USERS:
            stack.quick_link(user)
        queue = RqQueue(client, binary_twin(client))
        tier = Worker([queue.queue], connection=queue.queue.connection, name="bench-tier")
        tier.register_birth()  # the slow half is queued, as with a worker running
        app = create_app(stack.settings, stack.services)
        bolt = app.config.get("bolt")
        if bolt is not None:
            bolt._listener_runner.process_before_response = True
        os.environ.update(SLACK_BOT_TOKEN=stack.settings.slack_bot_token,
                          SLACK_API_URL=stack.settings.slack_api_url,
                          SLACK_SIGNING_SECRET=stack.settings.slack_signing_secret)
        bare = create_bare()
        bare_bolt = bare.config.get("bolt")
        if bare_bolt is not None:
            bare_bolt._listener_runner.process_before_response = True
        secret = stack.settings.slack_signing_secret
        for web in (app, bare):  # warm up: imports, first auth.test
            fire(web.test_client(), secret, bodies(stack, 20))
        bare_cpu = fire(bare.test_client(), secret, bodies(stack, args.count))
        geese_cpu = fire(app.test_client(), secret, bodies(stack, args.count))
        profiler = cProfile.Profile()
        payloads = bodies(stack, args.count)
        test_client = app.test_client()
        profiler.enable()
        fire(test_client, secret, payloads)
        profiler.disable()
        tier.register_death()
        print(f"{args.count} commands; CPU per command: bare Bolt "
              f"{bare_cpu / args.count * 1e3:.2f} ms, geese-bot "
              f"{geese_cpu / args.count * 1e3:.2f} ms, ratio {geese_cpu / bare_cpu:.2f}")
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(args.top)
        print(text.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
