"""Logging set-up: one format, quiet HTTP libraries, and no secret ever printed."""

from __future__ import annotations

import logging

from bot.config import Settings


class RedactSecrets(logging.Filter):
    """Defence in depth: our code never logs a secret, and this filter makes sure a
    library's message or traceback cannot either."""

    def __init__(self, secrets: list[str]):
        super().__init__()
        self._secrets = [s for s in secrets if s and len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self._secrets:
            redacted = redacted.replace(secret, "[redacted]")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def settings_secrets(settings: Settings) -> list[str]:
    return [
        settings.slack_bot_token or "",
        settings.slack_signing_secret or "",
        settings.slack_app_token or "",
        settings.geese_client_secret,
        *settings.token_encryption_keys,
    ]


def setup_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(settings_secrets(settings)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # These log full URLs (query strings carry link tickets and OAuth codes).
    for noisy in ("httpx2", "httpcore2", "httpx", "httpcore", "werkzeug", "urllib3", "authlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
