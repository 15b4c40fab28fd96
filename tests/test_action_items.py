"""Action items end to end: `/geese todo`, `/geese todo add ...`, Done and Undo from a
message and from the Home tab, and 7Geese down (the write waits in the outbox)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.todo.parse import Adding, Listing, due_date, parse
from tests.helpers import answer, tick
from tests.recognition_helpers import wait_form
from tests.test_home import open_home, press, text_of

DANA, FOX = "U0DANA", "U0FOX"
DANA_PK, FOX_PK = 102, 103
TORONTO = ZoneInfo("America/Toronto")  # Dana's Slack timezone


def items(stack):
    return [i for i in stack.geese.action_items.values() if not i.deleted]


def buttons(blocks) -> list[tuple[str, str]]:
    return [(b["accessory"]["action_id"], b["accessory"]["value"])
            for b in blocks if b.get("accessory", {}).get("type") == "button"]


def dana_today(stack) -> date:
    return datetime.fromtimestamp(stack.services.clock(), TORONTO).date()


# -- reading the command (pure) ----------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("", Listing()),
    ("list", Listing()),
    ("add <@U0FOX|fox> Send the rota", Adding("U0FOX", "Send the rota", None, None)),
    ("add <@U0FOX> Send the rota due friday", Adding("U0FOX", "Send the rota", None, "friday")),
    ("add <@U0FOX> Send the rota for <@U0FOX> due 2026-12-11",
     Adding("U0FOX", "Send the rota", "U0FOX", "2026-12-11")),
    ("add <@U0FOX> Send the rota due fri for <@U0FOX|fox>",
     Adding("U0FOX", "Send the rota", "U0FOX", "fri")),
    ("add <@U0FOX> Ask what is due for review",  # words, not options, in the middle
     Adding("U0FOX", "Ask what is due for review", None, None)),
])
def test_parse_understands_the_grammar(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("text, says", [
    ("add", "Mention them with @"),
    ("add fox Send it", "Mention them with @"),
    ("add <@U0FOX>", "What is there to do?"),
    ("add <@U0FOX> due friday", "What is there to do?"),
    ("add <@U0FOX> " + "x" * 256, "limited to 255 characters"),
    ("remove 3", "I didn't understand that"),
])
def test_parse_explains_what_is_wrong(text, says):
    assert says in parse(text)


@pytest.mark.parametrize("typed, expected", [
    ("friday", date(2026, 12, 4)),  # Thursday Dec 3 → tomorrow
    ("fri", date(2026, 12, 4)),
    ("thursday", date(2026, 12, 10)),  # never today: the next one
    ("Monday", date(2026, 12, 7)),
    ("today", date(2026, 12, 3)),
    ("tomorrow", date(2026, 12, 4)),
    ("2027-01-15", date(2027, 1, 15)),
    ("fr", None), ("someday", None), ("2026-13-01", None),
])
def test_due_dates(typed, expected):
    assert due_date(typed, date(2026, 12, 3)) == expected


# -- adding -----------------------------------------------------------------------------


def test_add_puts_it_on_the_next_1on1_with_that_person(dana):
    reply = answer(dana, DANA, "todo add <@U0FOX|fox> Send the rota due friday")
    (item,) = items(dana)
    assert (item.oneonone_pk, item.creator_pk, item.assigned_pk, item.title) == \
        (2, DANA_PK, DANA_PK, "Send the rota")
    today = dana_today(dana)
    friday = today + timedelta(days=(4 - today.weekday() - 1) % 7 + 1)
    assert item.due.astimezone(TORONTO) == datetime(friday.year, friday.month, friday.day,
                                                    17, tzinfo=TORONTO)
    assert "Added to your next 1-on-1 with *Fox Adeyemi*, for you" in reply.text
    assert f"<!date^{int(item.due.timestamp())}^" in str(reply.blocks)
    assert buttons(reply.blocks) == [("todo_done", str(item.pk))]


def test_for_the_other_person_and_an_iso_due_date(dana):
    reply = answer(dana, DANA, "todo add <@U0FOX|fox> Book the room for <@U0FOX|fox> "
                               "due 2027-01-15")
    (item,) = items(dana)
    assert item.assigned_pk == FOX_PK
    assert item.due.astimezone(TORONTO).date() == date(2027, 1, 15)
    assert "for Fox Adeyemi" in reply.text


@pytest.mark.parametrize("text, says", [
    ("todo add <@U0FOX> Send it due someday", "I can't read `someday` as a day"),
    ("todo add <@U0FOX> Send it for <@U0BEA>", "belongs to you or the person you meet"),
    ("todo add <@U0HANA> Send it", "no 1-on-1 with Hana"),
    ("todo add <@U0JO> Send it", "couldn't find <@U0JO> in 7Geese"),
    ("todo add", "Mention them with @"),
])
def test_clear_answers_and_nothing_half_done(dana, text, says):
    reply = answer(dana, DANA, text)
    assert says in reply.text
    assert items(dana) == [] and dana.services.writes.outbox.ids() == []


def test_an_unlinked_person_is_asked_to_link_first(stack):
    reply = answer(stack, DANA, "todo add <@U0FOX> Send the rota")
    assert "link" in reply.text.lower() and "/link/7geese/start" in str(reply.blocks)
    assert items(stack) == []


# -- listing, Done and Undo ---------------------------------------------------------------


def test_list_done_twice_and_undo_from_the_message(dana):
    first = dana.geese.save_action_item(DANA_PK, None, {
        "createdInOneonone": 2, "title": "Send the rota", "assignedTo": DANA_PK,
        "dueDate": "2026-12-11T22:00:00+00:00"})
    dana.geese.save_action_item(FOX_PK, None, {  # Fox's own: not on Dana's list
        "createdInOneonone": 2, "title": "Fox's homework", "assignedTo": FOX_PK})
    dana.geese.save_action_item(DANA_PK, None, {
        "createdInOneonone": 12, "title": "Draft the <b>plan</b> & share", "assignedTo": DANA_PK})
    listing = answer(dana, DANA, "todo")
    text = str(listing.blocks)
    assert "Your open action items (2)" in text and "Fox's homework" not in text
    assert "Draft the &lt;b&gt;plan&lt;/b&gt; &amp; share" in text  # escaped
    assert "from the 1-on-1 of Dana Ito and Fox Adeyemi" in text
    assert "no due date" in text
    assert ("todo_done", str(first.pk)) in buttons(listing.blocks)

    message = {"ts": "1700000000.000100", "blocks": listing.blocks}
    for expected in ("Done: “Send the rota”", "“Send the rota” was already done"):
        dana.driver.block_action(DANA, {"action_id": "todo_done", "value": str(first.pk)},
                                 channel="C0GENERAL", message=message)
        dana.services.settle()
        reply = [p for p in dana.slack.visible_to(DANA) if p.kind != "home"][-1]
        assert expected in reply.text
    assert first.completed is not None and first.completed_by == DANA_PK
    assert buttons(reply.blocks) == [] or buttons(reply.blocks)[0][0] != "todo_done"

    dana.driver.block_action(DANA, {"action_id": "todo_undo", "value": str(first.pk)},
                             channel="C0GENERAL", message=message)
    dana.services.settle()
    reply = [p for p in dana.slack.visible_to(DANA) if p.kind != "home"][-1]
    assert "Open again: “Send the rota”" in reply.text and first.completed is None


def test_a_deleted_item_says_so(dana):
    item = dana.geese.save_action_item(DANA_PK, None, {
        "createdInOneonone": 2, "title": "Send the rota", "assignedTo": DANA_PK})
    item.deleted = True
    dana.driver.block_action(DANA, {"action_id": "todo_done", "value": str(item.pk)},
                             channel="C0GENERAL", message={"ts": "1.2", "blocks": []})
    dana.services.settle()
    reply = [p for p in dana.slack.visible_to(DANA) if p.kind != "home"][-1]
    assert "no longer in 7Geese" in reply.text


def test_a_long_list_ends_with_and_n_more(dana):
    for n in range(27):
        dana.geese.save_action_item(DANA_PK, None, {
            "createdInOneonone": 2, "title": f"Item {n}", "assignedTo": DANA_PK})
    listing = answer(dana, DANA, "todo")
    assert "Your open action items (27)" in str(listing.blocks)
    assert "and 7 more in <" in str(listing.blocks)
    assert len(buttons(listing.blocks)) == 20


def test_the_home_tab_lists_them_with_done(dana):
    item = dana.geese.save_action_item(DANA_PK, None, {
        "createdInOneonone": 2, "title": "Send the rota", "assignedTo": DANA_PK})
    view = open_home(dana)
    assert "*Your open action items*" in text_of(view) and "Send the rota" in text_of(view)
    view = press(dana, "todo_done", str(item.pk))
    assert item.completed is not None
    dana.slack.wait_for(lambda: "Send the rota" not in text_of(dana.slack.homes[DANA]),
                        timeout=10)
    assert "Nothing open" in text_of(dana.slack.homes[DANA])


# -- 7Geese down ----------------------------------------------------------------------------


def test_7geese_down_keeps_the_item_and_adds_it_once_when_back(dana, clock):
    dana.geese.set_faults(status=503)
    reply = answer(dana, DANA, "todo add <@U0FOX|fox> Send the rota")
    assert "7Geese isn't answering right now, so I saved" in reply.text
    assert items(dana) == [] and len(dana.services.writes.outbox.ids()) == 1
    dana.geese.clear_faults()
    clock.advance(31)
    assert tick(dana).get("write") == 1
    assert [i.title for i in items(dana)] == ["Send the rota"]
    assert dana.services.writes.outbox.ids() == []
    dm = [p for p in dana.slack.posted if p.channel == "D0DANA" and p.kind == "message"][-1]
    assert "Added to your next 1-on-1 with *Fox Adeyemi*" in str(dm.blocks)
    clock.advance(600)
    assert dana.services.writes.outbox.due(limit=10) == []
    assert len(items(dana)) == 1


def test_the_add_action_item_form_adds_to_that_meeting(dana):
    dana.driver.block_action(DANA, {"action_id": "todo_add",
                                    "value": json.dumps({"meeting": 12, "user": "U0ADA"})},
                             channel="D0DANA", message={"ts": "1.2", "blocks": []})
    modal = wait_form(dana, DANA)
    assert modal["callback_id"] == "todo_add_modal"
    dana.driver.view_submission(DANA, modal, {
        "title": {"title": {"type": "plain_text_input", "value": "Write the job ad"}},
        "due": {"due": {"type": "datepicker", "selected_date": "2026-12-18"}},
        "mine": {"mine": {"type": "radio_buttons", "selected_option": {"value": "them"}}}})
    dana.services.settle()
    (item,) = items(dana)
    assert (item.oneonone_pk, item.assigned_pk, item.title) == (12, 101, "Write the job ad")


def test_a_worker_does_not_send_an_item_while_its_first_attempt_waits_on_7geese(dana):
    """The item is due the moment it is kept: while 7Geese takes its time over the first
    attempt (it saves, then answers late), a worker's delivery must not send it again."""
    import threading
    import time

    from storage import SlackIdentity

    me = SlackIdentity("T0GANDER", DANA)
    writes = dana.services.writes
    dana.geese.set_faults(latency=1.5, path="/graphql", method="POST", skip=2)  # the write
    first = threading.Thread(target=writes.submit, args=("todo_add", me, {
        "title": "Send the rota", "theirs": False, "due": None, "partner": FOX}))
    first.start()
    try:
        deadline = time.monotonic() + 10  # 7Geese saves it; its answer is still coming
        while not items(dana) and time.monotonic() < deadline:
            time.sleep(0.02)
        (pending,) = writes.outbox.ids()
        meanwhile = writes.deliver(pending)  # the clock's worker
    finally:
        first.join(timeout=10)
    assert meanwhile == "busy"
    dana.geese.clear_faults()
    assert [i.title for i in items(dana)] == ["Send the rota"]
    assert writes.outbox.ids() == []


def test_a_due_date_that_is_not_one_is_shown_as_typed_not_as_markup(stack):
    stack.quick_link("U0DANA")
    reply = stack.driver.command("U0DANA", "todo add <@U0FOX|fox> Send it due <!channel>")
    stack.services.settle()
    said = json.dumps(reply.body) + json.dumps([p.text for p in stack.slack.visible_to("U0DANA")])
    assert "as a day" in said and "<!channel>" not in said
