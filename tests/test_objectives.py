"""Objectives end to end: the list, the check-in modal for every measurement type,
inline validation, 7Geese refusals that keep what was typed."""

from __future__ import annotations

import pytest

from tests.recognition_helpers import wait_for_text

DANA = "U0DANA"


def views(stack, user=DANA):
    return [p.view for p in stack.slack.posted if p.kind == "view" and p.user == user]


def wait_view(stack, predicate, user=DANA, timeout=10):
    return stack.slack.wait_for(lambda: next((v for v in reversed(views(stack, user))
                                              if predicate(v)), None), timeout=timeout)


def form_view(stack):
    return wait_view(stack, lambda v: v.get("submit", {}).get("text") == "Check in")


def blocks_text(view) -> str:
    return str(view.get("blocks"))


def number(value):
    return {"value": {"type": "number_input", "value": value}}


def choice(value):
    return {"value": {"type": "static_select", "selected_option": {"value": value}}}


def status(value):
    return {"status": {"value": {"type": "radio_buttons",
                                 "selected_option": {"value": value}}}}


def test_the_list_shows_progress_status_and_every_unit(dana):
    reply = dana.driver.command(DANA, "objectives")
    assert reply.body["text"] == "Fetching your objectives from 7Geese..."
    listing = wait_for_text(dana, DANA, "Your open objectives (2)")
    text = str(listing.blocks)
    assert "Ship the billing migration" in text and "Grow the platform team" in text
    assert "Old: Q2 hiring plan" not in text  # closed
    assert "▰▰▰▱▱▱▱▱▱▱ 32%" in text and ":large_green_circle: On track" in text
    assert "Accounts migrated: 60% / 100%" in text
    assert "Monthly infrastructure cost: $10,500 / $8,000" in text
    assert "No P1 incident during the cutover: not done" in text
    assert "Engineers hired: 1 / 3" in text and ":red_circle: Off track" in text
    assert text.count("objective_checkin") == 2
    assert not any(p.text == reply.body["text"] for p in dana.slack.visible_to(DANA))


def test_other_currencies_render_with_their_units(stack):
    stack.quick_link("U0BEA")
    stack.driver.command("U0BEA", "objectives")
    assert "EU revenue: €12,000 / €50,000" in str(
        wait_for_text(stack, "U0BEA", "Your open objectives").blocks)
    stack.quick_link("U0HANA")
    stack.driver.command("U0HANA", "objectives")
    assert "Partner revenue: ¥250,000 / ¥1,000,000" in str(
        wait_for_text(stack, "U0HANA", "Your open objectives").blocks)
    assert "no check-in yet" in str(wait_for_text(stack, "U0HANA", "Your open objectives")
                                    .blocks)


def test_no_objectives_and_not_linked_read_well(stack):
    stack.quick_link("U0KOFI")
    stack.driver.command("U0KOFI", "objectives")
    assert "You have no open objectives in 7Geese" in wait_for_text(
        stack, "U0KOFI", "no open objectives").text
    stack.driver.command("U0GUS", "objectives")
    assert "Link my 7Geese account" in str(wait_for_text(stack, "U0GUS", "Link").blocks)


def open_form_from_list(stack):
    stack.driver.command(DANA, "objectives")
    listing = wait_for_text(stack, DANA, "Your open objectives")
    button = next(b["accessory"] for b in listing.blocks
                  if b.get("accessory", {}).get("value") == "1")
    stack.driver.block_action(DANA, {"action_id": button["action_id"], "value": "1"},
                              channel="C0GENERAL", message={"ts": listing.ts})
    return form_view(stack), listing


