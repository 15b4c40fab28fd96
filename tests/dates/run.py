"""Run the test suite with the process clock at other instants (`make test-dates`).

Each run preloads libfaketime (Debian package `faketime`) so that everything reading the
wall clock (Bolt's signature check, APScheduler, the clock and serve processes, the
sandboxes' defaults) sees that instant, and sets GEESE_TEST_NOW so the tests' pinned
clock starts there too. Only the wall clock is faked: timed waits in threads need the
real monotonic clock, and a small preloaded shim (wait_shim.c) keeps libfaketime away
from monotonic waits. redis-server is started without the preload (tests/helpers.py).

    python tests/dates/run.py                      # every instant below
    python tests/dates/run.py --at 2028-02-29T12:00:00Z -- -k reminders
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# The instants and why each one is awkward.
INSTANTS = {
    "2027-03-15T08:00:00+00:00": "Monday, the day after the US spring-forward",
    "2026-12-06T23:30:00+00:00": "Sunday night in UTC, already Monday in Asia",
    "2027-12-31T23:50:00+00:00": "ten minutes before a new year",
    "2028-02-29T12:00:00+00:00": "a leap day",
}
LIBFAKETIME = ("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
               "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
               "/usr/lib/faketime/libfaketimeMT.so.1")


def find_libfaketime() -> str:
    for path in LIBFAKETIME:
        if os.path.exists(path):
            return path
    sys.exit("libfaketime is not installed: `apt-get install faketime` (Debian) and retry.")


def build_shim(into: Path) -> str:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        sys.exit("A C compiler is needed to build tests/dates/wait_shim.c (apt-get install gcc).")
    shim = into / "wait_shim.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", str(shim),
                    str(HERE / "wait_shim.c"), "-ldl"], check=True)
    return str(shim)


def instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text}: give a UTC offset, e.g. {text}Z")
    return moment


def run_at(moment: datetime, pytest_args: list[str], preload: str) -> int:
    env = dict(os.environ)
    env.update({
        "LD_PRELOAD": preload,
        # A relative offset in seconds: no time zone is involved in reading it.
        "FAKETIME": f"{round(moment.timestamp() - time.time()):+d}",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "GEESE_TEST_NOW": moment.isoformat(),
    })
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           *pytest_args], cwd=ROOT, env=env, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", type=instant, action="append",
                        help="an instant with its UTC offset (repeatable); default: all")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args()
    moments = args.at or [instant(text) for text in INSTANTS]
    failed = []
    with tempfile.TemporaryDirectory(prefix="geese-bot-dates-") as tmp:
        preload = build_shim(Path(tmp)) + ":" + find_libfaketime()
        for moment in moments:
            why = INSTANTS.get(moment.isoformat(), "")
            print(f"\n=== the suite at {moment.isoformat()} {f'({why})' if why else ''}",
                  flush=True)
            if run_at(moment, ["-q", *args.pytest_args], preload) != 0:
                failed.append(moment.isoformat())
    if failed:
        print("\nFailed at: " + ", ".join(failed))
        return 1
    print(f"\nPassed at all {len(moments)} instants.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
