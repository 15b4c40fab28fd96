"""The processes of the contract start as documented: the playground (what `make demo`
runs) links an account; the clock starts and says it has no jobs yet."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from cryptography.fernet import Fernet

from tests.helpers import ROOT


def run_playground(stdin: str) -> str:
    done = subprocess.run([sys.executable, "-m", "bot", "shell"], input=stdin, text=True,
                          capture_output=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_demo_runs_the_playground():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(BIN)/geese-bot shell" in makefile.split("demo:")[1].split("\n\n")[0]
    readme = (ROOT / "README.md").read_text().splitlines()
    assert "make demo" in "\n".join(readme[:12]) and "make test" in "\n".join(readme[:12])


def test_link_works_in_the_playground():
    out = run_playground("help\n/geese link\nclick 1\n/geese status\npeople\nquit\n")
    assert "Link my 7Geese account" in out
    assert "Signed in as Dana Ito, you click Authorize" in out
    assert "Your accounts are linked" in out
    assert "DM from geese-bot" in out
    assert "You're linked to 7Geese as *Dana Ito* (dana@ganderlabs.example)" in out
    assert "linked to dana@ganderlabs.example" in out
    assert "Traceback" not in out


def test_playground_error_paths_read_well():
    out = run_playground("\n".join([
        "/geese link", "click 1 deny",          # says no at 7Geese
        "/geese link", "click 1", "7geese revoke", "/geese status",
        "as jo", "/geese link", "click 1",      # someone with no 7Geese account
        "/geese dance", "click 9", "frobnicate", "as nobody", "",
    ]))
    assert "you chose not to link 7Geese" in out
    assert "Reconnect 7Geese" in out
    assert "no account for jo@contractors.example" in out
    assert "I don't know `/geese dance`" in out
    assert "Which button?" in out and "Not a playground command" in out
    assert "No person called 'nobody'" in out
    assert "Traceback" not in out


def test_clock_starts_and_says_it_has_no_jobs():
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test", "GEESE_CLIENT_ID": "id",
           "GEESE_CLIENT_SECRET": "secret", "REDIS_URL": "redis://127.0.0.1:1/0",
           "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "clock"], env=env, text=True,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "clock started" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
        assert "clock started: no jobs are scheduled yet" in line
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        proc.kill()
