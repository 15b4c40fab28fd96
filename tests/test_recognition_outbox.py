"""Nothing is lost: when 7Geese fails, recognitions wait in the outbox and reach 7Geese
exactly once per recipient, across retries, restarts and two clock processes."""

from __future__ import annotations

import threading

from bot.services import build_services
from playground.stack import start_stack
from tests.recognition_helpers import (
    given,
    posts_to_recognitions,
    queue_while_7geese_is_down,
    wait_for_text,
)

ADA, DANA, FOX = 101, 102, 103
POST_RECOGNITION = {"path": "/api/v/2.0/recognitions/", "method": "POST"}



def idle(stack):
    """Wait until no delivery is under way (a lazy listener may still be finishing)."""
    redis = stack.services.redis
    stack.slack.wait_for(lambda: not redis.keys("geese-bot:lock:outbox:*"), timeout=10)


def later(stack, clock, seconds=3700):
    """Let time pass, then run the clock's outbox job once."""
    idle(stack)
    clock.advance(seconds)
    return stack.services.recognition.process_due()


def test_7geese_down_then_back(ada, clock):
    stack = ada
    stack.geese.set_faults(status=503)
    stack.driver.command("U0ADA", "recognize <@U0DANA> kept the lights on #ownership")
    notice = wait_for_text(stack, "U0ADA", "I saved your recognition")
    assert "I'll post it as soon as 7Geese is back" in notice.text
    assert given(stack) == []
    assert later(stack, clock) == 1 and given(stack) == []  # still down: stays queued
    stack.geese.clear_faults()
    assert later(stack, clock) == 1
    assert given(stack) == [(ADA, DANA, 1, "kept the lights on")]
    wait_for_text(stack, "U0ADA", "7Geese is back: your recognition of <@U0DANA>")
    assert later(stack, clock) == 0 and len(given(stack)) == 1


def test_rate_limited_past_its_retries(ada, clock):
    stack = ada
    stack.geese.set_faults(status=429, retry_after=120, **POST_RECOGNITION)
    stack.driver.command("U0ADA", "recognize <@U0DANA> thanks")
    wait_for_text(stack, "U0ADA", "I saved your recognition")
    stack.geese.clear_faults()
    assert later(stack, clock, 60) == 0  # Retry-After is honoured
    assert later(stack, clock, 120) == 1 and len(given(stack)) == 1


def test_a_post_that_timed_out_but_landed_is_not_sent_twice(redis_client, clock):
    with start_stack(redis_client=redis_client, clock=clock, geese_timeout=1.0) as stack:
        stack.link("U0ADA")
        stack.geese.set_faults(latency=1.5, **POST_RECOGNITION)
        stack.driver.command("U0ADA", "recognize <@U0DANA> steady hands")
        wait_for_text(stack, "U0ADA", "I saved your recognition")
        stack.slack.wait_for(lambda: given(stack), timeout=10)  # 7Geese did act on it
        stack.geese.clear_faults()
        assert later(stack, clock) == 1
        assert given(stack) == [(ADA, DANA, None, "steady hands")]
        # The slow POST is logged when its answer finally leaves 7Geese.
        stack.slack.wait_for(lambda: posts_to_recognitions(stack) >= 1, timeout=10)
        assert posts_to_recognitions(stack) == 1  # it asked instead of posting again
        wait_for_text(stack, "U0ADA", "7Geese is back")


def test_a_clock_restart_between_two_recipients_posts_each_once(ada, clock, redis_client):
    stack = ada
    stack.geese.set_faults(status=503, skip=1, **POST_RECOGNITION)
    stack.driver.command("U0ADA", "recognize <@U0DANA> <@U0FOX> release heroes")
    wait_for_text(stack, "U0ADA", "I saved your recognition")
    assert given(stack) == [(ADA, DANA, None, "release heroes")]

    # Another process (a restarted clock) takes over, with nothing but Redis shared.
    stack.geese.clear_faults()
    idle(stack)
    clock.advance(3700)
    restarted = build_services(stack.settings, redis_client=redis_client, clock=clock)
    try:
        assert restarted.recognition.process_due() == 1
    finally:
        restarted.drain()
    assert given(stack) == [(ADA, DANA, None, "release heroes"),
                            (ADA, FOX, None, "release heroes")]
    assert posts_to_recognitions(stack) == 3  # Dana once, Fox refused once, Fox once


