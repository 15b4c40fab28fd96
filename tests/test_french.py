"""A person whose Slack is in French uses geese-bot in French, end to end: signed
requests to /slack/events, the sandbox Slack (whose users.info gives a `locale` only
when asked with include_locale), the link pages in a browser, the sandbox 7Geese."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from playground.stack import start_stack
from storage import SlackIdentity
from tests.test_home import open_home, text_of

DANA, FOX = "U0DANA", "U0FOX"
DANA_ID = SlackIdentity("T0GANDER", DANA)


@pytest.fixture
def french(stack):
    """Dana's Slack is in Canadian French; everyone else's in English."""
    stack.slack.users[DANA].locale = "fr-CA"
    return stack


def english_left(text: str) -> list[str]:
    """Pieces of the bot's English (the catalog's msgids, cut at placeholders) found in
    `text`: a French speaker should meet none."""
    from babel.messages.pofile import read_po

    from tests.helpers import ROOT

    po = ROOT / "bot" / "locales" / "fr" / "LC_MESSAGES" / "geese_bot.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    found = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            for piece in re.split(r"\{[^{}]*\}|`[^`]*`|<[^<>]*>|\*|_|\n", english):
                piece = piece.strip(" .,:;!?()")
                if len(piece) >= 12 and not any(piece in s for s in strings) \
                        and piece in text:
                    found.add(piece)
    return sorted(found)


def everything_seen(stack, user: str) -> str:
    """Every message, Home tab and form `user` was shown, as one text."""
    texts = [json.dumps([p.text, p.blocks, p.view], ensure_ascii=False)
             for p in stack.slack.visible_to(user)]
    home = stack.slack.homes.get(user)
    return "\n".join([*texts, json.dumps(home, ensure_ascii=False) if home else ""])


def seen_by(stack, user: str, since: int = 0) -> str:
    return json.dumps([(p.text, p.blocks) for p in stack.slack.visible_to(user, since)],
                      ensure_ascii=False)


def test_linking_in_french_from_the_first_answer_to_the_last_page(french):
    stack = french
    reply = stack.driver.command(DANA, "link")
    # Her first request ever: the ack already speaks her Slack's language.
    assert "Lier mon compte 7Geese" in json.dumps(reply.body, ensure_ascii=False)
    assert "Link my 7Geese account" not in json.dumps(reply.body)
    page = stack.follow_link(stack.link_button_url(DANA),
                             email="dana@ganderlabs.example")
    assert page.status == 200 and '<html lang="fr">' in page.text
    assert page.title.startswith("Vos comptes sont liés")
    stack.services.settle()
    assert "Tout est prêt" in seen_by(stack, DANA)


def test_a_confirmation_page_follows_the_person_the_link_is_for(french):
    """The page names whose link it is in that person's language, whatever the browser."""
    from sandbox.browser import Browser

    stack = french
    stack.driver.command(DANA, "link")
    browser = Browser()
    try:
        page = browser.open(stack.link_button_url(DANA))
    finally:
        browser.close()
    assert page.is_confirmation and '<html lang="fr">' in page.text
    assert "Liez votre compte 7Geese" in page.title
    assert "Continuer vers 7Geese" in page.text


def test_recognize_objectives_and_1on1s_in_french(french):
    stack = french
    stack.quick_link(DANA)
    stack.quick_link(FOX)
    # A French keyword, an accent optional: `reconnaître` is `recognize`.
    reply = stack.driver.command(DANA, "reconnaître <@U0FOX> a livré la migration #ownership")
    assert reply.body["text"] == "Reconnaissance de <@U0FOX> en cours..."
    stack.services.settle()
    dana_sees = seen_by(stack, DANA)
    assert "C'est fait ! Votre reconnaissance de <@U0FOX>" in dana_sees
    card = [p for p in stack.slack.visible_to("U0BEA") if "a reconnu" in str(p.blocks)]
    assert card, "the channel card is in the sender's language"
    # Fox's own copy is in Fox's language.
    assert "<@U0DANA> recognized <@U0FOX>" in seen_by(stack, FOX)

    since = stack.slack.posted[-1].seq
    stack.driver.command(DANA, "objectifs")
    stack.services.settle()
    objectives = seen_by(stack, DANA, since)
    assert "Vos objectifs en cours" in objectives and "Faire le point" in objectives
    assert "\u00a0%" in objectives  # "40 %": French puts a space before the sign

    since = stack.slack.posted[-1].seq
    stack.driver.command(DANA, "tete-a-tete")
    stack.services.settle()
    assert "Vos tête-à-tête à venir" in seen_by(stack, DANA, since)
    since = stack.slack.posted[-1].seq
    stack.driver.command(DANA, "1on1 add <@U0FOX> Le budget de janvier")
    stack.services.settle()
    assert "Ajouté à votre tête-à-tête avec *Fox Adeyemi*" in seen_by(stack, DANA, since)
    open_home(stack)
    assert "Vos prochains tête-à-tête" in text_of(stack.slack.homes[DANA])
    # Everything Dana met reads French throughout: no piece of the bot's English.
    assert english_left(everything_seen(stack, DANA)) == []


