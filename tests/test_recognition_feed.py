"""The recognition feed end to end: `/geese feed recognition` in a channel, web-made
recognitions posted once as the clock's jobs run, never a private one nor a second card
for one the bot shared there, 7Geese down, and the feed stopping when its setter
unlinks or the channel is archived."""

from __future__ import annotations

import pytest

from bot.feed.records import Feed
from tests.helpers import answer, tick
from tests.test_home import open_home, text_of

DANA, FOX = "U0DANA", "U0FOX"
ADA_PK, DANA_PK, FOX_PK = 101, 102, 103
ENG = "C0ENG"
FEED_ID = Feed.id_of("T0GANDER", None, ENG)


@pytest.fixture
def feed(dana):
    dana.driver.command(DANA, "feed recognition", channel=ENG)
    dana.services.settle()
    assert dana.services.feeds.ids() == [FEED_ID]
    return dana


def cards(stack, channel=ENG) -> list[str]:
    """The feed's cards in the channel, as their text and blocks."""
    return [p.text + str(p.blocks) for p in stack.slack.posted
            if p.channel == channel and p.kind == "message"
            and "recognition feed" in str(p.blocks) and "recognized" in p.text]


def next_minute(stack, clock) -> dict[str, int]:
    clock.advance(60)
    return tick(stack)


def dms(stack, user=DANA) -> list[str]:
    return [p.text + str(p.blocks) for p in stack.slack.posted
            if p.channel == "D0" + user[2:] and p.kind == "message"]


# -- starting it ---------------------------------------------------------------------------


def test_starting_the_feed_says_so_in_the_channel(dana):
    dana.driver.command(DANA, "feed recognition", channel=ENG)
    dana.services.settle()
    mine = [p for p in dana.slack.visible_to(DANA) if p.kind == "response"][-1]
    assert "every public recognition made in 7Geese shows up in <#C0ENG>" in mine.text
    news = [p for p in dana.slack.posted if p.channel == ENG and p.kind == "message"]
    assert "<@U0DANA> turned on the 7Geese recognition feed here" in news[-1].text


@pytest.mark.parametrize("channel, says", [
    ("C0RANDOM", "I can't post in <#C0RANDOM> yet"),
    ("D0DANA", "The recognition feed is for channels"),
])
def test_where_the_feed_cannot_go(dana, channel, says):
    dana.driver.command(DANA, "feed recognition", channel=channel)
    dana.services.settle()
    assert says in [p for p in dana.slack.visible_to(DANA) if p.kind == "response"][-1].text
    assert dana.services.feeds.ids() == []


def test_an_unlinked_person_is_asked_to_link_first(stack):
    stack.driver.command(FOX, "feed recognition", channel=ENG)
    stack.services.settle()
    reply = [p for p in stack.slack.visible_to(FOX) if p.kind == "response"][-1]
    assert "Connect your 7Geese account" in str(reply.blocks)
    assert stack.services.feeds.ids() == []


def test_a_second_feed_in_the_channel_is_refused_and_feeds_lists_it(feed):
    stack = feed
    stack.driver.command(DANA, "feed recognition", channel=ENG)
    stack.services.settle()
    assert "already has the recognition feed (set by <@U0DANA>)" in \
        [p for p in stack.slack.visible_to(DANA) if p.kind == "response"][-1].text
    listed = answer(stack, FOX, "feeds")
    assert "<#C0ENG>, set by <@U0DANA>" in str(listed.blocks)


def test_feed_off_stops_it(feed, clock):
    stack = feed
    stack.driver.command(DANA, "feed off", channel=ENG)
    stack.services.settle()
    assert stack.services.feeds.ids() == []
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Great demo")
    assert "feed_poll" not in next_minute(stack, clock)
    assert cards(stack) == []


def test_only_its_setter_or_a_workspace_admin_stops_a_feed(feed):
    """Anyone could stop a feed, even unlinked, and its setter was not told (issue 23,
    item 5)."""
    stack = feed
    stack.driver.command(FOX, "feed off", channel=ENG)
    stack.services.settle()
    assert stack.services.feeds.ids() == [FEED_ID]
    told = [p for p in stack.slack.visible_to(FOX) if p.kind == "response"][-1]
    assert "Only <@U0DANA>, who started this channel's recognition feed" in told.text
    stack.slack.users["U0BEA"].is_admin = True
    stack.driver.command("U0BEA", "feed off", channel=ENG)
    stack.services.settle()
    assert stack.services.feeds.ids() == []
    assert any("<@U0BEA> stopped the recognition feed you started in <#C0ENG>" in (p.text or "")
               for p in stack.slack.posted if p.channel == "D0DANA")


