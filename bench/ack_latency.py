"""Ack latency: how fast Slack hears back, under load, while 7Geese is slow.

    python bench/ack_latency.py [--count 200] [--latency 2.0]

Runs the app exactly as the Procfile does (`geese-bot serve`: gunicorn, gthread) against
the sandbox servers with every 7Geese answer delayed by --latency seconds, and fires
signed `/geese recognize` and `/geese objectives` commands from 1, 10 and 50 concurrent
clients. The baseline, in the same run, is a bare Bolt app that only acknowledges,
under the same gunicorn settings. Prints p50/p95/p99 time to the HTTP response for
both, their ratio, requests per second, and peak RSS per worker.
Targets: p99 ratio <= 1.25 at 50 concurrent clients, and no ack over 1 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402

from bot.app import BOT_SCOPES  # noqa: E402
from sandbox.geese import World  # noqa: E402
from sandbox.geese import create_app as create_geese  # noqa: E402
from sandbox.servers import serve_in_thread  # noqa: E402
from sandbox.slack import SlackWorld  # noqa: E402
from sandbox.slack import create_app as create_slack  # noqa: E402

SECRET = "bench-signing-secret"
USERS = ["U0ADA", "U0DANA", "U0FOX", "U0BEA", "U0IVAN", "U0CHEN", "U0ELI", "U0GUS"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis() -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--save", "",
                             "--appendonly", "no", "--dir", tempfile.mkdtemp()],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    return proc, f"redis://127.0.0.1:{port}/0"


def wait_up(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            httpx2.post(url + "/slack/events", content=b"")
            return
        except httpx2.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def peak_rss_mb(master: subprocess.Popen) -> list[float]:
    """VmHWM of each gunicorn worker (children of the master)."""
    peaks = []
    for child in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(round(int(line.split()[1]) / 1024, 1))
    return peaks


def requests_for(world: SlackWorld, slack_url: str, texts: list[str], count: int) -> list[bytes]:
    """Slash-command bodies, each with its own response URL and trigger."""
    bodies = []
    for i in range(count):
        user = USERS[i % len(USERS)]
        rid = world.new_response_url(user, "C0GENERAL")
        bodies.append(urlencode({
            "command": "/geese", "text": texts[i % len(texts)], "user_id": user,
            "team_id": world.TEAM_ID, "channel_id": "C0GENERAL", "api_app_id": "A1",
            "response_url": f"{slack_url}/response/{rid}",
            "trigger_id": world.new_trigger(user)}).encode())
    return bodies


def fire(url: str, bodies: list[bytes], clients: int) -> tuple[list[float], float, int]:
    """Time the requests from a process of their own, so the sandboxes serving the bot's
    slow work in this one do not hold up the stopwatch."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fire_from_here, (url, bodies, clients))


def fire_from_here(url: str, bodies: list[bytes], clients: int
                   ) -> tuple[list[float], float, int]:
    verifier = SignatureVerifier(SECRET)
    durations: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client(mine: list[bytes]) -> None:
        nonlocal errors
        with httpx2.Client(timeout=30) as http:
            for body in mine:
                ts = str(int(time.time()))
                started = time.perf_counter()
                resp = http.post(url + "/slack/events", content=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Slack-Request-Timestamp": ts,
                    "X-Slack-Signature": verifier.generate_signature(timestamp=ts, body=body)})
                elapsed = time.perf_counter() - started
                with lock:
                    durations.append(elapsed)
                    errors += resp.status_code != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(bodies[n::clients],))
               for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return durations, time.perf_counter() - started, errors


