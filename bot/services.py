"""Everything the handlers and web routes use, built once from settings.

No module-level state: the CLI, gunicorn, the playground and each test call
`build_services` and get their own clients, stores and connections.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx2
import redis
from slack_sdk import WebClient

from bot.config import Settings
from bot.digest.service import KIND as DIGEST
from bot.digest.service import DigestService
from bot.digest.team import KIND as TEAM_DIGEST
from bot.digest.team import TeamDigests
from bot.feed.service import FeedService
from bot.feedback import blocks as feedback_blocks
from bot.feedback.service import FeedbackService
from bot.geese import Credentials, GeeseApi, GeeseClient, GeeseOAuth
from bot.geese.budget import GeeseBudget
from bot.geese.writes import Write, Writes
from bot.home.data import HomeGatherer
from bot.home.service import HomeService
from bot.i18n import _
from bot.link.languages import Languages
from bot.link.people import Directory
from bot.link.revocations import Revoker
from bot.link.service import LinkingService
from bot.notify.service import NotificationService
from bot.oneonones.followups import FollowUps
from bot.oneonones.nudges import PREFERENCE as ONEONONE_NUDGES
from bot.oneonones.nudges import OneOnOneNudger
from bot.oneonones.service import OneOnOneService
from bot.ops.metrics import Metrics
from bot.recognition.announce import Announcer
from bot.recognition.badges import BadgeCatalog
from bot.recognition.offers import ReactionOffers
from bot.recognition.service import RecognitionService
from bot.reminders.dispatch import Dispatcher, Standing
from bot.reminders.service import RemindersService
from bot.slack.gateway import SlackGateway
from bot.slack.ids import SlackIds
from bot.slack.ratelimit import WorkspaceLimiters
from bot.slack.workspaces import SlackClients
from bot.todo.service import TodoService
from storage import LinkStore, OneTimeStore, Sealer, SlackIdentity
from storage.alerts import Alerts
from storage.checkins import CheckinMemory
from storage.companies import WorkspaceCompanies
from storage.connection import brief_twin
from storage.events import EventLedger
from storage.outbox import Outbox
from storage.preferences import Preferences
from storage.recognitions import OwnRecognitions
from storage.schedules import ScheduleStore
from storage.slack_oauth import RedisInstallationStore
from storage.unreachable import Parked, Strikes
from storage.workspace_settings import WorkspaceSettings

LINK_TTL = 600  # tickets, states and browser bindings: 10 minutes


class Workers(ThreadPoolExecutor):
    """A thread pool that can say when all the work handed to it is done."""

    def __init__(self, max_workers: int, name: str):
        super().__init__(max_workers=max_workers, thread_name_prefix=name)
        self._pending: set = set()
        self._idle = threading.Condition()

    def submit(self, fn, /, *args, **kwargs):
        # The work carries the log context of the request that started it.
        future = super().submit(contextvars.copy_context().run, fn, *args, **kwargs)
        with self._idle:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future) -> None:
        with self._idle:
            self._pending.discard(future)
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 60) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: not self._pending, timeout=timeout)


@dataclass
class Services:
    settings: Settings
    redis: redis.Redis
    sealer: Sealer
    links: LinkStore
    linking: LinkingService
    geese: GeeseClient
    oauth: GeeseOAuth
    slack: SlackGateway
    slack_client: WebClient  # the base client (in multi-workspace mode: no token)
    slack_clients: SlackClients
    installations: RedisInstallationStore | None
    directory: Directory
    badges: BadgeCatalog
    recognition: RecognitionService
    reminders: RemindersService
    dispatcher: Dispatcher
    oneonones: OneOnOneService
    oneonone_nudges: OneOnOneNudger
    prefs: Preferences
    languages: Languages
    home: HomeService
    events: EventLedger
    revoker: Revoker
    companies: WorkspaceCompanies
    offers: ReactionOffers
    digests: DigestService
    team_digests: TeamDigests
    checkins: CheckinMemory
    metrics: Metrics
    todo: TodoService
    feedback: FeedbackService
    writes: Writes
    followups: FollowUps
    feeds: FeedService
    notifications: NotificationService
    http: httpx2.Client
    # Bolt runs listener functions (the part that acks) here...
    listeners: Workers
    # ...and lazy listeners and other slow work here, so a slow 7Geese, which keeps
    # these busy, never delays an ack.
    lazy: Workers
    # Small background jobs that must not hold up a Slack request (a badge list for a
    # modal, posting what a person typed before they linked).
    background: Workers
    clock: Callable[[], float]

    def settle(self, timeout: float = 60) -> None:
        """Wait until the work already started is done (tests, the playground)."""
        for _round in range(2):  # work in one pool may hand more to another
            self.listeners.wait_idle(timeout)
            self.lazy.wait_idle(timeout)
            self.background.wait_idle(timeout)

    def drain(self) -> None:
        """Let the work already started finish (before a shutdown)."""
        self.listeners.shutdown(wait=True)
        self.lazy.shutdown(wait=True)
        self.background.shutdown(wait=True)
        self.dispatcher.close()

    def close(self) -> None:
        self.drain()
        self.http.close()
        self.oauth.close()
        self.languages.close()
        self.redis.close()


def build_services(
    settings: Settings,
    *,
    redis_client: redis.Redis | None = None,
    clock: Callable[[], float] = time.time,
    geese_timeout: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Services:
    client = redis_client if redis_client is not None else settings.redis()
    sealer = Sealer(settings.token_encryption_keys)
    metrics = Metrics()
    links = LinkStore(client, sealer, on_broken=metrics.links_broken.inc)

    def once(kind: str) -> OneTimeStore:
        return OneTimeStore(client, sealer, kind=kind, ttl_seconds=LINK_TTL, clock=clock)

    oauth = GeeseOAuth(
        base_url=settings.geese_base_url,
        client_id=settings.geese_client_id,
        client_secret=settings.geese_client_secret,
        redirect_uri=settings.redirect_uri,
        scopes=settings.geese_scopes,
        timeout=geese_timeout,
        clock=clock,
    )
    http = httpx2.Client(timeout=geese_timeout, follow_redirects=False,
                         headers={"User-Agent": "geese-bot"})
    api = GeeseApi(settings.geese_base_url, http, sleep=sleep, observe=metrics.geese_call)
    alerts = Alerts(client)
    credentials = Credentials(links, oauth, clock=clock,
                              refreshed=lambda outcome: metrics.token_refreshes.labels(
                                  outcome).inc(),
                              client_refused=lambda error: alerts.note(
                                  "geese_client_refused", error, at=clock()))
    limiters = WorkspaceLimiters(client, settings.slack_post_rate,
                                 per_workspace=settings.multi_workspace,
                                 on_pause=lambda name: metrics.slack_rate_limited.labels(
                                     name.removeprefix("slack:")).inc())
    installations = RedisInstallationStore(client, sealer) if settings.multi_workspace else None
    slack_clients = SlackClients(settings, client=client, installations=installations,
                                 limiters=limiters, clock=clock)
    slack_client = slack_clients.base
    slack = SlackGateway(slack_clients.client_for, limiters=limiters,
                         refused=lambda builder: metrics.payload_refused.labels(builder).inc())
    revoker = Revoker(oauth, Outbox(client, sealer, kind="revocation", clock=clock),
                      clock=clock)
    companies = WorkspaceCompanies(client)
    checkins = CheckinMemory(client)
    linking = LinkingService(
        links=links,
        tickets=once("ticket"),
        states=once("state"),
        browsers=once("browser"),
        oauth=oauth,
        api=api,
        slack_person=slack.person,
        start_url=settings.link_start_url,
        require_same_email=settings.link_require_same_email,
        companies=companies,
        admin_binds=settings.multi_workspace,
        email_domains=settings.geese_email_domains,
        installed=slack_clients.installed,
        workspace=slack.workspace,
        revoke=revoker.revoke,
        clock=clock,
    )
    geese_budget = GeeseBudget(client, settings.geese_rate)

    def spend_geese_budget(identity: SlackIdentity) -> None:
        # Per 7Geese company: the one a workspace is bound to (multi-workspace mode).
        company = companies.find(enterprise_id=identity.enterprise_id,
                                 team_id=identity.team_id) if settings.multi_workspace else None
        geese_budget.acquire(str(company or "-"))

    geese = GeeseClient(api, credentials, links, budget=spend_geese_budget)
    directory = Directory(client, sealer, links, slack, clock=clock)
    prefs = Preferences(client)
    languages = Languages(prefs, directory, default=settings.default_language,
                          quick_prefs=Preferences(brief_twin(client)),
                          locale_now=lambda identity: slack.locale_now(identity, timeout=1.0),
                          changes=client)
    languages.listen()
    speak = languages.speaking
    badges = BadgeCatalog(client)
    own_recognitions = OwnRecognitions(client)
    recognition = RecognitionService(
        outbox=Outbox(client, sealer, kind="recognition", clock=clock),
        geese=geese,
        links=links,
        directory=directory,
        badges=badges,
        announcer=Announcer(slack, own=own_recognitions, clock=clock, speak=speak),
        linking=linking,
        clock=clock,
        speak=speak,
    )
    reminders = ScheduleStore(client, kind="reminder")
    nudges = ScheduleStore(client, kind="nudge")
    offers = ReactionOffers(client=client, settings=WorkspaceSettings(client), prefs=prefs,
                            directory=directory, slack=slack, linking=linking, clock=clock)
    slack_ids = SlackIds(client, slack)  # Slack users by email, remembered for a day
    oneonones = OneOnOneService(geese=geese, links=links, directory=directory, ids=slack_ids,
                                clock=clock)
    # A channel out of reach three sends in a row stops its reminder, kept to resume.
    reminder_strikes = Strikes(client, kind="reminder")
    parked_reminders = Parked(client, kind="reminder")
    reminders_service = RemindersService(reminders=reminders, nudges=nudges,
                                         directory=directory, slack=slack, clock=clock,
                                         parked=parked_reminders, strikes=reminder_strikes)

    def tz_of(identity: SlackIdentity) -> str:
        person = directory.slack_person(identity)
        return person.tz if person and person.tz else "UTC"

    todo = TodoService(geese=geese, oneonones=oneonones, tz_of=tz_of, clock=clock)
    feedback = FeedbackService(geese=geese, oneonones=oneonones, slack=slack,
                               web_url=settings.geese_base_url, speak=speak)
    notifications = NotificationService(
        client=client, geese=geese, links=links, prefs=prefs, slack=slack, ids=slack_ids,
        web_url=settings.geese_base_url, tz_of=tz_of,
        oneonone_nudges_on=lambda identity: not prefs.is_off(ONEONONE_NUDGES, identity),
        clock=clock, sent=metrics.sent, speak=speak)
    writes = Writes(
        Outbox(client, sealer, kind="write", clock=clock),
        {"todo_add": Write(todo.apply_add,
                           lambda a: _("the action item “{title}”").format(title=a["title"]),
                           landed=todo.landed_add),
         "todo_done": Write(todo.apply_done, lambda a: _("your change to that action item"),
                            resend=True),
         "feedback": Write(feedback.apply_give, feedback_blocks.what,
                           landed=feedback.landed_give),
         "feedback_decline": Write(notifications.apply_decline,
                                   lambda a: _("your decline of that feedback request"),
                                   resend=True)},
        tell=lambda identity, reply: slack.dm(identity, **reply.as_kwargs()), clock=clock,
        speak=speak)
    followups = FollowUps(geese=geese, links=links, prefs=prefs, client=client, slack=slack,
                          ids=slack_ids,
                          preference=ONEONONE_NUDGES, web_url=settings.geese_base_url,
                          clock=clock, sent=metrics.sent, speak=speak)
    feeds = FeedService(client=client, geese=geese, links=links, slack=slack, ids=slack_ids,
                        own=own_recognitions, linking=linking, directory=directory,
                        clock=clock, sent=metrics.sent, speak=speak)
    digests = DigestService(store=ScheduleStore(client, kind=DIGEST), geese=geese, links=links,
                            slack=slack, ids=slack_ids, own=own_recognitions, feeds=feeds,
                            tz_of=tz_of, clock=clock, speak=speak)
    team_digests = TeamDigests(store=ScheduleStore(client, kind=TEAM_DIGEST), geese=geese,
                               links=links, slack=slack, ids=slack_ids, prefs=prefs,
                               tz_of=tz_of, clock=clock, speak=speak)
    background = Workers(4, "geese-bot-bg")
    return Services(
        settings=settings,
        redis=client,
        sealer=sealer,
        links=links,
        linking=linking,
        geese=geese,
        oauth=oauth,
        slack=slack,
        slack_client=slack_client,
        slack_clients=slack_clients,
        installations=installations,
        directory=directory,
        badges=badges,
        recognition=recognition,
        reminders=reminders_service,
        dispatcher=Dispatcher(reminders=reminders, nudges=nudges, geese=geese, links=links,
                              slack=slack, prefs=prefs, web_url=settings.geese_base_url,
                              checkins=checkins, count_reads=settings.reminder_count_reads,
                              sent=metrics.sent, clock=clock, strikes=reminder_strikes,
                              parked=parked_reminders,
                              others={DIGEST: Standing(digests.store, digests.schedule_of,
                                                       digests.send),
                                      TEAM_DIGEST: Standing(team_digests.store,
                                                            team_digests.schedule_of,
                                                            team_digests.send)}, speak=speak),
        oneonones=oneonones,
        oneonone_nudges=OneOnOneNudger(service=oneonones, geese=geese, links=links, ids=slack_ids,
                                       prefs=prefs, client=client, slack=slack, clock=clock,
                                       web_url=settings.geese_base_url, sent=metrics.sent,
                                       followups=followups, speak=speak),
        prefs=prefs,
        languages=languages,
        home=HomeService(
            gatherer=HomeGatherer(geese=geese, links=links, directory=directory,
                                  reminders=reminders_service, prefs=prefs,
                                  feeds_of=feeds.set_by, notify=notifications.settings,
                                  digests_of=lambda identity: digests.set_by(identity),
                                  team_digest_of=lambda identity: team_digests.of(identity),
                                  offers=offers, clock=clock),
            linking=linking, slack=slack, web_url=settings.geese_base_url,
            background=background, speak=speak),
        events=EventLedger(client, clock=clock),
        revoker=revoker,
        companies=companies,
        offers=offers,
        digests=digests,
        team_digests=team_digests,
        checkins=checkins,
        metrics=metrics,
        todo=todo,
        feedback=feedback,
        writes=writes,
        followups=followups,
        feeds=feeds,
        notifications=notifications,
        http=http,
        listeners=Workers(32, "geese-bot-listener"),
        lazy=Workers(64, "geese-bot-lazy"),
        background=background,
        clock=clock,
    )

