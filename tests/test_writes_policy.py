"""Every 7Geese write lands once: after an attempt that may have been carried out (7Geese
did the work, then answered 502), the next attempt learns whether it landed before it
sends again, as each kind's row in bot/geese/writes.py's table says."""

from __future__ import annotations

import re

from bot.geese import writes
from storage import SlackIdentity
from tests.helpers import answer, tick

DANA = "U0DANA"
ME = SlackIdentity("T0GANDER", DANA)


def table() -> dict[str, str]:
    """kind -> policy (the word in parentheses), from the docstring's table."""
    rows = re.findall(r"^    (\w+) {2,}(.*(?:\n {18,}.*)*)", writes.__doc__ or "", re.M)
    return {kind: re.search(r"\((landed|resend|ask)", text)[1]
            for kind, text in rows if kind != "kind"}


def test_the_table_names_every_write_kind_and_its_policy(stack):
    kinds = stack.services.writes._kinds
    assert {kind: write.policy for kind, write in kinds.items()} == table()


def after_the_work_7geese_answers_502(stack, operation: str) -> None:
    stack.geese.set_faults(status=502, status_times=1, status_after=True,
                           path="/graphql", operation=operation)


def test_an_action_item_7geese_made_before_a_502_is_found_not_made_twice(dana, clock):
    after_the_work_7geese_answers_502(dana, "SaveActionItem")
    reply = answer(dana, DANA, "todo add <@U0FOX|fox> Send the rota")
    assert "7Geese isn't answering right now, so I saved" in reply.text
    assert [i.title for i in dana.geese.action_items.values()] == ["Send the rota"]
    clock.advance(60)
    tick(dana)
    dana.services.settle()
    assert [i.title for i in dana.geese.action_items.values()] == ["Send the rota"]
    told = [p.text for p in dana.slack.posted if p.channel == "D0DANA"]
    assert len(told) == 1 and "Added to your next 1-on-1 with *Fox Adeyemi*" in told[0]
    assert dana.services.writes.outbox.ids() == []


def test_an_action_item_7geese_never_made_is_made_once_on_the_retry(dana, clock):
    dana.geese.set_faults(status=503, status_times=1, path="/graphql",
                          operation="SaveActionItem")  # refused before the work
    answer(dana, DANA, "todo add <@U0FOX|fox> Send the rota")
    assert list(dana.geese.action_items.values()) == []
    clock.advance(60)
    tick(dana)
    dana.services.settle()
    assert [i.title for i in dana.geese.action_items.values()] == ["Send the rota"]
    assert dana.services.writes.outbox.ids() == []


def test_feedback_7geese_kept_before_a_502_is_found_not_given_twice(dana, clock):
    after_the_work_7geese_answers_502(dana, "GiveFeedback")
    answer(dana, DANA, "feedback <@U0FOX|fox> Demo: clear and calm under questions")
    assert len(dana.geese.feedback) == 1
    clock.advance(60)
    tick(dana)
    dana.services.settle()
    assert len(dana.geese.feedback) == 1
    told = [p for p in dana.slack.posted if p.channel == "D0DANA"]
    assert len(told) == 1 and "Your feedback for <@U0FOX> is in 7Geese" in str(told[0].blocks)
    assert len([p for p in dana.slack.posted if p.channel == "D0FOX"]) == 1  # told once
    assert "clear and calm" not in str(dana.slack.posted)  # its words stay out of Slack
    assert dana.services.writes.outbox.ids() == []


def test_a_write_without_a_way_to_look_back_is_not_sent_again(dana, clock):
    """The third policy (ask): with no read-back and no safe resend, the person is told
    to look in 7Geese instead of the write being sent a second time."""
    from bot.geese.writes import Write

    writes = dana.services.writes
    calls: list[dict] = []

    def apply(identity, args):
        calls.append(args)
        from bot.geese import Unavailable
        raise Unavailable("7Geese answered HTTP 502", sent=True)

    writes._kinds["probe"] = Write(apply, lambda a: "your probe")
    try:
        reply = writes.submit("probe", ME, {"x": 1})
        assert "I saved your probe" in reply.text
        clock.advance(60)
        (item,) = writes.outbox.ids()
        assert writes.deliver(item) == "done"
        assert len(calls) == 1
        told = [p.text for p in dana.slack.posted if p.channel == "D0DANA"]
        assert "didn't confirm your probe" in told[-1] and "look in 7Geese" in told[-1]
    finally:
        del writes._kinds["probe"]


def test_a_done_7geese_kept_before_a_502_is_done_once_and_said_once(dana, clock):
    item = dana.geese.save_action_item(102, None, {
        "createdInOneonone": 2, "title": "Send the rota", "assignedTo": 102})
    after_the_work_7geese_answers_502(dana, "SaveActionItem")
    reply = dana.services.writes.submit("todo_done", ME, {"pk": item.pk, "done": True})
    assert "I saved your change to that action item" in reply.text
    assert item.completed is not None  # 7Geese did it before its answer failed
    clock.advance(60)
    tick(dana)
    dana.services.settle()
    assert item.completed is not None and dana.services.writes.outbox.ids() == []
    told = [p.text for p in dana.slack.posted if p.channel == "D0DANA"]
    assert len(told) == 1 and "“Send the rota”" in told[0]


def test_a_decline_7geese_kept_before_a_502_is_declined_once(dana, clock):
    from datetime import UTC, datetime, timedelta

    stack = dana
    due = datetime.fromtimestamp(clock(), UTC) + timedelta(days=7)
    asked = stack.geese.ask_feedback(101, 102, 103, "Fox's quarter", due)
    after_the_work_7geese_answers_502(stack, "DeclineFeedback")
    stack.services.writes.submit("feedback_decline", ME, {"pk": asked.pk})
    assert stack.geese.feedback_requests[asked.pk].declined
    clock.advance(60)
    tick(stack)
    stack.services.settle()
    assert stack.geese.feedback_requests[asked.pk].declined
    assert stack.services.writes.outbox.ids() == []
