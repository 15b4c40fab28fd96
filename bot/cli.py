"""`geese-bot <command>`: the processes of the contract, plus a few small tools.

    serve    HTTP mode under gunicorn (Procfile `web:`)
    socket   Socket Mode, plus the web server the link routes need
    clock    the scheduler process (Procfile `clock:`): decides what is due
    worker   runs what the clock decided (Procfile `worker:`), any number, anywhere
    shell    the playground: sandbox 7Geese + sandbox Slack + the bot, in a terminal
    sandbox  the sandbox 7Geese alone, for development against a real workspace
    keygen   print a new TOKEN_ENCRYPTION_KEY
    reseal   re-encrypt everything sealed with the first TOKEN_ENCRYPTION_KEY (key rotation)
    company-reset TEAM_ID   forget the 7Geese company a workspace was bound to
    status   links, workspaces, schedules, outboxes, queue, clock; exit 1 if the clock stopped
    check-blocks  every Block Kit payload, rendered big in each language, to Slack's
                  blocks.validate; exit 1 on any refusal
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile

from bot.config import ConfigError, Settings

log = logging.getLogger("geese_bot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="geese-bot", description="7Geese in Slack.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    commands.add_parser("serve", help="serve Slack's HTTP requests and the link routes")
    commands.add_parser("socket", help="run in Socket Mode (plus the link routes)")
    commands.add_parser("clock", help="decide which reminders and nudges are due")
    commands.add_parser("worker", help="send what the clock decided (run any number)")
    shell = commands.add_parser("shell", help="the playground: try the bot with no accounts")
    shell.add_argument("--script", help="run the commands in this file, then exit")
    sandbox = commands.add_parser("sandbox", help="run the sandbox 7Geese server alone")
    sandbox.add_argument("--port", type=int, default=5001)
    commands.add_parser("status", help="what an operator asks first (exit 1: the clock "
                                       "stopped ticking)")
    commands.add_parser("check-blocks", help="send every payload the bot builds to Slack's "
                                             "blocks.validate (exit 1 on any refusal)")
    commands.add_parser("keygen", help="print a new TOKEN_ENCRYPTION_KEY")
    commands.add_parser("reseal", help="re-encrypt everything sealed with the newest key")
    reset = commands.add_parser("company-reset",
                                help="forget which 7Geese company a workspace is bound to")
    reset.add_argument("team_id", help="the Slack workspace (team) id, T...")
    reset.add_argument("--enterprise", help="its Enterprise Grid org id, E..., if any")
    args = parser.parse_args(argv)

    try:
        return COMMANDS[args.command](args)
    except ConfigError as err:
        print(f"geese-bot: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _settings(role) -> Settings:
    from bot.ops.logs import setup_logging

    settings = Settings.from_env(role)
    setup_logging(settings)
    return settings


def serve(_args) -> int:
    from gunicorn.app.base import BaseApplication

    settings = _settings("serve")  # checked here, before any worker starts
    # Each gunicorn worker writes its metrics to files here; /metrics sums them.
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="geese-bot-metrics-")

    def child_exit(_server, worker):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

    class Gunicorn(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"0.0.0.0:{settings.port}",
                "workers": int(os.environ.get("WEB_CONCURRENCY", "2")),
                "worker_class": "gthread",
                # Bolt finishes listeners and lazy work on threads after acking.
                "threads": int(os.environ.get("WEB_THREADS", "8")),
                "timeout": 30,
                "graceful_timeout": 20,
                "accesslog": None,  # request lines carry link tickets and OAuth codes
                "child_exit": child_exit,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from bot.web import create_app

            return create_app(settings)

    Gunicorn().run()
    return 0


def socket(_args) -> int:
    import threading

    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from werkzeug.serving import make_server

    from bot.app import build_app
    from bot.services import build_services
    from bot.web import create_app

    settings = _settings("socket")
    services = build_services(settings)
    # Slack's requests arrive over the socket; the browser still needs the link routes.
    link_routes = make_server("0.0.0.0", settings.port,  # noqa: S104
                              create_app(settings, services, slack_events=False), threaded=True)
    threading.Thread(target=link_routes.serve_forever, name="link-routes", daemon=True).start()
    log.info("link routes on port %d; connecting to Slack over Socket Mode", settings.port)
    SocketModeHandler(build_app(settings, services), settings.slack_app_token).start()
    return 0


def clock(_args) -> int:
    from bot import clock as clock_process
    from bot.services import build_services
    from bot.work.queue import RqQueue
    from storage.connection import binary_twin

    settings = _settings("clock")
    services = build_services(settings)
    _serve_metrics(settings, services)
    clock_process.run(services, RqQueue(services.redis, binary_twin(services.redis)))
    return 0


def worker(_args) -> int:
    from rq import SimpleWorker
    from rq.serializers import JSONSerializer

    from bot.app import build_app, replay_job
    from bot.jobs import JOBS
    from bot.reminders.dispatch import sender_name
    from bot.services import build_services
    from bot.slack.handoff import JOB as SLACK_LAZY
    from bot.work import runner
    from bot.work.queue import RqQueue
    from storage.connection import binary_twin

    settings = _settings("worker")
    services = build_services(settings)
    _serve_metrics(settings, services)
    # The slow halves of Slack requests replay through a Bolt app of this process.
    jobs = {**JOBS, SLACK_LAZY: replay_job(build_app(settings, services), services)}
    runner.bind(services, jobs, threads=settings.worker_threads,
                detached=frozenset({SLACK_LAZY}))
    queue = RqQueue(services.redis, binary_twin(services.redis))
    # A SimpleWorker runs each job in this process (no fork per job): the services,
    # their connection pools and thread pools are built once and reused.
    name = "geese-bot-" + sender_name().replace(":", "-")
    log.info("worker %s started on queue %s", name, queue.queue.name)
    SimpleWorker([queue.queue], connection=queue.queue.connection, name=name,
                 serializer=JSONSerializer, job_class=runner.OnlyOurJobs).work(with_scheduler=False,
                                                 logging_level=settings.log_level)
    runner.drain()  # the slow halves still running finish before the process ends
    services.close()
    return 0


def _serve_metrics(settings, services) -> None:
    """The clock and workers serve /metrics on METRICS_PORT, when it is set."""
    if settings.metrics_port is None:
        return
    from bot.ops.metrics import serve_metrics

    serve_metrics(services, settings.metrics_port, token=settings.metrics_token)
    log.info("metrics on port %d", settings.metrics_port)


def shell(args) -> int:
    from playground.shell import Playground

    with Playground.start() as playground:
        if args.script:
            with open(args.script) as script:
                playground.run_lines(script.read().splitlines())
        else:
            playground.loop()
    return 0


def sandbox(args) -> int:
    from sandbox.geese import World, create_app
    from sandbox.servers import serve_in_thread

    settings = Settings.from_env("sandbox")
    logging.basicConfig(level=logging.INFO)
    world = World()
    client_id = settings.geese_client_id or "geese-bot-dev"
    secret = settings.geese_client_secret or "geese-bot-dev-secret"
    world.register_client(client_id, secret, [settings.redirect_uri])
    running = serve_in_thread(create_app(world), port=args.port, name="sandbox-7geese")
    print(f"Sandbox 7Geese on {running.url}")
    print(f"  GEESE_BASE_URL={running.url}")
    print(f"  GEESE_CLIENT_ID={client_id}  (secret from GEESE_CLIENT_SECRET, "
          f"or {secret!r} when unset)")
    print(f"  redirect URI: {settings.redirect_uri}")
    print("  people: ada, dana, fox, bea, ivan, chen, eli, gus, hana, kofi "
          "@ganderlabs.example (password honk-honk)")
    try:
        running.thread.join()
    finally:
        running.stop()
    return 0


def check_blocks(_args) -> int:
    """Where the bot can reach Slack, Slack itself is the judge: every builder of the
    registry, rendered with large realistic data in each language, goes to
    `blocks.validate`."""
    import json

    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError, SlackClientError

    from bot import i18n
    from bot.builders import REGISTRY, Sample, payload

    settings = Settings.from_env("check-blocks")
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url,
                       timeout=30)
    sample, refused = Sample.large(), 0
    every = [(language, builder) for language in i18n.LANGUAGES for builder in REGISTRY]
    for language, builder in every:
        with i18n.speaking(language):
            made = payload(builder, sample)
        if builder.surface == "message":
            argument = {"message": json.dumps({k: v for k, v in made.items() if v is not None})}
        else:
            argument = {"view": json.dumps(made)}
        try:
            client.api_call("blocks.validate", data=argument)
        except SlackApiError as err:
            refused += 1
            first = (err.response.get("errors") or [{}])[0]
            print(f"REFUSED  {builder.name} ({builder.surface}, {language}): "
                  f"{err.response.get('error')} {first.get('pointer', '')} "
                  f"{first.get('message', '')}".rstrip())
            continue
        except (SlackClientError, OSError) as err:
            print(f"geese-bot: could not reach {settings.slack_api_url}: {err}",
                  file=sys.stderr)
            return 2
        print(f"ok       {builder.name} ({builder.surface}, {language})")
    print(f"{len(every) - refused} of {len(every)} payloads accepted by "
          f"{settings.slack_api_url}blocks.validate")
    return 1 if refused else 0


def status(_args) -> int:
    from bot.ops.status import status as read_status

    settings = Settings.from_env("status")
    found = read_status(settings.redis())
    print("\n".join(found.lines))
    return 0 if found.healthy else 1


def keygen(_args) -> int:
    from storage import Sealer

    print(Sealer.generate_key())
    return 0


def reseal(_args) -> int:
    from storage import Sealer
    from storage.sealed import reseal_all

    settings = _settings("clock")
    counts = reseal_all(settings.redis(), Sealer(settings.token_encryption_keys))
    unreadable = 0
    for kind, count in counts.items():
        line = f"{kind}: {count.resealed} re-encrypted with the first key"
        if count.unreadable:
            line += f", {len(count.unreadable)} unreadable with every key (left as they are)"
        print(line)
        unreadable += len(count.unreadable)
    if unreadable:
        print("Keep the old key until the unreadable records are understood; "
              "running reseal again is safe.")
    return 1 if unreadable else 0


def company_reset(args) -> int:
    from storage.companies import WorkspaceCompanies

    settings = _settings("clock")
    companies = WorkspaceCompanies(settings.redis())
    bound = companies.find(enterprise_id=args.enterprise, team_id=args.team_id)
    if bound is None:
        print(f"{args.team_id} is not bound to a 7Geese company; nothing to do.")
        return 0
    companies.reset(enterprise_id=args.enterprise, team_id=args.team_id)
    print(f"{args.team_id} is no longer bound to 7Geese company {bound}; its next link "
          "binds it again.")
    return 0


COMMANDS = {
    "serve": serve,
    "socket": socket,
    "clock": clock,
    "worker": worker,
    "shell": shell,
    "sandbox": sandbox,
    "status": status,
    "check-blocks": check_blocks,
    "keygen": keygen,
    "reseal": reseal,
    "company-reset": company_reset,
}