def settle(geese: World, slack: SlackWorld, latency: float) -> None:
    """Wait until the bot's slow work from the last run is done (no new 7Geese or Slack
    traffic for a while), so it does not weigh on the next run's stopwatch."""
    quiet_for = latency + 1.0
    deadline = time.monotonic() + 10 * quiet_for
    seen, since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = (len(geese.requests), len(slack.calls), len(slack.posted))
        if now != seen:
            seen, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_for:
            return
        time.sleep(0.1)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="commands per level")
    parser.add_argument("--latency", type=float, default=2.0, help="7Geese latency (s)")
    parser.add_argument("--levels", default="1,10,50")
    args = parser.parse_args(argv)

    geese = World(expires_in=36000)
    slack = SlackWorld(scopes=set(BOT_SCOPES))
    servers = [serve_in_thread(create_geese(geese)), serve_in_thread(create_slack(slack))]
    redis_proc, redis_url = start_redis()
    port, bare_port = free_port(), free_port()
    public = f"http://127.0.0.1:{port}"
    geese.register_client("bench", "bench-secret", [public + "/link/7geese/callback"])
    env = {**os.environ, "PORT": str(port), "PUBLIC_URL": public,
           "SLACK_BOT_TOKEN": slack.bot_token, "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": servers[1].url + "/api/", "GEESE_BASE_URL": servers[0].url,
           "GEESE_CLIENT_ID": "bench", "GEESE_CLIENT_SECRET": "bench-secret",
           "REDIS_URL": redis_url, "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
           "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    app = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    workers, threads = env.get("WEB_CONCURRENCY", "2"), env.get("WEB_THREADS", "8")
    bare = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind",
                             f"127.0.0.1:{bare_port}", "--workers", workers, "--threads",
                             threads, "--worker-class", "gthread", "bench.bare_app:create()"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_up(public, app)
        wait_up(f"http://127.0.0.1:{bare_port}", bare)
        # Link everyone so the commands reach 7Geese (slowly) after the ack.
        from bot.config import Settings
        from bot.services import build_services
        from storage import Link, OAuthToken, SlackIdentity

        services = build_services(Settings.from_env("serve", env))
        for user in USERS:
            person = geese.person_by_email(slack.users[user].email)
            token = geese.issue_token(person.pk, "bench")
            services.links.save(Link(SlackIdentity(slack.TEAM_ID, user),
                                     OAuthToken.from_response(token, time.time()), person.pk,
                                     person.full_name, person.email, int(time.time())))
        services.close()
        geese.set_faults(latency=args.latency)

        texts = ["recognize <@U0FOX|fox> thanks for the review #teamwork", "objectives"]
        print(f"7Geese latency {args.latency} s; {args.count} commands per level; "
              f"gunicorn {workers} workers x {threads} threads (as the Procfile runs it)")
        print(f"{'clients':>7} {'server':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'max ms':>8} {'req/s':>7} {'errors':>6}")
        verdict = True
        for clients in (int(n) for n in args.levels.split(",")):
            rows = {}
            for name, url in (("baseline", f"http://127.0.0.1:{bare_port}"), ("geese", public)):
                bodies = requests_for(slack, servers[1].url, texts, args.count)
                durations, wall, errors = fire(url, bodies, clients)
                settle(geese, slack, args.latency)
                rows[name] = durations
                print(f"{clients:>7} {name:>8} {pct(durations, 50) * 1000:>8.1f} "
                      f"{pct(durations, 95) * 1000:>8.1f} {pct(durations, 99) * 1000:>8.1f} "
                      f"{max(durations) * 1000:>8.1f} {len(durations) / wall:>7.1f} "
                      f"{errors:>6}")
            ratio = pct(rows["geese"], 99) / pct(rows["baseline"], 99)
            slowest = max(rows["geese"])
            print(f"{clients:>7} p99 ratio geese/baseline: {ratio:.2f}; slowest ack "
                  f"{slowest * 1000:.0f} ms; median {statistics.median(rows['geese']) * 1000:.1f}"
                  " ms")
            if clients == 50:
                verdict = ratio <= 1.25 and slowest < 1.0
        print(f"peak RSS per worker (MB): geese {peak_rss_mb(app)}, baseline "
              f"{peak_rss_mb(bare)}")
        print(f"target (p99 ratio <= 1.25 at 50 clients, no ack over 1 s): "
              f"{'met' if verdict else 'MISSED'}")
        return 0 if verdict else 1
    finally:
        for proc in (app, bare):
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        redis_proc.terminate()
        for server in servers:
            server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
