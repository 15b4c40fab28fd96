"""Small test helpers: a movable clock and a redis-server the tests can start and stop."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

import redis

REDIS_SERVER = shutil.which("redis-server")
ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).resolve().parent / "reference"


# The instant every test starts at: a Wednesday noon (UTC) in an ordinary week, so no
# expectation depends on the day the suite runs. `make test-dates` moves it (and the
# process clock) to the awkward instants: DST changes, a year end, a leap day.
PINNED_NOW = "2026-11-18T12:00:00+00:00"


def pinned_now() -> float:
    return datetime.fromisoformat(os.environ.get("GEESE_TEST_NOW") or PINNED_NOW).timestamp()


def wall_clock() -> float:
    """What Bolt and slack_sdk read, and so what Slack's request signatures and bot-token
    expiry are dated by. The tests' own clock is pinned; these libraries cannot be told."""
    return time.time()


class FakeClock:
    """The pinned instant, running at real speed from when the clock is made, plus an
    offset the test moves forward: nothing sleeps, and nothing reads the wall clock."""

    def __init__(self, start: float | None = None) -> None:
        self.start = pinned_now() if start is None else start
        self._made = time.monotonic()
        self.offset = 0.0

    def __call__(self) -> float:
        return self.start + (time.monotonic() - self._made) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisProcess:
    """A throwaway redis-server on a loopback port, which a test may stop and restart."""

    def __init__(self, *, persist: bool = False) -> None:
        if REDIS_SERVER is None:
            raise RuntimeError("redis-server is not installed")
        self.persist = persist  # an append-only file, so a restart keeps the data
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="geese-bot-redis-")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisProcess:
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes" if self.persist else "no", "--appendfsync", "always",
             "--dir", self.dir, "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # Under `make test-dates` the tests run with libfaketime preloaded; Redis's
            # allocator breaks under it, and Redis needs no fake date.
            env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD"},
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        client.close()
        return self

    def pause(self) -> None:
        """Freeze the server: connections open, nothing answers (a hung Redis)."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def answer(stack, user: str, text: str):
    """The last thing `user` sees after typing `/geese <text>`, once the slow work is done."""
    stack.driver.command(user, text)
    stack.services.settle()
    return [p for p in stack.slack.visible_to(user) if p.kind != "home"][-1]


def tick(stack) -> dict[str, int]:
    """One tick of the clock, its jobs run here: what it handed out, by kind."""
    from bot.clock import Clock
    from bot.jobs import JOBS
    from bot.work.leader import Leadership
    from bot.work.queue import InlineQueue

    queue = InlineQueue(stack.services, JOBS)
    # One owner for every tick of a test: a new one would wait for the last one's lease.
    leadership = Leadership(stack.services.redis, "tests-clock")
    try:
        return Clock(stack.services, queue, leadership=leadership).tick()
    finally:
        queue.close()


def press_home_button(stack, user: str, home: dict, action_id: str, label: str) -> None:
    """Press the Home tab's button `action_id` (checking it reads `label`), then wait."""
    button = next(b["accessory"] for b in home["blocks"]
                  if b.get("accessory", {}).get("action_id") == action_id)
    assert button["text"]["text"] == label
    stack.driver.block_action(user, {"action_id": action_id, "value": button["value"]},
                              view=home)
    stack.services.settle()
