"""The sandbox 7Geese behaves like an OAuth2 server should, over real HTTP."""

from __future__ import annotations

import secrets

import httpx2
import pytest
from authlib.integrations.httpx_client import OAuth2Client, OAuthError

from sandbox.browser import Browser
from sandbox.geese import PASSWORD, World, create_app
from sandbox.servers import serve_in_thread
from tests.helpers import FakeClock

REDIRECT = "http://bot.test/link/7geese/callback"


@pytest.fixture
def geese():
    world = World(clock=FakeClock())
    world.register_client("cid", "csecret", [REDIRECT])
    server = serve_in_thread(create_app(world))
    yield world, server.url
    server.stop()


def client(redirect_uri: str = REDIRECT) -> OAuth2Client:
    return OAuth2Client("cid", "csecret", redirect_uri=redirect_uri, scope="all",
                        code_challenge_method="S256")


def authorize(url: str, *, email="dana@ganderlabs.example", verifier=None, allow=True,
              redirect=REDIRECT, state="s1") -> str:
    """Walk the consent page; return where 7Geese sends the browser back."""
    with client(redirect_uri=redirect) as oauth:
        auth_url, _ = oauth.create_authorization_url(url + "/o/authorize/", state=state,
                                                     code_verifier=verifier)
    browser = Browser()
    browser.http.follow_redirects = False
    page = browser.open(auth_url)
    assert page.status == 200 and page.is_consent
    resp = browser.http.post(auth_url, data={
        "user": "102" if email.startswith("dana") else "103",
        "decision": "authorize" if allow else "deny"})
    browser.close()
    return resp.headers["location"]


def code_of(location: str) -> str:
    return httpx2.URL(location).params["code"]


def test_code_flow_with_pkce_then_graphql(geese):
    _, url = geese
    verifier = secrets.token_urlsafe(48)
    location = authorize(url, verifier=verifier)
    assert location.startswith(REDIRECT + "?code=") and "state=s1" in location
    with client() as oauth:
        token = oauth.fetch_token(url + "/o/token/", authorization_response=location,
                                  code_verifier=verifier, state="s1")
    assert token["expires_in"] == 36000 and token["scope"] == "all" and token["refresh_token"]
    resp = httpx2.post(url + "/graphql", json={"query": "{ currentUser { fullName } }"},
                       headers={"Authorization": f"Bearer {token['access_token']}"})
    assert resp.json() == {"data": {"currentUser": {"fullName": "Dana Ito"}}}
    me = httpx2.get(url + "/api/v/2.0/userprofiles/me/",
                    headers={"Authorization": f"Bearer {token['access_token']}"}).json()
    assert me["user"]["email"] == "dana@ganderlabs.example"


def test_wrong_pkce_verifier_and_reused_code_are_refused(geese):
    _, url = geese
    location = authorize(url, verifier=secrets.token_urlsafe(48))
    with client() as oauth, pytest.raises(OAuthError) as err:
        oauth.fetch_token(url + "/o/token/", authorization_response=location,
                          code_verifier=secrets.token_urlsafe(48))
    assert err.value.error == "invalid_grant"
    verifier = secrets.token_urlsafe(48)
    location = authorize(url, verifier=verifier)
    with client() as oauth:
        oauth.fetch_token(url + "/o/token/", authorization_response=location,
                          code_verifier=verifier)
        with pytest.raises(OAuthError, match="invalid_grant"):
            oauth.fetch_token(url + "/o/token/", authorization_response=location,
                              code_verifier=verifier)


def test_redirect_uri_must_match_exactly(geese):
    _, url = geese
    with client(redirect_uri=REDIRECT + "/") as oauth:
        auth_url, _ = oauth.create_authorization_url(url + "/o/authorize/", state="s")
    resp = httpx2.get(auth_url)
    assert resp.status_code == 400 and "location" not in resp.headers  # never redirects


def test_deny_redirects_with_access_denied(geese):
    _, url = geese
    location = authorize(url, allow=False, state="s9")
    params = httpx2.URL(location).params
    assert params["error"] == "access_denied" and params["state"] == "s9"


