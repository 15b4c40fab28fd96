"""The sandbox 7Geese's state: people, OAuth clients, codes, tokens and fault switches.

One `World` per server; everything is in memory behind one lock. Time comes from
an injectable clock so tests can expire tokens without sleeping.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin

from sandbox.geese.seed import (
    PASSWORD,
    Person,
    SeedBadge,
    seed_badges,
    seed_objectives,
    seed_oneonones,
    seed_people,
)

RESOURCES = (
    "userprofile", "network", "department", "recognition", "oneonone",
    "feedback", "privatenote", "objective", "review",
)
SCOPES = ("all", *(f"{r}:{a}" for r in RESOURCES for a in ("read", "write")))


def scope_allows(granted: str, needed: str) -> bool:
    have = set(granted.split())
    if "all" in have or needed in have:
        return True
    # A write grant implies read of the same resource.
    resource, _, action = needed.partition(":")
    return action == "read" and f"{resource}:write" in have


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str = field(repr=False)  # authlib logs clients at DEBUG
    redirect_uris: tuple[str, ...]
    name: str = "geese-bot"
    grant_types: tuple[str, ...] = ("authorization_code", "refresh_token", "password")

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope):
        if not scope:
            return "all"
        return " ".join(s for s in scope.split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris  # exact string match (RFC 9700)

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in self.grant_types


@dataclass
class AuthCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user_pk: int
    code_challenge: str | None
    code_challenge_method: str | None
    created_at: float

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope


@dataclass
class Token(TokenMixin):
    access_token: str
    refresh_token: str | None
    client_id: str
    user_pk: int
    scope: str
    issued_at: float
    expires_in: int
    clock: Callable[[], float] = field(repr=False, default=time.time)
    access_revoked: bool = False
    refresh_revoked: bool = False
    rotated: bool = False  # revoked because a refresh replaced it

    def check_client(self, client):
        return client.client_id == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return self.issued_at + self.expires_in <= self.clock()

    def is_revoked(self):
        return self.access_revoked

    def get_user(self):
        return self.user_pk

    def get_client(self):
        return self.client_id


@dataclass
class Recognition:
    pk: int
    sender_pk: int
    recipient_pk: int
    badge_pk: int | None
    message: str
    created: datetime


@dataclass
class KeyResult:
    pk: int
    objective_pk: int
    name: str
    measurement_type: int
    start: float
    target: float
    current: float
    weight: int = 1
    order: int = 0

    @property
    def progress(self) -> float:
        """Percent of the way from start to target (targets may lie below the start)."""
        if self.target == self.start:
            return 100.0 if self.current == self.target else 0.0
        share = (self.current - self.start) / (self.target - self.start)
        return round(max(0.0, min(1.0, share)) * 100, 1)


@dataclass
class Checkin:
    pk: int
    objective_pk: int
    user_pk: int
    message: str
    status: int | None
    created: datetime
    key_results: tuple[int, ...] = ()  # the key results this check-in set a value for


@dataclass
class Objective:
    pk: int
    owner_pk: int
    name: str
    start: datetime
    due: datetime
    key_results: list[KeyResult]
    objective_type: int = 1
    private: bool = False
    closed: bool = False
    status: int | None = None
    last_checkin: Checkin | None = None

    @property
    def progress(self) -> float:
        total = sum(kr.weight for kr in self.key_results)
        if not total:
            return 0.0
        return round(sum(kr.progress * kr.weight for kr in self.key_results) / total, 1)


@dataclass
class TalkingPoint:
    pk: int
    content: str
    description: str
    creator_pk: int
    created: datetime
    notes: list[Note] = field(default_factory=list)


@dataclass
class Note:
    """A note on a talking point (what was said about it)."""

    content: str
    creator_pk: int
    modified: datetime


@dataclass
class OneOnOne:
    pk: int
    facilitator_pk: int
    participant_pk: int
    start: datetime
    end: datetime
    questions: list[TalkingPoint]
    completed: datetime | None = None
    deleted: bool = False
    series: int | None = None  # meetings of one weekly series share it
    sequence: int = 0
    created: datetime | None = None  # when it was set up (None: long ago)

    def involves(self, person_pk: int) -> bool:
        return person_pk in (self.facilitator_pk, self.participant_pk)


@dataclass
class ActionItem:
    pk: int
    oneonone_pk: int
    creator_pk: int
    assigned_pk: int
    title: str
    description: str
    due: datetime | None
    created: datetime
    completed: datetime | None = None
    completed_by: int | None = None
    deleted: bool = False


@dataclass
class DirectFeedback:
    """Feedback given with giveSimpleDirectFeedback: 7Geese keeps it as a feedback
    request that is already answered."""

    pk: int
    giver_pk: int
    recipient_pk: int
    subject: str
    message: str
    visibility: dict[str, bool]
    created: datetime


@dataclass
class FeedbackRequest:
    """Someone (creator) asks a person (a responder) for feedback about someone
    (recipient), by a date. Declining ends it for that responder."""

    pk: int
    creator_pk: int
    responder_pk: int
    recipient_pk: int | None
    title: str
    due: datetime | None
    created: datetime
    declined: bool = False


@dataclass
class Notification:
    """What 7Geese tells one person; `kind` is its GraphQL type name, `ref` the pk of
    what it is about (a recognition, a feedback request or given feedback, an
    objective, a 1-on-1). Open until the person acts on it or dismisses it."""

    pk: int
    recipient_pk: int
    kind: str
    ref: int | None
    created: datetime
    open: bool = True
    message: str | None = None


@dataclass
class Faults:
    """Switches that make the sandbox misbehave the way a real service does.

    `path` limits them to requests whose path starts with it (and, for `method`,
    to that HTTP method); `skip` lets that many matching requests through first.
    Latency is added after the request is handled, so a client that times out
    may miss an answer 7Geese did act on, as happens for real.
    """

    latency: float = 0.0
    status: int | None = None
    status_times: int | None = None  # None: until cleared
    retry_after: int | None = None  # with status 429
    malformed_times: int = 0  # answer 200 with a body that is not JSON
    # With `status`: carry the request out first, then answer with the error (a proxy's
    # 502 after the work was done): the client cannot tell whether 7Geese acted.
    status_after: bool = False
    operation: str | None = None  # only GraphQL requests of this operation name
    path: str | None = None
    method: str | None = None
    skip: int = 0


@dataclass
class Gate:
    """Holds requests of one GraphQL operation until a test opens it: `entered` is set
    when the first arrives, so a test can act while 7Geese "thinks"."""

    operation: str
    entered: threading.Event = field(default_factory=threading.Event)
    opened: threading.Event = field(default_factory=threading.Event)

    def pass_through(self, timeout: float = 30) -> None:
        self.entered.set()
        self.opened.wait(timeout)


class World:
    CODE_LIFETIME = 600

    def __init__(self, *, clock: Callable[[], float] = time.time, expires_in: int = 36000):
        self.clock = clock
        self.expires_in = expires_in
        self.lock = threading.RLock()
        self.people: dict[int, Person] = {p.pk: p for p in seed_people()}
        self.badges: dict[int, SeedBadge] = {b.pk: b for b in seed_badges()}
        self.recognitions: list[Recognition] = []
        self.objectives: dict[int, Objective] = {}
        self.checkins: list[Checkin] = []
        self._seed_objectives()
        self.oneonones: dict[int, OneOnOne] = {}
        self._next_question = 1
        self._seed_oneonones()
        self.action_items: dict[int, ActionItem] = {}
        self.feedback: list[DirectFeedback] = []
        self.feedback_requests: dict[int, FeedbackRequest] = {}
        self.notifications: list[Notification] = []
        # Called with a meeting's pk just before its agenda is replaced: a test can add a
        # talking point there to race the bot's edit.
        self.before_agenda_update: Callable[[int], None] | None = None
        self.after_agenda_update: Callable[[int], None] | None = None
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, AuthCode] = {}
        self.tokens: list[Token] = []
        self._by_access: dict[str, Token] = {}
        self._by_refresh: dict[str, Token] = {}
        self.faults = Faults()
        self.gates: dict[str, Gate] = {}
        # An OAuth error every refresh gets (say "invalid_scope" after an admin narrowed
        # the application's scopes), until set back to None.
        self.refresh_error: str | None = None
        self.rotate_refresh = True  # False: refresh answers carry no new refresh_token
        self.grants = Counter()  # grant_type -> tokens issued
        self.revocations = 0
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status)
        self.finished: list[tuple[str, str, float]] = []  # (method, path, monotonic time)
        self.graphql_log: list[tuple[float, int]] = []  # (wall clock, profile pk)

    def _seed_objectives(self) -> None:
        now = datetime.fromtimestamp(self.clock(), UTC)
        next_kr = 1
        for seed in seed_objectives():
            krs = []
            for order, kr in enumerate(seed.key_results):
                krs.append(KeyResult(next_kr, seed.pk, kr.name, kr.measurement_type, kr.start,
                                     kr.target, kr.current, kr.weight, order))
                next_kr += 1
            objective = Objective(seed.pk, seed.owner_pk, seed.name,
                                  now - timedelta(days=60), now + timedelta(days=seed.due_in_days),
                                  krs, seed.objective_type, seed.private, seed.closed, seed.status)
            if seed.last_checkin_days_ago is not None:
                checkin = Checkin(len(self.checkins) + 1, seed.pk, seed.owner_pk, "Progress update",
                                  seed.status, now - timedelta(days=seed.last_checkin_days_ago))
                self.checkins.append(checkin)
                objective.last_checkin = checkin
            self.objectives[seed.pk] = objective

    def _seed_oneonones(self) -> None:
        now = datetime.fromtimestamp(self.clock(), UTC)
        for seed in seed_oneonones():
            day = (now + timedelta(days=seed.in_days)).replace(hour=seed.hour_utc, minute=0,
                                                               second=0, microsecond=0)
            for n in range(seed.weekly_series + 1):
                pk = seed.pk if n == 0 else seed.pk * 100 + n
                start = day + timedelta(weeks=n)
                meeting = OneOnOne(pk, seed.facilitator_pk, seed.participant_pk, start,
                                   start + timedelta(minutes=30), [],
                                   completed=start + timedelta(minutes=30)
                                   if seed.completed else None,
                                   deleted=seed.cancelled,
                                   series=seed.pk if seed.weekly_series else None, sequence=n)
                if n == 0:
                    for content in seed.talking_points:
                        meeting.questions.append(self._talking_point(content, "",
                                                                     seed.facilitator_pk))
                self.oneonones[pk] = meeting

    def _talking_point(self, content: str, description: str, creator_pk: int) -> TalkingPoint:
        point = TalkingPoint(self._next_question, content, description, creator_pk,
                             datetime.fromtimestamp(self.clock(), UTC))
        self._next_question += 1
        return point

    def replace_agenda(self, user_pk: int, oneonone_pk: int, questions: list[dict]) -> OneOnOne:
        """updateOneononeAgenda: the list sent becomes the agenda (a full replace)."""
        if self.before_agenda_update is not None:
            self.before_agenda_update(oneonone_pk)
        try:
            return self._replace_agenda(user_pk, oneonone_pk, questions)
        finally:
            if self.after_agenda_update is not None:
                self.after_agenda_update(oneonone_pk)

    def _replace_agenda(self, user_pk: int, oneonone_pk: int, questions: list[dict]) -> OneOnOne:
        with self.lock:
            meeting = self.oneonones.get(oneonone_pk)
            if meeting is None or not meeting.involves(user_pk):
                raise ValueError("OneOnOne matching query does not exist.")
            if meeting.deleted:
                raise ValueError("This 1-on-1 was cancelled.")
            existing = {q.pk: q for q in meeting.questions}
            agenda = []
            for item in questions:
                content = (item.get("content") or "").strip()
                pk = item.get("pk")
                if pk is not None:
                    if pk not in existing:
                        raise ValueError(f"Talking point {pk} is not on this agenda.")
                    # A full replace: what is not sent is not kept. An item sent as
                    # {pk} alone comes out blank, as a full-replace server would leave it.
                    point = existing[pk]
                    point.content = content
                    point.description = item.get("description") or ""
                    # Its notes too: a point sent without them comes back without them.
                    point.notes = [Note(n.get("content") or "", int(n.get("creator") or user_pk),
                                        _parse_moment(n.get("modified"))
                                        or datetime.fromtimestamp(self.clock(), UTC))
                                   for n in item.get("notes") or []]
                    agenda.append(point)
                    continue
                if not content:
                    raise ValueError("A talking point can't be empty.")
                if len(content) > 1000:
                    raise ValueError("Talking points are limited to 1000 characters.")
                agenda.append(self._talking_point(content, item.get("description") or "",
                                                  user_pk))
            meeting.questions = agenda
            return meeting

    # -- action items and feedback (what the bot does, and 7Geese's web app too) ----------

    def save_action_item(self, user_pk: int, pk: int | None, fields: dict) -> ActionItem:
        """createOrUpdateActionItem: a new item in a 1-on-1, or changes to one."""
        with self.lock:
            now = datetime.fromtimestamp(self.clock(), UTC)
            if pk is None:
                meeting = self.oneonones.get(fields.get("createdInOneonone") or 0)
                if meeting is None or not meeting.involves(user_pk):
                    raise ValueError("OneOnOne matching query does not exist.")
                title = (fields.get("title") or "").strip()
                if not title:
                    raise ValueError("An action item needs a title.")
                if len(title) > 255:
                    raise ValueError("Ensure this field has no more than 255 characters.")
                assigned = fields.get("assignedTo") or user_pk
                if not meeting.involves(assigned):
                    raise ValueError("Action items are assigned to one of the 1-on-1's "
                                     "participants.")
                item = ActionItem(len(self.action_items) + 1, meeting.pk, user_pk, assigned,
                                  title, fields.get("description") or "",
                                  _parse_moment(fields.get("dueDate")), now)
                self.action_items[item.pk] = item
                return item
            item = self.action_items.get(pk)
            meeting = self.oneonones.get(item.oneonone_pk) if item else None
            if item is None or item.deleted or not meeting.involves(user_pk):
                raise ValueError("ActionItem matching query does not exist.")
            if "completed" in fields and fields["completed"] is not None:
                if fields["completed"] and item.completed is None:
                    item.completed, item.completed_by = now, user_pk
                elif not fields["completed"]:
                    item.completed, item.completed_by = None, None
            if fields.get("title"):
                item.title = fields["title"].strip()
            if "dueDate" in fields:
                item.due = _parse_moment(fields["dueDate"])
            return item

    def give_feedback(self, giver_pk: int, recipient_pk: int, subject: str, message: str,
                      visibility: dict[str, bool]) -> DirectFeedback:
        with self.lock:
            if self.person(recipient_pk) is None:
                raise ValueError("UserProfile matching query does not exist.")
            if recipient_pk == giver_pk:
                raise ValueError("You can't give feedback to yourself.")
            if not subject.strip() or not message.strip():
                raise ValueError("Feedback needs a subject and a message.")
            given = DirectFeedback(1000 + len(self.feedback), giver_pk, recipient_pk,
                                   subject.strip(), message.strip(), dict(visibility),
                                   datetime.fromtimestamp(self.clock(), UTC))
            self.feedback.append(given)
        self.notify(recipient_pk, "DirectFeedbackReceivedNotificationNode", given.pk)
        return given

    # -- notifications (7Geese's own, as its web app makes them) -------------------------

    def notify(self, recipient_pk: int, kind: str, ref: int | None = None, *,
               message: str | None = None) -> Notification:
        with self.lock:
            note = Notification(5000 + len(self.notifications), recipient_pk, kind, ref,
                                datetime.fromtimestamp(self.clock(), UTC), message=message)
            self.notifications.append(note)
            return note

    def recognize_with_notice(self, sender_pk: int, recipient_pk: int, badge_pk: int | None,
                              message: str) -> Recognition:
        """A recognition given on the web: 7Geese tells its recipient."""
        item = self.add_recognition(sender_pk, recipient_pk, badge_pk, message)
        self.notify(recipient_pk, "RecognitionReceivedNotificationNode", item.pk)
        return item

    def ask_feedback(self, creator_pk: int, responder_pk: int, recipient_pk: int | None,
                     title: str, due: datetime | None) -> FeedbackRequest:
        with self.lock:
            pk = 700 + len(self.feedback_requests)
            asked = FeedbackRequest(pk, creator_pk, responder_pk, recipient_pk, title, due,
                                    datetime.fromtimestamp(self.clock(), UTC))
            self.feedback_requests[pk] = asked
        self.notify(responder_pk, "WaitingFeedbackRequestNotificationNodeV2", pk)
        return asked

    def decline_feedback(self, responder_pk: int, request_pk: int) -> FeedbackRequest:
        with self.lock:
            asked = self.feedback_requests.get(request_pk)
            if asked is None or asked.responder_pk != responder_pk:
                raise ValueError("FeedbackRequest matching query does not exist.")
            asked.declined = True
            for note in self.notifications:
                if note.recipient_pk == responder_pk and note.ref == request_pk \
                        and "Feedback" in note.kind:
                    note.open = False
            return asked

    def add_oneonone(self, facilitator_pk: int, participant_pk: int, start: datetime, *,
                     minutes: int = 30, series: int | None = None) -> OneOnOne:
        """Someone sets up a 1-on-1 in 7Geese's web app (for tests and the playground)."""
        with self.lock:
            pk = max(self.oneonones) + 1
            meeting = OneOnOne(pk, facilitator_pk, participant_pk, start,
                               start + timedelta(minutes=minutes), [], series=series,
                               created=datetime.fromtimestamp(self.clock(), UTC))
            self.oneonones[pk] = meeting
            return meeting

    def add_talking_point(self, oneonone_pk: int, content: str, creator_pk: int) -> None:
        """What someone else does in 7Geese's web app (for races in tests)."""
        with self.lock:
            self.oneonones[oneonone_pk].questions.append(
                self._talking_point(content, "", creator_pk))

    def check_in(self, user_pk: int, objective_pk: int, *, message: str | None,
                 status: int | None, close: bool, values: list[tuple[int, float]]) -> Checkin:
        """createCheckin's rules; raises ValueError with 7Geese's kind of message."""
        with self.lock:
            objective = self.objectives.get(objective_pk)
            if objective is None or (objective.private and objective.owner_pk != user_pk):
                raise ValueError("Objective matching query does not exist.")
            if objective.owner_pk != user_pk:
                raise ValueError("You do not have permission to check in on this objective.")
            if objective.closed:
                raise ValueError("This objective is closed; reopen it to check in.")
            if status not in (None, 1, 2):
                raise ValueError("assessmentStatus must be 1 (on track), 2 (off track) or null.")
            by_pk = {kr.pk: kr for kr in objective.key_results}
            for pk, value in values:
                kr = by_pk.get(pk)
                if kr is None:
                    raise ValueError(f"Key result {pk} does not belong to this objective.")
                if kr.measurement_type == 7 and value not in (0, 1):
                    raise ValueError(f"{kr.name}: a complete/incomplete key result takes 0 or 1.")
                if value < 0 and kr.measurement_type != 3:
                    raise ValueError(f"{kr.name}: the value cannot be negative.")
            for pk, value in values:
                by_pk[pk].current = float(value)
            checkin = Checkin(len(self.checkins) + 1, objective_pk, user_pk, message or "",
                              status, datetime.fromtimestamp(self.clock(), UTC),
                              tuple(pk for pk, _ in values))
            self.checkins.append(checkin)
            objective.last_checkin = checkin
            objective.status = status
            objective.closed = objective.closed or close
            return checkin

    # -- set-up ------------------------------------------------------------

    def register_client(self, client_id: str, client_secret: str, redirect_uris) -> Client:
        with self.lock:
            client = Client(client_id, client_secret, tuple(redirect_uris))
            self.clients[client_id] = client
            return client

    # -- people ------------------------------------------------------------

    def person(self, pk: int) -> Person | None:
        return self.people.get(pk)

    def person_by_email(self, email: str) -> Person | None:
        email = email.strip().lower()
        return next((p for p in self.people.values() if p.email == email), None)

    def add_people(self, count: int, *, start_pk: int = 1000,
                   network: str = "gander") -> list[Person]:
        """Synthetic colleagues for load tests: person{n}@, each with one objective."""
        manager = 101 if network == "gander" else 201
        with self.lock:
            made = []
            now = datetime.fromtimestamp(self.clock(), UTC)
            for n in range(count):
                pk = start_pk + n
                person = Person(pk, "Person", f"{n:05d}", f"person{n:05d}", "Engineer", "UTC",
                                manager, network)
                self.people[pk] = person
                kr = KeyResult(100_000 + pk, 100_000 + pk, "Tasks done", 3, 0, 10, 3)
                self.objectives[100_000 + pk] = Objective(
                    100_000 + pk, pk, "Keep the lights on", now - timedelta(days=30),
                    now + timedelta(days=30), [kr])
                made.append(person)
            return made

    def issue_token(self, user_pk: int, client_id: str, scope: str = "all") -> dict:
        """A token as the code grant would issue it, without the browser (for load tests)."""
        data = {"access_token": secrets.token_urlsafe(32),
                "refresh_token": secrets.token_urlsafe(36), "token_type": "Bearer",
                "expires_in": self.expires_in, "scope": scope}
        self.save_token(data, client_id, user_pk, "authorization_code")
        return data

    def check_password(self, email: str, password: str) -> Person | None:
        person = self.person_by_email(email)
        if person and secrets.compare_digest(password, PASSWORD):
            return person
        return None

    # -- codes and tokens -----------------------------------------------------

    def save_code(self, code: AuthCode) -> None:
        with self.lock:
            self.codes[code.code] = code

    def take_code(self, code: str, client_id: str) -> AuthCode | None:
        with self.lock:
            found = self.codes.get(code)
            if not found or found.client_id != client_id:
                return None
            if found.created_at + self.CODE_LIFETIME <= self.clock():
                return None
            return found

    def delete_code(self, code: AuthCode) -> None:
        with self.lock:
            self.codes.pop(code.code, None)

    def save_token(self, data: dict, client_id: str, user_pk: int, grant_type: str) -> None:
        with self.lock:
            token = Token(
                access_token=data["access_token"],
                refresh_token=data.get("refresh_token"),
                client_id=client_id,
                user_pk=user_pk,
                scope=data.get("scope", ""),
                issued_at=self.clock(),
                expires_in=int(data.get("expires_in", self.expires_in)),
                clock=self.clock,
            )
            self.tokens.append(token)
            self._by_access[token.access_token] = token
            if token.refresh_token:
                self._by_refresh[token.refresh_token] = token
            self.grants[grant_type] += 1

    def token_by_access(self, access_token: str) -> Token | None:
        return self._by_access.get(access_token)

    def token_by_refresh(self, refresh_token: str) -> Token | None:
        return self._by_refresh.get(refresh_token)

    def rotate_out(self, token: Token) -> None:
        with self.lock:
            token.access_revoked = token.refresh_revoked = token.rotated = True

    def forget_rotated(self, older_than: float) -> int:
        """Drop rotated-out tokens issued over `older_than` seconds ago (long soaks):
        a replay of one then reads as an unknown token instead of a stolen family."""
        with self.lock:
            cutoff = self.clock() - older_than
            gone = [t for t in self.tokens if t.rotated and t.issued_at < cutoff]
            for token in gone:
                self._by_access.pop(token.access_token, None)
                if token.refresh_token:
                    self._by_refresh.pop(token.refresh_token, None)
            self.tokens = [t for t in self.tokens if not (t.rotated and t.issued_at < cutoff)]
            return len(gone)

    def replayed(self, token: Token) -> None:
        """A rotated-out refresh token came back: as RFC 9700 advises, treat the
        whole family as stolen and revoke every token of that user and client."""
        self.revoke_user_tokens(token.user_pk, client_id=token.client_id)

    def revoke(self, token: Token) -> None:
        with self.lock:
            token.access_revoked = token.refresh_revoked = True
            self.revocations += 1

    # -- fault switches -------------------------------------------------------

    def revoke_user_tokens(self, user_pk: int, *, client_id: str | None = None) -> int:
        with self.lock:
            hit = [t for t in self.tokens if t.user_pk == user_pk
                   and (client_id is None or t.client_id == client_id)]
            for t in hit:
                t.access_revoked = t.refresh_revoked = True
            return len(hit)

    def expire_access_tokens(self, user_pk: int | None = None) -> int:
        with self.lock:
            hit = [t for t in self.tokens if user_pk is None or t.user_pk == user_pk]
            for t in hit:
                t.expires_in = 0
            return len(hit)

    def add_recognition(self, sender_pk: int, recipient_pk: int, badge_pk: int | None,
                        message: str) -> Recognition:
        with self.lock:
            item = Recognition(len(self.recognitions) + 1, sender_pk, recipient_pk, badge_pk,
                               message, datetime.fromtimestamp(self.clock(), UTC))
            self.recognitions.append(item)
            return item

    def hold(self, operation: str) -> Gate:
        """Hold every `operation` request until `gate.opened.set()`."""
        with self.lock:
            self.gates[operation] = Gate(operation)
            return self.gates[operation]

    def set_faults(self, **changes) -> None:
        with self.lock:
            for name, value in changes.items():
                if not hasattr(self.faults, name):
                    raise ValueError(f"unknown fault {name}")
                setattr(self.faults, name, value)

    def clear_faults(self) -> None:
        with self.lock:
            self.faults = Faults()

    def take_fault(self, path: str, method: str, operation: str | None = None
                   ) -> tuple[float, int | None, int | None, bool]:
        """(latency, status to answer or None, Retry-After, malformed) for one request;
        `faults.status_after` says whether the status comes after the work."""
        with self.lock:
            f = self.faults
            if (f.path and not path.startswith(f.path)) or (f.method and method != f.method) \
                    or (f.operation and operation != f.operation):
                return 0.0, None, None, False
            if f.skip > 0:
                f.skip -= 1
                return 0.0, None, None, False
            status = f.status
            if status is not None and f.status_times is not None:
                f.status_times -= 1
                if f.status_times <= 0:
                    f.status, f.status_times = None, None
            malformed = False
            if status is None and f.malformed_times > 0:
                f.malformed_times -= 1
                malformed = True
            return f.latency, status, f.retry_after, malformed


def _parse_moment(value) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
