"""The 7Geese client: OAuth2 (authlib over httpx2), GraphQL and REST v2, typed errors,
every GraphQL document (documents.py), the per-company budget and the write outbox."""

from bot.geese.client import GeeseApi, GeeseClient, UserSession
from bot.geese.credentials import Credentials
from bot.geese.errors import (
    GeeseError,
    Invalid,
    LinkBroken,
    NotFound,
    NotLinked,
    RateLimited,
    Unavailable,
)
from bot.geese.models import Profile
from bot.geese.oauth import GeeseOAuth

__all__ = [
    "Credentials",
    "GeeseApi",
    "GeeseClient",
    "GeeseError",
    "GeeseOAuth",
    "Invalid",
    "LinkBroken",
    "NotFound",
    "NotLinked",
    "Profile",
    "RateLimited",
    "Unavailable",
    "UserSession",
]