def test_feeds_lists_a_private_channel_only_to_its_members(feed):
    stack = feed
    stack.slack.channels[ENG].is_private = True
    assert "C0ENG" not in str(answer(stack, "U0ADA", "feeds").blocks)  # Ada is not in it
    assert "<#C0ENG>, set by <@U0DANA>" in str(answer(stack, FOX, "feeds").blocks)


# -- what it shows -------------------------------------------------------------------------


def test_a_web_recognition_reaches_the_channel_once(feed, clock):
    stack = feed
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, FOX_PK, 1, "Great demo <!channel> *bold*")
    assert next_minute(stack, clock).get("feed_poll") == 1
    (card,) = cards(stack)
    assert "<@U0ADA> recognized <@U0FOX>" in card
    assert "&lt;!channel&gt;" in card and "<!channel>" not in card  # 7Geese text, escaped
    assert "View in 7Geese" in card and "/recognition/" in card
    for _ in range(3):
        next_minute(stack, clock)
    assert len(cards(stack)) == 1


def test_what_came_before_the_feed_is_not_shown(dana, clock):
    dana.geese.add_recognition(ADA_PK, FOX_PK, None, "Last week's news")
    clock.advance(1)
    dana.driver.command(DANA, "feed recognition", channel=ENG)
    dana.services.settle()
    next_minute(dana, clock)
    assert cards(dana) == []


def test_one_recognition_of_several_people_is_one_card(feed, clock):
    stack = feed
    clock.advance(5)
    for pk in (DANA_PK, FOX_PK):
        stack.geese.add_recognition(ADA_PK, pk, None, "Smooth launch, both of you")
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "And thanks for the docs")
    next_minute(stack, clock)
    found = cards(stack)
    assert len(found) == 2
    assert "<@U0ADA> recognized <@U0DANA> and <@U0FOX>" in found[0]
    assert "And thanks for the docs" in found[1]


def test_someone_without_slack_is_named_from_7geese(feed, clock):
    stack = feed
    (outsider,) = stack.geese.add_people(1, start_pk=5000)
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, outsider.pk, None, "Welcome aboard")
    next_minute(stack, clock)
    (card,) = cards(stack)
    assert f"<@U0ADA> recognized *{outsider.first_name} {outsider.last_name}*" in card


def test_another_companys_recognitions_never_show(feed, clock):
    stack = feed
    honk = [p for p in stack.geese.people.values() if p.network == "honk"]
    clock.advance(5)
    stack.geese.add_recognition(honk[0].pk, honk[1].pk, None, "Quack")
    next_minute(stack, clock)
    assert cards(stack) == []


def test_the_bots_own_card_is_not_doubled_and_private_ones_never_show(feed, clock):
    stack = feed
    clock.advance(5)
    stack.driver.command(DANA, "recognize <@U0FOX|fox> shipped the migration", channel=ENG)
    stack.driver.command(DANA, "recognize <@U0BEA|bea> quiet thanks --private", channel=ENG)
    stack.services.settle()
    assert len(stack.geese.recognitions) == 2
    shared = [p for p in stack.slack.posted if p.channel == ENG
              and "shipped the migration" in str(p.blocks)]
    assert len(shared) == 1  # the command's own card
    next_minute(stack, clock)
    assert cards(stack) == []
    assert not any("quiet thanks" in str(p.blocks) for p in stack.slack.posted
                   if p.channel == ENG)


def test_7geese_down_delays_the_card_and_loses_nothing(feed, clock):
    stack = feed
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Calm in the incident")
    stack.geese.set_faults(status=503)
    next_minute(stack, clock)
    assert cards(stack) == []
    stack.geese.clear_faults()
    next_minute(stack, clock)
    next_minute(stack, clock)
    assert len(cards(stack)) == 1


def test_a_second_poll_of_the_same_moment_posts_nothing(feed, clock):
    stack = feed
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Raced")
    results = [stack.services.feeds.poll(FEED_ID) for _ in range(2)]
    assert sorted(results) == ["nothing_new", "posted"]
    assert len(cards(stack)) == 1