def test_help_lists_the_french_words_in_french(french):
    body = json.dumps(french.driver.command(DANA, "aide").body, ensure_ascii=False)
    assert "Voici ce que vous pouvez faire" in body
    assert "`reconnaitre`" in body and "`objectifs`" in body and "`aide`" in body


def test_the_home_tab_in_french_and_a_language_picked_there(french):
    stack = french
    stack.quick_link(DANA)
    view = open_home(stack)
    text = text_of(view)
    assert "7Geese dans Slack" in text and "Vos objectifs en cours" in text
    menu = next(b["accessory"] for b in view["blocks"]
                if (b.get("accessory") or {}).get("action_id") == "language_pick")
    assert menu["initial_option"]["value"] == "auto"
    english = next(o for o in menu["options"] if o["value"] == "en")
    stack.driver.block_action(DANA, {"action_id": "language_pick", "type": "static_select",
                                     "selected_option": english},
                              view={**view, "id": "VHOME" + DANA})
    stack.services.settle()
    text = text_of(stack.slack.homes[DANA])
    assert "7Geese in Slack" in text and "Your open objectives" in text


def test_a_forged_language_menu_changes_nothing(french):
    stack = french
    stack.quick_link(DANA)
    view = open_home(stack)
    stack.driver.block_action(DANA, {"action_id": "language_pick", "type": "static_select",
                                     "selected_option": {"value": "xx"}},
                              view={**view, "id": "VHOME" + DANA})
    stack.services.settle()
    assert stack.services.languages.choice(DANA_ID) is None
    assert "7Geese dans Slack" in text_of(stack.slack.homes[DANA])


def test_switching_language_takes_effect_at_once(french):
    stack = french
    body = json.dumps(stack.driver.command(DANA, "language en").body)
    assert "Done: I'll speak English with you from now on." in body
    assert "Here is what you can do" in json.dumps(stack.driver.command(DANA, "help").body)
    body = json.dumps(stack.driver.command(DANA, "langue français").body, ensure_ascii=False)
    assert "je vous parlerai en français" in body
    assert "Voici ce que vous pouvez faire" in json.dumps(
        stack.driver.command(DANA, "help").body, ensure_ascii=False)
    body = json.dumps(stack.driver.command(DANA, "language auto").body, ensure_ascii=False)
    assert "la langue de votre Slack (français pour l'instant)" in body
    assert "Je ne connais pas la langue `klingon`" in json.dumps(
        stack.driver.command(DANA, "language klingon").body, ensure_ascii=False)


def test_an_english_speaker_can_choose_french(french):
    stack = french
    body = json.dumps(stack.driver.command(FOX, "language fr").body, ensure_ascii=False)
    assert "je vous parlerai en français" in body
    assert stack.services.languages.choice(SlackIdentity("T0GANDER", FOX)) == "fr"
    assert stack.services.languages.of(SlackIdentity("T0GANDER", FOX)) == "fr"


def test_a_channel_reminder_speaks_the_language_of_whoever_set_it(french, clock):
    from tests.test_reminders import DAILY, at, in_channel, next_0930_toronto

    stack = french
    for user in ("U0DANA", "U0FOX", "U0BEA", "U0IVAN", "U0CHEN"):
        stack.quick_link(user)
    stack.driver.command(DANA, DAILY, channel="C0GENERAL")
    stack.services.settle()
    assert "C'est fait : ce canal reçoit un rappel" in seen_by(stack, DANA)
    slot = next_0930_toronto(clock)
    at(stack, clock, slot + timedelta(seconds=5))
    assert stack.services.dispatcher.run_due() == {"sent": 1}
    message = in_channel(stack, "C0GENERAL")[-1]
    assert "C'est le moment de faire le point sur vos objectifs" in json.dumps(
        message.blocks, ensure_ascii=False)


def test_the_default_language_serves_people_whose_slack_language_the_bot_lacks(
        redis_client, clock):
    with start_stack(redis_client=redis_client, clock=clock,
                     default_language="fr") as stack:
        stack.slack.users[DANA].locale = "de-DE"
        stack.slack.users[FOX].locale = "en-GB"
        assert "Voici ce que vous pouvez faire" in json.dumps(
            stack.driver.command(DANA, "help").body, ensure_ascii=False)
        assert "Here is what you can do" in json.dumps(stack.driver.command(FOX, "help").body)
        stack.services.settle()


