"""Slack itself, as far as a distributed app sees it: several workspaces behind one
API, and the OAuth install flow (`/oauth/v2/authorize`, `oauth.v2.access`) with
optional token rotation."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.slack.world import SlackWorld

ROTATION_LIFETIME = 12 * 3600  # Slack's rotating tokens live 12 hours


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str
    redirect_urls: tuple[str, ...]
    token_rotation: bool = False


@dataclass
class IssuedToken:
    world: SlackWorld
    expires_at: float | None = None
    refresh_token: str | None = None


@dataclass
class SlackCloud:
    worlds: list[SlackWorld]
    clock: Callable[[], float] = time.time
    apps: dict[str, OAuthApp] = field(default_factory=dict)
    codes: dict[str, tuple[SlackWorld, str, str]] = field(default_factory=dict)  # code -> ...
    tokens: dict[str, IssuedToken] = field(default_factory=dict)
    refresh_tokens: dict[str, SlackWorld] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    exchanges: int = 0
    rotations: int = 0

    def register_app(self, client_id: str, client_secret: str, redirect_urls,
                     *, token_rotation: bool = False) -> OAuthApp:
        app = OAuthApp(client_id, client_secret, tuple(redirect_urls), token_rotation)
        self.apps[client_id] = app
        return app

    def world_by_team(self, team_id: str) -> SlackWorld | None:
        return {w.TEAM_ID: w for w in self.worlds}.get(team_id)

    def world_for_token(self, token: str) -> tuple[SlackWorld | None, str | None]:
        """The workspace a token belongs to, or the error Slack would give."""
        for world in self.worlds:
            if token in world.revoked_tokens:
                return None, "token_revoked"
        issued = self.tokens.get(token)
        if issued is not None:
            if issued.expires_at is not None and issued.expires_at <= self.clock():
                return None, "token_expired"
            return issued.world, None
        for world in self.worlds:
            if token in world.tokens:
                return world, None
        return None, "invalid_auth"

    def world_for_response_url(self, rid: str) -> SlackWorld | None:
        return next((w for w in self.worlds if rid in w.response_urls), None)

    # -- install ------------------------------------------------------------------

    def new_code(self, world: SlackWorld, client_id: str, redirect_uri: str,
                 installer: str) -> str:
        code = secrets.token_hex(12)
        with self.lock:
            self.codes[code] = (world, client_id, redirect_uri + "|" + installer)
        return code

    def _issue(self, world: SlackWorld, app: OAuthApp) -> dict:
        token = ("xoxe.xoxb-" if app.token_rotation else "xoxb-") + \
            f"{world.TEAM_ID}-{secrets.token_hex(10)}"
        issued = IssuedToken(world)
        data: dict = {"access_token": token}
        if app.token_rotation:
            refresh = "xoxe-1-" + secrets.token_hex(16)
            issued.expires_at = self.clock() + ROTATION_LIFETIME
            issued.refresh_token = refresh
            self.refresh_tokens[refresh] = world
            data.update(refresh_token=refresh, expires_in=ROTATION_LIFETIME)
        self.tokens[token] = issued
        world.tokens.add(token)
        return data

    def exchange(self, args: dict) -> dict:
        """oauth.v2.access: a code (install) or a refresh token (rotation)."""
        with self.lock:
            app = self.apps.get(args.get("client_id") or "")
            if app is None:
                return {"ok": False, "error": "invalid_client_id"}
            if not secrets.compare_digest(args.get("client_secret") or "", app.client_secret):
                return {"ok": False, "error": "bad_client_secret"}
            if args.get("grant_type") == "refresh_token":
                world = self.refresh_tokens.pop(args.get("refresh_token") or "", None)
                if world is None:
                    return {"ok": False, "error": "invalid_refresh_token"}
                self.rotations += 1
                data = self._issue(world, app)
                return {"ok": True, "token_type": "bot", **data, "team": {"id": world.TEAM_ID},
                        "enterprise": {"id": world.ENTERPRISE_ID}
                        if world.ENTERPRISE_ID else None}
            found = self.codes.pop(args.get("code") or "", None)
            if found is None:
                return {"ok": False, "error": "invalid_code"}
            world, client_id, packed = found
            redirect_uri, installer = packed.split("|")
            if client_id != app.client_id:
                return {"ok": False, "error": "invalid_code"}
            if args.get("redirect_uri") and args["redirect_uri"] != redirect_uri:
                return {"ok": False, "error": "bad_redirect_uri"}
            self.exchanges += 1
            data = self._issue(world, app)
            return {
                "ok": True, "app_id": world.APP_ID, "token_type": "bot",
                "scope": ",".join(sorted(world.scopes)), "bot_user_id": world.BOT_USER_ID,
                "team": {"id": world.TEAM_ID, "name": world.TEAM_NAME},
                "enterprise": ({"id": world.ENTERPRISE_ID, "name": "Honk Holdings"}
                               if world.ENTERPRISE_ID else None),
                "authed_user": {"id": installer}, "is_enterprise_install": False,
                **data,
            }
