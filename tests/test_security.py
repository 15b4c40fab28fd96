"""The security review's ten reproductions, each driven the way it was found: through
the sandboxes, with signed requests and a browser. Each failed on the main of
2026-12-03 and passes now."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx2
import pytest

from bot.config import Settings
from bot.ops.logs import setup_logging
from playground.stack import start_stack
from sandbox.browser import Browser
from storage import Sealer, SlackIdentity
from storage.keys import PREFIX
from storage.outbox import Outbox
from storage.sealed import SEALED_KINDS, reseal_all
from tests.helpers import tick
from tests.recognition_helpers import (
    given,
    modal_values,
    posts_to_recognitions,
    wait_for_text,
    wait_form,
)

EVIL = ("<!channel> <!here> <@U0ADA> says: "
        "<https://evil.example/login|https://app.7geese.com/sso>")
LIVE = ("<!channel>", "<!here>", "<@U0ADA> says", "<https://evil.example")
DANA = SlackIdentity("T0GANDER", "U0DANA")
OTTO = SlackIdentity("T0HONK", "W0OTTO", "E0HONK")


def live(stack, *, channel=None, user=None) -> list[str]:
    """Markup from a person that Slack would make live, in what the bot posted."""
    found = []
    for p in stack.slack.posted:
        if (channel and p.channel != channel) or (user and p.user != user):
            continue
        text = (p.text or "") + json.dumps(p.blocks or [])
        found += [bad for bad in LIVE if bad in text]
    return found


# 1. Markup from a form, a quoted message, a talking point or 7Geese stays text ---------

def test_a_forms_message_reaches_the_channel_as_text(ada):
    stack = ada
    stack.driver.command("U0ADA", "recognize", channel="C0GENERAL")
    stack.driver.view_submission("U0ADA", wait_form(stack, "U0ADA"), modal_values(
        users=["U0DANA"], message=EVIL, channel="C0GENERAL"))
    wait_for_text(stack, "U0ADA", "Done!")
    card = wait_for_text(stack, "U0FOX", "recognized")  # Fox is in #general
    assert "@channel @here @U0ADA says:" in json.dumps(card.blocks)  # words, not pings
    assert live(stack) == []  # not in the card, its notification text, nor the DMs
    assert "<" not in given(stack)[0][3]  # 7Geese gets words too


def test_a_quoted_message_cannot_ping_the_channel_again(ada):
    stack = ada
    stack.slack.channels["C0ENG"].members.add("U0ADA")
    message = {"type": "message", "user": "U0FOX", "ts": "1795000000.000900",
               "text": "<!channel> deploy is green, see <https://evil.example|the docs>"}
    stack.driver.message_shortcut("U0ADA", "recognize_message", message, channel="C0ENG")
    form = wait_form(stack, "U0ADA")
    quoted = next(b for b in form["blocks"] if b["block_id"] == "message")
    prefilled = quoted["element"]["initial_value"]
    assert "<!channel>" not in prefilled and "@channel" in prefilled
    assert "the docs (https://evil.example)" in prefilled
    stack.driver.view_submission("U0ADA", form, modal_values(
        users=["U0FOX"], message=prefilled, channel="C0ENG"))
    wait_for_text(stack, "U0ADA", "Done!")
    assert live(stack) == []


def test_talking_points_and_7geese_names_are_shown_as_text(stack, clock):
    stack.quick_link("U0DANA")
    stack.geese.add_talking_point(2, EVIL, 103)  # Fox typed it in 7Geese
    stack.geese.people[103] = type(stack.geese.people[103])(
        **{**stack.geese.people[103].__dict__, "first_name": "<!here>"})
    stack.driver.command("U0DANA", "1on1 <@U0FOX|fox>")
    stack.services.settle()
    shown = [p for p in stack.slack.visible_to("U0DANA") if p.kind == "response"][-1]
    assert "&lt;!channel&gt;" in json.dumps(shown.blocks)
    nudger = stack.services.oneonone_nudges
    meeting = stack.geese.oneonones[2]
    clock.advance(meeting.start.timestamp() - 7200 - clock() + 5)
    nudger.poll()
    assert nudger.send_due().get("sent") == 1
    assert live(stack) == []


# 2. A share channel must be one the sender is in --------------------------------------

def test_sharing_in_a_channel_you_are_not_in_is_refused(ada):
    stack = ada  # Ada is not in #eng
    stack.driver.command("U0ADA", "recognize", channel="C0GENERAL")
    answer = stack.driver.view_submission("U0ADA", wait_form(stack, "U0ADA"), modal_values(
        users=["U0DANA"], message="Thanks!", channel="C0ENG"))
    assert not answer.body  # membership is Slack's to say, after the ack
    told = wait_for_text(stack, "U0ADA", "I didn't send your recognition")
    assert "You're not in <#C0ENG>, so I can't share it there" in told.text
    stack.services.settle()
    assert given(stack) == []
    assert not [p for p in stack.slack.posted if p.channel == "C0ENG"]


# 3. A link button names whose it is; the email is confirmed, exact, and of the company ---

def otto_link_url(stack) -> str:
    honk = stack.world("T0HONK")
    stack.drivers["T0HONK"].command("W0OTTO", "link", channel="C1GENERAL")
    return next(e["url"] for p in honk.visible_to("W0OTTO") for b in p.blocks or []
                for e in b.get("elements", []) if e.get("action_id") == "link_open")


def test_a_forwarded_button_shows_whose_account_it_links(two):
    stack = two
    with Browser() as dana:
        page = dana.open(otto_link_url(stack))
    assert page.is_confirmation and "Otto Quack" in page.text and "Honk Industries" in page.text
    assert "Continue only if this Slack account is yours" in page.text


def test_a_bound_workspace_links_only_its_own_companys_accounts(two):
    """Otto's admin set Otto's Slack email to Dana's; Dana opens Otto's button and
    authorizes as herself. Refused twice over: Slack never confirmed that address, and
    Honk's workspace belongs to Honk's 7Geese, not Gander's."""
    stack = two
    honk = stack.world("T0HONK")
    honk.users["W0OTTO"].email = "dana@ganderlabs.example"
    honk.users["W0OTTO"].email_confirmed = False
    page = stack.follow_link(otto_link_url(stack), email="dana@ganderlabs.example")
    assert page.status == 400 and "email address isn&#39;t confirmed" in page.text
    stack.services.directory.forget(OTTO)
    honk.users["W0OTTO"].email_confirmed = True  # even if it were
    page = stack.follow_link(otto_link_url(stack), email="dana@ganderlabs.example")
    assert page.status == 400 and "different company" in page.text
    assert stack.services.links.find(OTTO) is None
    live_tokens = [t for t in stack.geese.tokens if t.user_pk == 102 and not t.refresh_revoked]
    assert live_tokens == []  # every token issued for Dana in these attempts was revoked


