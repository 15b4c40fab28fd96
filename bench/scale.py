"""Scale: the clock's decision cost, and a 09:00 fan-out over many workspaces and workers.

    python bench/scale.py                      # everything, at the issue's sizes
    python bench/scale.py --only decide --schedules 1000,10000,100000
    python bench/scale.py --only fanout --people 20000 --workspaces 200 --workers 1,2,4

(a) decide: N daily nudges spread over the day's minutes; one minute of the clock's
    ticks (12, five seconds apart) decides what is due, by index. Printed: seconds of
    decision per minute, and the ratio to the smallest N (the baseline of this run).
    Target: under 1 s per minute at 100,000 schedules.
(b) fanout: one slot due for P people in W workspaces (a real redis-server, a `geese-bot
    clock` and 1, 2, 4 `geese-bot worker` processes, as the Procfile runs them); the
    sandbox 7Geese (every answer 200 ms late) and the sandbox Slack (each workspace with
    its own chat.postMessage budget, 429 past it) each run in a process of their own.
    Printed: p50/p99 lag from the slot to Slack, throughput as a ratio to the summed
    budgets (the baseline: a sender that loses no time to them scores 1.0), 7Geese's
    busiest second per company against GEESE_RATE, duplicates, lost.
(c) the same with one of the workers killed with SIGKILL mid-run: 0 duplicates, 0 lost.

Not run in CI (it takes minutes); `bench/README.md` has the figures of a run.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from multiprocessing.managers import BaseManager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402

CLIENT_ID, CLIENT_SECRET = "geese-bot-scale", "scale-secret"
SLACK_APP = ("111.333", "slack-scale-secret")


# -- the sandboxes, each in a process of its own -----------------------------------------

class GeeseHost:
    """The sandbox 7Geese, with `people` synthetic people, every answer `latency` late."""

    def __init__(self, people: int, latency: float):
        from sandbox.geese import World, create_app
        from sandbox.servers import serve_in_thread

        self.world = World()
        self.world.register_client(CLIENT_ID, CLIENT_SECRET, ["http://127.0.0.1/cb"])
        self.world.add_people(people, start_pk=10_000)
        self.world.set_faults(latency=latency, path="/graphql")
        self.server = serve_in_thread(create_app(self.world), name="sandbox-7geese")

    def url(self) -> str:
        return self.server.url

    def tokens(self, pks: list[int]) -> list[dict]:
        return [self.world.issue_token(pk, CLIENT_ID) for pk in pks]

    def graphql_log(self) -> list[tuple[float, int]]:
        with self.world.lock:
            return list(self.world.graphql_log)

    def reset(self) -> None:
        with self.world.lock:
            self.world.graphql_log.clear()


class SlackHost:
    """The sandbox Slack: `workspaces` workspaces of `people` each, each with its own
    chat.postMessage budget (calls per second)."""

    def __init__(self, workspaces: int, people: int, budget: float):
        from bot.app import BOT_SCOPES
        from sandbox.servers import serve_in_thread
        from sandbox.slack import SlackWorld, create_app
        from sandbox.slack.cloud import SlackCloud

        self.worlds = [SlackWorld(scopes=set(BOT_SCOPES), workspace=f"w{n}")
                       for n in range(workspaces)]
        for world in self.worlds:
            world.add_people(people)
            world.budgets["chat.postMessage"] = budget
        self.cloud = SlackCloud(self.worlds)
        self.cloud.register_app(*SLACK_APP, ["http://127.0.0.1/slack/oauth_redirect"])
        self.server = serve_in_thread(create_app(self.cloud), name="sandbox-slack")

    def url(self) -> str:
        return self.server.url

    def workspaces(self) -> list[tuple[str, str, str, str, list[str]]]:
        """(team, bot token, bot id, bot user, people) for each workspace."""
        return [(w.TEAM_ID, w.bot_token, w.BOT_ID, w.BOT_USER_ID,
                 sorted(u for u in w.users if not w.users[u].is_bot)) for w in self.worlds]

    def sends(self) -> list[tuple[str, str, float]]:
        """(team, channel, when) for each message Slack took."""
        out = []
        for world in self.worlds:
            with world.lock:
                out += [(world.TEAM_ID, c.args.get("channel"), c.at) for c in world.calls
                        if c.method == "chat.postMessage" and c.ok]
        return out

    def delivered(self) -> int:
        """How many people got at least one message (cheap: polled while it runs)."""
        count = 0
        for world in self.worlds:
            with world.lock:
                count += len({c.args.get("channel") for c in world.calls
                              if c.method == "chat.postMessage" and c.ok})
        return count

    def throttled(self) -> int:
        return sum(w.throttled for w in self.worlds)

    def reset(self) -> None:
        for world in self.worlds:
            with world.lock:
                world.calls.clear()
                world.throttled = 0


class Hosts(BaseManager):
    pass


Hosts.register("GeeseHost", GeeseHost)
Hosts.register("SlackHost", SlackHost)


def host(kind: str, *args):
    manager = Hosts()
    manager.start()
    return manager, getattr(manager, kind)(*args)


# -- Redis and the bot's processes ---------------------------------------------------------

def start_redis() -> tuple[subprocess.Popen, str]:
    from tests.helpers import free_port

    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def bot_env(redis_url: str, slack_url: str, geese_url: str, budget: float,
            geese_rate: float) -> dict[str, str]:
    return {**os.environ, "REDIS_URL": redis_url, "SLACK_API_URL": slack_url + "/api/",
            "SLACK_CLIENT_ID": SLACK_APP[0], "SLACK_CLIENT_SECRET": SLACK_APP[1],
            "GEESE_BASE_URL": geese_url, "GEESE_CLIENT_ID": CLIENT_ID,
            "GEESE_CLIENT_SECRET": CLIENT_SECRET, "GEESE_RATE": str(geese_rate),
            "SLACK_POST_RATE": str(budget), "LOG_LEVEL": "WARNING",
            "TOKEN_ENCRYPTION_KEY": os.environ.get("SCALE_KEY") or Fernet.generate_key().decode()}


def spawn(command: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", command], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# -- (a) the clock's decision cost -----------------------------------------------------------

class SetClock:
    def __init__(self, at: float):
        self.at = at

    def __call__(self) -> float:
        return self.at


def decide_cost(counts: list[int], redis_url: str) -> list[dict]:
    from bot.config import Settings
    from bot.reminders.records import Nudge
    from bot.services import build_services
    from bot.work.schedule import Schedule
    from storage import Sealer, SlackIdentity, connect

    results = []
    for count in counts:
        client = connect(redis_url)
        client.flushdb()
        start = datetime(2026, 11, 18, 0, 0, tzinfo=UTC)
        now = SetClock(start.timestamp())
        settings = Settings(geese_client_id="x", geese_client_secret="y",
                            token_encryption_keys=(Sealer.generate_key(),),
                            slack_bot_token="xoxb-x", redis_url=redis_url)
        services = build_services(settings, redis_client=client, clock=now)
        store = services.reminders.nudges
        nine = start + timedelta(hours=9)
        for n in range(count):
            minute = n % 1440
            schedule = Schedule(minute // 60, minute % 60, "daily", "UTC")
            nudge = Nudge(SlackIdentity("T0SCALE", f"U{n:07d}"), schedule, now.at)
            store.save(nudge.id, nudge.to_dict(),
                       next_at=schedule.next_after(nine).timestamp())
        dispatcher = services.dispatcher
        now.at = nine.timestamp()  # the minute from 09:00
        spent = 0.0
        decided = 0
        for _ in range(12):
            now.at += 5
            began = time.perf_counter()
            decided += dispatcher.decide()
            spent += time.perf_counter() - began
        results.append({"schedules": count, "due_in_the_minute": decided,
                        "seconds_per_minute": round(spent, 4)})
        services.close()
    base = results[0]["seconds_per_minute"] or 1e-9
    for r in results:
        r["ratio_to_baseline"] = round(r["seconds_per_minute"] / base, 2)
    return results


# -- (b, c) the fan-out ------------------------------------------------------------------------

def fanout(people: int, workspaces: int, workers: list[int], budget: float, latency: float,
           geese_rate: float, redis_url: str, kill: bool) -> list[dict]:
    per_workspace = people // workspaces
    managers = []
    manager, geese = host("GeeseHost", people, latency)
    managers.append(manager)
    manager, slack = host("SlackHost", workspaces, per_workspace, budget)
    managers.append(manager)
    key = Fernet.generate_key().decode()
    os.environ["SCALE_KEY"] = key
    env = bot_env(redis_url, slack.url(), geese.url(), budget, geese_rate)
    runs = [(n, False) for n in workers] + ([(max(workers), True)] if kill else [])
    results = []
    try:
        for count, killing in runs:
            results.append(one_fanout(env, geese, slack, count, killing, budget, geese_rate,
                                      per_workspace))
            print(results[-1], flush=True)
    finally:
        for manager in managers:
            manager.shutdown()
    return results


def one_fanout(env, geese, slack, workers: int, killing: bool, budget: float,
               geese_rate: float, per_workspace: int) -> dict:
    from slack_sdk.oauth.installation_store import Installation

    from bot.config import Settings
    from bot.reminders.records import Nudge
    from bot.services import build_services
    from bot.work.schedule import Schedule
    from storage import Link, OAuthToken, SlackIdentity

    settings = Settings.from_env("worker", env)
    services = build_services(settings)
    services.redis.flushdb()
    geese.reset()
    slack.reset()
    teams = slack.workspaces()
    now = time.time()
    slot_at = datetime.fromtimestamp(now + 60, UTC).replace(second=0, microsecond=0) + \
        timedelta(minutes=1)
    schedule = Schedule(slot_at.hour, slot_at.minute, "daily", "UTC")
    expected = set()
    pk = 10_000
    for n, (team, token, bot_id, bot_user, uids) in enumerate(teams):
        services.installations.save(Installation(
            app_id="A0GEESEBOT", enterprise_id=None, team_id=team, bot_token=token,
            bot_id=bot_id, bot_user_id=bot_user, bot_scopes=["chat:write"], user_id=uids[0],
            installed_at=now))
        services.companies.bind(enterprise_id=None, team_id=team, company_pk=1000 + n)
        tokens = geese.tokens(list(range(pk, pk + len(uids))))
        for uid, token_data in zip(uids, tokens, strict=True):
            identity = SlackIdentity(team, uid)
            services.links.save(Link(identity, OAuthToken.from_response(token_data, now),
                                     pk, f"Person {pk}", f"p{pk}@x.example", int(now)))
            nudge = Nudge(identity, schedule, now)
            services.reminders.nudges.save(nudge.id, nudge.to_dict(),
                                           next_at=slot_at.timestamp())
            expected.add((team, uid))
            pk += 1
    company_of = {}
    pk = 10_000
    for n, (_, _, _, _, uids) in enumerate(teams):
        for _ in uids:
            company_of[pk] = 1000 + n
            pk += 1
    clock = spawn("clock", env)
    pool = [spawn("worker", env) for _ in range(workers)]
    killed = None
    try:
        deadline = slot_at.timestamp() + 3600
        delivered, last_change, seen = 0, time.time(), 0
        while time.time() < deadline:
            time.sleep(2)
            delivered = slack.delivered()
            if killing and killed is None and delivered >= len(expected) * 0.3:
                pool[0].send_signal(signal.SIGKILL)
                killed = delivered
            if delivered != seen:
                seen, last_change = delivered, time.time()
            if delivered >= len(expected) or time.time() - last_change > 300:
                time.sleep(5)  # anything still in flight (a duplicate would show now)
                break
    finally:
        for proc in [clock, *pool]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [clock, *pool]:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        services.close()
    sends = slack.sends()
    counted = Counter((t, c) for t, c, _ in sends)
    first_at = {}
    for t, c, at in sends:
        first_at[(t, c)] = min(at, first_at.get((t, c), at))
    lags = sorted(at - slot_at.timestamp() for at in first_at.values())
    span = (max(first_at.values()) - min(first_at.values())) if first_at else 0
    summed = budget * len(teams)
    per_company = defaultdict(Counter)
    for at, profile_pk in geese.graphql_log():
        per_company[company_of.get(profile_pk)][int(at)] += 1
    busiest = max((max(c.values()) for c in per_company.values()), default=0)
    return {
        "workers": workers, "killed_one": bool(killing), "people": len(expected),
        "workspaces": len(teams), "cores": os.cpu_count(),
        "delivered": len(first_at), "duplicates": sum(n - 1 for n in counted.values()),
        "lost": len(expected - set(first_at)),
        "p50_lag_s": round(statistics.median(lags), 1) if lags else None,
        "p99_lag_s": round(lags[int(len(lags) * 0.99) - 1], 1) if lags else None,
        "throughput_per_s": round(len(first_at) / span, 1) if span else None,
        "ratio_to_summed_budgets": round(len(first_at) / span / summed, 3) if span else None,
        "summed_budgets_per_s": summed,
        "geese_busiest_second_per_company": busiest, "geese_rate": geese_rate,
        "slack_429s": slack.throttled(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("decide", "fanout"))
    parser.add_argument("--schedules", default="1000,10000,100000")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--workspaces", type=int, default=200)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--budget", type=float, default=1.0,
                        help="chat.postMessage per second, per workspace")
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--geese-rate", type=float, default=10)
    parser.add_argument("--no-kill", action="store_true")
    args = parser.parse_args()
    redis_proc, redis_url = start_redis()
    print(f"cores: {os.cpu_count()}", flush=True)
    try:
        if args.only in (None, "decide"):
            for row in decide_cost([int(n) for n in args.schedules.split(",")], redis_url):
                print(row, flush=True)
        if args.only in (None, "fanout"):
            fanout(args.people, args.workspaces, [int(n) for n in args.workers.split(",")],
                   args.budget, args.latency, args.geese_rate, redis_url,
                   kill=not args.no_kill)
    finally:
        redis_proc.terminate()
        redis_proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