def test_a_person_first_seen_while_slack_is_down_gets_the_default_then_their_own(french):
    stack = french
    stack.slack.fail("users.info", "internal_error", times=1)
    assert "Here is what you can do" in json.dumps(stack.driver.command(DANA, "help").body)
    stack.services.settle()
    # The slow half asked again (the people directory) and remembered it.
    assert stack.services.languages.of(DANA_ID) == "fr"
    body = json.dumps(stack.driver.command(DANA, "help").body, ensure_ascii=False)
    assert "Voici ce que vous pouvez faire" in body


def test_dates_in_a_french_reply_are_french(french, clock):
    stack = french
    stack.quick_link(DANA)
    day = datetime.fromtimestamp(clock(), UTC).date() + timedelta(days=20)
    body = json.dumps(stack.driver.command(DANA, f"pause until {day.isoformat()}").body,
                      ensure_ascii=False)
    french_months = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                     "sept.", "oct.", "nov.", "déc.")
    assert "Rappels en pause" in body and french_months[day.month - 1] in body


def test_french_words_in_the_commands_own_grammar():
    from bot.digest.parse import Start, parse_digest
    from bot.reminders.commands import parse_remind

    digest = parse_digest("reconnaissance hebdomadaire ven 16:00")
    assert isinstance(digest, Start) and digest.period == "weekly"
    assert digest.days == "fri" and (digest.hour, digest.minute) == (16, 0)
    assert parse_remind("objectives 09:30 quotidien").days == "daily"
    assert parse_remind("objectives 09:30 semaine").days == "weekdays"


def test_a_recognition_reaches_each_recipient_in_their_own_language(stack):
    """Bea never spoke to the bot; her Slack is in French, so her copy is French while
    the English-speaking sender's card stays English."""
    stack.slack.users["U0BEA"].locale = "fr-FR"
    stack.quick_link(DANA)
    stack.driver.command(DANA, "recognize <@U0BEA> <@U0FOX> fixed the build #ownership")
    stack.services.settle()
    bea = seen_by(stack, "U0BEA")
    assert "<@U0DANA> a reconnu <@U0BEA> et <@U0FOX>" in bea
    assert "<@U0DANA> recognized <@U0BEA> and <@U0FOX>" in seen_by(stack, FOX)


def test_a_choice_made_in_one_process_is_heard_by_the_others_at_once(redis_client, clock):
    """Two web processes: the one that did not handle `/geese language fr` had just
    answered Dana in English; its next answer is French, well before its memory lapses."""
    with start_stack(redis_client=redis_client, clock=clock) as one, \
            start_stack(redis_client=redis_client, clock=clock) as two:
        assert two.services.languages.quick(DANA_ID) == "en"  # remembered for a minute
        one.services.languages.choose(DANA_ID, "fr")
        two.slack.wait_for(lambda: two.services.languages.quick(DANA_ID) == "fr" or None,
                           timeout=5)
        assert two.services.languages.quick(DANA_ID) == "fr"


def test_an_action_item_added_with_french_words():
    from datetime import date

    from bot.todo.parse import Adding, due_date, parse

    adding = parse("ajouter <@U0FOX|fox> Envoyer l'horaire pour <@U0FOX> échéance vendredi")
    assert isinstance(adding, Adding)
    assert (adding.title, adding.assignee, adding.due) == ("Envoyer l'horaire", "U0FOX",
                                                           "vendredi")
    wednesday = date(2026, 11, 18)
    assert due_date("vendredi", wednesday) == date(2026, 11, 20)
    assert due_date("ven", wednesday) == date(2026, 11, 20)
    assert due_date("demain", wednesday) == date(2026, 11, 19)
    assert due_date("aujourd'hui", wednesday) == wednesday
    assert due_date("friday", wednesday) == date(2026, 11, 20)


def test_switches_and_pauses_in_french_and_a_bad_date_shown_as_typed():
    from datetime import date

    from bot.reminders.commands import OneOnOneNudges, Problem, parse_nudges, parse_pause

    assert parse_nudges("1on1 désactiver") == OneOnOneNudges(on=False)
    assert parse_nudges("activer 08:30").hour == 8
    assert parse_pause("jusqu'au 2026-12-24", date(2026, 11, 18)) == date(2026, 12, 24)
    typed = parse_pause("until <!channel>", date(2026, 11, 18))
    assert isinstance(typed, Problem) and "<!channel>" not in typed.text
