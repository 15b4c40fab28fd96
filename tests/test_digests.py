"""A channel's recognition digest (issue 27): each person recognized named once with who
recognized them, nothing private, nothing from outside the channel, nothing when there
is nothing, once per slot, retried within the hour."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from bot.work.pausing import pause
from storage import SlackIdentity
from storage.recognitions import OwnRecognitions
from tests.helpers import answer, press_home_button, tick

DANA, FOX, BEA = "U0DANA", "U0FOX", "U0BEA"
ADA_PK, DANA_PK, FOX_PK, BEA_PK = 101, 102, 103, 104
ENG = "C0ENG"


@pytest.fixture
def digest(dana, clock):
    """Dana set a weekly digest in #eng, Fridays 16:00 UTC."""
    dana.driver.command(DANA, "digest recognition weekly fri 16:00 tz=UTC", channel=ENG)
    dana.services.settle()
    told = [p for p in dana.slack.visible_to(DANA) if p.kind == "response"][-1].text
    assert "gets a weekly recognition digest, 16:00 on Fridays (UTC)" in told
    return dana


def digests_posted(stack):
    return [p for p in stack.slack.posted if p.channel == ENG and p.kind == "message"
            and "The recognition digest." in json.dumps(p.blocks or [])]


def to_the_slot(stack, clock) -> dict[str, int]:
    """Move to the digest's next slot and run the clock's jobs there."""
    record = stack.services.digests.get(f"-:T0GANDER:{ENG}")
    now = datetime.fromtimestamp(clock(), UTC)
    clock.advance(record.schedule.next_after(now).timestamp() - clock() + 5)
    return tick(stack)


def person_of(stack, pk):
    return next(p for p in stack.geese.people.values() if p.pk == pk)


def test_the_week_names_each_person_once_with_who_recognized_them(digest, clock):
    stack = digest
    geese = stack.geese
    geese.add_recognition(ADA_PK, FOX_PK, 1, "Great demo")
    geese.add_recognition(BEA_PK, FOX_PK, None, "Thanks for the review")
    for pk in (DANA_PK, FOX_PK):  # one recognition of two people
        geese.add_recognition(ADA_PK, pk, 1, "Smooth launch, both of you")
    geese.add_recognition(BEA_PK, ADA_PK, 1, "Ada is not in #eng: not in its digest")
    private = geese.add_recognition(ADA_PK, BEA_PK, None, "Made with --private")
    OwnRecognitions(stack.services.redis).given(  # what the bot keeps when it gives one
        SlackIdentity("T0GANDER", "U0ADA"), [private.pk], private=True, channel_id=None)
    to_the_slot(stack, clock)
    (posted,) = digests_posted(stack)
    text = json.dumps(posted.blocks)
    assert "3 recognitions this week" in text
    assert "<@U0FOX>, by <@U0ADA> and <@U0BEA>" in text
    assert "<@U0DANA>, by <@U0ADA>" in text
    assert "Most given: Ownership" in text
    assert "<@U0ADA>," not in text and "private" not in text
    assert text.count("<@U0FOX>,") == 1  # named once, no count per person
    to_the_slot(stack, clock)  # the next week: nothing new, nothing posted
    assert len(digests_posted(stack)) == 1


def test_an_empty_week_posts_nothing(digest, clock):
    to_the_slot(digest, clock)
    assert digests_posted(digest) == []


def test_two_hundred_recognitions_among_sixty_people_stay_within_slack(digest, clock):
    stack = digest
    people = stack.geese.add_people(60, start_pk=3000)
    for user in stack.slack.add_people(60):
        stack.slack.channels[ENG].members.add(user.id)
    for n in range(200):
        stack.geese.add_recognition(ADA_PK, people[n % 60].pk, 1 + n % 3, f"Thanks {n}")
    to_the_slot(stack, clock)
    (posted,) = digests_posted(stack)
    text = json.dumps(posted.blocks)
    assert "200 recognitions this week" in text and "and 35 more" in text
    assert stack.slack.refusals == []


def test_7geese_down_at_the_slot_is_retried_within_the_hour_once(digest, clock):
    stack = digest
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Great demo")
    stack.geese.set_faults(status=503)
    to_the_slot(stack, clock)
    assert digests_posted(stack) == []
    stack.geese.clear_faults()
    for _ in range(3):
        clock.advance(60)
        tick(stack)
    assert len(digests_posted(stack)) == 1


