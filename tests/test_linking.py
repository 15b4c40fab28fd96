"""Linking, end to end: signed Slack requests to the app, a browser through the app's
link routes and the sandbox 7Geese consent page, the sandbox Slack recording replies."""

from __future__ import annotations

import pytest

from sandbox.browser import Browser
from storage.records import SlackIdentity
from tests.helpers import wall_clock

DANA = SlackIdentity(team_id="T0GANDER", user_id="U0DANA")
FOX = SlackIdentity(team_id="T0GANDER", user_id="U0FOX")


def texts(stack, user_id, since=0) -> list[str]:
    return [p.text or "" for p in stack.slack.visible_to(user_id, since)]


def last_seq(stack) -> int:
    return stack.slack.posted[-1].seq if stack.slack.posted else 0


def redis_dump(client) -> str:
    out = []
    for key in client.keys("*"):
        kind = client.type(key)
        out.append(key + "=" + (client.get(key) if kind == "string"
                                else " ".join(client.smembers(key)) if kind == "set" else kind))
    return "\n".join(out)


# -- the happy path ------------------------------------------------------------------

def test_link_status_unlink_end_to_end(stack):
    reply = stack.driver.command("U0DANA", "link")
    assert reply.status == 200 and reply.elapsed < 3
    assert "Link my 7Geese account" in str(reply.body)
    assert "ticket=" not in reply.body["text"]  # previews and unfurlers never see it

    page = stack.follow_link(stack.link_button_url("U0DANA"), email="dana@ganderlabs.example")
    assert page.status == 200 and page.title.startswith("Your accounts are linked")
    assert "Dana Ito" in page.text and "dana@ganderlabs.example" in page.text

    dm = [p for p in stack.slack.posted if p.channel == "D0DANA"]
    assert len(dm) == 1 and "Dana Ito (dana@ganderlabs.example)" in dm[0].text
    # The ephemeral with the spent button was replaced by the outcome.
    assert not any("Link my 7Geese account" in str(p.blocks)
                   for p in stack.slack.visible_to("U0DANA"))

    link = stack.services.links.find(DANA)
    assert link.profile_pk == 102 and link.email == "dana@ganderlabs.example"
    dump = redis_dump(stack.services.redis)
    issued = [t for t in stack.geese.tokens if t.user_pk == 102]
    assert issued
    for token in issued:
        assert token.access_token not in dump and token.refresh_token not in dump
    assert "dana@ganderlabs.example" not in dump

    status = stack.driver.command("U0DANA", "status")
    assert "linked to 7Geese as *Dana Ito* (dana@ganderlabs.example)" in str(status.body)

    since = last_seq(stack)
    unlinked = stack.driver.command("U0DANA", "unlink")
    assert "no longer linked to 7Geese" in str(unlinked.body)
    assert stack.services.links.find(DANA) is None
    stack.slack.wait_for(lambda: stack.geese.revocations == 1)
    assert all(t.access_revoked for t in issued)
    again = stack.driver.command("U0DANA", "status")
    assert "Link my 7Geese account" in str(again.body)
    assert texts(stack, "U0DANA", since)  # every answer was shown to Dana


def test_unlink_without_a_link_and_with_7geese_down(stack):
    assert "nothing to unlink" in str(stack.driver.command("U0DANA", "unlink").body)
    stack.link("U0DANA")
    stack.geese.set_faults(status=503)
    reply = stack.driver.command("U0DANA", "unlink")
    assert "no longer linked" in str(reply.body)  # revocation failure is tolerated
    assert stack.services.links.find(DANA) is None


def test_linking_again_replaces_and_revokes_the_old_link(stack):
    stack.link("U0DANA")
    first = stack.services.links.find(DANA)
    stack.link("U0DANA")
    second = stack.services.links.find(DANA)
    assert second.token.access_token != first.token.access_token
    old = next(t for t in stack.geese.tokens if t.access_token == first.token.access_token)
    assert old.access_revoked
    assert "To switch to a different 7Geese account" in str(
        stack.driver.command("U0DANA", "link").body)


# -- refusals: a clear page or message, and nothing stored ---------------------------

def open_link(browser, url):
    """Open a link button as a person does: the confirmation page, then Continue."""
    page = browser.open(url)
    assert page.is_confirmation, page.title
    return browser.confirm(page)


