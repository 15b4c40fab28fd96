"""The sandbox Slack Web API (`/api/<method>`) and response URLs (`/response/<id>`).

Answers as Slack does: HTTP 200 with `{"ok": false, "error": <code>}` using the
error codes of the method reference in methods/, `missing_scope` with
`needed`/`provided`, and HTTP 429 with `Retry-After` when a rate limit is switched on.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, redirect, render_template_string, request

from bot.slack import rules
from sandbox.slack import strict
from sandbox.slack.cloud import SlackCloud
from sandbox.slack.world import Call, SlackWorld


class ApiError(Exception):
    def __init__(self, error: str, **extra: Any):
        super().__init__(error)
        self.error = error
        self.extra = extra


INSTALL_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Install geese-bot - Slack sandbox</title></head><body>
<p><em>Slack sandbox: a stand-in for slack.com.</em></p>
<h1>geese-bot is requesting permission to access a Slack workspace</h1>
<p>It asks for: {{ scope }}</p>
<form method="post" action="{{ action }}">
  <label for="team">Workspace</label>
  <select id="team" name="team">{% for w in worlds %}
    <option value="{{ w.TEAM_ID }}">{{ w.TEAM_NAME }}</option>{% endfor %}</select>
  <label for="user">Installing as</label><input id="user" name="user" value="">
  <button type="submit" name="decision" value="allow">Allow</button>
  <button type="submit" name="decision" value="cancel">Cancel</button>
</form></body></html>"""


