"""The sandbox Slack's state: a seeded workspace, what the bot posted, triggers and
response URLs with Slack's limits, and fault switches.

Slack's limits enforced here: `trigger_id` single use within 3 s; `response_url`
5 uses within 30 min; ephemerals only to channel members. Every message and view is
checked against Block Kit's limits in strict.py, and refused as Slack refuses it.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sandbox.geese.seed import seed_people

TRIGGER_LIFETIME = 3.0
RESPONSE_URL_LIFETIME = 30 * 60
RESPONSE_URL_USES = 5


@dataclass
class SlackUser:
    id: str
    name: str
    real_name: str
    email: str | None
    tz: str
    is_bot: bool = False
    deleted: bool = False
    # Slack's is_email_confirmed: false when an admin set an address nobody proved.
    email_confirmed: bool = True
    is_admin: bool = False  # a workspace admin (or its owner)
    is_owner: bool = False
    is_restricted: bool = False  # a guest (multi-channel)
    is_ultra_restricted: bool = False  # a single-channel guest
    locale: str = "en-US"  # the language of the person's Slack (users.info include_locale)

    def as_api(self, *, with_email: bool, with_locale: bool = False) -> dict[str, Any]:
        profile: dict[str, Any] = {
            "real_name": self.real_name,
            "display_name": self.name,
        }
        if with_email and self.email:
            profile["email"] = self.email
        made: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "real_name": self.real_name,
            "tz": self.tz,
            "is_bot": self.is_bot,
            "deleted": self.deleted,
            "is_email_confirmed": self.email_confirmed,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_restricted": self.is_restricted or self.is_ultra_restricted,
            "is_ultra_restricted": self.is_ultra_restricted,
            "profile": profile,
        }
        if with_locale:  # Slack leaves it out unless asked
            made["locale"] = self.locale
        return made


@dataclass
class Channel:
    id: str
    name: str
    members: set[str]
    is_private: bool = False
    is_im: bool = False
    is_archived: bool = False
    # Slack Connect: shared with (or invited to) another organisation.
    is_ext_shared: bool = False
    is_pending_ext_shared: bool = False
    # Shared between workspaces of one Enterprise Grid org (the same company).
    is_org_shared: bool = False

    @property
    def is_shared(self) -> bool:
        return self.is_ext_shared or self.is_org_shared


@dataclass
class Posted:
    """Something the bot made visible in Slack."""

    seq: int
    kind: str  # message | ephemeral | response | view | home | update
    channel: str | None
    user: str | None  # who sees it (ephemeral/response/view/home); None for channel posts
    text: str | None
    blocks: list[dict[str, Any]] | None
    ts: str | None = None
    response_type: str | None = None
    view: dict[str, Any] | None = None
    replaced: bool = False
    author: str | None = None  # a person who wrote it (None: the bot)


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    status: int
    ok: bool
    error: str | None
    at: float = field(default_factory=time.time)  # wall clock, for benchmarks' lag


@dataclass
class ResponseUrl:
    id: str
    user: str
    channel: str
    created: float
    uses: int = 0
    messages: list[int] = field(default_factory=list)  # seq of Posted shown through it
    # A replace that arrived before the app's HTTP answer was recorded: Slack shows
    # the HTTP answer first, so that answer counts as already replaced.
    early_replace: bool = False


@dataclass
class Trigger:
    id: str
    user: str
    created: float
    used: bool = False


def method_specs() -> dict[str, dict[str, Any]]:
    folder = resources.files("sandbox.slack").joinpath("methods")
    specs = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            specs[entry.name.removesuffix(".json")] = json.loads(entry.read_text())
    return specs


WORKSPACES = {
    # team id, name, domain, enterprise id, bot user id
    "gander": ("T0GANDER", "Gander Labs", "ganderlabs", None, "U0GEESEBOT"),
    # A second company, in an Enterprise Grid org (its people have W... ids).
    "honk": ("T0HONK", "Honk Industries", "honk", "E0HONK", "W0GEESEBOT"),
}
APP_ID = "A0GEESEBOT"


def synthetic_workspace(name: str) -> tuple[str, str, str, None, str]:
    """Any other name: an empty workspace for benchmarks (`w17` -> team T9W17)."""
    tag = "".join(ch for ch in name.upper() if ch.isalnum())[:10]
    return f"T9{tag}", f"Workspace {name}", name.lower(), None, f"U9BOT{tag}"


class SlackWorld:
    """One Slack workspace. Several can sit behind one sandbox server (SlackCloud)."""

    APP_ID = APP_ID

    def __init__(self, *, scopes: set[str], clock: Callable[[], float] = time.time,
                 workspace: str = "gander"):
        (self.TEAM_ID, self.TEAM_NAME, self.TEAM_DOMAIN, self.ENTERPRISE_ID,
         self.BOT_USER_ID) = WORKSPACES.get(workspace) or synthetic_workspace(workspace)
        self.BOT_ID = "B0" + self.TEAM_ID
        self.workspace = workspace
        self.clock = clock
        self.lock = threading.RLock()
        self.scopes = set(scopes)
        self.bot_token = "xoxb-sandbox-" + secrets.token_hex(12)
        self.revoked_tokens: set[str] = set()
        self.specs = method_specs()
        self.users: dict[str, SlackUser] = {}
        self.channels: dict[str, Channel] = {}
        self.calls: list[Call] = []
        self.latency: dict[str, float] = {}  # method -> seconds Slack takes to answer
        # (method, reasons) for every payload refused as real Slack would refuse it.
        self.refusals: list[tuple[str, list[str]]] = []
        self.posted: list[Posted] = []
        self.response_urls: dict[str, ResponseUrl] = {}
        self.triggers: dict[str, Trigger] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.homes: dict[str, dict[str, Any]] = {}
        self.rate_limits: dict[str, tuple[int, int]] = {}  # method -> (retry_after, times)
        # method -> calls allowed per second (a fixed one-second window, as Slack's
        # per-minute tiers are enforced in short windows); None: unlimited.
        self.budgets: dict[str, float] = {}
        self._windows: dict[str, tuple[int, int]] = {}  # method -> (second, calls in it)
        self.throttled = 0
        self.failures: dict[str, tuple[str, int]] = {}  # method -> (error, times)
        self._seq = itertools.count(1)
        self._ts = itertools.count(1)
        self.changed = threading.Condition(self.lock)
        self.tokens: set[str] = {self.bot_token}  # every bot token valid here
        if workspace == "gander":
            self._seed()
        elif workspace == "honk":
            self._seed_honk()
        else:  # a benchmark's workspace: the bot and #general; add_people fills it
            self.users[self.BOT_USER_ID] = SlackUser(self.BOT_USER_ID, "geese-bot",
                                                     "geese-bot", None, "UTC", is_bot=True)
            self.channels["C0GENERAL"] = Channel("C0GENERAL", "general", {self.BOT_USER_ID})

    # -- seed ----------------------------------------------------------------

    def _seed(self) -> None:
        for person in seed_people():
            uid = "U0" + person.handle.upper()
            self.users[uid] = SlackUser(uid, person.handle, person.full_name, person.email,
                                        person.timezone)
        # Ada, the CEO, set the workspace up: its owner.
        self.users["U0ADA"].is_owner = self.users["U0ADA"].is_admin = True
        # Someone in Slack who has no 7Geese account, and two bots.
        self.users["U0JO"] = SlackUser("U0JO", "jo", "Jo Quinn", "jo@contractors.example",
                                       "Australia/Sydney")
        self.users[self.BOT_USER_ID] = SlackUser(self.BOT_USER_ID, "geese-bot", "geese-bot",
                                                 None, "UTC", is_bot=True)
        self.users["U0DEPLOY"] = SlackUser("U0DEPLOY", "deploybot", "Deploy Bot", None, "UTC",
                                           is_bot=True)
        everyone = {u for u in self.users if not self.users[u].is_bot}
        self.channels["C0GENERAL"] = Channel("C0GENERAL", "general",
                                             everyone | {self.BOT_USER_ID})
        self.channels["C0ENG"] = Channel("C0ENG", "eng",
                                         {"U0DANA", "U0FOX", "U0BEA", "U0IVAN",
                                          self.BOT_USER_ID})
        self.channels["C0RANDOM"] = Channel("C0RANDOM", "random", set(everyone))

    def _seed_honk(self) -> None:
        for uid, handle, name, tz in (("W0OTTO", "otto", "Otto Quack", "Europe/Amsterdam"),
                                      ("W0PAT", "pat", "Pat Mallard", "Europe/Amsterdam"),
                                      ("W0RUI", "rui", "Rui Teal", "Europe/Lisbon")):
            self.users[uid] = SlackUser(uid, handle, name, f"{handle}@honk.example", tz)
        self.users["W0OTTO"].is_owner = self.users["W0OTTO"].is_admin = True
        self.users[self.BOT_USER_ID] = SlackUser(self.BOT_USER_ID, "geese-bot", "geese-bot",
                                                 None, "UTC", is_bot=True)
        everyone = {u for u in self.users if not self.users[u].is_bot}
        self.channels["C1GENERAL"] = Channel("C1GENERAL", "general",
                                             everyone | {self.BOT_USER_ID})
        self.channels["C1OPS"] = Channel("C1OPS", "ops", {"W0OTTO", "W0PAT", self.BOT_USER_ID})

    def user_by_name(self, name: str) -> SlackUser | None:
        name = name.lstrip("@").lower()
        return next((u for u in self.users.values() if u.name == name or u.id == name.upper()),
                    None)

    def im_with(self, user_id: str) -> Channel:
        with self.lock:
            cid = "D0" + user_id.removeprefix("U0").removeprefix("W0")
            if cid not in self.channels:
                self.channels[cid] = Channel(cid, user_id, {user_id, self.BOT_USER_ID}, is_im=True)
            return self.channels[cid]

    # -- interactions ----------------------------------------------------------

    def new_trigger(self, user: str) -> str:
        with self.lock:
            tid = f"{next(self._seq)}.{secrets.token_hex(8)}"
            self.triggers[tid] = Trigger(tid, user, self.clock())
            return tid

    def take_trigger(self, tid: str | None) -> str | None:
        """None when usable (and now used); else the Slack error code."""
        with self.lock:
            trigger = self.triggers.get(tid or "")
            if trigger is None:
                return "invalid_trigger_id"
            if trigger.used:
                return "exchanged_trigger_id"
            if self.clock() - trigger.created > TRIGGER_LIFETIME:
                return "expired_trigger_id"
            trigger.used = True
            return None

    def new_response_url(self, user: str, channel: str, *, message_ts: str | None = None) -> str:
        """A response URL; one from a button on a message can replace that message."""
        with self.lock:
            rid = secrets.token_hex(10)
            entry = ResponseUrl(rid, user, channel, self.clock())
            source = next((p for p in reversed(self.posted)
                           if message_ts and p.ts == message_ts), None)
            if source is not None:
                entry.messages.append(source.seq)
            self.response_urls[rid] = entry
            return rid

    def use_response_url(self, rid: str) -> tuple[ResponseUrl | None, str | None]:
        with self.lock:
            entry = self.response_urls.get(rid)
            if entry is None:
                return None, "invalid_url"
            if self.clock() - entry.created > RESPONSE_URL_LIFETIME:
                return None, "expired_url"
            if entry.uses >= RESPONSE_URL_USES:
                return None, "used_url"
            entry.uses += 1
            return entry, None

    # -- recording -------------------------------------------------------------

    def post(self, **fields) -> Posted:
        with self.lock:
            fields.setdefault("ts", None)
            if fields["ts"] is None:
                fields["ts"] = self.next_ts()  # every message can be pointed at by a button
            item = Posted(seq=next(self._seq), **fields)
            self.posted.append(item)
            self.changed.notify_all()
            return item

    def next_ts(self) -> str:
        return f"{int(self.clock())}.{next(self._ts):06d}"

    def refuse(self, method: str, problems: list[str]) -> None:
        """A payload real Slack would refuse: kept, so a test can show why."""
        with self.lock:
            self.refusals.append((method, problems))
            self.changed.notify_all()

    def record_call(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)
            self.changed.notify_all()

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def visible_to(self, user_id: str, since: int = 0) -> list[Posted]:
        """What `user_id` can see that arrived after `since` (a seq)."""
        with self.lock:
            return [p for p in self.posted if p.seq > since and not p.replaced and (
                p.user == user_id
                or (p.user is None and p.channel in self.channels
                    and user_id in self.channels[p.channel].members)
            )]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Block until predicate() is truthy (checked whenever something is posted)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                result = predicate()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the sandbox Slack saw nothing matching in time")
                self.changed.wait(min(remaining, 0.05))

    # -- faults ----------------------------------------------------------------

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        with self.lock:
            self.rate_limits[method] = (retry_after, times)

    def slow(self, method: str, seconds: float) -> None:
        """Slack takes `seconds` (of real time) to answer `method` from now on."""
        with self.lock:
            self.latency[method] = seconds

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        with self.lock:
            self.failures[method] = (error, times)

    def add_people(self, count: int) -> list[SlackUser]:
        """Synthetic people matching the sandbox 7Geese's `add_people` by email."""
        prefix, domain = ("W1", "honk.example") if self.ENTERPRISE_ID else \
            ("U1", "ganderlabs.example")
        with self.lock:
            made = []
            for n in range(count):
                uid = f"{prefix}{n:07d}"
                user = SlackUser(uid, f"person{n:05d}", f"Person {n:05d}",
                                 f"person{n:05d}@{domain}", "UTC")
                self.users[uid] = user
                made.append(user)
            return made

    def add_channels(self, count: int) -> list[Channel]:
        """Synthetic channels with only the bot in them (for channel reminders)."""
        with self.lock:
            made = [Channel(f"C2{self.TEAM_ID[-4:]}{n:06d}", f"team-{n:05d}",
                            {self.BOT_USER_ID}) for n in range(count)]
            self.channels.update((c.id, c) for c in made)
            return made

    def over_budget(self, method: str) -> bool:
        """Count a call against the method's budget; True when it is over (429)."""
        budget = self.budgets.get(method)
        if budget is None:
            return False
        with self.lock:
            second = int(self.clock_real())
            window, calls = self._windows.get(method, (second, 0))
            if window != second:
                window, calls = second, 0
            if calls >= budget:
                self.throttled += 1
                return True
            self._windows[method] = (window, calls + 1)
            return False

    @staticmethod
    def clock_real() -> float:
        return time.time()

    def take_fault(self, method: str) -> tuple[int | None, str | None]:
        with self.lock:
            retry_after = error = None
            if method in self.rate_limits:
                retry_after, times = self.rate_limits[method]
                self.rate_limits[method] = (retry_after, times - 1)
                if times - 1 <= 0:
                    del self.rate_limits[method]
            elif method in self.failures:
                error, times = self.failures[method]
                self.failures[method] = (error, times - 1)
                if times - 1 <= 0:
                    del self.failures[method]
            return retry_after, error