def consent_location(stack, user_id, *, email, browser, allow=True) -> str:
    since = last_seq(stack)
    stack.driver.command(user_id, "link")
    page = open_link(browser, stack.link_button_url(user_id, since))
    assert page.is_consent
    people = {"dana@ganderlabs.example": "102", "fox@ganderlabs.example": "103"}
    browser.http.follow_redirects = False
    action = page.url
    resp = browser.http.post(action, data={"user": people[email],
                                           "decision": "authorize" if allow else "deny"})
    browser.http.follow_redirects = True
    assert resp.status_code == 302
    return resp.headers["location"]


@pytest.fixture
def browser():
    b = Browser()
    yield b
    b.close()


def assert_nothing_linked(stack):
    assert list(stack.services.links.identities()) == []


def test_a_reused_state_is_refused(stack, browser):
    callback = consent_location(stack, "U0DANA", email="dana@ganderlabs.example",
                                browser=browser)
    assert browser.open(callback).title.startswith("Your accounts are linked")
    linked = stack.services.links.find(DANA)
    replay = browser.open(callback)
    assert replay.status == 400 and "This sign-in has expired" in replay.title
    assert stack.services.links.find(DANA) == linked
    assert stack.geese.grants["authorization_code"] == 1


def test_an_expired_state_is_refused(stack, browser, clock):
    callback = consent_location(stack, "U0DANA", email="dana@ganderlabs.example",
                                browser=browser)
    clock.advance(11 * 60)
    page = browser.open(callback)
    assert page.status == 400 and "expired" in page.title
    assert_nothing_linked(stack)


def test_an_expired_or_reused_ticket_is_refused(stack, browser, clock):
    stack.driver.command("U0DANA", "link")
    url = stack.link_button_url("U0DANA")
    assert browser.open(url).is_confirmation
    page = browser.open(url)  # looking spends nothing (link previews, scanners)
    assert browser.confirm(page).is_consent
    again = browser.open(url)
    assert again.status == 400 and again.title.startswith("This link has expired")
    since = last_seq(stack)
    stack.driver.command("U0DANA", "link")
    late = stack.link_button_url("U0DANA", since)
    clock.advance(10 * 60 + 1)
    assert browser.open(late).status == 400
    assert browser.open(url.split("?")[0]).title.startswith("This link is incomplete")
    assert_nothing_linked(stack)


def test_a_ticket_used_by_another_slack_user_is_refused(stack, browser):
    """Dana's link button, opened by Fox, who signs in to 7Geese as himself."""
    callback = consent_location(stack, "U0DANA", email="fox@ganderlabs.example",
                                browser=browser)
    page = browser.open(callback)
    assert page.status == 400 and "doesn't belong to the Slack user" in " ".join(page.paragraphs)
    assert "dana@" not in page.text  # nor Dana's address to whoever opened the link
    assert_nothing_linked(stack)
    fox_tokens = [t for t in stack.geese.tokens if t.user_pk == 103]
    assert fox_tokens and all(t.access_revoked for t in fox_tokens)  # nothing dangles
    dm = [p.text for p in stack.slack.posted if p.channel == "D0DANA"]
    assert dm and "didn't link that 7Geese account" in dm[-1]
    assert "fox@" not in dm[-1]  # Fox's address is not shown to Dana


def test_the_email_check_can_be_turned_off(redis_client, clock):
    from playground.stack import start_stack

    with start_stack(redis_client=redis_client, clock=clock,
                     link_require_same_email=False) as stack, Browser() as b:
        callback = consent_location(stack, "U0DANA", email="fox@ganderlabs.example", browser=b)
        assert b.open(callback).status == 200
        assert stack.services.links.find(DANA).email == "fox@ganderlabs.example"


def test_a_callback_in_a_browser_without_the_cookie_is_refused(stack, browser):
    callback = consent_location(stack, "U0DANA", email="dana@ganderlabs.example",
                                browser=browser)
    with Browser() as other:
        page = other.open(callback)
    assert page.status == 400 and "same browser" in page.title
    assert_nothing_linked(stack)
    # The state was not spent: Dana's own browser still finishes.
    assert browser.open(callback).status == 200


