"""The sandbox's OAuth2 server, assembled from authlib's server components.

Authorization code with PKCE (S256), refresh with rotation (the old refresh token
dies; replaying it revokes the family), the password grant, RFC 7009 revocation,
exact redirect-URI matching and a configurable `expires_in`.
"""

from __future__ import annotations

import secrets

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge

from sandbox.geese.world import AuthCode, World

CLIENT_AUTH = ["client_secret_basic", "client_secret_post"]


class GeeseAuthorizationServer(AuthorizationServer):
    def __init__(self, app, world: World):
        self.world = world
        super().__init__(
            app,
            query_client=lambda client_id: world.clients.get(client_id),
            save_token=self._save,
        )
        self.scopes_supported = None
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=lambda **_: secrets.token_urlsafe(32),
                refresh_token_generator=lambda **_: secrets.token_urlsafe(36),
                expires_generator=lambda client, grant_type: world.expires_in,
            ),
        )
        self.register_grant(CodeGrant, [CodeChallenge(required=False)])
        self.register_grant(RefreshGrant)
        self.register_grant(PasswordGrant)
        self.register_endpoint(Revocation)

    def _save(self, token: dict, request) -> None:
        self.world.save_token(
            token,
            client_id=request.client.client_id,
            user_pk=request.user.pk,
            grant_type=request.form.get("grant_type", ""),
        )


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH

    def save_authorization_code(self, code, request):
        world: World = self.server.world
        data = request.payload.data
        world.save_code(
            AuthCode(
                code=code,
                client_id=request.client.client_id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope,
                user_pk=request.user.pk,
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                created_at=world.clock(),
            )
        )

    def query_authorization_code(self, code, client):
        return self.server.world.take_code(code, client.client_id)

    def delete_authorization_code(self, authorization_code):
        self.server.world.delete_code(authorization_code)

    def authenticate_user(self, authorization_code):
        return self.server.world.person(authorization_code.user_pk)


class RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH

    @property
    def INCLUDE_NEW_REFRESH_TOKEN(self) -> bool:  # authlib names it so
        # A server that does not rotate answers without a refresh_token (RFC 6749 6).
        return self.server.world.rotate_refresh

    def authenticate_refresh_token(self, refresh_token):
        world: World = self.server.world
        token = world.token_by_refresh(refresh_token)
        if token is None:
            return None
        if token.refresh_revoked:
            if token.rotated:
                world.replayed(token)
            return None
        return token

    def authenticate_user(self, refresh_token):
        return self.server.world.person(refresh_token.user_pk)

    def revoke_old_credential(self, refresh_token):
        world: World = self.server.world
        if world.rotate_refresh:
            world.rotate_out(refresh_token)
        else:  # the old access token goes; the refresh token stays good
            refresh_token.access_revoked = True


class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH

    def authenticate_user(self, username, password):
        return self.server.world.check_password(username, password)


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = CLIENT_AUTH

    def query_token(self, token_string, token_type_hint):
        world: World = self.server.world
        if token_type_hint == "refresh_token":
            return world.token_by_refresh(token_string) or world.token_by_access(token_string)
        return world.token_by_access(token_string) or world.token_by_refresh(token_string)

    def revoke_token(self, token, request):
        self.server.world.revoke(token)


class _Bearer(BearerTokenValidator):
    def __init__(self, world: World):
        super().__init__()
        self.world = world

    def authenticate_token(self, token_string):
        return self.world.token_by_access(token_string)


def resource_protector(world: World) -> ResourceProtector:
    protector = ResourceProtector()
    protector.register_token_validator(_Bearer(world))
    return protector
