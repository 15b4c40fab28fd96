"""Every builder stays within Slack's limits whatever 7Geese or a person gives it.

Each builder gets extreme but ordinary data (names of 500 characters, emoji and
right-to-left text, 60 objectives of 25 key results, 50 meetings, 100 talking points,
300 recipients, 20 error messages, markup a person typed) and its output is checked
by the same code with which the sandbox Slack refuses what real Slack refuses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.geese import Profile
from bot.geese.models import Badge, KeyResult, Objective
from bot.geese.oneonones import Meeting, TalkingPoint
from bot.help import blocks as help_blocks
from bot.home.blocks import home_view, nudge_modal
from bot.home.data import HomeData, Received
from bot.link import blocks as link_blocks
from bot.objectives import blocks as objectives
from bot.oneonones import blocks as oneonones
from bot.recognition import blocks as recognition
from bot.reminders import blocks as reminders
from bot.reminders.records import Nudge, Reminder
from bot.slack import blocks as common
from bot.work.schedule import Schedule
from sandbox.slack import strict
from storage.records import Link, OAuthToken, SlackIdentity

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)
ME = SlackIdentity("T0GANDER", "U0DANA")
NASTY = [
    "x" * 500,
    "😀" * 500,  # two UTF-16 units each
    "שלום עולם, مرحبا بالعالم " * 20,  # right to left
    "<!channel> <!here> <@U0ADA> says: <https://evil.example|https://app.7geese.com> & " * 8,
    "&" * 500,
    "word " * 100,
    "a\nb\n" * 120,
]
texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=500))
names = st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=80))
few = settings(max_examples=25, deadline=None)


def profile(pk: int, name: str) -> Profile:
    return Profile(pk, name, f"p{pk}@ganderlabs.example")


def key_result(pk: int, name: str, kind: int) -> KeyResult:
    return KeyResult(pk, name, kind, 0, 1_000_000_000, 123_456_789.5, 12.3)


def objective(pk: int, name: str, kr_names: list[str]) -> Objective:
    krs = tuple(key_result(pk * 100 + n, kr, n % 21 + 1) for n, kr in enumerate(kr_names))
    return Objective(pk, name, f"https://app.7geese.com/objectives/{pk}",
                     NOW + timedelta(days=9), 42.0, 2, NOW - timedelta(days=3), krs)


def meeting(pk: int, other: str, points: list[str]) -> Meeting:
    return Meeting(pk, NOW + timedelta(hours=pk), None, False, False, profile(102, "Dana"),
                   profile(200 + pk, other),
                   tuple(TalkingPoint(n, p) for n, p in enumerate(points)))


def markup(node) -> list[str]:
    """Every text Slack reads as mrkdwn (where a typed <!channel> would be live)."""
    if isinstance(node, list):
        return [t for item in node for t in markup(item)]
    if not isinstance(node, dict):
        return []
    found = [node["text"]] if node.get("type") == "mrkdwn" else []
    return found + [t for key, value in node.items() if key != "initial_value"
                    for t in markup(value)]


def live(texts: list[str]) -> list[str]:
    return [t for t in texts if any(bad in t for bad in (
        "<!channel>", "<!here>", "<https://evil.example", "<@U0ADA> says"))]


def message_ok(reply: common.Reply) -> None:
    kwargs = reply.as_kwargs()
    problems = strict.message_problems(kwargs)
    assert problems == [], problems
    assert not strict.text_too_long(kwargs)
    assert live([kwargs["text"], *markup(kwargs["blocks"])]) == []  # the fallback too


def view_ok(view: dict) -> None:
    problems = strict.view_problems(view)
    assert problems == [], problems
    assert live(markup(view)) == []


# -- 1-on-1s ---------------------------------------------------------------------------

@few
@given(st.lists(names, max_size=50))
@example(["Ada Okafor"] * 50)
@example(["😀" * 500] * 50)
def test_the_upcoming_list(others):
    reply = oneonones.upcoming_list([meeting(n, name, []) for n, name in enumerate(others)],
                                    102, "https://app.7geese.com")
    message_ok(reply)
    if others and others[0] == "Ada Okafor":  # a manager's weekly 1-on-1s: all listed
        assert str(reply.blocks).count("Ada Okafor") == 50


@few
@given(names, st.lists(texts, max_size=100))
@example("Fox", ["x" * 100] * 30)
@example("Fox", ["p" * 1000] * 100)
def test_a_meeting_its_nudge_and_an_added_point(other, points):
    found = meeting(1, other, points)
    message_ok(oneonones.meeting_detail(found, found.participant, "U0FOX", "https://x.example"))
    message_ok(oneonones.nudge(found, found.participant, None, "https://x.example"))
    message_ok(oneonones.added(found, found.participant, points[0] if points else "hi"))
    message_ok(oneonones.race(points[0] if points else "hi"))
    message_ok(oneonones.no_meeting(found.participant, "https://x.example", adding=True))
    if len(points) > oneonones.SHOW_POINTS:
        assert "more talking points in" in str(oneonones.nudge(found, found.participant, None,
                                                               "https://x.example").blocks)


@few
@given(texts)
def test_the_talking_point_modal(text):
    problem = oneonones.race(text).text  # what the modal is told: the bot's own words
    view_ok(oneonones.add_modal(person="U0FOX", text=text, meeting=1, problem_text=problem))


# -- objectives ------------------------------------------------------------------------

objective_lists = st.lists(st.tuples(names, st.lists(names, max_size=25)), max_size=60)
SIXTY = [("o" * 300, ["k" * 150] * 25)] * 60


@few
@given(objective_lists)
@example(SIXTY)
def test_the_objective_list_and_the_daily_nudge(specs):
    found = [objective(n + 1, name, krs) for n, (name, krs) in enumerate(specs)]
    message_ok(objectives.objective_list(found, len(found), web_url="https://x.example"))
    message_ok(reminders.nudge(found, len(found) + 40, "https://x.example"))


@few
@given(names, st.lists(names, max_size=120), texts)
@example("o" * 500, ["k" * 150] * 25, "x" * 3000)
@example("o", ["k"] * 120, "")
def test_the_checkin_modal_in_each_state(name, krs, text):
    found = objective(1, name, krs)
    form = objectives.form(found, {"response_url": "https://hooks.slack.com/" + "x" * 80},
                           message=text[:3000])
    view_ok(form)
    view_ok(objectives.picker([objective(n, name, []) for n in range(150)], {}))
    view_ok(objectives.saving(name))
    view_ok(objectives.checked_in(found, found))
    view_ok(objectives.refilled(form, {}, 1, text[:3000], "7Geese didn't accept the "
                                "check-in: " + common.refusal_text([text] * 20)))


# -- recognition -----------------------------------------------------------------------

@few
@given(st.integers(1, 300), st.one_of(st.none(), names), texts)
@example(300, "b" * 500, "m" * 1000)
def test_recognition_cards_and_notices(count, badge, message):
    people = [f"U{n:08d}" for n in range(count)]
    shown = common.mrkdwn_escape(message)  # a form's message, as the service passes it
    message_ok(recognition.card("U0ADA", people, badge, shown or "x", "https://x.example"))
    message_ok(recognition.done(people, badge, private=True, late=True))
    message_ok(recognition.saved(people))
    message_ok(recognition.interim(people))
    message_ok(recognition.waiting_for_link(people, "https://x.example/link"))
    message_ok(recognition.refused("7Geese refused: " + common.refusal_text([message] * 20)))


@few
@given(st.lists(names, max_size=150), texts)
def test_the_recognition_modal(badges, message):
    view_ok(recognition.modal(
        badges=[Badge(n, b, f"https://x/{n}") for n, b in enumerate(badges)],
        recipients=[f"U{n:08d}" for n in range(40)], message=message, channel_id="C0ENG",
        metadata={"channel": "C0ENG", "response_url": "https://hooks.slack.com/" + "x" * 80}))


# -- the rest ----------------------------------------------------------------------------

@few
@given(names, texts)
@example(NASTY[3], "x")  # 7Geese's email shown in the reconnect prompt, escaped
def test_link_status_problems_and_help(name, typed):
    link = Link(ME, OAuthToken("a", "r", 0), 102, name, name[:60] + "@x.example", 0)
    for reply in (link_blocks.status(link), link_blocks.linked(link), link_blocks.unlinked(link),
                  link_blocks.link_prompt("https://x.example/l", current=link),
                  link_blocks.reconnect("https://x.example/l", name),
                  help_blocks.unknown_command(typed),
                  common.problem("7Geese didn't accept that: "
                                 + common.refusal_text([typed * 10] * 20)),
                  link_blocks.link_refused("email_mismatch", typed), help_blocks.help_reply()):
        message_ok(reply)


@few
@given(st.lists(st.tuples(names, texts), max_size=5), objective_lists,
       st.lists(st.tuples(names, st.lists(texts, max_size=30)), max_size=30), names)
@example([("s" * 500, "m" * 3000)] * 5, SIXTY, [("x" * 500, ["p" * 500] * 30)] * 30, "n" * 500)
def test_the_home_tab(received, specs, meetings, name):
    link = Link(ME, OAuthToken("a", "r", 0), 102, name, "dana@x.example", 0)
    schedule = Schedule(9, 30, "weekdays", "America/Toronto")
    data = HomeData(
        identity=ME, now=NOW, tz="America/Toronto", link=link,
        nudge=Nudge(ME, schedule, 0), oneonone_nudges=True,
        paused_until=date(2026, 12, 24),
        reminders=[Reminder("T0GANDER", None, f"C{n:08d}", schedule, "U0DANA", 0)
                   for n in range(40)],
        objectives=[objective(n + 1, o, krs) for n, (o, krs) in enumerate(specs)],
        objectives_total=len(specs),
        meetings=[meeting(n + 1, o, points) for n, (o, points) in enumerate(meetings)],
        received=[Received(s, s, m, "https://x.example/r", NOW) for s, m in received],
        problem=None)
    view_ok(home_view(data, link_url="https://x.example/l", web_url="https://x.example"))
    view_ok(nudge_modal(data))


def test_clip_keeps_words_entities_and_tokens_whole():
    assert common.clip("hello world and more", 12) == "hello world…"
    assert common.clip("a &amp; b", 6) == "a…"
    assert common.clip("see <@U0ADA> now", 9) == "see…"
    assert common.slack_len(common.clip("😀" * 10, 5)) <= 5
    assert common.shown("<!channel> & <b>", 100) == "&lt;!channel&gt; &amp; &lt;b&gt;"


def test_fit_lines_ends_with_how_many_more():
    text, count = common.fit_lines(["x" * 1000] * 5, more=lambda n: f"and {n} more")
    assert count == 2 and text.endswith("and 3 more") and len(text) <= 3000