def test_a_callback_with_the_wrong_cookie_is_refused(stack, browser):
    callback = consent_location(stack, "U0DANA", email="dana@ganderlabs.example",
                                browser=browser)
    with Browser() as other:
        consent_location(stack, "U0FOX", email="fox@ganderlabs.example", browser=other)
        page = other.open(callback)  # carries Fox's own link cookie, not Dana's
    assert page.status == 400 and "same browser" in page.title
    assert_nothing_linked(stack)
    assert browser.open(callback).status == 400  # a state seen by a stranger is spent


def test_access_denied_is_a_friendly_page_and_a_slack_message(stack, browser):
    callback = consent_location(stack, "U0DANA", email="dana@ganderlabs.example",
                                browser=browser, allow=False)
    assert "error=access_denied" in callback
    page = browser.open(callback)
    assert page.status == 200 and page.title.startswith("Nothing was linked")
    assert_nothing_linked(stack)
    assert any("you chose not to link" in t for t in texts(stack, "U0DANA"))


def test_a_cross_site_access_denied_cancels_nothing(stack, browser):
    """A page elsewhere can make the person's browser GET the callback with
    ?error=access_denied and no state: that used to cancel the link in progress and DM
    "you chose not to link" (issue 23, item 11). It now spends nothing."""
    callback = consent_location(stack, "U0DANA", email="dana@ganderlabs.example",
                                browser=browser)
    forged = callback.split("?")[0] + "?error=access_denied"
    assert browser.open(forged).status == 200
    assert not any("you chose not to link" in t for t in texts(stack, "U0DANA"))
    page = browser.open(callback)  # the person's own sign-in still completes
    assert page.status == 200
    assert stack.services.links.find(DANA) is not None


@pytest.mark.parametrize("break_it", ["bad_code", "geese_down"])
def test_a_failed_code_exchange_is_refused(stack, browser, break_it):
    callback = consent_location(stack, "U0DANA", email="dana@ganderlabs.example",
                                browser=browser)
    if break_it == "bad_code":
        callback = callback.replace("code=", "code=x")
    else:
        stack.geese.set_faults(status=503)
    page = browser.open(callback)
    assert page.status == 400 and page.title == "Nothing was linked · geese-bot"
    assert_nothing_linked(stack)
    dm = [p.text for p in stack.slack.posted if p.channel == "D0DANA"]
    assert dm and "Linking didn't finish" in dm[-1]


def test_missing_slack_email_scope_stops_linking(redis_client, clock):
    """Least privilege has a floor: without users:read.email the check cannot run."""
    from bot.app import BOT_SCOPES
    from playground.stack import start_stack

    scopes = tuple(s for s in BOT_SCOPES if s != "users:read.email")
    with start_stack(redis_client=redis_client, clock=clock, scopes=scopes) as stack:
        page = stack.link("U0DANA")
        assert page.status == 400
        assert "couldn't read your Slack email" in " ".join(page.paragraphs)
        assert_nothing_linked(stack)


# -- Slack's signature ---------------------------------------------------------------

def test_bad_signatures_and_stale_timestamps_get_401(stack):
    body = b"command=%2Fgeese&text=link&user_id=U0DANA&team_id=T0GANDER"
    kind = "application/x-www-form-urlencoded"
    assert stack.driver.send(body, kind).status == 200
    assert stack.driver.send(body, kind, secret="not-the-secret").status == 401
    now = int(wall_clock())
    assert stack.driver.send(body, kind, timestamp=now - 301).status == 401
    assert stack.driver.send(body, kind, timestamp=now - 240).status == 200
    assert list(stack.services.links.identities()) == []


def test_a_confirm_value_that_is_not_ascii_is_refused_not_a_crash(stack, browser):
    """compare_digest on str raises on non-ASCII: the page answered 500 with a traceback."""
    import html as html_lib
    from urllib.parse import urljoin

    from sandbox.browser import FORM_ACTION, HIDDEN

    stack.driver.command("U0DANA", "link")
    page = browser.open(stack.link_button_url("U0DANA"))
    action = html_lib.unescape(FORM_ACTION.search(page.text)[1])
    fields = {name: html_lib.unescape(value) for name, value in HIDDEN.findall(page.text)}
    fields["confirm"] = "caf\u00e9"
    resp = browser.http.post(urljoin(page.url, action), data=fields)
    assert resp.status_code == 400 and "Traceback" not in resp.text
    assert_nothing_linked(stack)