def test_who_stops_it_and_who_sees_it_listed(digest):
    stack = digest
    assert "<#C0ENG>: weekly, 16:00 on Fridays (UTC), set by <@U0DANA>" in \
        answer(stack, FOX, "digests").text + str(answer(stack, FOX, "digests").blocks)
    stack.driver.command(FOX, "digest off", channel=ENG)
    stack.services.settle()
    assert stack.services.digests.get(f"-:T0GANDER:{ENG}") is not None
    stack.driver.command(DANA, "unlink")
    stack.services.settle()
    assert stack.services.digests.get(f"-:T0GANDER:{ENG}") is None
    assert any("I stopped the recognition digest in <#C0ENG> because you unlinked" in
               (p.text or "") for p in stack.slack.posted if p.channel == "D0DANA")


def test_a_channel_with_a_guest_gets_no_digest(dana):
    dana.slack.users["U0JO"].is_restricted = True
    dana.slack.channels[ENG].members.add("U0JO")
    dana.driver.command(DANA, "digest recognition weekly", channel=ENG)
    dana.services.settle()
    told = [p for p in dana.slack.visible_to(DANA) if p.kind == "response"][-1].text
    assert "<#C0ENG> has guests in it" in told
    assert dana.services.digests.get(f"-:T0GANDER:{ENG}") is None


def test_malformed_digest_commands_say_what_to_type(dana):
    told = dana.driver.command(DANA, "digest recognition weekly at teatime", channel=ENG)
    assert "I didn't understand `at`" in told.body["text"]
    assert "Turn your weekly team digest on or off" in \
        dana.driver.command(DANA, "digest team please").body["text"]


def test_the_home_tab_lists_the_digests_you_set(digest):
    from tests.test_home import open_home

    home = json.dumps(open_home(digest, DANA))
    assert "Recognition digest in <#C0ENG> (16:00 on Fridays (UTC))" in home


# -- a manager's week ------------------------------------------------------------------------

def team_dms(stack, user=DANA):
    return [p for p in stack.slack.posted if p.channel == "D0" + user[2:]
            and "Your weekly team digest" in json.dumps(p.blocks or [])]


def to_the_team_slot(stack, clock, user=DANA):
    schedule = stack.services.team_digests.of(SlackIdentity("T0GANDER", user))
    now = datetime.fromtimestamp(clock(), UTC)
    clock.advance(schedule.next_after(now).timestamp() - clock() + 5)
    return tick(stack)


@pytest.fixture
def manager(dana):
    """Dana (Fox, Bea and Ivan report to her) turned her team digest on."""
    told = answer(dana, DANA, "digest team on fri 15:00")
    assert "your team digest comes by DM 15:00 on Fridays (America/Toronto)" in told.text
    return dana


def test_a_managers_week_comes_in_one_dm(manager, clock):
    stack = manager
    stack.geese.add_recognition(ADA_PK, FOX_PK, 1, "Great demo")
    to_the_team_slot(stack, clock)
    (dm,) = team_dms(stack)
    text = json.dumps(dm.blocks)
    assert "*Fox Adeyemi*" in text and "Recognized by Ada Okafor for *Ownership*" in text
    assert "Eli" not in text and "Chen" not in text  # Ada's reports, not Dana's
    fox = next(b for b in dm.blocks if "*Fox Adeyemi*" in b.get("text", {}).get("text", ""))
    assert "no talking points yet" in fox["text"]["text"]  # an empty agenda offers its button
    assert fox["accessory"]["action_id"] == "oneonone_add"
    to_the_team_slot(stack, clock)  # the next week: last week's recognition is not in it
    assert all("Great demo" not in json.dumps(d.blocks) and "Recognized by" not in
               json.dumps(d.blocks) for d in team_dms(stack)[1:])


def test_twelve_reports_stay_within_slack(stack, clock):
    stack.quick_link("U0ADA")
    assert "Done" in answer(stack, "U0ADA", "digest team on fri 15:00").text
    people = stack.geese.add_people(12, start_pk=4000)  # each reports to Ada
    for person in people:
        stack.geese.add_recognition(DANA_PK, person.pk, 2, "Thanks " * 200)
    to_the_team_slot(stack, clock, "U0ADA")
    (dm,) = team_dms(stack, "U0ADA")
    assert json.dumps(dm.blocks).count("Recognized by Dana Ito") >= 6
    assert stack.slack.refusals == []