def test_check_in_from_the_list_updates_7geese_and_the_list(dana):
    form, _ = open_form_from_list(dana)
    assert "Accounts migrated" in blocks_text(form) and "number_input" in blocks_text(form)
    krs = dana.geese.objectives[1].key_results
    values = {f"kr-{krs[0].pk}": number("75"), f"kr-{krs[1].pk}": number("9800"),
              f"kr-{krs[2].pk}": choice("1"), **status("1"),
              "message": {"value": {"type": "plain_text_input", "value": "Cutover done!"}}}
    answer = dana.driver.view_submission(DANA, form, values)
    assert answer.body["response_action"] == "update"
    assert "Checking in on *Ship the billing migration*" in str(answer.body["view"])
    done = wait_view(dana, lambda v: "Checked in on" in blocks_text(v))
    assert "Progress 32% → 77%" in blocks_text(done)  # (75% + 55% + 100%) / 3
    assert [k.current for k in krs] == [75, 9800, 1]
    assert dana.geese.checkins[-1].message == "Cutover done!"
    assert dana.geese.objectives[1].status == 1
    # The list message itself was replaced by the list as it is now.
    dana.slack.wait_for(lambda: next((p for p in dana.slack.visible_to(DANA)
                                      if p.kind == "response" and "75% / 100%" in
                                      str(p.blocks)), None))
    assert not any(p.kind == "response" and "60% / 100%" in str(p.blocks)
                   for p in dana.slack.visible_to(DANA))


@pytest.mark.parametrize(("field", "typed", "says"), [
    ("percent", "lots", "Enter a number"),
    ("percent", "-5", "can't be negative"),
    ("done", "maybe", "Choose done or not done"),
])
def test_bad_values_come_back_inline(dana, field, typed, says):
    form, _ = open_form_from_list(dana)
    krs = dana.geese.objectives[1].key_results
    target = krs[0] if field == "percent" else krs[2]
    values = {f"kr-{krs[0].pk}": number("60"), f"kr-{krs[1].pk}": number("10500"),
              f"kr-{krs[2].pk}": choice("0"), **status("1")}
    values[f"kr-{target.pk}"] = number(typed) if field == "percent" else choice(typed)
    seeded = len(dana.geese.checkins)
    answer = dana.driver.view_submission(DANA, form, values)
    assert answer.body["response_action"] == "errors"
    assert says in answer.body["errors"][f"kr-{target.pk}"]
    dana.services.settle()
    assert len(dana.geese.checkins) == seeded


def test_a_7geese_refusal_keeps_what_was_typed(dana):
    form, _ = open_form_from_list(dana)
    krs = dana.geese.objectives[1].key_results
    dana.geese.objectives[1].closed = True  # closed in 7Geese meanwhile
    values = {f"kr-{krs[0].pk}": number("88"), f"kr-{krs[1].pk}": number("9100"),
              f"kr-{krs[2].pk}": choice("1"), **status("2"),
              "message": {"value": {"type": "plain_text_input", "value": "Nearly"}}}
    dana.driver.view_submission(DANA, form, values)
    again = wait_view(dana, lambda v: "didn't accept the check-in" in blocks_text(v))
    assert "This objective is closed" in blocks_text(again)
    inputs = {b["block_id"]: b["element"] for b in again["blocks"] if b["type"] == "input"}
    assert inputs[f"kr-{krs[0].pk}"]["initial_value"] == "88"
    assert inputs[f"kr-{krs[1].pk}"]["initial_value"] == "9100"
    assert inputs[f"kr-{krs[2].pk}"]["initial_option"]["value"] == "1"
    assert inputs["status"]["initial_option"]["value"] == "2"
    assert inputs["message"]["initial_value"] == "Nearly"
    assert [k.current for k in krs] == [60, 10500, 0]


def test_7geese_down_keeps_the_values_too(dana):
    form, _ = open_form_from_list(dana)
    krs = dana.geese.objectives[1].key_results
    dana.geese.set_faults(status=503, path="/graphql")
    values = {f"kr-{krs[0].pk}": number("61"), f"kr-{krs[1].pk}": number("10400"),
              f"kr-{krs[2].pk}": choice("0"), **status("1")}
    dana.driver.view_submission(DANA, form, values)
    dana.slack.wait_for(lambda: any("didn't answer" in blocks_text(v) for v in views(dana)),
                        timeout=15)
    dana.geese.clear_faults()
    again = next(v for v in reversed(views(dana)) if "didn't answer" in blocks_text(v))
    assert '"initial_value": "61"' in str(again).replace("'", '"')


def test_checkin_command_picks_then_fills_the_form(dana):
    dana.driver.command(DANA, "checkin")
    picker = wait_view(dana, lambda v: "checkin_pick" in blocks_text(v))
    dana.driver.block_action(DANA, {"action_id": "checkin_pick",
                                    "selected_option": {"value": "2"}}, view=picker)
    form = form_view(dana)
    assert "Grow the platform team" in blocks_text(form)
    assert "Engineers hired" in blocks_text(form)


