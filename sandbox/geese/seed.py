"""The seeded company: Gander Labs, a fictional 10-person team across timezones.

Every seeded person signs in to the sandbox with the password below (the
resource-owner password grant is supported for scripts, as 7Geese's own API
example uses it; the bot never does).
"""

from __future__ import annotations

from dataclasses import dataclass

DOMAIN = "ganderlabs.example"
PASSWORD = "honk-honk"
# 7Geese is one service with many companies ("networks") in it: pk and name of each.
NETWORKS = {"gander": (1, "Gander Labs"), "honk": (2, "Honk Industries")}


@dataclass(frozen=True)
class Person:
    pk: int
    first_name: str
    last_name: str
    handle: str
    position: str
    timezone: str
    manager_pk: int | None
    network: str = "gander"  # 7Geese is one service with many companies in it

    @property
    def email(self) -> str:
        return f"{self.handle}@{'honk.example' if self.network == 'honk' else DOMAIN}"

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
        # Another company on the same 7Geese: Honk Industries.
        Person(201, "Otto", "Quack", "otto", "Head of Operations", "Europe/Amsterdam", None,
               "honk"),
        Person(202, "Pat", "Mallard", "pat", "Operations Engineer", "Europe/Amsterdam", 201,
               "honk"),
        Person(203, "Rui", "Teal", "rui", "Logistics Planner", "Europe/Lisbon", 201, "honk"),
    ]


@dataclass(frozen=True)
class SeedKeyResult:
    name: str
    measurement_type: int  # 1 %, 2 $, 3 number, 4 EUR, 5 JPY, 6 GBP, 7 done/not done
    start: float
    target: float
    current: float
    weight: int = 1


@dataclass(frozen=True)
class SeedObjective:
    pk: int
    owner_pk: int
    name: str
    due_in_days: int
    key_results: tuple[SeedKeyResult, ...]
    last_checkin_days_ago: int | None = None  # None: never checked in
    status: int | None = None  # 1 on track, 2 off track
    objective_type: int = 1  # 1 personal, 2 department, 3 organization
    private: bool = False
    closed: bool = False


def seed_objectives() -> list[SeedObjective]:
    K = SeedKeyResult
    return [
        SeedObjective(1, 102, "Ship the billing migration", 40, (
            K("Accounts migrated", 1, 0, 100, 60),
            K("Monthly infrastructure cost", 2, 12000, 8000, 10500),
            K("No P1 incident during the cutover", 7, 0, 1, 0),
        ), last_checkin_days_ago=3, status=1),
        SeedObjective(2, 102, "Grow the platform team", 75, (
            K("Engineers hired", 3, 0, 3, 1),
            K("Onboarding guide published", 7, 0, 1, 0),
        ), last_checkin_days_ago=10, status=2, objective_type=2),
        SeedObjective(3, 103, "Cut CI build time", 20, (
            K("p95 build minutes", 3, 20, 8, 14),
            K("Flaky tests fixed", 1, 0, 100, 35),
        ), last_checkin_days_ago=1, status=1),
        SeedObjective(4, 104, "Launch in the EU", 60, (
            K("EU revenue", 4, 0, 50000, 12000, weight=2),
            K("App translated", 1, 0, 100, 80),
        ), last_checkin_days_ago=9),
        SeedObjective(5, 101, "Raise the Series B", 120, (
            K("Committed", 2, 0, 20_000_000, 5_000_000),
        ), last_checkin_days_ago=2, status=1, objective_type=3),
        SeedObjective(6, 101, "Succession plan", 200, (
            K("Plan written", 7, 0, 1, 0),
        ), private=True),
        SeedObjective(7, 106, "Design system v2", 30, (
            K("Components migrated", 3, 0, 40, 22),
            K("Accessibility audit passed", 7, 0, 1, 1),
        ), last_checkin_days_ago=12),
        SeedObjective(8, 107, "Talk to customers", 45, (
            K("Interviews held", 3, 0, 30, 12),
            K("UK pilot revenue", 6, 0, 25000, 4000),
        ), last_checkin_days_ago=6, status=1),
        SeedObjective(9, 108, "Raise support satisfaction", 90, (
            K("CSAT", 1, 85, 95, 90),
        ), last_checkin_days_ago=15, status=2),
        SeedObjective(10, 109, "Japan partner pilot", 50, (
            K("Partner revenue", 5, 0, 1_000_000, 250_000),
        )),
        SeedObjective(11, 105, "Halve paging noise", 35, (
            K("Pages per week", 3, 40, 20, 31),
        ), last_checkin_days_ago=4, status=1),
        SeedObjective(12, 102, "Old: Q2 hiring plan", -30, (
            K("Plan approved", 7, 0, 1, 1),
        ), last_checkin_days_ago=40, closed=True),
        SeedObjective(20, 202, "Automate the night shift", 25, (
            K("Runbooks automated", 1, 0, 100, 40),
        ), last_checkin_days_ago=8),
    ]


@dataclass(frozen=True)
class SeedOneOnOne:
    pk: int
    facilitator_pk: int
    participant_pk: int
    in_days: float  # from now; negative: in the past
    hour_utc: int
    talking_points: tuple[str, ...] = ()
    completed: bool = False
    cancelled: bool = False
    weekly_series: int = 0  # how many more weekly meetings follow this one


def seed_oneonones() -> list[SeedOneOnOne]:
    M = SeedOneOnOne
    return [
        M(1, 102, 103, -5, 15, ("Release retro",), completed=True),
        M(2, 102, 103, 2, 15, ("Release retro", "On-call load"), weekly_series=4),
        M(10, 102, 104, 5, 14, ("Conference budget", "Q1 goals")),
        M(11, 102, 105, 3, 16, ("Pager rotation",), cancelled=True),
        M(12, 101, 102, 1, 17, ("Hiring plan",)),
        M(13, 108, 109, 10, 13),
        M(14, 101, 106, -1, 18, ("Design review",), completed=True),
        M(15, 107, 101, 6, 9),
        M(20, 201, 202, 2, 10, ("Night shift handover",)),
    ]
