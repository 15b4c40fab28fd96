"""After a 1-on-1 and when one is set up: the follow-up two hours after it ends (once,
never for a moved, cancelled or finished meeting) and the invitation to add talking
points (once per meeting or series). On a fake clock, over both sandboxes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.clock import Clock
from bot.jobs import JOBS
from bot.services import build_services
from bot.work.queue import InlineQueue

DANA, ADA, FOX = "U0DANA", "U0ADA", "U0FOX"
ADA_PK, DANA_PK, FOX_PK = 101, 102, 103


@pytest.fixture
def linked(stack):
    stack.quick_link(DANA)
    stack.quick_link(ADA)
    return stack


def move_to(clock, moment):
    clock.advance(moment.timestamp() - clock())


def dms(stack, channel, marker):
    return [p for p in stack.slack.posted if p.channel == channel and p.kind == "message"
            and marker in str(p.blocks)]


def followups(stack, channel="D0DANA"):
    return dms(stack, channel, "is over. Here is where it left off")


def test_both_get_one_follow_up_two_hours_after_the_end(linked, clock):
    stack, nudger = linked, linked.services.oneonone_nudges
    service = stack.services.followups
    meeting = stack.geese.oneonones[12]  # Ada and Dana, tomorrow, 30 minutes
    item = stack.geese.save_action_item(ADA_PK, None, {
        "createdInOneonone": 12, "title": "Send the <offer>", "assignedTo": DANA_PK})
    nudger.poll()
    move_to(clock, meeting.end + timedelta(hours=2) - timedelta(seconds=30))
    assert service.due() == [] or "sent" not in service.send_due()
    move_to(clock, meeting.end + timedelta(hours=2, seconds=5))
    assert service.send_due() == {"sent": 2}
    (dm,) = followups(stack)
    text = json.dumps(dm.blocks)
    assert "Your 1-on-1 with *Ada Okafor*" in text and "1. Hiring plan" in text
    assert "*Send the &lt;offer&gt;*" in text
    assert {"todo_done", "todo_add", "oneonone_notes"} <= {
        e.get("action_id") for b in dm.blocks
        for e in [*b.get("elements", []), b.get("accessory") or {}]}
    assert f"/oneonone/{meeting.pk}" in text
    assert len(followups(stack, "D0ADA")) == 1
    # Never twice: not from a second run, nor from a restarted clock that polls again.
    assert service.send_due() == {}
    restarted = build_services(stack.settings, redis_client=stack.services.redis, clock=clock)
    try:
        restarted.oneonone_nudges.poll()
        assert "sent" not in restarted.followups.send_due()
    finally:
        restarted.drain()
    assert len(followups(stack)) == 1
    # Done from the follow-up ticks it off in 7Geese.
    stack.driver.block_action(DANA, {"action_id": "todo_done", "value": str(item.pk)},
                              channel="D0DANA", message={"ts": dm.ts, "blocks": dm.blocks})
    stack.services.settle()
    assert item.completed is not None


def test_a_meeting_moved_after_planning_follows_up_after_its_new_time(linked, clock):
    stack, nudger = linked, linked.services.oneonone_nudges
    meeting = stack.geese.oneonones[12]
    old_end = meeting.end
    nudger.poll()
    meeting.start += timedelta(days=1)
    meeting.end += timedelta(days=1)
    move_to(clock, old_end + timedelta(hours=2, seconds=5))
    assert stack.services.followups.send_due() == {"moved": 2}
    nudger.poll()  # the poller sees the new time and plans it
    move_to(clock, meeting.end + timedelta(hours=2, seconds=5))
    assert stack.services.followups.send_due()["sent"] >= 2  # with Dana's 1-on-1 with Fox
    (dm,) = followups(stack, "D0ADA")
    assert f"<!date^{int(meeting.start.timestamp())}^" in str(dm.blocks)


def test_a_cancelled_meeting_gets_no_follow_up(linked, clock):
    stack = linked
    meeting = stack.geese.oneonones[12]
    stack.services.oneonone_nudges.poll()
    meeting.deleted = True
    move_to(clock, meeting.end + timedelta(hours=2, seconds=5))
    assert stack.services.followups.send_due() == {"cancelled": 2}
    assert followups(stack) == []


def test_completed_with_nothing_open_is_skipped_but_an_open_item_is_followed_up(linked, clock):
    stack = linked
    meeting = stack.geese.oneonones[12]
    stack.services.oneonone_nudges.poll()
    meeting.completed = meeting.end
    move_to(clock, meeting.end + timedelta(hours=2, seconds=5))
    assert stack.services.followups.send_due() == {"nothing_open": 2}

    stack.services.oneonone_nudges.poll()  # the poller looks a day ahead
    other = stack.geese.oneonones[2]  # Dana and Fox: completed, with an item left open
    stack.geese.save_action_item(DANA_PK, None, {"createdInOneonone": 2, "title": "Rota",
                                                 "assignedTo": DANA_PK})
    other.completed = other.end
    move_to(clock, other.end + timedelta(hours=2, seconds=5))
    assert stack.services.followups.send_due().get("sent") == 1  # Fox isn't linked
    assert "Fox Adeyemi" in str(followups(stack)[-1].blocks)


def test_the_pause_and_the_1on1_setting_hold(linked, clock):
    stack = linked
    meeting = stack.geese.oneonones[12]
    stack.services.oneonone_nudges.poll()
    assert stack.driver.command(DANA, "nudges 1on1 off").status == 200
    day_after = (meeting.end + timedelta(days=2)).date().isoformat()
    assert stack.driver.command(ADA, f"pause until {day_after}").status == 200
    move_to(clock, meeting.end + timedelta(hours=2, seconds=5))
    assert stack.services.followups.send_due() == {"turned_off": 1, "paused": 1}
    assert followups(stack) == [] and followups(stack, "D0ADA") == []


def test_7geese_down_is_retried_within_the_grace(linked, clock):
    stack = linked
    meeting = stack.geese.oneonones[12]
    stack.services.oneonone_nudges.poll()
    stack.geese.set_faults(status=503)
    move_to(clock, meeting.end + timedelta(hours=2, seconds=5))
    assert stack.services.followups.send_due() == {"retry": 2}
    stack.geese.clear_faults()
    clock.advance(60)
    queue = InlineQueue(stack.services, JOBS)  # as it runs for real: the clock, then a worker
    try:
        assert Clock(stack.services, queue).tick().get("oneonone_followup") == 2
    finally:
        queue.close()
    assert len(followups(stack)) == 1 and len(followups(stack, "D0ADA")) == 1


def invitations(stack, channel="D0DANA"):
    return dms(stack, channel, "set up a 1-on-1 with you")


def test_a_new_1on1_invites_the_other_person_once(linked, clock):
    stack, nudger = linked, linked.services.oneonone_nudges
    clock.advance(60)  # set up after Dana linked
    start = stack.geese.oneonones[12].start + timedelta(days=3)
    meeting = stack.geese.add_oneonone(ADA_PK, DANA_PK, start)
    nudger.poll()
    (invite,) = invitations(stack)
    assert "*Ada Okafor* set up a 1-on-1 with you" in str(invite.blocks)
    button = invite.blocks[0]["accessory"]
    assert button["action_id"] == "oneonone_add"
    assert json.loads(button["value"]) == {"meeting": meeting.pk, "user": ADA}
    assert invitations(stack, "D0ADA") == []  # Ada set it up herself
    nudger.poll()
    assert len(invitations(stack)) == 1


def test_a_recurring_series_invites_once_and_old_meetings_never(linked, clock):
    stack, nudger = linked, linked.services.oneonone_nudges
    nudger.poll()
    assert invitations(stack) == []  # the seeded meetings were there before linking
    clock.advance(60)
    start = stack.geese.oneonones[12].start + timedelta(days=2)
    for week in range(4):
        stack.geese.add_oneonone(FOX_PK, DANA_PK, start + timedelta(weeks=week), series=77)
    nudger.poll()
    nudger.poll()
    (invite,) = invitations(stack)
    assert "Fox Adeyemi" in str(invite.blocks)
    assert json.loads(invite.blocks[0]["accessory"]["value"])["user"] == FOX


def test_the_invitation_respects_the_1on1_setting(linked, clock):
    stack = linked
    assert stack.driver.command(DANA, "nudges 1on1 off").status == 200
    clock.advance(60)
    stack.geese.add_oneonone(ADA_PK, DANA_PK, stack.geese.oneonones[12].start
                             + timedelta(days=3))
    stack.services.oneonone_nudges.poll()
    assert invitations(stack) == []