def create_app(target: SlackWorld | SlackCloud) -> Flask:
    cloud = target if isinstance(target, SlackCloud) else SlackCloud([target])
    app = Flask("sandbox.slack")
    app.config["cloud"] = cloud

    @app.route("/api/<method>", methods=["GET", "POST"])
    def api(method: str):
        args = _arguments()
        if method == "oauth.v2.access":
            return jsonify(cloud.exchange({**args, **_basic_auth()}))
        token = _token(args)
        world, problem = cloud.world_for_token(token) if token else (cloud.worlds[0], None)
        if problem:
            status, body = 200, {"ok": False, "error": problem}
        else:
            status, body = _dispatch(world, method, args, token)
        (world or cloud.worlds[0]).record_call(Call(method, args, token, status,
                                                    bool(body.get("ok")), body.get("error")))
        resp = jsonify(body)
        resp.status_code = status
        if status == 429:
            resp.headers["Retry-After"] = str(body.pop("_retry_after", 1))
            resp.set_data(json.dumps({"ok": False, "error": "ratelimited"}))
        return resp

    @app.get("/oauth/v2/authorize")
    def authorize_page():
        oauth_app = cloud.apps.get(request.args.get("client_id", ""))
        redirect_uri = request.args.get("redirect_uri") or (
            oauth_app.redirect_urls[0] if oauth_app and oauth_app.redirect_urls else "")
        if oauth_app is None or redirect_uri not in oauth_app.redirect_urls:
            return Response("This app or redirect URL is not registered.", status=400)
        return render_template_string(INSTALL_PAGE, worlds=cloud.worlds,
                                      scope=request.args.get("scope", ""),
                                      action=request.full_path)

    @app.post("/oauth/v2/authorize")
    def authorize_decision():
        oauth_app = cloud.apps.get(request.args.get("client_id", ""))
        redirect_uri = request.args.get("redirect_uri") or (
            oauth_app.redirect_urls[0] if oauth_app and oauth_app.redirect_urls else "")
        if oauth_app is None or redirect_uri not in oauth_app.redirect_urls:
            return Response("This app or redirect URL is not registered.", status=400)
        state = request.args.get("state", "")
        if request.form.get("decision") != "allow":
            denied = urlencode({"error": "access_denied", "state": state})
            return redirect(f"{redirect_uri}?{denied}")
        world = cloud.world_by_team(request.form.get("team", ""))
        if world is None:
            return Response("Unknown workspace.", status=400)
        installer = request.form.get("user") or next(
            u for u in world.users.values() if not u.is_bot).id
        code = cloud.new_code(world, oauth_app.client_id, redirect_uri, installer)
        return redirect(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

    @app.post("/response/<rid>")
    def response_url(rid: str):
        world = cloud.world_for_response_url(rid)
        if world is None:
            return Response("invalid_url", status=404, mimetype="text/plain")
        entry, error = world.use_response_url(rid)
        if error:
            return Response(error, status=404, mimetype="text/plain")
        payload = request.get_json(silent=True) or {}
        refused = _refusal(world, "response_url", payload)
        if refused:  # Slack answers a bad payload in plain text, and shows nothing
            return Response(refused, status=400, mimetype="text/plain")
        _respond(world, entry, payload)
        return Response("ok", mimetype="text/plain")

    return app


def _arguments() -> dict[str, Any]:
    args: dict[str, Any] = dict(request.args)
    if request.is_json:
        args.update(request.get_json(silent=True) or {})
    else:
        args.update(request.form.to_dict())
    for name in ("blocks", "view", "attachments"):
        if isinstance(args.get(name), str):
            try:
                args[name] = json.loads(args[name])
            except ValueError:
                args[name] = {"_invalid": args[name]}
    return args


def _basic_auth() -> dict[str, str]:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return {}
    try:
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return {}
    return {"client_id": client_id, "client_secret": secret}


def _token(args: dict[str, Any]) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    return args.get("token")


def _dispatch(world: SlackWorld, method: str, args: dict, token: str | None):
    spec = world.specs.get(method)
    handler = METHODS.get(method)
    if spec is None or handler is None:
        return 404, {"ok": False, "error": "unknown_method"}
    if not token and method != "blocks.validate":  # Slack's validator needs no token
        return 200, {"ok": False, "error": "not_authed"}
    retry_after, failure = world.take_fault(method)
    if retry_after is None and world.over_budget(method):
        retry_after = 1
    if retry_after is not None:
        return 429, {"ok": False, "error": "ratelimited", "_retry_after": retry_after}
    if failure:
        return 200, {"ok": False, "error": failure}
    needed = spec.get("scope", {}).get("bot") or []
    if needed and not world.scopes.intersection(needed):
        return 200, {"ok": False, "error": "missing_scope", "needed": needed[0],
                     "provided": ",".join(sorted(world.scopes))}
    missing = [name for name in spec["args"].get("required") or []
               if name != "token" and args.get(name) in (None, "")]
    if missing:
        return 200, {"ok": False, "error": "invalid_arguments",
                     "response_metadata": {"messages": [f"missing required field: {m}"
                                                        for m in missing]}}
    if world.latency.get(method):  # Slack slow to answer (set by a test)
        time.sleep(world.latency[method])
    try:
        with world.lock:
            data = handler(world, args)
    except ApiError as err:
        known = spec.get("errors", {})
        if err.error not in known and err.error not in GENERIC_ERRORS:
            raise AssertionError(
                f"{method} has no error {err.error!r} in its reference"
            ) from err
        return 200, {"ok": False, "error": err.error, **err.extra}
    return 200, {"ok": True, **data}


GENERIC_ERRORS = {"invalid_arguments", "not_authed", "invalid_auth", "missing_scope",
                  "channel_not_found", "user_not_found"}


# -- helpers -------------------------------------------------------------------

def _check_message(world: SlackWorld, method: str, args: dict) -> None:
    """Refuse what Slack refuses, with Slack's error and reasons (sandbox/slack/strict.py)."""
    blocks = args.get("blocks")
    if not args.get("text") and not blocks:
        raise ApiError("no_text")
    if blocks is not None and (not isinstance(blocks, list) or any(
            not isinstance(b, dict) or "type" not in b for b in blocks)):
        world.refuse(method, ["blocks must be an array of objects with a type"])
        raise ApiError("invalid_blocks_format")
    problems = strict.message_problems(args)
    if problems:
        world.refuse(method, problems)
        raise ApiError("invalid_blocks", errors=problems,
                       response_metadata={"messages": [f"[ERROR] {p}" for p in problems]})
    if method == "chat.postMessage" and strict.blocks_text_too_long(args):
        world.refuse(method, ["the blocks hold too much text (msg_blocks_too_long)"])
        raise ApiError("msg_blocks_too_long")
    if method == "chat.update" and strict.text_too_long(args, rules.UPDATE_TEXT):
        world.refuse(method, ["text is longer than 4,000 characters"])
        raise ApiError("msg_too_long")
    if strict.text_too_long(args):
        if method == "chat.postMessage":  # Slack keeps the first 40,000 characters
            args["text"] = args["text"][:strict.limit.MESSAGE_TEXT]
        else:
            world.refuse(method, ["text is longer than 40,000 characters"])
            raise ApiError("msg_too_long")


def _check_view(world: SlackWorld, method: str, view: Any) -> dict:
    if not isinstance(view, dict) or "type" not in view:
        raise ApiError("invalid_arguments", response_metadata={"messages": ["invalid view"]})
    problems = strict.view_problems(view)
    if problems:
        world.refuse(method, problems)
        raise ApiError("invalid_arguments",
                       response_metadata={"messages": [f"[ERROR] {p}" for p in problems]})
    return view


def _resolve_channel(world: SlackWorld, channel_id: str):
    """A user ID as channel means the bot's DM with that user, as in Slack."""
    if channel_id in world.users:
        return world.im_with(channel_id)
    channel = world.channels.get(channel_id)
    if channel is None:
        raise ApiError("channel_not_found")
    return channel


# -- methods -------------------------------------------------------------------

def auth_test(world: SlackWorld, args: dict) -> dict:
    return {"url": f"https://{world.TEAM_DOMAIN}.slack.com/", "team": world.TEAM_NAME,
            "user": "geese-bot", "team_id": world.TEAM_ID, "user_id": world.BOT_USER_ID,
            "bot_id": world.BOT_ID, "is_enterprise_install": False}


def chat_post_message(world: SlackWorld, args: dict) -> dict:
    channel = _resolve_channel(world, args["channel"])
    if channel.is_archived:
        raise ApiError("is_archived")
    if world.BOT_USER_ID not in channel.members:
        raise ApiError("not_in_channel")
    _check_message(world, "chat.postMessage", args)
    ts = world.next_ts()
    world.post(kind="message", channel=channel.id, user=None, text=args.get("text"),
               blocks=args.get("blocks"), ts=ts)
    return {"channel": channel.id, "ts": ts,
            "message": {"text": args.get("text"), "ts": ts, "bot_id": world.BOT_ID}}


def chat_post_ephemeral(world: SlackWorld, args: dict) -> dict:
    channel = _resolve_channel(world, args["channel"])
    if channel.is_archived:
        raise ApiError("is_archived")
    if world.BOT_USER_ID not in channel.members:  # as for chat.postMessage
        raise ApiError("not_in_channel")
    if args["user"] not in channel.members:
        raise ApiError("user_not_in_channel")
    _check_message(world, "chat.postEphemeral", args)
    ts = world.next_ts()
    world.post(kind="ephemeral", channel=channel.id, user=args["user"], text=args.get("text"),
               blocks=args.get("blocks"), ts=ts)
    return {"message_ts": ts}


def _find_bot_message(world: SlackWorld, channel_id: str, ts: str):
    channel = _resolve_channel(world, channel_id)
    for item in reversed(world.posted):
        if item.channel == channel.id and item.ts == ts and item.kind in ("message", "update"):
            return channel, item
    raise ApiError("message_not_found")


def chat_update(world: SlackWorld, args: dict) -> dict:
    channel, original = _find_bot_message(world, args["channel"], args["ts"])
    _check_message(world, "chat.update", args)
    original.replaced = True
    world.post(kind="update", channel=channel.id, user=None, text=args.get("text"),
               blocks=args.get("blocks"), ts=original.ts)
    return {"channel": channel.id, "ts": original.ts, "text": args.get("text")}


def chat_delete(world: SlackWorld, args: dict) -> dict:
    channel, original = _find_bot_message(world, args["channel"], args["ts"])
    original.replaced = True
    return {"channel": channel.id, "ts": original.ts}


def conversations_open(world: SlackWorld, args: dict) -> dict:
    users = [u for u in str(args.get("users", "")).split(",") if u]
    if not users:
        raise ApiError("users_list_not_supplied")
    if len(users) > 1:
        raise ApiError("method_not_supported_for_channel_type")
    user = world.users.get(users[0])
    if user is None:
        raise ApiError("user_not_found")
    if user.deleted:
        raise ApiError("user_disabled")
    return {"channel": {"id": world.im_with(user.id).id}}


def conversations_info(world: SlackWorld, args: dict) -> dict:
    channel = _resolve_channel(world, args["channel"])
    return {"channel": {"id": channel.id, "name": channel.name, "is_im": channel.is_im,
                        "is_private": channel.is_private, "is_archived": channel.is_archived,
                        "is_member": world.BOT_USER_ID in channel.members,
                        "is_shared": channel.is_shared, "is_ext_shared": channel.is_ext_shared,
                        "is_org_shared": channel.is_org_shared,
                        "is_pending_ext_shared": channel.is_pending_ext_shared}}


def conversations_members(world: SlackWorld, args: dict) -> dict:
    """Paged as Slack pages it: `limit` (default 100, at most 1,000) a page, then a cursor."""
    channel = _resolve_channel(world, args["channel"])
    try:
        limit = min(max(int(args.get("limit") or 100), 1), 1000)
        start = int(base64.b64decode(args["cursor"]).decode().removeprefix("offset:")) \
            if args.get("cursor") else 0
    except ValueError:
        raise ApiError("invalid_cursor") from None
    members = sorted(channel.members)
    page = members[start:start + limit]
    more = start + limit < len(members)
    cursor = base64.b64encode(f"offset:{start + limit}".encode()).decode() if more else ""
    return {"members": page, "response_metadata": {"next_cursor": cursor}}


def users_info(world: SlackWorld, args: dict) -> dict:
    user = world.users.get(args["user"])
    if user is None:
        raise ApiError("user_not_found")
    return {"user": user.as_api(with_email="users:read.email" in world.scopes,
                                with_locale=_flag(args.get("include_locale")))}


def _flag(value: Any) -> bool:
    """A boolean argument as Slack reads it from a form or JSON: true, "true" or "1"."""
    return value is True or str(value).lower() in ("true", "1")


def users_lookup_by_email(world: SlackWorld, args: dict) -> dict:
    email = str(args["email"]).lower()
    user = next((u for u in world.users.values() if u.email == email and not u.deleted), None)
    if user is None:
        raise ApiError("users_not_found")
    return {"user": user.as_api(with_email=True)}


def team_info(world: SlackWorld, args: dict) -> dict:
    return {"team": {"id": world.TEAM_ID, "name": world.TEAM_NAME, "domain": world.TEAM_DOMAIN}}


def _store_view(world: SlackWorld, view: dict, user: str, kind: str, root_id=None) -> dict:
    vid = f"V{len(world.views) + 1:07d}"
    stored = {**view, "id": vid, "root_view_id": root_id or vid, "user": user,
              "hash": world.next_ts()}
    world.views[vid] = stored
    world.post(kind=kind, channel=None, user=user, text=None, blocks=view.get("blocks"),
               view=stored)
    return stored


def views_open(world: SlackWorld, args: dict, method: str = "views.open") -> dict:
    view = _check_view(world, method, args["view"])
    trigger = world.triggers.get(args.get("trigger_id") or "")
    error = world.take_trigger(args.get("trigger_id"))
    if error:
        raise ApiError(error)
    return {"view": _store_view(world, view, trigger.user, "view")}


def views_push(world: SlackWorld, args: dict) -> dict:
    return views_open(world, args, "views.push")


def views_update(world: SlackWorld, args: dict) -> dict:
    view = _check_view(world, "views.update", args["view"])
    old = world.views.get(args.get("view_id") or "")
    if old is None:
        raise ApiError("not_found")
    if args.get("hash") and args["hash"] != old["hash"]:
        raise ApiError("hash_conflict")
    stored = {**view, "id": old["id"], "root_view_id": old["root_view_id"], "user": old["user"],
              "hash": world.next_ts()}
    world.views[old["id"]] = stored
    world.post(kind="view", channel=None, user=old["user"], text=None,
               blocks=view.get("blocks"), view=stored)
    return {"view": stored}


def views_publish(world: SlackWorld, args: dict) -> dict:
    view = _check_view(world, "views.publish", args["view"])
    if view.get("type") != "home":
        raise ApiError("invalid_arguments", response_metadata={"messages": ["type must be home"]})
    user = args["user_id"]
    if user not in world.users:
        raise ApiError("user_not_found")
    world.homes[user] = view
    world.post(kind="home", channel=None, user=user, text=None, blocks=view.get("blocks"),
               view=view)
    return {"view": {**view, "id": "VHOME" + user}}


def blocks_validate(world: SlackWorld, args: dict) -> dict:
    """Slack's own validator: exactly one of blocks, message or view, each a JSON string;
    every failed rule comes back with its JSON pointer. Nothing is posted or recorded."""
    given = [name for name in ("blocks", "message", "view") if args.get(name) not in (None, "")]
    if len(given) != 1:
        raise ApiError("invalid_arguments", response_metadata={"messages": [
            "must provide exactly one of `blocks`, `view`, or `message`"]})
    name = given[0]
    value = args[name]
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = {"_invalid": value}
    if (isinstance(value, dict) and "_invalid" in value) or \
            len(json.dumps(value)) > VALIDATE_MOST:
        raise ApiError("invalid_arguments", response_metadata={"messages": [
            f"`{name}` must be valid JSON of at most {VALIDATE_MOST} characters"]})
    if name == "view":
        problems, error = strict.view_problems(value), "invalid_view"
    elif name == "blocks":
        problems, error = strict.message_problems({"blocks": value}), "invalid_blocks"
    elif not isinstance(value, dict):
        problems, error = [strict.Problem("json-type", "must be an object", "")], \
            "invalid_message"
    else:
        problems, error = strict.message_problems(value), "invalid_message"
    if problems:
        raise ApiError(error, errors=[p.as_error() for p in problems])
    return {}


VALIDATE_MOST = 100_000

METHODS = {
    "auth.test": auth_test,
    "blocks.validate": blocks_validate,
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.update": chat_update,
    "chat.delete": chat_delete,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
    "users.info": users_info,
    "users.lookupByEmail": users_lookup_by_email,
    "team.info": team_info,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}


def _respond(world: SlackWorld, entry, payload: dict) -> None:
    """A POST to a response URL: replace, delete, or add a message in that conversation."""
    with world.lock:
        last = next((p for p in reversed(world.posted) if p.seq in entry.messages
                     and not p.replaced), None)
        if payload.get("delete_original"):
            if last:
                last.replaced = True
            return
        if payload.get("replace_original") and last:
            last.replaced = True
        elif payload.get("replace_original") and not entry.messages:
            entry.early_replace = True
        response_type = payload.get("response_type") or (
            last.response_type if payload.get("replace_original") and last else "ephemeral")
        item = world.post(
            kind="response",
            channel=entry.channel,
            user=None if response_type == "in_channel" else entry.user,
            text=payload.get("text"),
            blocks=payload.get("blocks"),
            response_type=response_type,
        )
        entry.messages.append(item.seq)


def _refusal(world: SlackWorld, where: str, payload: dict) -> str | None:
    """Slack's error for a message payload it would not show, else None."""
    if payload.get("delete_original"):
        return None
    try:
        _check_message(world, where, dict(payload))
    except ApiError as err:
        return err.error
    return None


def record_ack(world: SlackWorld, rid: str, body: dict) -> None:
    """The HTTP answer to a slash command is shown like a response URL message."""
    entry = world.response_urls.get(rid)
    if entry is None or not (body.get("text") or body.get("blocks")):
        return
    refused = _refusal(world, "ack", body)
    if refused:  # what Slack shows the person instead of the answer
        world.post(kind="response", channel=entry.channel, user=entry.user,
                   text=f'/geese failed with the error "{refused}"', blocks=None,
                   response_type="ephemeral")
        return
    with world.lock:
        if entry.early_replace:
            item = world.post(kind="response", channel=entry.channel, user=entry.user,
                              text=body.get("text"), blocks=body.get("blocks"),
                              response_type="ephemeral", replaced=True)
            entry.messages.insert(0, item.seq)
            return
    _respond(world, entry, body)
