"""Settings: one frozen object built from the environment, checked once at start.

A missing or malformed variable raises `ConfigError` whose message is one line
naming the variable and what is wrong, never its value.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

from bot.i18n import LANGUAGES

Role = Literal["serve", "socket", "clock", "worker", "status", "shell", "sandbox",
               "check-blocks"]

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_GEESE_BASE_URL = "https://app.7geese.com"
DEFAULT_PUBLIC_URL = "http://localhost:3000"

# Which variables each process cannot start without. SLACK_BOT_TOKEN may be replaced
# by SLACK_CLIENT_ID + SLACK_CLIENT_SECRET (multi-workspace mode).
REQUIRED: dict[str, tuple[str, ...]] = {
    "serve": ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "GEESE_CLIENT_ID",
              "GEESE_CLIENT_SECRET", "REDIS_URL", "TOKEN_ENCRYPTION_KEY"),
    "socket": ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "GEESE_CLIENT_ID",
               "GEESE_CLIENT_SECRET", "REDIS_URL", "TOKEN_ENCRYPTION_KEY"),
    "clock": ("SLACK_BOT_TOKEN", "GEESE_CLIENT_ID", "GEESE_CLIENT_SECRET",
              "REDIS_URL", "TOKEN_ENCRYPTION_KEY"),
    "worker": ("SLACK_BOT_TOKEN", "GEESE_CLIENT_ID", "GEESE_CLIENT_SECRET",
               "REDIS_URL", "TOKEN_ENCRYPTION_KEY"),
    "status": ("REDIS_URL",),
    "shell": (),
    "sandbox": (),
    "check-blocks": (),  # Slack's blocks.validate needs no token; SLACK_BOT_TOKEN if set
}
OAUTH_PAIR = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


class ConfigError(Exception):
    def __init__(self, variable: str, problem: str):
        self.variable = variable
        self.problem = problem
        super().__init__(f"{variable} {problem}")


@dataclass(frozen=True)
class Settings:
    geese_client_id: str
    geese_client_secret: str = field(repr=False)
    token_encryption_keys: tuple[str, ...] = field(repr=False)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    geese_base_url: str = DEFAULT_GEESE_BASE_URL
    geese_scopes: str = "all"
    public_url: str = DEFAULT_PUBLIC_URL
    redis_url: str | None = field(default=None, repr=False)  # may carry a password
    # rediss://: verify against this CA bundle (managed Redis with its own CA); turning
    # verification off (REDIS_TLS_VERIFY=false) is for providers that give no CA.
    redis_ca_cert: str | None = None
    redis_tls_verify: bool = True
    port: int = 3000
    # Refuse to link a 7Geese account whose email differs from the Slack user's.
    link_require_same_email: bool = True
    # Only 7Geese accounts with an email in one of these domains may link (empty: any).
    geese_email_domains: tuple[str, ...] = ()
    log_level: str = "INFO"
    # slack_sdk and slack_bolt log request and response bodies (bot tokens, link URLs) at
    # DEBUG: only with LOG_LEVEL=DEBUG and this too.
    log_slack_sdk: bool = False
    # Messages per second this process posts to Slack (nudges, cards); a 429 pauses all.
    slack_post_rate: float = 4.0
    # 7Geese requests per second per 7Geese company, shared by every process.
    geese_rate: float = 10.0
    # At most this many 7Geese reads for one channel reminder's count (the rest of the
    # members are counted from what the bot saw lately, or left out).
    reminder_count_reads: int = 50
    # Jobs one worker process runs side by side (they mostly wait on 7Geese and Slack).
    worker_threads: int = 16
    # `text` or `json` (one JSON object a line).
    log_format: str = "text"
    # A bearer token /metrics requires, when set.
    metrics_token: str | None = field(default=None, repr=False)
    # Where the clock and workers serve /metrics (unset: they don't).
    metrics_port: int | None = None
    # Multi-workspace mode (Slack OAuth install) when both are set.
    slack_client_id: str | None = None
    slack_client_secret: str | None = field(default=None, repr=False)
    slack_token_rotation: bool = False
    # The language of people whose Slack is in none the bot speaks (README, Languages).
    default_language: str = "en"

    @property
    def multi_workspace(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def slack_install_redirect_uri(self) -> str:
        return self.public_url + "/slack/oauth_redirect"

    @property
    def slack_authorize_url(self) -> str:
        """Slack's OAuth page, next to its Web API (a sandbox has both)."""
        return self.slack_api_url.rstrip("/").removesuffix("/api") + "/oauth/v2/authorize"

    @property
    def redirect_uri(self) -> str:
        return self.public_url + "/link/7geese/callback"

    @property
    def link_start_url(self) -> str:
        return self.public_url + "/link/7geese/start"

    def redis(self):
        """A Redis client for these settings."""
        from storage import connect

        return connect(self.redis_url, ca_cert=self.redis_ca_cert,
                       tls_verify=self.redis_tls_verify)

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @classmethod
    def from_env(cls, role: Role, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        given = [n for n in OAUTH_PAIR if env.get(n, "").strip()]
        if len(given) == 1:
            missing = next(n for n in OAUTH_PAIR if n not in given)
            raise ConfigError(missing, f"is not set (needed with {given[0]} for installing "
                                       "in many workspaces)")
        multi = len(given) == 2
        for name in REQUIRED[role]:
            if name == "SLACK_BOT_TOKEN" and multi:
                continue  # each workspace's token comes from its installation
            if not env.get(name, "").strip():
                raise ConfigError(name, f"is not set (required for `geese-bot {role}`)")

        return cls(
            slack_bot_token=_prefixed(env, "SLACK_BOT_TOKEN", ("xoxb-",)),
            slack_signing_secret=_optional(env, "SLACK_SIGNING_SECRET"),
            slack_app_token=_prefixed(env, "SLACK_APP_TOKEN", ("xapp-",)),
            slack_api_url=_url(env, "SLACK_API_URL", DEFAULT_SLACK_API_URL, trailing_slash=True),
            geese_base_url=_url(env, "GEESE_BASE_URL", DEFAULT_GEESE_BASE_URL),
            geese_client_id=_optional(env, "GEESE_CLIENT_ID") or "",
            geese_client_secret=_optional(env, "GEESE_CLIENT_SECRET") or "",
            geese_scopes=_scopes(env),
            public_url=_url(env, "PUBLIC_URL", DEFAULT_PUBLIC_URL),
            redis_url=_redis_url(env),
            redis_ca_cert=_ca_cert(env),
            redis_tls_verify=_bool(env, "REDIS_TLS_VERIFY", True),
            token_encryption_keys=_fernet_keys(env),
            port=_port(env),
            link_require_same_email=_bool(env, "LINK_REQUIRE_SAME_EMAIL", True),
            geese_email_domains=_domains(env, "GEESE_EMAIL_DOMAINS"),
            log_level=_log_level(env),
            log_slack_sdk=_bool(env, "LOG_SLACK_SDK", False),
            slack_post_rate=_rate(env),
            geese_rate=_rate(env, "GEESE_RATE", "10", "requests"),
            reminder_count_reads=_count(env, "REMINDER_COUNT_READS", 50),
            worker_threads=max(1, _count(env, "WORKER_THREADS", 16)),
            log_format=_choice(env, "LOG_FORMAT", ("text", "json"), "text"),
            metrics_token=_optional(env, "METRICS_TOKEN"),
            metrics_port=_port(env, "METRICS_PORT", None),
            slack_client_id=_optional(env, "SLACK_CLIENT_ID"),
            slack_client_secret=_optional(env, "SLACK_CLIENT_SECRET"),
            slack_token_rotation=_bool(env, "SLACK_TOKEN_ROTATION", False),
            default_language=_choice(env, "DEFAULT_LANGUAGE", LANGUAGES, "en"),
        )


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _domains(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Comma-separated domains, compared exactly (a subdomain is another domain)."""
    value = _optional(env, name)
    if value is None:
        return ()
    found = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    bad = [d for d in found if not DOMAIN.match(d)]
    if bad or not found:
        raise ConfigError(name, "must be domains separated by commas, like "
                                "ganderlabs.com,ganderlabs.co.uk")
    return found


def _prefixed(env: Mapping[str, str], name: str, prefixes: tuple[str, ...]) -> str | None:
    value = _optional(env, name)
    if value is not None and not value.startswith(prefixes):
        raise ConfigError(name, f"must start with {' or '.join(prefixes)}")
    return value


def _url(env: Mapping[str, str], name: str, default: str, *, trailing_slash: bool = False) -> str:
    value = _optional(env, name) or default
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(name, "must be an http:// or https:// URL with a host")
    if parts.query or parts.fragment:
        raise ConfigError(name, "must not have a query string or fragment")
    value = value.rstrip("/")
    return value + "/" if trailing_slash else value


def _redis_url(env: Mapping[str, str]) -> str | None:
    value = _optional(env, "REDIS_URL")
    schemes = ("redis", "rediss", "unix", "redis+sentinel")
    if value is not None and urlsplit(value).scheme not in schemes:
        raise ConfigError("REDIS_URL", "must start with redis://, rediss://, unix:// or "
                                       "redis+sentinel://")
    if value is not None and value.startswith("redis+sentinel://") and \
            not urlsplit(value).path.strip("/"):
        raise ConfigError("REDIS_URL", "names no service: redis+sentinel://host:port/service")
    return value


def _ca_cert(env: Mapping[str, str]) -> str | None:
    value = _optional(env, "REDIS_CA_CERT")
    if value is not None and not os.path.isfile(value):
        raise ConfigError("REDIS_CA_CERT", "is not a readable file (a PEM bundle of the CAs "
                                           "that sign your Redis server's certificate)")
    return value


def _fernet_keys(env: Mapping[str, str]) -> tuple[str, ...]:
    raw = _optional(env, "TOKEN_ENCRYPTION_KEY")
    if raw is None:
        return ()
    keys = tuple(_as_fernet_key(part.strip()) for part in raw.split(",") if part.strip())
    for position, candidate in enumerate(keys, start=1):
        try:
            Fernet(candidate)
        except (ValueError, TypeError):
            raise ConfigError(
                "TOKEN_ENCRYPTION_KEY",
                f"key {position} of {len(keys)} is not a Fernet key "
                "(make one with `geese-bot keygen`)",
            ) from None
    return keys


def _as_fernet_key(value: str) -> str:
    """A Fernet key as given, or one derived from 64 hex characters (256 random bits:
    what Heroku's `"generator": "secret"` makes for app.json)."""
    if len(value) == 64 and all(c in "0123456789abcdef" for c in value.lower()):
        return base64.urlsafe_b64encode(bytes.fromhex(value)).decode()
    return value


def _scopes(env: Mapping[str, str]) -> str:
    value = _optional(env, "GEESE_SCOPES") or "all"
    scopes = value.split()
    for scope in scopes:
        if not all(c.isalnum() or c in ":_-" for c in scope):
            raise ConfigError("GEESE_SCOPES", "must be space-separated scope names like `all`")
    return " ".join(scopes)


def _port(env: Mapping[str, str], name: str = "PORT", default: str | None = "3000"):
    raw = _optional(env, name) or default
    if raw is None:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(name, "must be a number between 1 and 65535")
    return int(raw)


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _optional(env, name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(name, "must be true or false")


def _rate(env: Mapping[str, str], name: str = "SLACK_POST_RATE", default: str = "4",
          what: str = "messages") -> float:
    raw = _optional(env, name) or default
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if not 0 < value <= 1000:
        raise ConfigError(name, f"must be a number of {what} per second, above 0 and at "
                                "most 1000")
    return value


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    value = (_optional(env, name) or default).lower()
    if value not in choices:
        raise ConfigError(name, "must be " + " or ".join(choices))
    return value


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = _optional(env, name)
    if raw is None:
        return default
    if not raw.isdigit() or not 0 <= int(raw) <= 100_000:
        raise ConfigError(name, "must be a whole number from 0 to 100000")
    return int(raw)


def _log_level(env: Mapping[str, str]) -> str:
    value = (_optional(env, "LOG_LEVEL") or "INFO").upper()
    if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError("LOG_LEVEL", "must be DEBUG, INFO, WARNING or ERROR")
    return value