def test_two_clock_processes_deliver_each_item_once(ada, clock, redis_client):
    stack = ada
    stack.geese.set_faults(status=503)
    for name in ("U0DANA", "U0FOX", "U0BEA"):
        stack.driver.command("U0ADA", f"recognize <@{name}> good week")
    stack.slack.wait_for(lambda: sum("I saved your" in (p.text or "")
                                     for p in stack.slack.posted) == 3)
    stack.geese.clear_faults()
    stack.geese.set_faults(latency=0.3, **POST_RECOGNITION)  # make them overlap
    idle(stack)
    clock.advance(3700)
    clocks = [build_services(stack.settings, redis_client=redis_client, clock=clock)
              for _ in range(2)]
    barrier = threading.Barrier(2)

    def run(services):
        barrier.wait()
        services.recognition.process_due()

    threads = [threading.Thread(target=run, args=(s,)) for s in clocks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    for services in clocks:
        services.drain()
    assert sorted(r[1] for r in given(stack)) == [DANA, FOX, 104]
    assert posts_to_recognitions(stack) == 3


def test_a_badge_deleted_while_waiting_is_reported_and_dropped(ada, clock):
    stack = ada
    stack.geese.set_faults(status=503)
    stack.driver.command("U0ADA", "recognize <@U0DANA> so patient #kindness")
    wait_for_text(stack, "U0ADA", "I saved your recognition")
    stack.geese.clear_faults()
    stack.geese.badges[6] = type(stack.geese.badges[6])(6, "Kindness", active=False)
    assert later(stack, clock) == 1
    wait_for_text(stack, "U0ADA", "There's no badge #kindness")
    assert given(stack) == []
    assert later(stack, clock) == 0  # not retried forever


def test_a_recipient_who_left_is_reported_and_dropped(ada, clock):
    stack = ada
    stack.geese.set_faults(status=503)
    stack.driver.command("U0ADA", "recognize <@U0DANA> thanks for everything")
    wait_for_text(stack, "U0ADA", "I saved your recognition")
    stack.geese.clear_faults()
    stack.slack.users["U0DANA"].deleted = True
    assert later(stack, clock) == 1
    wait_for_text(stack, "U0ADA", "<@U0DANA> is no longer in this Slack workspace")
    assert given(stack) == [] and later(stack, clock) == 0


def test_after_three_days_it_stops_and_says_so(ada, clock):
    stack = ada
    stack.geese.set_faults(status=503)
    stack.driver.command("U0ADA", "recognize <@U0DANA> thanks")
    wait_for_text(stack, "U0ADA", "I saved your recognition")
    later(stack, clock, 3 * 24 * 3600 + 1)
    wait_for_text(stack, "U0ADA", "7Geese has not answered for three days")
    assert later(stack, clock) == 0


def test_an_unlinked_senders_recognition_is_posted_after_linking_once(stack, clock):
    stack.driver.command("U0ELI", "recognize <@U0CHEN> lovely mockups #customer-obsession")
    notice = wait_for_text(stack, "U0ELI", "first link your 7Geese account")
    assert "I've kept your message" in notice.text
    assert given(stack) == []
    url = stack.link_button_url("U0ELI")
    page = stack.follow_link(url, email="eli@ganderlabs.example")
    assert page.status == 200
    stack.slack.wait_for(lambda: given(stack), timeout=10)
    assert given(stack) == [(107, 106, 3, "lovely mockups")]
    wait_for_text(stack, "U0ELI", "is in 7Geese")
    stack.link("U0ELI")  # linking again posts nothing more
    assert later(stack, clock) == 0
    stack.services.settle()
    assert len(given(stack)) == 1


def test_the_clock_hands_due_recognitions_to_workers(stack):
    from bot.clock import Clock
    from bot.jobs import JOBS
    from bot.work.queue import InlineQueue

    stack.link("U0DANA")
    queue_while_7geese_is_down(stack, "<@U0FOX|fox> steady on-call week")
    for item_id in stack.services.recognition.outbox.ids():  # due now
        stack.services.recognition.outbox.schedule(item_id, 0)
    queue = InlineQueue(stack.services, JOBS)
    assert Clock(stack.services, queue).tick().get("recognition") == 1
    assert ("recognition", "posted") in queue.done
    assert [r[:2] for r in given(stack)] == [(DANA, FOX)]
    queue.close()
