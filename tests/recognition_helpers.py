"""Shared steps for the recognition tests."""

from __future__ import annotations

from sandbox.slack.world import Posted

GENERAL = "C0GENERAL"


def queue_while_7geese_is_down(stack, text: str, user_id: str = "U0DANA") -> None:
    """`/geese recognize ...` while 7Geese answers 503: it waits in the outbox; then
    7Geese is healthy again (the recognition goes at the outbox's next try)."""
    stack.geese.set_faults(status=503)
    stack.driver.command(user_id, f"recognize {text}")
    wait_for_text(stack, user_id, "I saved your recognition")
    stack.services.settle()
    stack.geese.clear_faults()


def visible_texts(stack, user_id: str) -> list[str]:
    return [p.text or "" for p in stack.slack.visible_to(user_id)]


def wait_for_text(stack, user_id: str, needle: str, timeout: float = 10) -> Posted:
    def find():
        return next((p for p in stack.slack.visible_to(user_id)
                     if needle in (p.text or "") + str(p.blocks or "")), None)

    return stack.slack.wait_for(find, timeout=timeout)


def wait_for_dms(stack, *user_ids: str, timeout: float = 10) -> dict[str, str]:
    """The blocks of the bot's DMs to each of `user_ids`, once all have arrived."""

    def dms():
        sent = {c.args["channel"]: str(c.args.get("blocks")) for c in
                stack.slack.calls_to("chat.postMessage") if c.ok}
        return sent if set(user_ids) <= set(sent) else None

    return stack.slack.wait_for(dms, timeout=timeout)


def given(stack) -> list[tuple[int, int, int | None, str]]:
    """What 7Geese holds: (sender, recipient, badge, message)."""
    return [(r.sender_pk, r.recipient_pk, r.badge_pk, r.message)
            for r in stack.geese.recognitions]


def posts_to_recognitions(stack) -> int:
    return sum(1 for m, p, s in stack.geese.requests
               if m == "POST" and p == "/api/v/2.0/recognitions/")


def wait_form(stack, user_id: str) -> dict:
    """The modal once it can be filled in: a form may open as "loading" first."""
    return stack.slack.wait_for(lambda: next(
        (p.view for p in reversed(stack.slack.posted)
         if p.kind == "view" and p.user == user_id and p.view.get("submit")), None))


def last_view(stack, user_id: str) -> dict:
    views = [p.view for p in stack.slack.posted if p.kind == "view" and p.user == user_id]
    assert views, "no modal was opened"
    return views[-1]


def modal_values(*, users=(), badge=None, message="", channel=None, private=False) -> dict:
    values = {
        "recipients": {"users": {"type": "multi_users_select", "selected_users": list(users)}},
        "message": {"text": {"type": "plain_text_input", "value": message}},
        "channel": {"channel": {"type": "conversations_select",
                                "selected_conversation": channel}},
        "visibility": {"private": {"type": "checkboxes", "selected_options":
                                   [{"value": "private"}] if private else []}},
    }
    if badge is not None:
        values["badge"] = {"badge": {"type": "static_select",
                                     "selected_option": {"value": str(badge)}}}
    return values
