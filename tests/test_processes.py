"""The processes of the contract start as documented: the playground (what `make demo`
runs) links an account; the clock starts and says it has no jobs yet."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx2
import pytest
from cryptography.fernet import Fernet

from bot.app import BOT_SCOPES
from sandbox.geese import World
from sandbox.geese import create_app as create_geese
from sandbox.servers import serve_in_thread
from sandbox.slack import SlackDriver, SlackWorld
from sandbox.slack import create_app as create_slack
from tests.helpers import ROOT, free_port


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


def test_the_playground_names_a_refreshed_home_tab_and_shows_it_on_home():
    out = run_playground("/geese link\nclick 1\n/geese nudges on 09:00\nhome\nquit\n")
    before, _, after = out.partition("dana> ── Home tab ──")
    assert "(Home tab updated: `home` shows it)" in before
    assert "Your objectives nudge is on: 09:00" in before
    assert "Your next 1-on-1s" not in before  # the tab is not reprinted after a command
    assert after.count("Your next 1-on-1s") == 1  # `home`: the latest tab, once


def test_recognition_in_the_playground_by_command_and_by_modal():
    out = run_playground("\n".join([
        "/geese link", "click 1",
        "/geese recognize @fox thanks for the review #teamwork",
        "/geese recognize",                       # the modal: one answer per field
        "fox bea", "2", "Stayed late to fix the release", "eng", "n",
        "/geese recognize", "", "", "", "", "",   # nobody picked: an inline error...
        "bea", "", "Great docs", "", "y",          # ...and the modal is filled again
        "",
    ]))
    assert "Done! Your recognition of @fox for *Teamwork* is in 7Geese" in out
    assert "── in #general ──\n:tada: @dana recognized @fox" in out
    assert "Badge: 1 Ownership, 2 Go the Extra Mile" in out
    assert "Done! Your recognition of @fox and @bea for *Go the Extra Mile*" in out
    assert "── in #eng ──\n:tada: @dana recognized @fox and @bea" in out
    assert "! recipients: Pick at least one person." in out
    assert "Done! Your recognition of @bea is in 7Geese. I didn't post it in a channel" in out
    assert "Traceback" not in out


def test_objectives_check_in_and_the_clock_in_the_playground():
    out = run_playground("\n".join([
        "/geese link", "click 1",
        "/geese objectives", "click 1",          # Check in on the first objective
        "75", "9800", "1", "1", "Cutover done",  # one answer per field
        "in eng", "/geese remind objectives 09:30 weekdays", "/geese nudges on 08:00",
        "clock 08:00 mon", "clock 09:30 mon",
        "",
    ]))
    assert "Accounts migrated: 60% / 100%" in out
    assert "Accounts migrated (Target 100% (percent)) [60] >" in out
    assert "Checked in on *Ship the billing migration" in out
    assert "Progress 32% → 77%" in out
    assert "Done: this channel gets a reminder 09:30 on weekdays (America/Toronto)" in out
    assert "(clock) It is now Mon" in out and "08:00 (America/Toronto)" in out
    assert "── DM from geese-bot ──\n*:wave: Time to check in on your objectives*" in out
    assert "── in #eng ──\n*:alarm_clock: Time to check in on your objectives*" in out
    assert "Traceback" not in out


def test_oneonones_in_the_playground():
    out = run_playground("\n".join([
        "/geese link", "click 1",
        "/geese 1on1", "/geese 1on1 @fox",
        "/geese 1on1 add @fox Ask about the on-call rota",
        "as fox", "say Should we move standup to 10?", "as dana",
        "shortcut 1on1", "", "",                 # defaults: Dana's manager, the quote
        # Ada's 1-on-1 with Dana is tomorrow (UTC) at 17:00: 12:00 or 13:00 in Toronto
        # by the season, so 11:30 there is inside the two hours before it. Depending on
        # the hour this runs, the first or the second jump to 11:30 lands on that day.
        "clock 11:30", "clock 11:30",
        "",
    ]))
    assert "*Your upcoming 1-on-1s*" in out and "(2 talking points)" in out
    assert "*Next 1-on-1 with Fox Adeyemi*" in out and "2. On-call load" in out
    assert "“Ask about the on-call rota”. It has 3 talking points now." in out
    assert "1-on-1 with (a name, like: fox) [ada]" in out
    assert "Added to your 1-on-1 with *Ada Okafor*" in out
    assert "── DM from geese-bot ──\n:spiral_calendar_pad: Your 1-on-1 with *Ada Okafor*" in out
    assert "Traceback" not in out


def test_the_home_tab_in_the_playground():
    out = run_playground("\n".join(["home", "/geese link", "click 1", "/geese nudges on 08:30",
                                     "/geese pause until 2099-01-01", "home", ""]))
    assert "── Home tab ──\n7GEESE IN SLACK\ngeese-bot lets you recognize teammates" in out
    assert "Linked to 7Geese as *Dana Ito*" in out
    assert "*Your open objectives*" in out and "*Your next 1-on-1s*" in out
    assert "*Daily objectives nudge*: 08:30 on weekdays (America/Toronto)" in out
    assert "A pause can last up to a year" in out
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


def test_clock_starts_and_stops_cleanly():
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test", "GEESE_CLIENT_ID": "id",
           "GEESE_CLIENT_SECRET": "secret", "REDIS_URL": "redis://127.0.0.1:1/0",
           "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
           "PYTHONFAULTHANDLER": "1"}  # SIGABRT prints every thread's stack
    proc = subprocess.Popen([sys.executable, "-m", "bot", "clock"], env=env, text=True,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "clock started" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
        assert "ticking every 5 s" in line
        proc.send_signal(signal.SIGTERM)
        try:
            assert proc.wait(timeout=20) == 0
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)
            pytest.fail("the clock did not stop on SIGTERM:\n" + proc.communicate()[1][-4000:])
    finally:
        proc.kill()


def test_two_clocks_and_a_worker_and_the_leader_killed(redis_process, clock):
    """The clock decides and a worker process does; two clocks run, one leads; after
    the leader is killed with SIGKILL, the other takes over within 30 s."""
    if redis_process is None:
        pytest.skip("redis-server is not installed here (CI installs it)")
    from bot.recognition.records import Pending
    from playground.stack import start_stack
    from storage import SlackIdentity, connect
    from storage.keys import key
    from tests.recognition_helpers import given

    client = connect(redis_process.url)
    client.flushdb()
    with start_stack(redis_client=client, clock=clock) as stack:
        settings = stack.settings
        env = {**os.environ, "SLACK_BOT_TOKEN": settings.slack_bot_token,
               "SLACK_API_URL": settings.slack_api_url,
               "GEESE_BASE_URL": settings.geese_base_url,
               "GEESE_CLIENT_ID": settings.geese_client_id,
               "GEESE_CLIENT_SECRET": settings.geese_client_secret,
               "TOKEN_ENCRYPTION_KEY": settings.token_encryption_keys[0],
               "REDIS_URL": redis_process.url, "PUBLIC_URL": settings.public_url}
        stack.link("U0DANA")
        outbox = stack.services.recognition.outbox

        def queue_a_recognition(text):
            # What a command's slow half does with 7Geese down, here (a worker is running,
            # so a command's slow half would go to it, and retry there on its own clock).
            stack.geese.set_faults(status=503)
            stack.services.recognition.submit(Pending(
                id=f"cmd-{len(text)}-{text[:4]}", sender=SlackIdentity("T0GANDER", "U0DANA"),
                created_at=stack.services.clock(), source="command",
                text=f"<@U0FOX|fox> {text}", channel_id="C0GENERAL"))
            assert outbox.ids()
            stack.geese.clear_faults()
            for item_id in outbox.ids():
                outbox.schedule(item_id, 0)  # due now, whatever the clocks' dates

        def posted(text):
            return any(text == g[3] for g in given(stack))

        spawn = [("clock", "a"), ("clock", "b"), ("worker", "w")]
        procs = {name: subprocess.Popen([sys.executable, "-m", "bot", command], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for command, name in spawn}
        try:
            queue_a_recognition("steady on-call week")
            stack.slack.wait_for(lambda: posted("steady on-call week"), timeout=60)
            leader_pid = int(client.get(key("clock", "leader")).split(":")[1])
            leader = next(n for n, p in procs.items() if p.pid == leader_pid)
            procs[leader].kill()  # SIGKILL: no chance to resign
            killed_at = time.monotonic()
            queue_a_recognition("calm during the outage")
            stack.slack.wait_for(lambda: posted("calm during the outage"), timeout=60)
            assert time.monotonic() - killed_at < 30 + 10  # lease lapse, a tick, the work
            assert int(client.get(key("clock", "leader")).split(":")[1]) != leader_pid
            assert [g[3] for g in given(stack)].count("steady on-call week") == 1
        finally:
            for proc in procs.values():
                proc.terminate()
            for proc in procs.values():
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


def test_serve_runs_under_gunicorn_as_the_procfile_does(redis_process):
    """`geese-bot serve` (the Procfile's web process) answers Slack and the link routes."""
    if redis_process is None:
        pytest.skip("redis-server is not installed here (CI installs it)")
    assert (ROOT / "Procfile").read_text().startswith("web: geese-bot serve\n")
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    geese, slack = World(), SlackWorld(scopes=set(BOT_SCOPES))
    geese.register_client("id", "secret", [public + "/link/7geese/callback"])
    servers = [serve_in_thread(create_geese(geese)), serve_in_thread(create_slack(slack))]
    env = {**os.environ, "PORT": str(port), "PUBLIC_URL": public, "WEB_CONCURRENCY": "1",
           "SLACK_BOT_TOKEN": slack.bot_token, "SLACK_SIGNING_SECRET": "signing-secret",
           "SLACK_API_URL": servers[1].url + "/api/", "GEESE_BASE_URL": servers[0].url,
           "GEESE_CLIENT_ID": "id", "GEESE_CLIENT_SECRET": "secret",
           "REDIS_URL": redis_process.url, "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    driver = SlackDriver(slack, slack_url=servers[1].url, app_url=public,
                         signing_secret="signing-secret")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx2.get(public + "/healthz").status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.2)
        reply = driver.command("U0DANA", "link")
        assert reply.status == 200
        assert public + "/link/7geese/start?ticket=" in str(reply.body)
        assert driver.send(b"command=%2Fgeese", "application/x-www-form-urlencoded",
                           secret="wrong").status == 401
        # gunicorn's workers write their figures to PROMETHEUS_MULTIPROC_DIR; a scrape
        # (answered by any one worker) sums them.
        scraped = httpx2.get(public + "/metrics").text
        assert 'geese_bot_slack_ack_seconds_count{kind="command"} 2.0' in scraped
        assert "geese_bot_linked_people" in scraped
    finally:
        driver.close()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        for server in servers:
            server.stop()


