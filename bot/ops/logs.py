"""Logging set-up: text or JSON lines, quiet HTTP libraries, and no secret ever printed.

With LOG_FORMAT=json each line is one JSON object: time, level, logger, message, and
where known the Slack workspace, user and request (set per request in `context`, and
carried into the work a request starts), plus the traceback. Redaction applies to the
whole line either way.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from datetime import UTC, datetime

from bot.config import Settings

# Whatever a library prints: Slack tokens (bot, user, rotated, app-level), and the
# single-use values that travel in URLs (link tickets, OAuth codes and states).
TOKEN = re.compile(r"\b(?:xox[a-z]?(?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+")
URL_SECRET = re.compile(r"\b((?:ticket|code|state|refresh_token|access_token)=)[^&\s\"'<>]+")
# The same names as keys of a dict or JSON object ({'access_token': '...'}, "code": "...").
KEY_SECRET = re.compile(r"""(['"](?:ticket|code|state|refresh_token|access_token|client_secret|"""
                        r"""token|response_url)['"]\s*:\s*['"])[^'"]+""")
# A response URL or incoming webhook is a credential: anyone holding it can post.
HOOK_URL = re.compile(r"\bhttps?://hooks\.slack\.com/[^\s\"'<>]+")
# Loggers that print whole requests and answers at DEBUG.
SLACK_LIBRARIES = ("slack_sdk", "slack_bolt", "geese_bot.bolt")
HTTP_LIBRARIES = ("httpx2", "httpcore2", "httpx", "httpcore", "werkzeug", "urllib3", "authlib")


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    text = TOKEN.sub("[redacted]", text)
    text = HOOK_URL.sub("[redacted]", text)
    text = KEY_SECRET.sub(r"\1[redacted]", text)
    return URL_SECRET.sub(r"\1[redacted]", text)


# What a log line says about the request it belongs to: workspace, user, request id.
context: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "log_context", default=None)


def add_context(**fields: str | None) -> None:
    """Name the workspace, user or request of the lines logged from here on."""
    context.set({**(context.get() or {}), **{k: v for k, v in fields.items() if v}})


class RedactingFormatter(logging.Formatter):
    """Defence in depth: our code never logs a secret, and this makes sure that a
    library's message or a traceback cannot either (the whole line is redacted,
    exception text included)."""

    def __init__(self, fmt: str, secrets: list[str]):
        super().__init__(fmt)
        self._secrets = sorted({s for s in secrets if s and len(s) >= 8}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


class JsonFormatter(RedactingFormatter):
    """One JSON object a line (LOG_FORMAT=json), redacted like the text lines."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(),
                "level": record.levelname, "logger": record.name,
                "message": record.getMessage(), **(context.get() or {})}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(line, ensure_ascii=False), self._secrets)


def settings_secrets(settings: Settings) -> list[str]:
    """Every secret setting (a new one belongs here: tests check every field)."""
    return [
        settings.slack_bot_token or "",
        settings.slack_signing_secret or "",
        settings.slack_app_token or "",
        settings.slack_client_secret or "",
        settings.geese_client_secret,
        settings.redis_url or "",
        settings.metrics_token or "",
        *settings.token_encryption_keys,
    ]


def setup_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    formatter = JsonFormatter if settings.log_format == "json" else RedactingFormatter
    handler.setFormatter(formatter("%(asctime)s %(levelname)s %(name)s: %(message)s",
                                   settings_secrets(settings)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # These log full URLs (query strings carry link tickets and OAuth codes).
    for noisy in HTTP_LIBRARIES:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    slack_debug = settings.log_level == "DEBUG" and settings.log_slack_sdk
    for library in SLACK_LIBRARIES:
        logging.getLogger(library).setLevel(logging.DEBUG if slack_debug else logging.WARNING)
