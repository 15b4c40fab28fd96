"""Ack latency: how fast Slack hears back, under load, while 7Geese is slow.

    python bench/ack_latency.py [--count 200] [--latency 2.0] [--workers 1] [--profile DIR]

Runs the app exactly as the Procfile does (`geese-bot serve`: gunicorn, gthread) against
the sandbox servers with every 7Geese answer delayed by --latency seconds, and fires
signed `/geese recognize` and `/geese objectives` commands from 1, 10 and 50 concurrent
clients. The baseline, in the same run, is a bare Bolt app that only acknowledges,
under the same gunicorn settings. Prints p50/p95/p99 time to the HTTP response for
both, their ratio, requests per second, and peak RSS per worker.
Targets, at 1, 10 and 50 clients: p99 ratio <= 1.10, web CPU per command <= 1.3x bare
Bolt (from /proc, slow half included), and no ack over 1 s.
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
from bot.slack.handoff import WORKERS_SEEN_FOR  # noqa: E402
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


def workers_of(master: subprocess.Popen) -> list[int]:
    return [int(c) for c in
            Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes spent so far (/proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def profile(pids: list[int], out: Path) -> list[subprocess.Popen]:
    """py-spy samples each process (CPU only, idle threads left out) while a level runs."""
    spy = Path(sys.executable).with_name("py-spy")
    return [subprocess.Popen([str(spy) if spy.exists() else "py-spy", "record", "--pid",
                              str(pid), "--format", "raw", "--rate", "250", "--nonblocking",
                              "--output",
                              str(out.with_suffix(f".{pid}.txt"))],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for pid in pids]


def summarize(out: Path, top: int = 12) -> None:
    """The costliest functions (inclusive share of CPU samples), split into the ack path
    (the request thread and the listener acking) and everything else (lazy work,
    background threads)."""
    from collections import Counter

    paths: dict[str, Counter] = {"ack": Counter(), "other": Counter()}
    totals = Counter()
    for file in out.parent.glob(out.name + ".*.txt"):
        for line in file.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack:
                continue
            frames = stack.split(";")
            lazy = any("lazy" in f.lower() or "background" in f for f in frames)
            where = "other" if lazy or not any(
                "handle_request" in f or "run_ack_function" in f for f in frames) else "ack"
            totals[where] += int(count)
            for name in {f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0] + ")"
                         if " (" in f else f for f in frames}:
                paths[where][name] += int(count)
    for where, counter in paths.items():
        if not totals[where]:
            continue
        print(f"  {where} path: {totals[where]} samples; top inclusive:")
        for name, n in counter.most_common(top):
            print(f"    {100 * n / totals[where]:5.1f}%  {name[:110]}")


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


def wait_for_workers(redis_url: str, count: int) -> None:
    from rq import Queue, Worker

    from bot.work.queue import QUEUE_NAME
    from storage import connect
    from storage.connection import binary_twin

    queue = Queue(QUEUE_NAME, connection=binary_twin(connect(redis_url)))
    deadline = time.monotonic() + 60
    while Worker.count(queue=queue) < count:
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not start")
        time.sleep(0.2)
    time.sleep(WORKERS_SEEN_FOR)  # the web processes notice them


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="commands per level")
    parser.add_argument("--latency", type=float, default=2.0, help="7Geese latency (s)")
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--workers", type=int, default=1,
                        help="`geese-bot worker` processes beside the web (0: none, so the "
                             "slow half runs in the web processes)")
    parser.add_argument("--pause-workers", action="store_true",
                        help="stop the workers (SIGSTOP) while a level fires and let them run "
                             "after: the acks alone, as when the worker tier has machines "
                             "of its own")
    parser.add_argument("--profile", metavar="DIR",
                        help="sample both servers with py-spy at the last level, into DIR")
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
    # The worker tier takes the slow half of each command off the web processes.
    tier = [subprocess.Popen([sys.executable, "-m", "bot", "worker"], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(args.workers)]
    workers, threads = env.get("WEB_CONCURRENCY", "2"), env.get("WEB_THREADS", "8")
    bare = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind",
                             f"127.0.0.1:{bare_port}", "--workers", workers, "--threads",
                             threads, "--worker-class", "gthread", "bench.bare_app:create()"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_up(public, app)
        wait_up(f"http://127.0.0.1:{bare_port}", bare)
        wait_for_workers(redis_url, args.workers)
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
              f"gunicorn {workers} workers x {threads} threads (as the Procfile runs it); "
              f"{args.workers} `geese-bot worker` beside"
              + (", paused while a level fires" if args.pause_workers else ""))
        print(f"{'clients':>7} {'server':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'max ms':>8} {'req/s':>7} {'errors':>6} {'CPU ms/cmd':>10}")
        verdict = True
        levels = [int(n) for n in args.levels.split(",")]
        cpu: dict[str, float] = {}
        for clients in levels:
            rows = {}
            for name, url, master in (("baseline", f"http://127.0.0.1:{bare_port}", bare),
                                      ("geese", public, app)):
                bodies = requests_for(slack, servers[1].url, texts, args.count)
                pids = workers_of(master)
                samplers = []
                if args.profile and clients == levels[-1]:
                    out = Path(args.profile) / name
                    out.parent.mkdir(parents=True, exist_ok=True)
                    samplers = profile(pids, out)
                    time.sleep(1)  # py-spy attaches
                before = cpu_seconds(pids)
                if args.pause_workers:
                    for proc in tier:
                        proc.send_signal(signal.SIGSTOP)
                durations, wall, errors = fire(url, bodies, clients)
                if args.pause_workers:
                    for proc in tier:
                        proc.send_signal(signal.SIGCONT)
                settle(geese, slack, args.latency)  # the slow half counts too
                cpu[name] = (cpu_seconds(pids) - before) / len(bodies)
                for sampler in samplers:
                    sampler.send_signal(signal.SIGINT)
                    sampler.wait(timeout=30)
                rows[name] = durations
                print(f"{clients:>7} {name:>8} {pct(durations, 50) * 1000:>8.1f} "
                      f"{pct(durations, 95) * 1000:>8.1f} {pct(durations, 99) * 1000:>8.1f} "
                      f"{max(durations) * 1000:>8.1f} {len(durations) / wall:>7.1f} "
                      f"{errors:>6} {cpu[name] * 1000:>10.2f}")
            ratio = pct(rows["geese"], 99) / pct(rows["baseline"], 99)
            slowest = max(rows["geese"])
            print(f"{clients:>7} p99 ratio geese/baseline: {ratio:.2f}; slowest ack "
                  f"{slowest * 1000:.0f} ms; median {statistics.median(rows['geese']) * 1000:.1f}"
                  f" ms; web CPU per command {cpu['geese'] / cpu['baseline']:.2f}x bare")
            verdict = verdict and ratio <= 1.10 and slowest < 1.0 \
                and cpu["geese"] <= 1.3 * cpu["baseline"]
        print(f"peak RSS per worker (MB): geese {peak_rss_mb(app)}, baseline "
              f"{peak_rss_mb(bare)}")
        if args.profile:
            for name in ("baseline", "geese"):
                print(f"profile of {name} at {levels[-1]} clients (py-spy, CPU samples):")
                summarize(Path(args.profile) / name)
        print(f"targets (at every level: p99 ratio <= 1.10, web CPU per command <= 1.3x "
              f"bare, no ack over 1 s): {'met' if verdict else 'MISSED'}")
        return 0 if verdict else 1
    finally:
        for proc in (app, bare, *tier):
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        redis_proc.terminate()
        for server in servers:
            server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
