"""Redis-backed stores. Nothing here imports `bot`: the stores speak in records."""

from storage.connection import STORAGE_ERRORS, connect
from storage.crypto import Sealer
from storage.links import LinkStore
from storage.onetime import OneTimeStore
from storage.records import Link, OAuthToken, SlackIdentity

__all__ = [
    "STORAGE_ERRORS",
    "Link",
    "LinkStore",
    "OAuthToken",
    "OneTimeStore",
    "Sealer",
    "SlackIdentity",
    "connect",
]
