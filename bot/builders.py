"""Every Block Kit builder the bot has, in one registry, with sample data to render it.

A builder is a public function of a `blocks` module that returns a whole payload: a
message (`Reply`), a modal or the Home tab. The property tests render each one with
extreme data (tests/test_payload_limits.py) and `geese-bot check-blocks` with a large,
realistic set sent to Slack's own `blocks.validate`. tests/test_builders.py fails when a
builder is missing here, so a new one cannot escape both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.digest import blocks as digest
from bot.digest.parse import parse_digest
from bot.digest.records import Digest
from bot.feed import blocks as feed
from bot.feed.records import Feed
from bot.feedback import blocks as feedback
from bot.geese import web
from bot.geese.actions import ActionItem
from bot.geese.models import Badge, KeyResult, Objective, Profile
from bot.geese.notifications import KINDS, Notice
from bot.geese.oneonones import Meeting, TalkingPoint
from bot.geese.team import Report, StaleObjective, TeamWeek, Thanks
from bot.help import blocks as help_
from bot.home import blocks as home
from bot.home.data import HomeData, Received
from bot.link import blocks as link
from bot.notify import blocks as notify
from bot.notify.settings import KINDS as SWITCHES
from bot.notify.settings import Hours
from bot.objectives import blocks as objectives
from bot.oneonones import blocks as oneonones
from bot.recognition import blocks as recognition
from bot.reminders import blocks as reminders
from bot.reminders.records import Nudge, Reminder
from bot.slack import blocks as common
from bot.todo import blocks as todo
from bot.work.schedule import Schedule
from storage.records import Link, OAuthToken, SlackIdentity

MESSAGE, MODAL, HOME = "message", "modal", "home"
WEB = "https://app.7geese.com"


@dataclass(frozen=True)
class Sample:
    """The data every builder is rendered with: a name and a text (anything a person or
    7Geese may write) and how many of each thing there are."""

    name: str = "Dana Ito"
    text: str = "Shipped the migration a week early"
    count: int = 3
    now: datetime = datetime(2026, 11, 18, 12, tzinfo=UTC)

    @classmethod
    def large(cls) -> Sample:
        """Realistic and big: long names with emoji and right-to-left script, long
        texts, every list full."""
        return cls(name="Dana Ito-Okafor 🚀 دانا " + "x" * 40,
                   text=("Shipped the billing migration a week early & kept <everyone> "
                         "posted 🎉 مرحبا ") * 20, count=60)

    # -- the things builders show ---------------------------------------------------------

    @property
    def me(self) -> SlackIdentity:
        return SlackIdentity("T0GANDER", "U0DANA")

    def people(self, n: int | None = None) -> list[str]:
        return [f"U{i:08d}" for i in range(self.count if n is None else n)]

    def profile(self, pk: int = 200) -> Profile:
        return Profile(pk, self.name, f"p{pk}@ganderlabs.example")

    def objective(self, pk: int = 1) -> Objective:
        krs = tuple(KeyResult(pk * 100 + n, f"{self.name} {n}", n % 21 + 1, 0, 1_000_000,
                              123_456.5, 12.3) for n in range(min(self.count, 25)))
        return Objective(pk, f"{self.text[:300]} {pk}", web.objective(WEB, pk),
                         self.now + timedelta(days=9), 42.0, 2, self.now - timedelta(days=3),
                         krs)

    def objectives(self) -> list[Objective]:
        return [self.objective(n + 1) for n in range(self.count)]

    def meeting(self, pk: int = 1) -> Meeting:
        points = tuple(TalkingPoint(n, self.text[:1000]) for n in range(min(self.count, 100)))
        return Meeting(pk, self.now + timedelta(hours=pk), None, False, False,
                       self.profile(102), self.profile(200 + pk), points)

    def meetings(self) -> list[Meeting]:
        return [self.meeting(n + 1) for n in range(min(self.count, 50))]

    def action_item(self, pk: int = 1, *, done: bool = False) -> ActionItem:
        return ActionItem(pk, self.text[:255], self.now + timedelta(days=pk), done, 102,
                          self.name, 1, self.now, (self.name, self.name))

    def link(self) -> Link:
        return Link(self.me, OAuthToken("a", "r", 0), 102, self.name,
                    f"{self.name[:60]}@x.example", 0)

    def schedule(self) -> Schedule:
        return Schedule(9, 30, "weekdays", "America/Toronto")

    def reminder(self, n: int = 0) -> Reminder:
        return Reminder("T0GANDER", None, f"C{n:08d}", self.schedule(), "U0DANA", 0)

    def feed(self, n: int = 0) -> Feed:
        return Feed("T0GANDER", None, f"C{n:08d}", "U0DANA", 0, 0)

    def digest(self, n: int = 0) -> Digest:
        return Digest("T0GANDER", None, f"C{n:08d}", Schedule(16, 0, "fri", "Europe/Paris"),
                      "weekly", "U0DANA", 0)

    def team_week(self) -> TeamWeek:
        reports = tuple(Report(
            self.profile(300 + n),
            tuple(Thanks(self.name, self.name, web.recognitions(WEB)) for _ in range(self.count)),
            tuple(StaleObjective(self.text[:300], web.objective(WEB, m), None)
                  for m in range(self.count)),
            replace(self.meeting(n + 1), talking_points=()) if n % 2 else None,
            tuple(self.action_item(m + 1) for m in range(self.count)))
            for n in range(min(self.count, 25)))
        return TeamWeek(reports, len(reports))

    def recognized(self) -> list[digest.Recognized]:
        return [digest.Recognized(f"<@U{n:08d}>", tuple(f"<@U{m:08d}>" for m in
                                                         range(min(self.count, 20))),
                                  web.recognitions(WEB)) for n in range(self.count)]

    def notices(self) -> list[Notice]:
        kinds = [*KINDS, "GoalCommentNotificationNode"]
        return [Notice(n, kinds[n % len(kinds)], self.now, who=self.profile(300 + n),
                       about=self.profile(400 + n), title=self.text[:500],
                       message=self.text, badge=self.name, due=self.now, ref=n + 1,
                       web_url=WEB, meeting=self.meeting(n + 1))
                for n in range(self.count)]

    def home(self) -> HomeData:
        return HomeData(
            identity=self.me, now=self.now, tz="America/Toronto", link=self.link(),
            nudge=Nudge(self.me, self.schedule(), 0), oneonone_nudges=True,
            paused_until=date(2026, 12, 24),
            reminders=[self.reminder(n) for n in range(self.count)],
            feeds=[self.feed(n) for n in range(self.count)],
            notify=dict.fromkeys(SWITCHES, True), notify_hours=Hours(8, 19),
            objectives=self.objectives(), objectives_total=self.count + 5,
            meetings=self.meetings(),
            received=[Received(self.name, self.name, self.text, f"{WEB}/r", self.now)
                      for _ in range(self.count)],
            action_items=[self.action_item(n + 1) for n in range(self.count)],
            action_items_total=self.count + 3, problem=None,
            digests=[self.digest(n) for n in range(self.count)],
            reaction="raised_hands", is_admin=True, is_manager=True,
            team_digest=Schedule(15, 0, "fri", "America/Toronto"))

    def form(self) -> dict[str, Any]:
        return objectives.form(self.objective(), {"response_url": "https://hooks.example/x"},
                               message=self.text[:3000])


@dataclass(frozen=True)
class Builder:
    name: str  # module.function, as tests/test_builders.py finds it
    surface: str  # message | modal | home
    function: Callable[..., Any] | None  # None for a constant payload (HELP)
    render: Callable[[Sample], Any]


def _b(function: Callable[..., Any], surface: str, render: Callable[[Sample], Any]) -> Builder:
    module = function.__module__.removeprefix("bot.")
    return Builder(f"{module}.{function.__name__}", surface, function, render)


# The bot's own warnings beside a setting (never a person's text).
NOTE = "Your Slack timezone isn't set, so times are in UTC until you set it."


def _digest_problem(s: Sample) -> str:
    return parse_digest(f"recognition weekly {s.text}").text


def _refusal(s: Sample) -> str:
    return "7Geese didn't accept that: " + common.refusal_text([s.text] * 20)


REGISTRY: tuple[Builder, ...] = (
    # -- shared and linking -------------------------------------------------------------------
    _b(help_.help_reply, MESSAGE, lambda s: help_.help_reply()),
    _b(help_.unknown_command, MESSAGE, lambda s: help_.unknown_command(s.text)),
    _b(common.problem, MESSAGE, lambda s: common.problem(_refusal(s))),
    _b(common.cannot_post_yet, MESSAGE, lambda s: common.cannot_post_yet("C0ENG", "set it")),
    _b(link.link_prompt, MESSAGE, lambda s: link.link_prompt(f"{WEB}/l", current=s.link())),
    _b(link.reconnect, MESSAGE, lambda s: link.reconnect(f"{WEB}/l", s.name)),
    _b(link.status, MESSAGE, lambda s: link.status(s.link())),
    _b(link.linked, MESSAGE, lambda s: link.linked(s.link(), s.name)),
    _b(link.bind_prompt, MESSAGE, lambda s: link.bind_prompt(f"{WEB}/l")),
    _b(link.language_now, MESSAGE, lambda s: link.language_now("fr", None)),
    _b(link.language_set, MESSAGE, lambda s: link.language_set("fr", "fr")),
    _b(link.language_usage, MESSAGE, lambda s: link.language_usage(s.text)),
    _b(link.needs_binding, MESSAGE, lambda s: link.needs_binding()),
    _b(link.bind_admins_only, MESSAGE, lambda s: link.bind_admins_only()),
    _b(link.already_bound, MESSAGE, lambda s: link.already_bound(s.name)),
    _b(link.admin_usage, MESSAGE, lambda s: link.admin_usage()),
    _b(link.admins_only, MESSAGE, lambda s: link.admins_only()),
    _b(link.admin_settings, MESSAGE, lambda s: link.admin_settings(s.name, True, "tada")),
    _b(link.unlinked, MESSAGE, lambda s: link.unlinked(s.link())),
    _b(link.link_refused, MESSAGE, lambda s: link.link_refused("email_mismatch", s.text)),
    # -- recognition ------------------------------------------------------------------------
    _b(recognition.interim, MESSAGE, lambda s: recognition.interim(s.people())),
    _b(recognition.card, MESSAGE, lambda s: recognition.card(
        "U0ADA", s.people(), s.name, common.mrkdwn_escape(s.text) or "x", WEB)),
    _b(recognition.done, MESSAGE, lambda s: recognition.done(s.people(), s.name, private=True,
                                                             late=True)),
    _b(recognition.saved, MESSAGE, lambda s: recognition.saved(s.people())),
    _b(recognition.offer, MESSAGE, lambda s: recognition.offer(
        "U0FOX", "C0ENG", "1795000000.000100", link_url=f"{WEB}/l")),
    _b(recognition.offer_dismissed, MESSAGE, lambda s: recognition.offer_dismissed(True)),
    _b(recognition.reaction_chosen, MESSAGE, lambda s: recognition.reaction_chosen("tada")),
    _b(recognition.reaction_usage, MESSAGE, lambda s: recognition.reaction_usage()),
    _b(recognition.waiting_for_link, MESSAGE,
       lambda s: recognition.waiting_for_link(s.people(), f"{WEB}/l")),
    _b(recognition.refused, MESSAGE, lambda s: recognition.refused(_refusal(s))),
    _b(recognition.not_shared, MESSAGE, lambda s: recognition.not_shared("C0ENG")),
    _b(recognition.unchecked_channel, MESSAGE,
       lambda s: recognition.unchecked_channel("C0ENG")),
    _b(recognition.not_sent, MESSAGE, lambda s: recognition.not_sent(
        ["You're not in <#C0ENG>, so I can't share it there."], s.text[:1000],
        '{"r":["U0FOX"],"c":"C0ENG","m":"x"}')),
    _b(recognition.modal, MODAL, lambda s: recognition.modal(
        badges=[Badge(n, f"{s.name} {n}", f"{WEB}/b/{n}") for n in range(s.count * 3)],
        recipients=s.people(min(s.count, 20)), message=s.text[:1000], channel_id="C0ENG",
        metadata={"channel": "C0ENG", "response_url": "https://hooks.example/" + "x" * 80})),
    _b(recognition.loading_modal, MODAL, lambda s: recognition.loading_modal()),
    _b(recognition.link_modal, MODAL, lambda s: recognition.link_modal(f"{WEB}/l")),
    # -- the feed ------------------------------------------------------------------------------
    _b(feed.card, MESSAGE, lambda s: feed.card("U0ADA", s.people(), s.name,
                                               common.mrkdwn_escape(s.text) or "x", WEB)),
    _b(feed.started, MESSAGE, lambda s: feed.started("C0ENG")),
    _b(feed.announced, MESSAGE, lambda s: feed.announced("U0DANA")),
    _b(feed.already, MESSAGE, lambda s: feed.already(s.feed())),
    _b(feed.not_a_channel, MESSAGE, lambda s: feed.not_a_channel()),
    _b(feed.slack_busy, MESSAGE, lambda s: feed.slack_busy()),
    _b(feed.other_company, MESSAGE, lambda s: feed.other_company()),
    _b(feed.outside, MESSAGE, lambda s: feed.outside("C0ENG", "guests")),
    _b(feed.allow_admins_only, MESSAGE, lambda s: feed.allow_admins_only()),
    _b(feed.cannot_check, MESSAGE, lambda s: feed.cannot_check("C0ENG")),
    _b(feed.stopped_here, MESSAGE, lambda s: feed.stopped_here(s.feed())),
    _b(feed.stopped, MESSAGE, lambda s: feed.stopped(s.feed(), "is_archived", resumable=True)),
    _b(feed.resumed, MESSAGE, lambda s: feed.resumed(s.feed())),
    _b(feed.not_yours, MESSAGE, lambda s: feed.not_yours(s.feed())),
    _b(feed.setter_left, MESSAGE, lambda s: feed.setter_left(s.feed())),
    _b(feed.stopped_by, MESSAGE, lambda s: feed.stopped_by(s.feed(), "U0ADA")),
    _b(feed.listing, MESSAGE, lambda s: feed.listing([s.feed(n) for n in range(s.count)])),
    _b(feed.usage, MESSAGE, lambda s: feed.usage()),
    _b(digest.digest, MESSAGE, lambda s: digest.digest(
        "weekly", s.count, [(s.name, n) for n in range(s.count)], s.recognized())),
    _b(digest.started, MESSAGE, lambda s: digest.started(s.digest())),
    _b(digest.announced, MESSAGE, lambda s: digest.announced("U0DANA", "weekly")),
    _b(digest.already, MESSAGE, lambda s: digest.already(s.digest())),
    _b(digest.stopped_here, MESSAGE, lambda s: digest.stopped_here(s.digest())),
    _b(digest.not_yours, MESSAGE, lambda s: digest.not_yours(s.digest())),
    _b(digest.stopped, MESSAGE, lambda s: digest.stopped(s.digest(),
                                                          "the channel was archived")),
    _b(digest.team_week, MESSAGE, lambda s: digest.team_week(s.team_week(), slack_ids={})),
    _b(digest.team_on, MESSAGE, lambda s: digest.team_on(s.schedule().describe())),
    _b(digest.team_off, MESSAGE, lambda s: digest.team_off(True)),
    _b(digest.listing, MESSAGE, lambda s: digest.listing([s.digest(n)
                                                           for n in range(s.count)])),
    _b(digest.usage, MESSAGE, lambda s: digest.usage(_digest_problem(s))),
    # -- objectives and reminders ---------------------------------------------------------------
    _b(objectives.objective_list, MESSAGE, lambda s: objectives.objective_list(
        s.objectives(), s.count + 40, web_url=WEB)),
    _b(objectives.loading, MODAL, lambda s: objectives.loading()),
    _b(objectives.message_view, MODAL, lambda s: objectives.message_view(_refusal(s))),
    _b(objectives.picker, MODAL, lambda s: objectives.picker(
        [s.objective(n) for n in range(max(1, s.count * 3))], {})),
    _b(objectives.form, MODAL, lambda s: s.form()),
    _b(objectives.refilled, MODAL, lambda s: objectives.refilled(
        s.form(), {}, 1, s.text[:3000], _refusal(s))),
    _b(objectives.saving, MODAL, lambda s: objectives.saving(s.name)),
    _b(objectives.checked_in_reply, MESSAGE,
       lambda s: objectives.checked_in_reply(s.objective(), s.objective())),
    _b(objectives.checked_in, MODAL, lambda s: objectives.checked_in(s.objective(),
                                                                      s.objective())),
    _b(reminders.channel_reminder, MESSAGE, lambda s: reminders.channel_reminder(3, 9)),
    _b(reminders.reminder_set, MESSAGE,
       lambda s: reminders.reminder_set(s.reminder(), [NOTE] * 3)),
    _b(reminders.reminders_list, MESSAGE, lambda s: reminders.reminders_list(
        [s.reminder(n) for n in range(s.count)], [s.now] * s.count)),
    _b(reminders.reminder_stopped, MESSAGE,
       lambda s: reminders.reminder_stopped(s.reminder(), "is_archived")),
    _b(reminders.reminder_resumed, MESSAGE, lambda s: reminders.reminder_resumed(s.reminder())),
    _b(reminders.nudge_set, MESSAGE,
       lambda s: reminders.nudge_set(s.schedule(), [NOTE] * 3)),
    _b(reminders.nudge, MESSAGE, lambda s: reminders.nudge(s.objectives(), s.count + 40, WEB)),
    _b(reminders.reconnect_nudge, MESSAGE, lambda s: reminders.reconnect_nudge()),
    # -- 1-on-1s and action items -------------------------------------------------------------
    _b(oneonones.upcoming_list, MESSAGE,
       lambda s: oneonones.upcoming_list(s.meetings(), 102, WEB)),
    _b(oneonones.meeting_detail, MESSAGE, lambda s: oneonones.meeting_detail(
        s.meeting(), s.profile(), "U0FOX", WEB)),
    _b(oneonones.added, MESSAGE, lambda s: oneonones.added(s.meeting(), s.profile(),
                                                           s.text[:1000])),
    _b(oneonones.no_meeting, MESSAGE,
       lambda s: oneonones.no_meeting(s.profile(), WEB, adding=True)),
    _b(oneonones.not_in_geese, MESSAGE, lambda s: oneonones.not_in_geese("U0FOX")),
    _b(oneonones.race, MESSAGE, lambda s: oneonones.race(s.text[:1000])),
    _b(oneonones.problem, MESSAGE, lambda s: oneonones.problem(_refusal(s))),
    _b(oneonones.nudge, MESSAGE,
       lambda s: oneonones.nudge(s.meeting(), s.profile(), None, WEB)),
    _b(oneonones.add_modal, MODAL, lambda s: oneonones.add_modal(
        person="U0FOX", text=s.text[:1000], meeting=1,
        problem_text=oneonones.race(s.text[:1000]).text)),
    _b(oneonones.message_modal, MODAL, lambda s: oneonones.message_modal(_refusal(s))),
    _b(oneonones.loading_modal, MODAL, lambda s: oneonones.loading_modal()),
    _b(oneonones.followup, MESSAGE, lambda s: oneonones.followup(
        s.meeting(), s.profile(), "U0FOX", [s.action_item(n) for n in range(s.count)], WEB)),
    _b(oneonones.invitation, MESSAGE,
       lambda s: oneonones.invitation(s.meeting(), s.profile(), "U0FOX")),
    _b(todo.item_list, MESSAGE, lambda s: todo.item_list(
        [s.action_item(n) for n in range(s.count)], s.count + 10, web_url=WEB,
        just_done=[s.action_item(99, done=True)])),
    _b(todo.added, MESSAGE, lambda s: todo.added(s.action_item(), s.name, False)),
    _b(todo.add_modal, MODAL, lambda s: todo.add_modal(meeting=1, person="U0FOX")),
    _b(feedback.given, MESSAGE,
       lambda s: feedback.given("U0FOX", ["manager", "recipient"], True)),
    _b(feedback.arrived, MESSAGE, lambda s: feedback.arrived("U0ADA", f"{WEB}/f")),
    _b(feedback.modal, MODAL, lambda s: feedback.modal(recipient="U0FOX",
                                                       metadata={"channel": "C0ENG"})),
    _b(feedback.problem, MESSAGE, lambda s: feedback.problem(_refusal(s))),
    # -- notifications and the Home tab ---------------------------------------------------------
    _b(notify.digest, MESSAGE, lambda s: notify.digest(
        s.notices(), slack_id_of=lambda p: None if p.pk % 2 else f"U{p.pk:08d}",
        web_url=WEB, me_pk=102)),
    _b(notify.settings, MESSAGE,
       lambda s: notify.settings(dict.fromkeys(SWITCHES, True), Hours(8, 19))),
    _b(notify.usage, MESSAGE, lambda s: notify.usage()),
    _b(notify.declined, MESSAGE, lambda s: notify.declined()),
    _b(home.home_view, HOME, lambda s: home.home_view(s.home(), link_url=f"{WEB}/l",
                                                      web_url=WEB)),
    _b(home.nudge_modal, MODAL, lambda s: home.nudge_modal(s.home())),
)

# Public functions of `blocks` modules that return a part of a payload, not a payload:
# each is covered through the builders above that use it.
PIECES = frozenset({
    "notify.blocks.switches", "objectives.blocks.objective_blocks",
    "oneonones.blocks.agenda_blocks", "oneonones.blocks.add_button",
    "reminders.blocks.checkin_button",
})


def payload(builder: Builder, sample: Sample) -> dict[str, Any]:
    """What the builder sends: a message's arguments, or a view."""
    made = builder.render(sample)
    return made.as_kwargs() if isinstance(made, common.Reply) else made