def test_a_reaction_offers_a_recognition_in_the_playground():
    out = run_playground("\n".join([
        "as ada", "/geese admin reaction :raised_hands:",
        "in eng", "as fox", "say Shipped the migration",
        "as dana", "react :raised_hands:", "",
    ]))
    assert "anyone who reacts with :raised_hands:" in out
    assert "Recognize @fox in 7Geese for their message in #eng?" in out
    assert "[1] Link my 7Geese account" in out  # Dana is not linked yet: that comes first
    assert "Traceback" not in out


def test_a_channel_digest_in_the_playground():
    out = run_playground("\n".join([
        "in eng", "/geese link", "click 1",
        "/geese digest recognition weekly fri 16:00",
        "7geese recognize bea fox great demo",
        "clock 16:00 fri", "",
    ]))
    assert "gets a weekly recognition digest, 16:00 on Fridays" in out
    assert "*1 recognition this week* in 7Geese among this channel's members" in out
    assert "Traceback" not in out


def test_the_playground_in_french():
    out = run_playground("\n".join([
        "/geese langue fr", "/geese lier", "click 1", "/geese objectifs", "home", "quit"]))
    assert "je vous parlerai en français" in out
    assert "Vos comptes sont liés" in out  # the link pages follow the person
    assert "Tout est prêt" in out and "Vos objectifs en cours" in out
    assert "7Geese dans Slack" in out and "Traceback" not in out
