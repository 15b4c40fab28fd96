"""The slow half of a Slack request on the worker tier (issue 24): queued before the ack
under an id from Slack's own ids, replayed through the worker's Bolt app, and kept
when the web process dies right after acking."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlencode

import httpx2
import pytest
from cryptography.fernet import Fernet
from rq import SimpleWorker, Worker
from rq.serializers import JSONSerializer

from bot.app import BOT_SCOPES, build_app, replay_job
from bot.jobs import JOBS
from bot.slack.handoff import JOB
from bot.work import runner
from bot.work.queue import RqQueue
from playground.stack import start_stack
from sandbox.geese import World
from sandbox.geese import create_app as create_geese
from sandbox.servers import serve_in_thread
from sandbox.slack import SlackDriver, SlackWorld
from sandbox.slack import create_app as create_slack
from storage import Link, OAuthToken, SlackIdentity, connect
from storage.connection import binary_twin
from tests.helpers import free_port
from tests.recognition_helpers import given

RECOGNIZE = "recognize <@U0FOX|fox> thanks for the review #teamwork"


def real_redis(redis_process):
    if redis_process is None:
        pytest.skip("redis-server is not installed here (CI installs it)")
    client = connect(redis_process.url)
    client.flushdb()
    return client


def seen_worker(client) -> tuple[RqQueue, Worker]:
    """A worker registered in Redis (not running): the web process now queues."""
    queue = RqQueue(client, binary_twin(client))
    watching = Worker([queue.queue], connection=queue.queue.connection, name="watching")
    watching.register_birth()
    return queue, watching


def run_queued(stack, queue: RqQueue, watching: Worker) -> None:
    """Be the worker: replay what was queued through a Bolt app of this stack's."""
    watching.register_death()
    app = build_app(stack.settings, stack.services)
    runner.bind(stack.services, {**JOBS, JOB: replay_job(app, stack.services)},
                threads=4, detached=frozenset({JOB}))
    SimpleWorker([queue.queue], connection=queue.queue.connection,
                 serializer=JSONSerializer, job_class=runner.OnlyOurJobs).work(burst=True)
    runner.drain()
    stack.services.settle()


def told(slack: SlackWorld, user: str, words: str) -> bool:
    return any(words in (p.text or "") for p in slack.visible_to(user))


def test_a_request_sent_twice_runs_once_on_a_worker(redis_process, clock):
    client = real_redis(redis_process)
    with start_stack(redis_client=client, clock=clock) as stack:
        stack.quick_link("U0DANA")
        queue, watching = seen_worker(client)
        form = {"command": "/geese", "text": RECOGNIZE, "user_id": "U0DANA",
                "team_id": "T0GANDER", "channel_id": "C0GENERAL", "api_app_id": "A0GEESEBOT",
                "response_url": f"{stack.driver.slack_url}/response/"
                                f"{stack.slack.new_response_url('U0DANA', 'C0GENERAL')}",
                "trigger_id": stack.slack.new_trigger("U0DANA")}
        body = urlencode(form).encode()
        for _ in range(2):  # Slack sending the same request again (same trigger_id)
            assert stack.driver.send(body, "application/x-www-form-urlencoded").status == 200
        stack.services.settle()
        assert given(stack) == []  # nothing ran in the web process
        assert queue.queue.count >= 1
        run_queued(stack, queue, watching)
        assert [g[3] for g in given(stack)] == ["thanks for the review"]
        assert told(stack.slack, "U0DANA", "Done! Your recognition of <@U0FOX>")


def test_a_command_acked_then_the_web_process_killed_still_lands_once(redis_process):
    """An ack is a promise: SIGKILL the web process the moment Slack has its answer, while
    7Geese is slow; the worker tier still gives the recognition, once, and says so."""
    client = real_redis(redis_process)
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    geese, slack = World(), SlackWorld(scopes=set(BOT_SCOPES))
    geese.register_client("id", "secret", [public + "/link/7geese/callback"])
    servers = [serve_in_thread(create_geese(geese)), serve_in_thread(create_slack(slack))]
    key = Fernet.generate_key().decode()
    env = {**os.environ, "PORT": str(port), "PUBLIC_URL": public, "WEB_CONCURRENCY": "1",
           "SLACK_BOT_TOKEN": slack.bot_token, "SLACK_SIGNING_SECRET": "signing-secret",
           "SLACK_API_URL": servers[1].url + "/api/", "GEESE_BASE_URL": servers[0].url,
           "GEESE_CLIENT_ID": "id", "GEESE_CLIENT_SECRET": "secret",
           "REDIS_URL": redis_process.url, "TOKEN_ENCRYPTION_KEY": key}
    from bot.config import Settings
    from bot.services import build_services

    services = build_services(Settings.from_env("serve", env))
    person = geese.person_by_email("dana@ganderlabs.example")
    services.links.save(Link(SlackIdentity("T0GANDER", "U0DANA"), OAuthToken.from_response(
        geese.issue_token(person.pk, "id"), time.time()), person.pk, person.full_name,
        person.email, int(time.time()), company_pk=1))
    services.companies.bind(enterprise_id=None, team_id="T0GANDER", company_pk=1)
    services.close()
    procs = {name: subprocess.Popen([sys.executable, "-m", "bot", name], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
             for name in ("worker", "serve")}
    driver = SlackDriver(slack, slack_url=servers[1].url, app_url=public,
                         signing_secret="signing-secret")
    queue = RqQueue(client, binary_twin(client))
    try:
        deadline = time.monotonic() + 60
        while Worker.count(queue=queue.queue) == 0 or not _healthy(public):
            assert time.monotonic() < deadline, "serve or worker did not start"
            time.sleep(0.2)
        geese.set_faults(latency=0.5)  # every 7Geese answer takes half a second
        reply = driver.command("U0DANA", RECOGNIZE)
        os.killpg(procs["serve"].pid, signal.SIGKILL)  # the web process, gone at once
        assert reply.status == 200
        slack.wait_for(lambda: told(slack, "U0DANA", "Done! Your recognition of <@U0FOX>"),
                       timeout=60)
        assert [r.message for r in geese.recognitions] == ["thanks for the review"]
    finally:
        driver.close()
        for proc in procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        for server in servers:
            server.stop()


def _healthy(url: str) -> bool:
    try:
        return httpx2.get(url + "/healthz").status_code == 200
    except httpx2.TransportError:
        return False


def test_a_queued_request_replays_in_its_own_workspace(redis_process, clock):
    """Many workspaces: the worker's Bolt app finds the installation of the request's
    workspace (here an Enterprise Grid team) and answers there."""
    client = real_redis(redis_process)
    with start_stack(redis_client=client, clock=clock, multi_workspace=True) as stack:
        assert stack.install("T0HONK").status == 200
        stack.quick_bind("T0HONK")
        stack.quick_link("W0OTTO")
        queue, watching = seen_worker(client)
        honk = stack.world("T0HONK")
        stack.drivers["T0HONK"].command("W0OTTO", "recognize <@W0PAT|pat> thanks for the fix",
                                        channel="C1GENERAL")
        stack.services.settle()
        assert [r.message for r in stack.geese.recognitions] == []
        run_queued(stack, queue, watching)
        assert [r.message for r in stack.geese.recognitions] == ["thanks for the fix"]
        assert told(honk, "W0OTTO", "Done! Your recognition of <@W0PAT>")
