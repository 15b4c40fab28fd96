"""The seeded company: Gander Labs, a fictional 10-person team across timezones.

Every seeded person signs in to the sandbox with the password below (the
resource-owner password grant is supported for scripts, as 7Geese's own API
example uses it; the bot never does).
"""

from __future__ import annotations

from dataclasses import dataclass

DOMAIN = "ganderlabs.example"
PASSWORD = "honk-honk"


@dataclass(frozen=True)
class Person:
    pk: int
    first_name: str
    last_name: str
    handle: str
    position: str
    timezone: str
    manager_pk: int | None

    @property
    def email(self) -> str:
        return f"{self.handle}@{DOMAIN}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class SeedBadge:
    pk: int
    name: str
    active: bool = True


def seed_badges() -> list[SeedBadge]:
    """Gander Labs' company values. A deleted badge stays in 7Geese as inactive."""
    return [
        SeedBadge(1, "Ownership"),
        SeedBadge(2, "Go the Extra Mile"),
        SeedBadge(3, "Customer Obsession"),
        SeedBadge(4, "Teamwork"),
        SeedBadge(5, "Learn and Grow"),
        SeedBadge(6, "Kindness"),
        SeedBadge(7, "Rockstar", active=False),
    ]


def seed_people() -> list[Person]:
    return [
        Person(101, "Ada", "Okafor", "ada", "CEO", "America/Vancouver", None),
        Person(102, "Dana", "Ito", "dana", "Engineering Manager", "America/Toronto", 101),
        Person(103, "Fox", "Adeyemi", "fox", "Senior Engineer", "Europe/London", 102),
        Person(104, "Bea", "Novak", "bea", "Engineer", "Europe/Berlin", 102),
        Person(105, "Ivan", "Petrov", "ivan", "Reliability Engineer", "America/Vancouver", 102),
        Person(106, "Chen", "Wei", "chen", "Product Designer", "Asia/Singapore", 101),
        Person(107, "Eli", "Sorensen", "eli", "Product Manager", "Europe/Copenhagen", 101),
        Person(108, "Gus", "Romero", "gus", "Support Lead", "America/Mexico_City", 101),
        Person(109, "Hana", "Kowalski", "hana", "Support Specialist", "Europe/Warsaw", 108),
        Person(110, "Kofi", "Mensah", "kofi", "Sales Lead", "Africa/Accra", 101),
    ]