def test_nothing_to_tell_or_paused_sends_nothing(stack, clock):
    stack.quick_link("U0KOFI")  # Kofi has no reports
    answer(stack, "U0KOFI", "digest team on")
    to_the_team_slot(stack, clock, "U0KOFI")
    assert team_dms(stack, "U0KOFI") == []
    stack.quick_link(DANA)
    answer(stack, DANA, "digest team on fri 15:00")
    pause(stack.services.prefs, SlackIdentity("T0GANDER", DANA), date(2100, 1, 1))
    stack.geese.add_recognition(ADA_PK, FOX_PK, 1, "Great demo")
    to_the_team_slot(stack, clock)
    assert team_dms(stack) == []


def test_7geese_down_at_the_team_slot_is_retried_once(manager, clock):
    stack = manager
    stack.geese.add_recognition(ADA_PK, FOX_PK, 1, "Great demo")
    stack.geese.set_faults(status=503)
    to_the_team_slot(stack, clock)
    assert team_dms(stack) == []
    stack.geese.clear_faults()
    for _ in range(3):
        clock.advance(60)
        tick(stack)
    assert len(team_dms(stack)) == 1


def test_a_report_who_left_is_not_listed(manager, clock):
    stack = manager
    stack.geese.people.pop(BEA_PK)
    stack.geese.add_recognition(ADA_PK, FOX_PK, 1, "Great demo")
    to_the_team_slot(stack, clock)
    (dm,) = team_dms(stack)
    assert "Bea" not in json.dumps(dm.blocks)


def test_team_digest_off(manager):
    assert "no more team digest" in answer(manager, DANA, "digest team off").text
    assert manager.services.team_digests.of(SlackIdentity("T0GANDER", DANA)) is None
    assert "Turn your weekly team digest on or off" in \
        answer(manager, DANA, "digest team sometimes").text


def test_the_home_tab_offers_the_team_digest_to_managers(dana, clock):
    from tests.test_home import open_home

    home = open_home(dana, DANA)  # Fox, Bea and Ivan report to Dana in 7Geese
    press_home_button(dana, DANA, home, "home_team_digest", "Turn on")
    assert dana.services.team_digests.of(SlackIdentity("T0GANDER", DANA)) is not None
    dana.quick_link(FOX)  # nobody reports to Fox: no offer
    assert "home_team_digest" not in json.dumps(open_home(dana, FOX))


def test_a_digest_whose_setter_7geese_revoked_stops_and_says_so(digest, clock):
    stack = digest
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Great demo")
    stack.geese.revoke_user_tokens(DANA_PK)
    stack.geese.expire_access_tokens(DANA_PK)
    to_the_slot(stack, clock)
    assert digests_posted(stack) == []
    assert stack.services.digests.get(f"-:T0GANDER:{ENG}") is None
    assert any("I stopped the recognition digest in <#C0ENG>" in (p.text or "")
               for p in stack.slack.posted if p.channel == "D0DANA")


def test_no_digest_while_slack_will_not_list_the_channel_then_it_goes(digest, clock):
    stack = digest
    stack.geese.add_recognition(ADA_PK, FOX_PK, None, "Great demo")
    stack.slack.fail("conversations.members", "internal_error", times=1)
    to_the_slot(stack, clock)
    assert digests_posted(stack) == []
    clock.advance(60)
    tick(stack)
    assert len(digests_posted(stack)) == 1


def test_a_team_digest_with_a_revoked_token_sends_nothing(manager, clock):
    stack = manager
    stack.geese.add_recognition(ADA_PK, FOX_PK, 1, "Great demo")
    stack.geese.revoke_user_tokens(DANA_PK)
    stack.geese.expire_access_tokens(DANA_PK)
    to_the_team_slot(stack, clock)
    assert team_dms(stack) == []
    to_the_team_slot(stack, clock)  # the link is broken now: the digest is dropped
    assert stack.services.team_digests.of(SlackIdentity("T0GANDER", DANA)) is None