def dress_as_gander(stack) -> None:
    """Otto's own workspace, named like Dana's company, Otto renamed "Dana Ito" with her
    email set and confirmed (as the admin he is can)."""
    honk = stack.world("T0HONK")
    honk.TEAM_NAME = "Gander Labs"
    otto = honk.users["W0OTTO"]
    otto.real_name, otto.email, otto.email_confirmed = "Dana Ito", "dana@ganderlabs.example", True


def test_a_fresh_attacker_workspace_cannot_win_an_account(unbound_two):
    """Issue 23, item 1: the first link bound a workspace, so the attack's own link did.
    Now a plain link in an unbound workspace goes nowhere: no button from the command, and
    a button made before (or forwarded) is refused on its first page, before 7Geese."""
    stack = unbound_two
    dress_as_gander(stack)
    honk = stack.world("T0HONK")
    stack.drivers["T0HONK"].command("W0OTTO", "link", channel="C1GENERAL")
    told = [p for p in honk.visible_to("W0OTTO") if p.kind == "response"][-1]
    assert "Ask a Slack workspace admin to run `/geese admin bind`" in told.text
    assert "link_open" not in json.dumps(told.blocks)
    ticket = stack.services.linking.ticket_url(OTTO)  # e.g. from a Home tab opened earlier
    with Browser() as dana:
        page = dana.open(ticket)
    assert page.status == 400 and "isn&#39;t bound to a 7Geese company yet" in page.text
    assert not page.is_confirmation
    assert stack.services.companies.find(enterprise_id="E0HONK", team_id="T0HONK") is None
    assert [t for t in stack.geese.tokens if t.user_pk == 102] == []  # 7Geese never asked


