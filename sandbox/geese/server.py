"""The sandbox 7Geese as a Flask app: `/o/` OAuth2, `/graphql`, `/api/v/2.0/`, `/_sandbox/`."""

from __future__ import annotations

import logging
import time

from authlib.oauth2 import OAuth2Error
from flask import Flask, Response, g, jsonify, render_template_string, request

from sandbox.geese import graphql_api, rest_api
from sandbox.geese.oauth import GeeseAuthorizationServer, resource_protector
from sandbox.geese.world import World

# Paths the fault switches apply to: everything the bot calls, not the consent page.
FAULTY_PREFIXES = ("/graphql", "/api/", "/o/token/", "/o/revoke_token/")

CONSENT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Authorize {{ client.name }} - 7Geese sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}
button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}</style></head>
<body>
<p><em>7Geese sandbox: a stand-in for app.7geese.com.</em></p>
<h1>Allow {{ client.name }} to use your 7Geese account?</h1>
<p>It asks for: <strong>{{ scope }}</strong>.</p>
<form method="post" action="{{ action }}">
  <label for="user">Signed in as</label>
  <select id="user" name="user">
  {% for p in people %}<option value="{{ p.pk }}">{{ p.full_name }} ({{ p.email }})</option>
  {% endfor %}</select>
  <p><button type="submit" name="decision" value="authorize">Authorize</button>
  <button type="submit" name="decision" value="deny">Deny</button></p>
</form>
</body></html>"""

ERROR_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Authorization error - 7Geese sandbox</title></head><body>
<h1>This authorization request is not valid</h1><p>{{ error }}: {{ description }}</p>
</body></html>"""


def create_app(world: World | None = None) -> Flask:
    world = world or World()
    # authlib's server grants log issued tokens at DEBUG; a sandbox is no excuse.
    logging.getLogger("authlib.oauth2.rfc6749.grants").setLevel(logging.INFO)
    app = Flask("sandbox.geese")
    app.config["world"] = world
    server = GeeseAuthorizationServer(app, world)
    protector = resource_protector(world)

    @app.before_request
    def apply_faults():
        if not request.path.startswith(FAULTY_PREFIXES):
            return None
        body = request.get_json(silent=True) if request.is_json else None
        operation = body.get("operationName") if isinstance(body, dict) else None
        gate = world.gates.get(operation) if operation else None
        if gate is not None:
            gate.pass_through()
        latency, status, retry_after, malformed = world.take_fault(request.path, request.method,
                                                                  operation)
        g.latency = latency
        if status is not None and world.faults.status_after:
            g.status_after = status  # the work is done first; the answer is the error
            return None
        if status is not None:
            time.sleep(latency)
            g.latency = 0.0
            resp = jsonify(detail=f"Sandbox fault: HTTP {status}")
            resp.status_code = status
            if status == 429 and retry_after is not None:
                resp.headers["Retry-After"] = str(retry_after)
            return resp
        if malformed:
            return Response("<html>502 Bad Gateway</html>", status=200, mimetype="text/html")
        return None

    @app.after_request
    def record(resp):
        # Slow answers come after the work is done: a client that gives up early
        # does not know whether 7Geese acted.
        if g.get("latency"):
            time.sleep(g.latency)
        if g.get("status_after"):
            resp = jsonify(detail=f"Sandbox fault: HTTP {g.status_after} after the work")
            resp.status_code = g.status_after
        with world.lock:
            world.requests.append((request.method, request.path, resp.status_code))
            world.finished.append((request.method, request.path, time.monotonic()))
        return resp

    # -- OAuth2 ----------------------------------------------------------------

    @app.errorhandler(OAuth2Error)
    def invalid_authorization_request(err: OAuth2Error):
        # Never redirect on a bad client or redirect URI: show the error here.
        return render_template_string(ERROR_PAGE, error=err.error,
                                      description=err.description), 400

    @app.get("/o/authorize/")
    def authorize_page():
        grant = server.get_consent_grant(end_user=None)
        people = sorted(world.people.values(), key=lambda p: p.pk)
        return render_template_string(
            CONSENT_PAGE,
            client=grant.client,
            scope=grant.request.scope or "all",
            people=people,
            action=request.full_path,
        )

    @app.post("/o/authorize/")
    def authorize_decision():
        user = None
        if request.form.get("decision") == "authorize":
            raw = request.form.get("user", "")
            user = world.person(int(raw)) if raw.isdigit() else None
        grant = server.get_consent_grant(end_user=user)
        return server.create_authorization_response(grant_user=user, grant=grant)

    @app.post("/o/token/")
    def token():
        refused = world.refresh_error
        if refused and request.form.get("grant_type") == "refresh_token":
            return jsonify(error=refused), 400  # as django-oauth-toolkit answers
        return server.create_token_response()

    @app.post("/o/revoke_token/")
    def revoke_token():
        return server.create_endpoint_response("revocation")

    # -- API -------------------------------------------------------------------

    def bearer():
        """The token of this request, or a DRF-style 401 response."""
        try:
            return protector.acquire_token(), None
        except OAuth2Error:
            resp = jsonify(detail="Authentication credentials were not provided or are invalid.")
            resp.status_code = 401
            resp.headers["WWW-Authenticate"] = 'Bearer realm="api"'
            return None, resp

    @app.post("/graphql")
    def graphql():
        token, denied = bearer()
        if denied:
            return denied
        body = request.get_json(silent=True) or {}
        if not isinstance(body.get("query"), str):
            return jsonify(errors=[{"message": "Must provide query string."}]), 400
        ctx = graphql_api.Context(world, request.host_url, token.user_pk, token.scope)
        with world.lock:  # who asked when, for a benchmark's per-company request rate
            world.graphql_log.append((time.time(), token.user_pk))
        result = graphql_api.execute(
            ctx, body["query"], body.get("variables"), body.get("operationName")
        )
        return jsonify(result)

    rest_api.register(app, world, bearer)

    # -- control (tests, playground, benchmarks) -------------------------------

    @app.post("/_sandbox/faults")
    def set_faults():
        world.set_faults(**(request.get_json(silent=True) or {}))
        return jsonify(ok=True)

    @app.delete("/_sandbox/faults")
    def clear_faults():
        world.clear_faults()
        return jsonify(ok=True)

    @app.post("/_sandbox/revoke")
    def revoke_user():
        person = world.person_by_email(request.get_json(force=True)["email"])
        return jsonify(revoked=world.revoke_user_tokens(person.pk) if person else 0)

    @app.post("/_sandbox/expire")
    def expire():
        email = (request.get_json(silent=True) or {}).get("email")
        person = world.person_by_email(email) if email else None
        return jsonify(expired=world.expire_access_tokens(person.pk if person else None))

    @app.get("/_sandbox/stats")
    def stats():
        return jsonify(grants=dict(world.grants), revocations=world.revocations)

    return app