def test_checkin_for_someone_with_one_objective_goes_straight_to_the_form(stack):
    stack.quick_link("U0FOX")
    stack.driver.command("U0FOX", "checkin")
    form = form_view_for(stack, "U0FOX")
    assert "Cut CI build time" in blocks_text(form)


def form_view_for(stack, user):
    return wait_view(stack, lambda v: v.get("submit", {}).get("text") == "Check in", user=user)


def test_checkin_when_not_linked_says_how_to_link(stack):
    stack.driver.command("U0GUS", "checkin")
    view = wait_view(stack, lambda v: "Link your 7Geese account first" in blocks_text(v),
                     user="U0GUS")
    assert "/geese link" in blocks_text(view)


def test_a_checkin_that_landed_but_whose_answer_was_lost_is_reported_as_done(
        redis_client, clock):
    from playground.stack import start_stack

    with start_stack(redis_client=redis_client, clock=clock, geese_timeout=1.0) as stack:
        stack.quick_link(DANA)
        form, _ = open_form_from_list(stack)
        krs = stack.geese.objectives[1].key_results
        saved = len(stack.geese.checkins)
        # The objective read goes through; 7Geese saves the check-in, then answers too late.
        stack.geese.set_faults(latency=3, path="/graphql", skip=1)
        stack.driver.view_submission(DANA, form, {
            f"kr-{krs[0].pk}": number("70"), f"kr-{krs[1].pk}": number("10000"),
            f"kr-{krs[2].pk}": choice("0"), **status("1")})
        stack.slack.wait_for(lambda: len(stack.geese.checkins) > saved, timeout=10)
        stack.geese.clear_faults()  # the bot's follow-up read is answered at once
        done = wait_view(stack, lambda v: "Checked in on" in blocks_text(v), timeout=15)
        assert "Ship the billing migration" in blocks_text(done)
        assert len(stack.geese.checkins) == saved + 1  # not repeated


def test_a_check_in_sends_only_what_the_person_changed(dana):
    """A key result at 33.333 that nobody touched stays 33.333: the form shows every
    digit, and only the values the person changed go to 7Geese."""
    krs = dana.geese.objectives[1].key_results
    krs[0].current = 33.333
    form, _ = open_form_from_list(dana)
    shown = {b["block_id"]: b["element"].get("initial_value") for b in form["blocks"]
             if b.get("block_id", "").startswith("kr-")}
    assert shown[f"kr-{krs[0].pk}"] == "33.333"
    values = {f"kr-{krs[0].pk}": number("33.333"), f"kr-{krs[1].pk}": number("9800"),
              f"kr-{krs[2].pk}": choice("1" if krs[2].current >= 1 else "0"), **status("1")}
    answer = dana.driver.view_submission(DANA, form, values)
    assert answer.body["response_action"] == "update"
    wait_view(dana, lambda v: "Checked in on" in blocks_text(v))
    assert krs[0].current == 33.333 and krs[1].current == 9800
    assert dana.geese.checkins[-1].key_results == (krs[1].pk,)


def test_a_form_of_many_key_results_keeps_within_slacks_metadata():
    """Each key result's value travels in private_metadata (3,000 characters): the form
    shows as many as fit and says the rest are in 7Geese."""
    from datetime import UTC, datetime

    from bot.geese.models import KeyResult, Objective
    from bot.objectives import blocks as objective_blocks
    from sandbox.slack import strict

    krs = tuple(KeyResult(1_000_000 + n, f"KR {n}", 3, 0, 10**9, 1234567.891234567 + n, 1.0)
                for n in range(90))
    big = Objective(7, "Big", None, None, 1.0, None, datetime(2026, 11, 1, tzinfo=UTC), krs)
    view = objective_blocks.form(big, {"response_url": "https://hooks.example/" + "x" * 100})
    assert strict.view_problems(view) == []
    shown = [b for b in view["blocks"] if b.get("block_id", "").startswith("kr-")]
    assert 20 < len(shown) < 90
    assert f"This form has the first {len(shown)} key results" in str(view["blocks"])