def test_refresh_rotates_and_a_replay_revokes_the_family(geese):
    world, url = geese
    with client() as oauth:
        first = oauth.fetch_token(url + "/o/token/", grant_type="password",
                                  username="fox@ganderlabs.example", password=PASSWORD)
        second = oauth.refresh_token(url + "/o/token/", refresh_token=first["refresh_token"])
        assert second["refresh_token"] != first["refresh_token"]
        with pytest.raises(OAuthError, match="invalid_grant"):
            oauth.refresh_token(url + "/o/token/", refresh_token=first["refresh_token"])
        # The replay of a spent token killed the live one too (RFC 9700 4.14.2).
        with pytest.raises(OAuthError, match="invalid_grant"):
            oauth.refresh_token(url + "/o/token/", refresh_token=second["refresh_token"])
    assert world.grants == {"password": 1, "refresh_token": 1}


def test_password_grant_checks_the_password(geese):
    _, url = geese
    with client() as oauth, pytest.raises(OAuthError):
        oauth.fetch_token(url + "/o/token/", grant_type="password",
                          username="fox@ganderlabs.example", password="wrong")


def test_revocation_and_fault_switches(geese):
    world, url = geese
    with client() as oauth:
        token = oauth.fetch_token(url + "/o/token/", grant_type="password",
                                  username="fox@ganderlabs.example", password=PASSWORD)
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    query = {"query": "{ currentUser { pk } }"}
    assert httpx2.post(url + "/graphql", json=query, headers=bearer).status_code == 200

    world.expire_access_tokens()
    assert httpx2.post(url + "/graphql", json=query, headers=bearer).status_code == 401

    world.set_faults(status=429, retry_after=7, status_times=1)
    resp = httpx2.post(url + "/graphql", json=query, headers=bearer)
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "7"
    world.set_faults(status=503, status_times=2)
    assert [httpx2.post(url + "/graphql", json=query).status_code for _ in range(3)] == \
        [503, 503, 401]

    resp = httpx2.post(url + "/o/revoke_token/", data={"token": token["refresh_token"]},
                       auth=("cid", "csecret"))
    assert resp.status_code == 200 and world.revocations == 1
    with client() as oauth, pytest.raises(OAuthError):
        oauth.refresh_token(url + "/o/token/", refresh_token=token["refresh_token"])


def test_scopes_limit_what_a_token_reads(geese):
    _, url = geese
    with OAuth2Client("cid", "csecret", scope="objective:read") as oauth:
        token = oauth.fetch_token(url + "/o/token/", grant_type="password",
                                  username="fox@ganderlabs.example", password=PASSWORD)
    assert token["scope"] == "objective:read"
    resp = httpx2.post(url + "/graphql", json={"query": "{ currentUser { pk } }"},
                       headers={"Authorization": f"Bearer {token['access_token']}"})
    assert resp.status_code == 200
    assert "permission" in resp.json()["errors"][0]["message"]


def test_configurable_expiry(geese):
    world, url = geese
    world.expires_in = 60
    with client() as oauth:
        token = oauth.fetch_token(url + "/o/token/", grant_type="password",
                                  username="fox@ganderlabs.example", password=PASSWORD)
    assert token["expires_in"] == 60
    world.clock.advance(61)
    resp = httpx2.post(url + "/graphql", json={"query": "{ currentUser { pk } }"},
                       headers={"Authorization": f"Bearer {token['access_token']}"})
    assert resp.status_code == 401


def test_profiles_by_email(geese):
    world, url = geese
    with client() as oauth:
        token = oauth.fetch_token(url + "/o/token/", grant_type="password",
                                  username="fox@ganderlabs.example", password=PASSWORD)
    query = ('query($e: String) { profiles(user_Email: $e, first: 2) { totalCount '
             'edges { node { pk fullName reportsTo { fullName } user { email } } } } }')
    resp = httpx2.post(url + "/graphql", json={"query": query,
                                               "variables": {"e": "bea@ganderlabs.example"}},
                       headers={"Authorization": f"Bearer {token['access_token']}"}).json()
    node = resp["data"]["profiles"]["edges"][0]["node"]
    assert node["fullName"] == "Bea Novak" and node["reportsTo"]["fullName"] == "Dana Ito"
    assert len(world.people) >= 8
