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


def password_token(url, email="fox@ganderlabs.example", scope="all"):
    with OAuth2Client("cid", "csecret", scope=scope) as oauth:
        token = oauth.fetch_token(url + "/o/token/", grant_type="password",
                                  username=email, password=PASSWORD)
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_recognitions_rest_create_validate_and_list(geese):
    world, url = geese
    fox = password_token(url)
    api = url + "/api/v/2.0"
    created = httpx2.post(api + "/recognitions/", headers=fox, json={
        "recipient": api + "/userprofiles/104/", "badge": api + "/badges/4/",
        "message": "Pairing all week"})
    assert created.status_code == 201
    body = created.json()
    assert body["recognition_url"].endswith("/recognition/1/")
    assert body["creator"]["user"]["first_name"] == "Fox" and body["badge"].endswith("/4/")

    bad = httpx2.post(api + "/recognitions/", headers=fox, json={
        "recipient": api + "/userprofiles/999/", "badge": api + "/badges/7/", "message": " "})
    assert bad.status_code == 400
    assert bad.json() == {"recipient": ["Invalid hyperlink - Object does not exist."],
                          "badge": ["This badge is no longer available."],
                          "message": ["This field may not be blank."]}
    self_given = httpx2.post(api + "/recognitions/", headers=fox, json={
        "recipient": api + "/userprofiles/103/", "message": "me"})
    assert self_given.json() == {"non_field_errors": ["You cannot recognize yourself."]}

    for i in range(4):
        httpx2.post(api + "/recognitions/", headers=fox, json={
            "recipient": api + "/userprofiles/102/", "message": f"#{i}"})
    page = httpx2.get(api + "/recognitions/?limit=2&offset=0", headers=fox).json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["previous"] is None
    following = httpx2.get(page["next"], headers=fox).json()
    assert following["results"][0]["message"] == "#1" and following["previous"]
    today = world.recognitions[0].created.date().isoformat()
    assert httpx2.get(api + f"/recognitions/?created__date={today}",
                      headers=fox).json()["count"] == 5
    assert httpx2.get(api + "/recognitions/?created__date=2001-01-01",
                      headers=fox).json()["count"] == 0
    assert httpx2.get(api + "/badges/4/", headers=fox).json()["name"] == "Teamwork"
    assert httpx2.get(api + "/badges/99/", headers=fox).status_code == 404


def test_recognition_needs_its_scope(geese):
    _, url = geese
    reader = password_token(url, scope="recognition:read")
    api = url + "/api/v/2.0"
    resp = httpx2.post(api + "/recognitions/", headers=reader, json={
        "recipient": api + "/userprofiles/104/", "message": "hi"})
    assert resp.status_code == 403
    assert httpx2.get(api + "/recognitions/", headers=reader).status_code == 200


def test_graphql_badges_and_recognitions(geese):
    world, url = geese
    world.add_recognition(103, 104, 1, "first")
    world.add_recognition(102, 104, None, "second")
    fox = password_token(url)
    query = """query($r: Int) {
      badges(first: 100) { edges { node { pk name active } } }
      recognitions(recipientId: $r, senderId: 103, orderBy: "-awarded_date", first: 5) {
        totalCount edges { node { message sender { fullName } badge { name } } } } }"""
    data = httpx2.post(url + "/graphql", headers=fox,
                       json={"query": query, "variables": {"r": 104}}).json()["data"]
    assert [n["node"]["active"] for n in data["badges"]["edges"]].count(False) == 1
    assert data["recognitions"]["totalCount"] == 1
    node = data["recognitions"]["edges"][0]["node"]
    assert node == {"message": "first", "sender": {"fullName": "Fox Adeyemi"},
                    "badge": {"name": "Ownership"}}


def test_faults_can_target_one_path_and_skip_requests(geese):
    world, url = geese
    fox = password_token(url)
    world.set_faults(status=503, skip=1, path="/api/v/2.0/recognitions/", method="POST")
    api = url + "/api/v/2.0"
    body = {"recipient": api + "/userprofiles/104/", "message": "hi"}
    assert httpx2.post(api + "/recognitions/", headers=fox, json=body).status_code == 201
    assert httpx2.post(api + "/recognitions/", headers=fox, json=body).status_code == 503
    assert httpx2.get(api + "/recognitions/", headers=fox).status_code == 200


def test_objectives_graphql_checkin_and_rest(geese):
    world, url = geese
    dana = password_token(url, "dana@ganderlabs.example")
    query = """{ currentUser { ownedObjectives(closed: false, first: 50) { totalCount
      edges { node { pk name progress lastCheckin { created }
        keyResults(first: 25) { edges { node { pk measurementType currentValue } } } } } } } }"""
    data = httpx2.post(url + "/graphql", headers=dana, json={"query": query}).json()["data"]
    owned = data["currentUser"]["ownedObjectives"]
    assert owned["totalCount"] == 2  # the closed one is left out
    first = owned["edges"][0]["node"]
    assert first["name"] == "Ship the billing migration" and first["progress"] == 32.5
    krs = [e["node"] for e in first["keyResults"]["edges"]]
    assert [k["measurementType"] for k in krs] == [1, 2, 7]

    mutation = """mutation($o: Int!, $krs: [KeyResultInputNode]) {
      createCheckin(objectivePk: $o, message: "On it", assessmentStatus: 1, keyResults: $krs) {
        checkin { pk message status } objective { progress lastCheckin { message } } } }"""
    ok = httpx2.post(url + "/graphql", headers=dana, json={"query": mutation, "variables": {
        "o": 1, "krs": [{"pk": krs[0]["pk"], "currentValue": 100},
                        {"pk": krs[2]["pk"], "currentValue": 1}]}}).json()
    assert ok["data"]["createCheckin"]["objective"]["lastCheckin"]["message"] == "On it"
    assert world.objectives[1].key_results[0].current == 100
    refused = httpx2.post(url + "/graphql", headers=dana, json={"query": mutation, "variables": {
        "o": 1, "krs": [{"pk": krs[2]["pk"], "currentValue": 0.5}]}}).json()
    assert refused["data"]["createCheckin"] is None
    assert "takes 0 or 1" in refused["errors"][0]["message"]
    others = httpx2.post(url + "/graphql", headers=dana, json={"query": mutation, "variables": {
        "o": 3, "krs": []}}).json()
    assert "permission" in others["errors"][0]["message"]

    listing = httpx2.get(url + "/api/v/2.0/objectives/?limit=5", headers=dana).json()
    assert listing["count"] == 11 and len(listing["results"]) == 5 and listing["next"]
    assert all(not o["private"] for o in listing["results"])  # Ada's private one is hidden
    mine = httpx2.get(url + "/api/v/2.0/objectives/?owner=102&closed=false", headers=dana)
    assert [o["id"] for o in mine.json()["results"]] == [1, 2]
