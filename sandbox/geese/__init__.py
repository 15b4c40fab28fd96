"""A sandbox 7Geese: OAuth2 (authlib's server), a GraphQL subset and REST v2."""

from sandbox.geese.seed import PASSWORD, Person, seed_people
from sandbox.geese.server import create_app
from sandbox.geese.world import World

__all__ = ["PASSWORD", "Person", "World", "create_app", "seed_people"]
