"""The recognition parser: a pure function, tested directly and with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.recognition.parse import MESSAGE_LIMIT, Draft, Refusal, parse, plain_text

BADGES = ["Ownership", "Go the Extra Mile", "Customer Obsession", "Teamwork",
          "Learn and Grow", "Kindness"]


def ok(text, **kwargs) -> Draft:
    result = parse(text, sender="U0ME", badges=kwargs.pop("badges", BADGES), **kwargs)
    assert isinstance(result, Draft), result
    return result


def no(text, **kwargs) -> Refusal:
    result = parse(text, sender="U0ME", badges=kwargs.pop("badges", BADGES), **kwargs)
    assert isinstance(result, Refusal), result
    return result


def test_recipients_message_badge_and_flag():
    draft = ok("<@U1> <@U2|fox> Thanks for carrying the release over the line! #ownership")
    assert draft == Draft(("U1", "U2"), "Thanks for carrying the release over the line!",
                          "Ownership", False, True)
    assert ok("<@U1> <@U1> twice").recipients == ("U1",)
    assert ok("<@U1> hi --private").private and ok("<@U1> hi \u2014private").private
    assert ok("<@W1> enterprise people too").recipients == ("W1",)


@pytest.mark.parametrize("tag", ["#go-the-extra-mile", "#GoTheExtraMile", "#go_the_extra_mile",
                                 "#go the extra mile", "#GO-THE-EXTRA-MILE!"])
def test_badges_match_in_any_spelling(tag):
    assert ok(f"<@U1> again {tag}").badge == "Go the Extra Mile"


def test_badge_position_decides_whether_its_words_stay():
    assert ok("#teamwork <@U1> sprint demo").message == "sprint demo"
    assert ok("<@U1> showed real #ownership today").message == "showed real ownership today"
    assert ok("<@U1> multi\nline\n\nmessage #kindness").message == "multi\nline\n\nmessage"


def test_mentions_later_in_the_text_are_recipients_only_without_leading_ones():
    assert ok("<@U1> thanks to <@U2> too").recipients == ("U1",)
    assert ok("Thanks <@U2|bea> for fixing #123").recipients == ("U2",)
    assert ok("Thanks <@U2|bea> for fixing #123").message == "Thanks <@U2|bea> for fixing #123"


def test_a_channel_named_like_a_badge_is_the_badge():
    assert ok("<#C1|ownership> <@U1> ok").badge == "Ownership"
    assert no("<#C1|eng> <@U1> ok").reason == "channel"
    assert ok("<@U1> saw it in <#C1|eng>").message == "saw it in <#C1|eng>"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no_recipient"), ("thanks all", "no_recipient"), ("<@U1>", "no_message"),
        ("<@U1> #ownership --private", "no_message"), ("<@U0ME> me", "self"),
        ("<@U1> <@U0ME> us", "self"), ("<!subteam^S1|@eng> yay", "group"),
        ("<@U1> and <!channel>", "special"), ("@dana hi", "unresolved"),
        ("<@U1> hi #nope", "unknown_badge"), ("<@U1> hi #ownership #kindness", "two_badges"),
        ("<@U1> " + "x" * (MESSAGE_LIMIT + 1), "too_long"),
    ],
)
def test_refusals(text, reason):
    refusal = no(text)
    assert refusal.reason == reason and refusal.text


def test_unknown_badge_lists_the_badges():
    assert no("<@U1> hi #nope").text.endswith(
        "#ownership, #go-the-extra-mile, #customer-obsession, #teamwork, #learn-and-grow, "
        "#kindness.")


def test_without_the_badge_list_the_tag_waits():
    draft = parse("<@U1> hi #whatever", sender="U0ME")
    assert draft.badge == "whatever" and not draft.badge_checked
    assert parse("<@U1> hi #123", sender="U0ME").badge is None


def test_plain_text_for_7geese():
    assert plain_text("Thanks <@U1|dana> and <@U2> in <#C1|eng> &amp; <https://x.io|docs> "
                      "<https://y.io> <!here>", {"U2": "Fox Adeyemi"}) == \
        "Thanks @dana and @Fox Adeyemi in #eng & docs (https://x.io) https://y.io @here"


slack_tokens = st.sampled_from(["<@U1>", "<@U2|fox>", "<@U0ME>", "<#C1|eng>", "<#C2|ownership>",
                                "<!here>", "<!subteam^S1|@eng>", "<https://x.io|x>", "#ownership",
                                "#go", "the", "extra", "mile", "--private", "@dana", "#123", "<",
                                ">", "<@", "\n", " ", "&amp;", "<>", "<#>", "#", "\u2014private"])


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_text(text):
    for badges in (None, BADGES, []):
        result = parse(text, sender="U0ME", badges=badges)
        assert isinstance(result, Draft | Refusal)
        plain_text(text, {})


@settings(max_examples=400, deadline=None)
@given(st.lists(slack_tokens | st.text(max_size=8), max_size=25).map(" ".join))
def test_drafts_keep_their_promises(text):
    result = parse(text, sender="U0ME", badges=BADGES)
    if isinstance(result, Draft):
        assert result.recipients and "U0ME" not in result.recipients
        assert len(set(result.recipients)) == len(result.recipients)
        assert result.message and len(result.message) <= MESSAGE_LIMIT
        assert result.badge is None or result.badge in BADGES
        assert "--private" not in result.message.split()


def test_a_badge_name_from_7geese_is_shown_not_obeyed_in_a_refusal():
    refused = parse("<@U0DANA> nice #nope", sender="U0ADA", badges=["<!channel> Stars"])
    assert isinstance(refused, Refusal) and refused.reason == "unknown_badge"
    assert "<!channel>" not in refused.text and "&lt;!channel&gt;" in refused.text