def test_an_attackers_bind_button_shows_his_workspaces_own_address(unbound_two):
    """Otto, admin of his own workspace, sends Dana his `/geese admin bind` button: its page
    says it binds a workspace, and shows the address no name can imitate."""
    stack = unbound_two
    dress_as_gander(stack)
    honk = stack.world("T0HONK")
    stack.drivers["T0HONK"].command("W0OTTO", "admin bind", channel="C1GENERAL")
    stack.services.settle()
    url = next(e["url"] for p in honk.visible_to("W0OTTO") for b in p.blocks or []
               for e in b.get("elements", []) if e.get("action_id") == "link_open")
    with Browser() as dana:
        page = dana.open(url)
    assert page.is_confirmation
    assert "Bind this workspace to your 7Geese company" in page.text
    assert "Gander Labs (honk.slack.com)" in page.text
    assert "Continue only if you are an admin of this workspace" in page.text


def test_an_admin_binds_the_workspace_then_everyone_links(unbound_two):
    stack = unbound_two
    gander = stack.world("T0GANDER")
    stack.driver.command("U0KOFI", "admin bind")
    stack.services.settle()
    told = [p for p in gander.visible_to("U0KOFI") if p.kind == "response"][-1]
    assert "Only a Slack workspace admin or owner can bind" in told.text
    stack.driver.command("U0DANA", "link")
    told = [p for p in gander.visible_to("U0DANA") if p.kind == "response"][-1]
    assert "isn't connected to a 7Geese company yet" in told.text
    # Ada owns the workspace: her bind names the company, and links her.
    since = gander.posted[-1].seq
    stack.driver.command("U0ADA", "admin bind")
    stack.services.settle()
    with Browser() as browser:
        first = browser.open(stack.link_button_url("U0ADA", since))
        assert "Gander Labs (ganderlabs.slack.com)" in first.text
        assert "Bind this workspace" in first.text
        page = stack.follow_link(first.url, email="ada@ganderlabs.example", browser=browser)
    assert page.status == 200, page.text
    assert stack.services.companies.find(enterprise_id=None, team_id="T0GANDER") == 1
    assert any("This workspace is now bound to *Gander Labs*" in json.dumps(p.blocks)
               for p in gander.posted if p.channel == "D0ADA")
    # Now Dana links, and her page names the company too.
    stack.driver.command("U0DANA", "link")
    with Browser() as browser:
        first = browser.open(stack.link_button_url("U0DANA"))
        assert "7Geese company: <strong>Gander Labs</strong>" in first.text
    assert stack.link("U0DANA").status == 200
    assert stack.services.links.find(DANA).company_pk == 1
    stack.driver.command("U0ADA", "admin bind")
    stack.services.settle()
    told = [p for p in gander.visible_to("U0ADA") if p.kind == "response"][-1]
    assert "already bound to Gander Labs" in told.text


def test_a_bind_is_refused_when_its_admin_is_no_longer_one(unbound_two):
    stack = unbound_two
    gander = stack.world("T0GANDER")
    stack.driver.command("U0ADA", "admin bind")
    stack.services.settle()
    url = stack.link_button_url("U0ADA")
    gander.users["U0ADA"].is_admin = gander.users["U0ADA"].is_owner = False
    page = stack.follow_link(url, email="ada@ganderlabs.example")
    assert page.status == 400 and "Only a Slack workspace admin or owner" in page.text
    assert stack.services.companies.find(enterprise_id=None, team_id="T0GANDER") is None
    assert stack.services.links.find(SlackIdentity("T0GANDER", "U0ADA")) is None
    assert [t for t in stack.geese.tokens if t.user_pk == 101 and not t.refresh_revoked] == []


def test_with_one_workspace_the_first_link_binds_it(stack):
    """In single-workspace mode a link from another company fed that company's
    recognitions into this workspace (issue 23, item 4): the first link binds it."""
    stack.link("U0DANA")
    assert stack.services.companies.find(enterprise_id=None, team_id="T0GANDER") == 1
    jo = stack.slack.users["U0JO"]
    jo.email = "pat@honk.example"  # Jo's Slack email is a Honk 7Geese account's
    page = stack.link("U0JO")
    assert page.status == 400 and "different company" in page.text
    assert stack.services.links.find(SlackIdentity("T0GANDER", "U0JO")) is None


