"""Many workspaces: Slack's OAuth install, two companies side by side with no
crossover, uninstalling, Enterprise Grid, and token rotation under a lock."""

from __future__ import annotations

import html
import re
import threading

import httpx2
import pytest

from playground.stack import start_stack
from sandbox.browser import Browser
from storage import SlackIdentity
from tests.helpers import wall_clock
from tests.recognition_helpers import given

GANDER, HONK = "T0GANDER", "T0HONK"
DANA = SlackIdentity(GANDER, "U0DANA")
OTTO = SlackIdentity(HONK, "W0OTTO", "E0HONK")


def settle_texts(stack, world, user):
    stack.services.settle()
    return [p.text or "" for p in world.visible_to(user)]


def test_each_workspace_links_recognizes_and_gets_reminders(two):
    stack = two
    gander, honk = stack.world(GANDER), stack.world(HONK)
    assert stack.services.installations.scopes() == ["-:T0GANDER", "E0HONK:T0HONK"]

    stack.link("U0DANA")
    driver = stack.drivers[HONK]
    driver.command("W0OTTO", "link", channel="C1GENERAL")
    url = next(e["url"] for p in honk.visible_to("W0OTTO") for b in p.blocks or []
               for e in b.get("elements", []) if e.get("action_id") == "link_open")
    assert stack.follow_link(url, email="otto@honk.example").status == 200
    assert stack.services.links.find(OTTO).email == "otto@honk.example"

    driver.command("W0OTTO", "recognize <@W0PAT|pat> Smooth night shift", channel="C1GENERAL")
    stack.services.settle()
    assert (201, 202, None, "Smooth night shift") in given(stack)
    assert any("recognized" in str(p.blocks) for p in honk.posted)
    assert not any("Smooth night shift" in str(p.blocks) for p in gander.posted)

    driver.command("W0OTTO", "remind objectives 09:00", channel="C1OPS")
    stack.services.settle()
    assert [p for p in honk.posted if p.channel == "C1OPS" and "reminder here" in (p.text or "")]
    assert stack.services.reminders.reminders.ids() == ["E0HONK:T0HONK:C1OPS:0900"]
    # Each workspace's calls carried its own installation's token.
    assert {c.token for c in honk.calls} & {c.token for c in gander.calls} == set()


def test_nothing_crosses_between_workspaces(two):
    stack = two
    stack.link("U0DANA")
    # The same user id, arriving from the other workspace, is someone else.
    honk = stack.world(HONK)
    honk.users["U0DANA"] = type(honk.users["W0OTTO"])("U0DANA", "dana2", "Dana Two",
                                                      "dana2@honk.example", "UTC")
    reply = stack.drivers[HONK].command("U0DANA", "status", channel="C1GENERAL")
    assert "Link my 7Geese account" in str(reply.body)
    assert stack.services.links.find(SlackIdentity(HONK, "U0DANA", "E0HONK")) is None
    # A person of the other company is not a recipient here.
    stack.drivers[HONK].command("W0OTTO", "link", channel="C1GENERAL")
    stack.quick_link("W0OTTO")
    stack.drivers[HONK].command("W0OTTO", "recognize <@U0FOX> thanks", channel="C1GENERAL")
    texts = settle_texts(stack, honk, "W0OTTO")
    assert any("is no longer in this Slack workspace" in t for t in texts)
    assert given(stack) == []
    # Reminders and lists are per workspace even for the same channel id.
    stack.driver.command("U0DANA", "remind objectives 09:00", channel="C0ENG")
    stack.services.settle()
    listing = stack.drivers[HONK].command("W0OTTO", "reminders", channel="C0ENG").body["text"]
    assert listing == "No reminders in this channel."


def test_a_reused_forged_or_foreign_install_state_is_refused(two):
    stack = two
    with Browser() as browser:
        page = browser.open(stack.app_url + "/slack/install")
        authorize = html.unescape(re.search(r'href="([^"]*/oauth/v2/authorize[^"]*)"',
                                            page.text).group(1))
        consent = browser.open(authorize)
        browser.http.follow_redirects = False
        answer = browser.http.post(httpx2.URL(consent.url).join(
            re.search(r'action="([^"]+)"', consent.text).group(1).replace("&amp;", "&")),
            data={"team": GANDER, "decision": "allow"})
        callback = answer.headers["location"]
        browser.http.follow_redirects = True
        with Browser() as stranger:  # another browser: no state cookie
            assert stranger.open(callback).status != 200
        first = browser.open(callback)
        assert first.status == 200 and "Thank you" in first.text
        again = browser.open(callback)  # the state is spent
        assert again.status != 200
        forged = callback.split("state=")[0] + "state=forged"
        assert browser.open(forged).status != 200
    assert stack.cloud.exchanges == 3  # the two setup installs and the one good callback