def test_slack_down_delays_the_card_and_loses_nothing(feed, clock):
    stack = feed
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Kept the lights on")
    stack.slack.fail("chat.postMessage", "internal_error", times=1)
    assert stack.services.feeds.poll(FEED_ID) == "retry"
    assert cards(stack) == []
    next_minute(stack, clock)
    next_minute(stack, clock)
    assert len(cards(stack)) == 1


def test_a_revoked_setter_token_stops_the_feed_resumably_and_says_so(feed, clock):
    """It used to stick in 'link broken' with nobody told (issue 23, item 6)."""
    stack = feed
    stack.geese.revoke_user_tokens(DANA_PK)
    stack.geese.expire_access_tokens(DANA_PK)
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Seen after reconnecting")
    assert stack.services.feeds.poll(FEED_ID) == "stopped"
    assert cards(stack) == [] and stack.services.feeds.ids() == []
    (dm,) = [p for p in stack.slack.posted if p.channel == "D0DANA" and p.kind == "message"
             and "7Geese no longer accepts your linked account" in p.text]
    stack.quick_link(DANA)  # Dana reconnects, then resumes it
    stack.driver.click(DANA, dm, "Resume")
    stack.services.settle()
    assert stack.services.feeds.poll(FEED_ID) == "posted"  # from where it left off
    assert len(cards(stack)) == 1


def test_the_feed_stops_when_its_setter_is_deactivated(feed):
    stack = feed
    stack.driver.event({"type": "user_change",
                        "user": {"id": DANA, "team_id": "T0GANDER", "deleted": True}})
    stack.services.settle()
    assert stack.services.feeds.ids() == []
    assert any("is no longer in this workspace" in (p.text or "")
               for p in stack.slack.posted if p.channel == ENG)


# -- when it stops -------------------------------------------------------------------------


def test_the_feed_stops_when_its_setter_unlinks(feed):
    stack = feed
    stack.driver.command(DANA, "unlink")
    stack.services.settle()
    assert stack.services.feeds.ids() == []
    assert any("I stopped the recognition feed in <#C0ENG> because you unlinked" in d
               for d in dms(stack))


def test_the_feed_stops_when_the_channel_is_archived(feed):
    stack = feed
    stack.slack.channels[ENG].is_archived = True
    stack.driver.event({"type": "channel_archive", "channel": ENG, "user": "U0ADA"})
    stack.services.settle()
    assert stack.services.feeds.ids() == []
    assert sum("because the channel was archived" in d for d in dms(stack)) == 1


def test_posts_refused_three_minutes_running_stop_it_resumably(feed, clock):
    stack = feed
    stack.slack.channels[ENG].is_archived = True  # the event never came
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Shown once it is back")
    for _ in range(2):
        next_minute(stack, clock)
        assert stack.services.feeds.ids() != [] and dms(stack) == []
    next_minute(stack, clock)
    assert stack.services.feeds.ids() == []
    assert sum("because the channel was archived" in d for d in dms(stack)) == 1
    stack.slack.channels[ENG].is_archived = False
    (dm,) = [p for p in stack.slack.posted if p.channel == "D0DANA" and p.kind == "message"]
    stack.driver.click("U0DANA", dm, "Resume")
    stack.services.settle()
    assert stack.services.feeds.ids() != []
    next_minute(stack, clock)  # from where it left off: nothing was lost
    assert any("Shown once it is back" in str(p.blocks) for p in stack.slack.posted
               if p.channel == ENG)


def test_the_home_tab_shows_the_feed(feed):
    assert "Recognition feed in <#C0ENG>" in text_of(open_home(feed))


# -- who reads it: the company's people only (issue 23, item 4) -----------------------------

def last_answer(stack, user=DANA) -> str:
    return [p for p in stack.slack.visible_to(user) if p.kind == "response"][-1].text


def make_guest(stack, user_id="U0JO", channel=ENG) -> None:
    stack.slack.users[user_id].is_restricted = True
    stack.slack.channels[channel].members.add(user_id)


def test_a_slack_connect_channel_gets_no_feed(dana):
    """The feed carried the company's recognitions into a channel shared with another
    company: only DMs were refused."""
    dana.slack.channels[ENG].is_ext_shared = True
    dana.driver.command(DANA, "feed recognition", channel=ENG)
    dana.services.settle()
    assert "<#C0ENG> is shared with another organisation" in last_answer(dana)
    assert dana.services.feeds.ids() == []
    assert not [p for p in dana.slack.posted if p.channel == ENG and p.kind == "message"]