def test_only_the_companys_email_domains_may_link(redis_client, clock):
    with start_stack(redis_client=redis_client, clock=clock,
                     geese_email_domains=("ganderlabs.com",)) as stack:
        page = stack.link("U0DANA")
        assert page.status == 400 and "isn&#39;t in one of your company&#39;s domains" \
            in page.text
        assert stack.services.links.find(DANA) is None
        assert stack.services.companies.find(enterprise_id=None, team_id="T0GANDER") is None


def test_look_alike_email_addresses_are_not_the_same(stack):
    # KELVIN SIGN lower-cases to "k": "\u212aofi@..".lower() == "kofi@..".
    stack.slack.users["U0KOFI"].email = "\u212aofi@ganderlabs.example"
    stack.driver.command("U0KOFI", "link")
    page = stack.follow_link(stack.link_button_url("U0KOFI"), email="kofi@ganderlabs.example")
    assert page.status == 400 and "belong to the Slack user" in page.text
    assert stack.services.links.find(SlackIdentity("T0GANDER", "U0KOFI")) is None


# 4. Nothing is read or parsed before it is bounded --------------------------------------

def test_a_huge_body_is_refused_before_it_is_read(stack):
    big = b"x" * (2 * 1024 * 1024)
    resp = httpx2.post(stack.app_url + "/slack/events", content=big,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status_code == 413


def test_a_body_nested_deep_gets_400_and_one_line(stack, caplog):
    payload = "[" * 50_000 + "]" * 50_000
    body = urlencode({"payload": payload}).encode()
    with caplog.at_level(logging.WARNING):
        resp = httpx2.post(stack.app_url + "/slack/events", content=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status_code == 400
    assert "unparseable request" in caplog.text and "Traceback" not in caplog.text
    assert len([r for r in caplog.records if r.exc_info]) == 0


# 5. Key rotation keeps every sealed kind ---------------------------------------------

def test_reseal_covers_every_sealed_kind_and_reports_what_it_cannot_open(two):
    stack = two
    services = stack.services
    stack.link("U0DANA")  # a link, cached people, installations (from the two installs)
    services.linking.ticket_url(DANA)  # a link ticket
    stack.geese.set_faults(status=503)
    stack.driver.command("U0DANA", "recognize <@U0FOX|fox> steady on-call week")
    wait_for_text(stack, "U0DANA", "I saved your recognition")  # an outbox item
    stack.geese.clear_faults()
    redis = services.redis
    # Every sealed value in Redis is under a registered kind.
    sealed = [k for k in redis.scan_iter(f"{PREFIX}:*") if redis.type(k) == "string"
              and '"sealed"' in (redis.get(k) or "")]
    from fnmatch import fnmatchcase

    unregistered = [k for k in sealed
                    if not any(fnmatchcase(k, p) for p in SEALED_KINDS.values())]
    assert unregistered == []
    kinds = {kind for kind, p in SEALED_KINDS.items() if any(fnmatchcase(k, p) for k in sealed)}
    assert {"links", "installations", "outbox items", "link tickets and states",
            "cached people"} <= kinds

    old = stack.settings.token_encryption_keys[0]
    new = Sealer.generate_key()
    stray = Outbox(redis, Sealer([Sealer.generate_key()]), kind="recognition")
    stray.add("stray", {"x": 1})  # sealed with a key nobody has any more
    counts = reseal_all(redis, Sealer([new, old]))
    assert counts["outbox items"].unreadable == [f"{PREFIX}:outbox:recognition:item:stray"]
    assert all(c.resealed for c in counts.values())
    again = reseal_all(redis, Sealer([new, old]))  # safe to run twice
    # The stack is live (a link button made meanwhile adds a ticket), so the second run
    # may find more, never less, and nothing new it cannot open.
    assert all(again[k].resealed >= c.resealed for k, c in counts.items())
    assert [u for c in again.values() for u in c.unreadable] == [
        f"{PREFIX}:outbox:recognition:item:stray"]
    # Only the new key from now on: everything still opens.
    newer = Sealer([new])
    for name in sealed:
        newer.open(json.loads(redis.get(name))["sealed"])


# 6. Uninstalling leaves nothing of the workspace ---------------------------------------

def workspace_traces(stack, team: str) -> list[str]:
    redis = stack.services.redis
    found = []
    for name in redis.scan_iter(f"{PREFIX}:*"):
        if name.startswith(f"{PREFIX}:outbox:revocation:"):
            continue  # revocations still owed to 7Geese stay until 7Geese answers
        kind = redis.type(name)
        values = [name]
        if kind == "set":
            values += list(redis.smembers(name))
        elif kind == "hash":
            values += list(redis.hkeys(name))
        elif kind == "zset":
            values += list(redis.zrange(name, 0, -1))
        elif kind == "string" and '"sealed"' not in (redis.get(name) or ""):
            values.append(redis.get(name))
        found += [f"{name}: {v}" for v in values if team in str(v)]
    return found


def test_uninstall_removes_everything_of_the_workspace(two, clock):
    stack = two
    honk = stack.drivers["T0HONK"]
    stack.quick_link("W0OTTO")
    stack.link("U0DANA")
    back = (datetime.fromtimestamp(clock(), UTC) + timedelta(days=20)).date()
    honk.command("W0RUI", f"pause until {back.isoformat()}", channel="C1GENERAL")  # unlinked
    honk.command("W0RUI", "nudges 1on1 off", channel="C1GENERAL")
    honk.command("W0PAT", "recognize <@W0OTTO> night shift", channel="C1GENERAL")  # parked
    honk.command("W0OTTO", "remind objectives 09:00", channel="C1OPS")
    stack.services.settle()
    assert workspace_traces(stack, "T0HONK")
    honk.event({"type": "app_uninstalled"})
    stack.services.settle()
    assert workspace_traces(stack, "T0HONK") == []
    assert stack.services.links.find(DANA) is not None  # Gander untouched


def test_uninstall_drops_the_workspaces_queued_writes_too(two):
    """A queued write keeps its sender and words sealed in the write outbox until its
    next retry: an uninstall now drops it with the rest (issue 23, item 10)."""
    stack = two
    stack.quick_link("W0OTTO")
    stack.link("U0DANA")
    otto, dana = SlackIdentity("T0HONK", "W0OTTO", "E0HONK"), DANA
    stack.geese.set_faults(status=503)
    for who, peer in ((otto, "W0RUI"), (dana, "U0FOX")):
        stack.services.writes.submit("feedback", who, {
            "recipient": peer, "subject": "Demo", "message": "private words",
            "visible_to": []})
    stack.geese.clear_faults()
    assert len(stack.services.writes.outbox.ids()) == 2
    stack.drivers["T0HONK"].event({"type": "app_uninstalled"})
    stack.services.settle()
    (left,) = stack.services.writes.outbox.ids()
    assert stack.services.writes.outbox.load(left)["identity"] == dana.key


def test_an_org_wide_uninstall_removes_every_team_of_the_enterprise(two):
    stack = two
    stack.quick_link("W0OTTO")
    envelope = {"token": "x", "team_id": None, "enterprise_id": "E0HONK",
                "is_enterprise_install": True, "api_app_id": "A0GEESEBOT",
                "event": {"type": "app_uninstalled", "event_ts": "1"},
                "type": "event_callback", "event_id": "Ev0ORGWIDE", "event_time": 1,
                "authorizations": [{"enterprise_id": "E0HONK", "team_id": None,
                                    "user_id": "W0GEESEBOT", "is_bot": True,
                                    "is_enterprise_install": True}]}
    stack.drivers["T0HONK"].send(json.dumps(envelope).encode(), "application/json")
    stack.services.settle()
    assert stack.services.links.find(OTTO) is None
    assert workspace_traces(stack, "E0HONK") == []


def test_a_link_finished_after_the_uninstall_leaves_no_live_token(two):
    stack = two
    browser = Browser()
    page = browser.confirm(browser.open(otto_link_url(stack)))
    browser.http.follow_redirects = False
    consent = browser.http.post(page.url, data={"user": "201", "decision": "authorize"})
    callback = consent.headers["location"]
    browser.http.follow_redirects = True
    stack.drivers["T0HONK"].event({"type": "app_uninstalled"})
    stack.services.settle()
    done = browser.open(callback)
    browser.close()
    assert done.status == 400 and "no longer in that workspace" in done.text
    assert [t for t in stack.geese.tokens if t.user_pk == 201 and not t.refresh_revoked] == []


# 8. Nothing secret reaches a log line ---------------------------------------------------

@pytest.fixture
def logs():
    root = logging.getLogger()
    saved = (root.handlers[:], root.level,
             {n: logging.getLogger(n).level for n in ("slack_sdk", "slack_bolt")})
    stream = io.StringIO()
    yield stream
    root.handlers[:], root.level = saved[0], saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


def test_secrets_never_reach_a_log_line_even_at_debug(logs):
    settings = Settings(geese_client_id="id", geese_client_secret="geese-client-secret-1",
                        token_encryption_keys=(Sealer.generate_key(),),
                        slack_client_id="111.222", slack_client_secret="slack-client-secret-1",
                        slack_signing_secret="signing-secret-1", log_level="DEBUG")
    setup_logging(settings)
    logging.getLogger().handlers[0].setStream(logs)
    logging.getLogger("slack_sdk.web.base_client").debug(
        "Received the following response: {'access_token': 'xoxb-1-2-abc'}")
    assert logs.getvalue() == ""  # slack_sdk stays at WARNING without LOG_SLACK_SDK=1
    log = logging.getLogger("bot.anything")
    log.warning("oauth.v2.access gave xoxb-111-222-secretsecret and xoxe.xoxb-1-rotated; "
                "app token xapp-1-A0-xyz; opened https://bot/link/7geese/start?ticket=T1c2et"
                "&x=1 and callback?code=C0de&state=St4te; slack-client-secret-1 and "
                "geese-client-secret-1")
    try:
        raise RuntimeError("failed with xoxb-999-traceback")
    except RuntimeError:
        log.exception("a library's traceback")
    out = logs.getvalue()
    for secret in ("xoxb-111", "xoxe.xoxb", "xapp-1", "T1c2et", "C0de", "St4te",
                   "slack-client-secret-1", "geese-client-secret-1", "xoxb-999"):
        assert secret not in out, secret
    assert out.count("[redacted]") >= 9 and "Traceback" in out


def test_secrets_in_dicts_json_and_response_urls_are_redacted_at_every_level(logs):
    """The key=value patterns missed {'access_token': ...} and "code": ... shapes, and a
    response_url (anyone holding it can post as the bot) reached the log."""
    settings = Settings(geese_client_id="id", geese_client_secret="geese-client-secret-1",
                        token_encryption_keys=(Sealer.generate_key(),), log_level="DEBUG")
    setup_logging(settings)
    logging.getLogger().handlers[0].setStream(logs)
    log = logging.getLogger("bot.anything")
    log.debug("token answer {'access_token': 'AcC3ss', 'refresh_token': 'R3fr3sh'} and "
              '{"code": "C0d3", "state": "St4t3", "response_url": "https://x.example/r/1"} '
              "posting to https://hooks.slack.com/commands/T0/123/S3cretHook")
    out = logs.getvalue()
    for secret in ("AcC3ss", "R3fr3sh", "C0d3", "St4t3", "x.example/r/1", "S3cretHook"):
        assert secret not in out, secret


def test_the_clock_and_workers_serve_metrics_on_loopback_without_a_token(stack):
    from bot.ops.metrics import serve_metrics
    from tests.helpers import free_port

    open_server = serve_metrics(stack.services, free_port())
    guarded = serve_metrics(stack.services, free_port(), token="scrape-me-please")
    try:
        assert open_server.server_address[0] == "127.0.0.1"
        assert guarded.server_address[0] == "0.0.0.0"  # noqa: S104
    finally:
        open_server.shutdown()
        guarded.shutdown()


# 9. One command cannot fan out without bound ---------------------------------------------

def test_a_recognition_for_250_people_is_refused_before_any_call(ada):
    stack = ada
    for n in range(250):
        stack.slack.users[f"U9{n:08d}"] = type(stack.slack.users["U0FOX"])(
            f"U9{n:08d}", f"p{n}", f"P {n}", f"p{n}@ganderlabs.example", "UTC")
    mentions = " ".join(f"<@U9{n:08d}>" for n in range(250))
    reply = stack.driver.command("U0ADA", f"recognize {mentions} thanks all")
    assert "up to 20" in str(reply.body)
    stack.services.settle()
    assert given(stack) == [] and posts_to_recognitions(stack) == 0
    assert [c for c in stack.slack.calls if c.args.get("user", "").startswith("U9")
            or c.args.get("channel", "").startswith("U9")] == []


def test_mentions_past_the_recipients_cost_no_lookup(ada):
    """Recipients are capped at 20; every other mention in the message was looked up
    too (70 made-up ids, 70 users.info calls a command)."""
    stack = ada
    made_up = " ".join(f"<@U8{n:08d}>" for n in range(70))
    stack.driver.command("U0ADA", f"recognize <@U0DANA> thanks, and to {made_up}")
    wait_for_text(stack, "U0ADA", "Done!")
    assert [c for c in stack.slack.calls_to("users.info")
            if c.args.get("user", "").startswith("U8")] == []


def test_made_up_people_in_the_form_cost_one_lookup_each(ada):
    stack = ada
    made_up = [f"U7{n:08d}" for n in range(15)]
    for _ in range(2):
        stack.driver.command("U0ADA", "recognize", channel="C0GENERAL")
        stack.driver.view_submission("U0ADA", wait_form(stack, "U0ADA"),
                                     modal_values(users=made_up, message="hi"))
        stack.services.settle()
        told = [p for p in stack.slack.visible_to("U0ADA") if "didn't send" in (p.text or "")]
        assert "no longer in this workspace" in told[-1].text
    looked_up = [c.args["user"] for c in stack.slack.calls_to("users.info")
                 if c.args["user"] in made_up]
    assert len(looked_up) == len(set(looked_up))  # misses are cached too


# 10. A revocation 7Geese missed is tried again until it lands ---------------------------

def test_unlinking_while_7geese_is_down_revokes_later(stack, clock):
    stack.link("U0DANA")
    tokens = [t for t in stack.geese.tokens if t.user_pk == 102]
    stack.geese.set_faults(status=503, path="/o/revoke_token/")
    stack.driver.command("U0DANA", "unlink")
    stack.services.settle()
    assert stack.services.links.find(DANA) is None
    assert not any(t.refresh_revoked for t in tokens)
    assert stack.services.revoker.retry_due() == {}  # not due yet
    clock.advance(61)
    assert stack.services.revoker.retry_due() == {"later": 1}  # still down
    stack.geese.clear_faults()
    clock.advance(400)
    assert stack.services.revoker.retry_due() == {"revoked": 1}
    assert all(t.refresh_revoked for t in tokens)
    assert stack.services.revoker.outbox.ids() == []


def test_a_revocation_7geese_refuses_outright_is_not_asked_again(stack, clock, caplog):
    """RFC 7009: a 4xx will not change by asking again; only a 5xx or no answer is
    worth a retry (it used to be retried for a week)."""
    stack.link("U0DANA")
    stack.geese.set_faults(status=400, path="/o/revoke_token/")
    with caplog.at_level(logging.ERROR):
        stack.driver.command("U0DANA", "unlink")
        stack.services.settle()
    assert stack.services.links.find(DANA) is None
    assert stack.services.revoker.outbox.ids() == []
    assert "refused to revoke a token (HTTP 400)" in caplog.text


def test_the_clock_runs_the_revocation_queue(stack, clock):
    stack.link("U0DANA")
    stack.geese.set_faults(status=503, path="/o/revoke_token/")
    stack.driver.command("U0DANA", "unlink")
    stack.services.settle()
    stack.geese.clear_faults()
    clock.advance(61)
    assert tick(stack).get("revocations") == 1


def test_an_operator_can_reset_a_workspaces_company(redis_process, monkeypatch, capsys, logs):
    if redis_process is None:
        pytest.skip("redis-server is not installed here (CI installs it)")
    from bot.cli import main
    from storage import connect
    from storage.companies import WorkspaceCompanies

    client = connect(redis_process.url)
    WorkspaceCompanies(client).bind(enterprise_id="E0HONK", team_id="T0HONK", company_pk=2)
    for name, value in {"REDIS_URL": redis_process.url, "SLACK_BOT_TOKEN": "xoxb-1",
                        "GEESE_CLIENT_ID": "id", "GEESE_CLIENT_SECRET": "secret",
                        "TOKEN_ENCRYPTION_KEY": Sealer.generate_key()}.items():
        monkeypatch.setenv(name, value)
    assert main(["company-reset", "T0HONK", "--enterprise", "E0HONK"]) == 0
    assert "no longer bound to 7Geese company 2" in capsys.readouterr().out
    assert WorkspaceCompanies(client).find(enterprise_id="E0HONK", team_id="T0HONK") is None
    client.close()


# 7. Channel membership fails closed ----------------------------------------------------

def test_a_channel_whose_members_slack_will_not_list_gets_no_card(ada):
    """conversations.members failing (an error, or a 429 the sender can provoke) let a
    person not in #eng post a card there. Now nothing is posted there; 7Geese still gets
    the recognition and the sender is told."""
    stack = ada  # Ada is not in #eng
    stack.driver.command("U0ADA", "recognize", channel="C0GENERAL")
    form = wait_form(stack, "U0ADA")
    stack.slack.fail("conversations.members", "internal_error", times=3)
    stack.driver.view_submission("U0ADA", form, modal_values(
        users=["U0DANA"], message="Thanks!", channel="C0ENG"))
    told = wait_for_text(stack, "U0ADA", "wouldn't tell me who is in")
    assert "<#C0ENG>" in told.text
    stack.services.settle()
    assert not [p for p in stack.slack.posted if p.channel == "C0ENG"]
    assert len(given(stack)) == 1


# 8. Labelled links typed in a command show their address ---------------------------------

def test_a_labelled_link_in_a_command_is_shown_with_its_real_address(ada):
    """`<https://evil.example|https://app.7geese.com/sso>` typed in /geese recognize showed
    a link whose label lies about where it goes, in the channel card and the DMs."""
    stack = ada
    stack.driver.command("U0ADA", "recognize <@U0DANA|dana> see "
                         "<https://evil.example/x|https://app.7geese.com/sso> thanks",
                         channel="C0GENERAL")
    stack.services.settle()
    shown = [p for p in stack.slack.posted if p.kind in ("message", "response")]
    assert shown
    for posted in shown:
        text = json.dumps([posted.text, posted.blocks])
        assert "|https://app.7geese.com/sso>" not in text, posted
    card = next(p for p in shown if "recognized" in (p.text or ""))
    assert "evil.example" in json.dumps(card.blocks)  # the real address, visible


def test_an_already_done_action_items_title_is_escaped_everywhere(dana):
    """The fallback text (a notification, and what Slack renders with the blocks) showed
    the 7Geese title as typed: <!channel> in a title was live."""
    stack = dana
    item = stack.geese.save_action_item(102, None, {
        "createdInOneonone": 2, "title": EVIL[:200], "assignedTo": 102})
    item.completed = datetime.fromtimestamp(stack.services.clock(), UTC)
    reply = stack.services.writes.submit("todo_done", DANA, {"pk": item.pk, "done": True})
    assert "was already done" in reply.text
    shown = reply.text + json.dumps(reply.blocks)
    assert [bad for bad in LIVE if bad in shown] == []


def test_admin_bind_fails_closed_when_slack_will_not_say_who_is_admin(unbound_two):
    stack = unbound_two
    # Her language is chosen, so the only users.info left is the admin check's.
    stack.services.languages.choose(SlackIdentity("T0GANDER", "U0ADA"), "en")
    stack.world("T0GANDER").fail("users.info", "internal_error", times=1)
    stack.driver.command("U0ADA", "admin bind")
    stack.services.settle()
    told = [p for p in stack.world("T0GANDER").visible_to("U0ADA") if p.kind == "response"]
    assert "Only a Slack workspace admin or owner can bind" in told[-1].text
    assert "link_open" not in json.dumps(told[-1].blocks)