def test_uninstalling_removes_that_workspace_only(two):
    stack = two
    for user in ("U0DANA", "U0FOX"):
        stack.quick_link(user)
    stack.quick_link("W0OTTO")
    stack.driver.command("U0DANA", "remind objectives 09:00", channel="C0ENG")
    stack.driver.command("U0DANA", "nudges on 08:00")
    stack.drivers[HONK].command("W0OTTO", "remind objectives 09:00", channel="C1OPS")
    stack.drivers[HONK].command("W0OTTO", "nudges on 08:00")
    stack.services.settle()
    otto_tokens = [t for t in stack.geese.tokens if t.user_pk == 201]

    stack.drivers[HONK].event({"type": "app_uninstalled"})
    stack.services.settle()
    services = stack.services
    assert services.links.find(OTTO) is None
    assert all(t.refresh_revoked for t in otto_tokens)  # revoked at 7Geese too
    assert services.reminders.reminders.ids() == ["-:T0GANDER:C0ENG:0900"]
    assert services.reminders.nudges.ids() == ["-:T0GANDER:U0DANA"]
    assert services.installations.scopes() == ["-:T0GANDER"]
    assert services.links.find(DANA) is not None  # the other company is untouched
    # Without an installation the bot no longer acts there at all.
    stack.drivers[HONK].command("W0OTTO", "status", channel="C1GENERAL")
    told = settle_texts(stack, stack.world(HONK), "W0OTTO")[-1]
    assert "install" in told.lower() and "Link" not in told


def test_revoked_bot_tokens_also_forget_the_workspace(two):
    stack = two
    stack.quick_link("W0OTTO")
    stack.drivers[HONK].event({"type": "tokens_revoked",
                               "tokens": {"oauth": [], "bot": ["W0GEESEBOT"]}})
    stack.services.settle()
    assert stack.services.links.find(OTTO) is None
    assert stack.services.installations.scopes() == ["-:T0GANDER"]


def test_single_workspace_mode_keeps_working(stack):
    assert stack.settings.slack_bot_token and not stack.settings.multi_workspace
    assert "Link my 7Geese account" in str(stack.driver.command("U0DANA", "link").body)


def test_rotating_tokens_are_rotated_once_under_the_team_lock(redis_client, clock):
    with start_stack(redis_client=redis_client, clock=clock, multi_workspace=True,
                     token_rotation=True) as stack:
        stack.install(GANDER)
        store = stack.services.installations
        bot = store.find_bot(enterprise_id=None, team_id=GANDER)
        assert bot.bot_refresh_token and bot.bot_token.startswith("xoxe.xoxb-")
        bot.bot_token_expires_at = int(wall_clock()) + 60  # about to expire
        store.save_bot(bot)

        barrier = threading.Barrier(10)
        replies = []

        def command():
            barrier.wait()
            replies.append(stack.driver.command("U0DANA", "help"))

        threads = [threading.Thread(target=command) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert all(r.status == 200 for r in replies)
        assert stack.cloud.rotations == 1
        fresh = store.find_bot(enterprise_id=None, team_id=GANDER)
        assert fresh.bot_token != bot.bot_token and fresh.bot_token_expires_at > wall_clock() + 3600

        # The clock rotates too before it sends, under the same lock.
        fresh.bot_token_expires_at = int(wall_clock()) + 60
        store.save_bot(fresh)
        clients = stack.services.slack_clients
        tokens = []
        workers = [threading.Thread(target=lambda: tokens.append(
            clients.bot_token(None, GANDER))) for _ in range(5)]
        for t in workers:
            t.start()
        for t in workers:
            t.join(timeout=60)
        assert stack.cloud.rotations == 2 and len(set(tokens)) == 1


@pytest.mark.parametrize("same_email", [True, False])
def test_a_link_finishing_while_its_workspace_uninstalls_is_not_kept(redis_client, clock,
                                                                      same_email):
    """Issue 23, item 10: a link completed while the uninstall ran was stored, with a live
    7Geese token, for a workspace the app had left. 7Geese is held mid-link (it is asked
    who the account is) while Slack tells the app it was uninstalled."""
    with start_stack(redis_client=redis_client, clock=clock, multi_workspace=True,
                     link_require_same_email=same_email) as stack:
        assert stack.install(GANDER).status == 200
        stack.quick_bind(GANDER)
        uninstall_mid_link(stack)


def uninstall_mid_link(stack) -> None:
    stack.driver.command("U0DANA", "link")
    url = stack.link_button_url("U0DANA")
    gate = stack.geese.hold("CurrentUser")
    pages = []
    linking = threading.Thread(target=lambda: pages.append(
        stack.follow_link(url, email="dana@ganderlabs.example")))
    linking.start()
    assert gate.entered.wait(30)  # the code is exchanged: 7Geese has issued a token
    stack.driver.event({"type": "app_uninstalled"})
    stack.services.settle()
    gate.opened.set()
    linking.join(30)
    assert pages and "no longer in that workspace" in pages[0].text
    assert stack.services.links.find(DANA) is None
    issued = [t for t in stack.geese.tokens if t.user_pk == 102]
    assert issued and all(t.refresh_revoked for t in issued)