def test_a_channel_with_a_guest_gets_a_feed_only_if_an_admin_allows(dana):
    stack = dana
    make_guest(stack)
    stack.driver.command(DANA, "feed recognition", channel=ENG)
    stack.services.settle()
    assert "<#C0ENG> has guests in it" in last_answer(stack)
    assert "`/geese feed recognition --allow-outside`" in last_answer(stack)
    stack.driver.command(DANA, "feed recognition --allow-outside", channel=ENG)
    stack.services.settle()
    assert "Only a workspace admin can let the feed post" in last_answer(stack)
    assert stack.services.feeds.ids() == []
    stack.quick_link("U0ADA")  # Ada owns the workspace
    stack.slack.channels[ENG].members.add("U0ADA")
    stack.driver.command("U0ADA", "feed recognition --allow-outside", channel=ENG)
    stack.services.settle()
    assert stack.services.feeds.get(FEED_ID).allowed_by == "U0ADA"


def test_a_guest_joining_stops_the_feed_before_its_next_card(feed, clock):
    stack = feed
    make_guest(stack)
    stack.driver.event({"type": "member_joined_channel", "user": "U0JO", "channel": ENG,
                        "channel_type": "C", "team": "T0GANDER"})
    stack.services.settle()
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Great demo")
    next_minute(stack, clock)
    assert cards(stack) == []
    assert stack.services.feeds.ids() == []
    assert any("because guests joined the channel" in d for d in dms(stack))


def test_a_channel_shared_later_is_checked_hourly_too(feed, clock):
    """Even without the event (Slack may not send it), the hourly check sees it."""
    stack = feed
    stack.slack.channels[ENG].is_ext_shared = True
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Great demo")
    next_minute(stack, clock)
    assert len(cards(stack)) == 1  # within the hour since the last check
    clock.advance(3600)
    stack.geese.add_recognition(ADA_PK, DANA_PK, None, "Thanks for the review")
    next_minute(stack, clock)
    assert len(cards(stack)) == 1
    assert any("because the channel is now shared with another organisation" in d
               for d in dms(stack))


def test_no_card_while_slack_will_not_say_who_reads_the_channel(feed, clock):
    stack = feed
    stack.services.feeds.audience_changed("T0GANDER", None, ENG)
    stack.slack.fail("conversations.members", "internal_error", times=1)
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Great demo")
    next_minute(stack, clock)
    assert cards(stack) == [] and stack.services.feeds.ids() == [FEED_ID]
    next_minute(stack, clock)  # Slack answers again: the card goes out, late not lost
    assert len(cards(stack)) == 1


def test_a_feed_reads_only_within_the_workspaces_company(stack, clock):
    """A member linked (before links kept their company) to another 7Geese company fed
    that company's recognitions here."""
    stack.quick_link("U0DANA")  # binds the workspace to Gander Labs
    pat = next(p for p in stack.geese.people.values() if p.handle == "pat")
    token = stack.geese.issue_token(pat.pk, stack.settings.geese_client_id, "all")
    from storage import Link, OAuthToken, SlackIdentity
    stack.services.links.save(Link(
        identity=SlackIdentity("T0GANDER", "U0JO"), token=OAuthToken.from_response(
            token, clock()), profile_pk=pat.pk, name=pat.full_name, email=pat.email,
        linked_at=int(clock())))  # no company kept: the feed asks 7Geese
    stack.slack.channels[ENG].members.add("U0JO")
    stack.driver.command("U0JO", "feed recognition", channel=ENG)
    stack.services.settle()
    assert "isn't in the company this workspace is connected to" in last_answer(stack, "U0JO")
    assert stack.services.feeds.ids() == []


def test_a_link_without_its_company_asks_7geese_once_a_day_not_every_poll(dana, clock):
    """A link made before links kept their company: the feed asks 7Geese which company
    it is, and remembers the answer, rather than asking again every minute."""
    from dataclasses import replace

    from storage import SlackIdentity

    stack = dana
    me = SlackIdentity("T0GANDER", DANA)
    stack.services.links.save(replace(stack.services.links.find(me), company_pk=None))
    stack.driver.command(DANA, "feed recognition", channel=ENG)
    stack.services.settle()
    assert stack.services.feeds.ids() == [FEED_ID]
    stack.geese.set_faults(status=503, operation="CurrentUser")  # asked again: no card
    clock.advance(5)
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Great demo")
    assert stack.services.feeds.poll(FEED_ID) == "posted"
    stack.geese.clear_faults()
