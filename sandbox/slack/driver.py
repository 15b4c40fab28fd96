"""Sends requests to the app exactly as Slack does: signed, form-encoded or JSON, to
`/slack/events`. Slash-command answers are recorded in the sandbox like Slack
shows them, so a test reads one conversation whatever path a reply took."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx2
from slack_sdk.signature import SignatureVerifier

from sandbox.slack.server import record_ack
from sandbox.slack.world import SlackWorld

ACK_DEADLINE = 3.0


@dataclass
class Delivery:
    status: int
    body: Any
    elapsed: float
    received_at: float = 0.0  # time.monotonic() when the answer arrived
    response_url: str | None = None
    trigger_id: str | None = None

    @property
    def late(self) -> bool:
        """Slack waits 3 seconds for the app's answer, then shows the person an error."""
        return self.elapsed > ACK_DEADLINE


class SlackDriver:
    def __init__(
        self,
        world: SlackWorld,
        *,
        slack_url: str,
        app_url: str,
        signing_secret: str,
        clock: Callable[[], float] = time.time,
    ):
        self.world = world
        self.slack_url = slack_url.rstrip("/")
        self.events_url = app_url.rstrip("/") + "/slack/events"
        self.signing_secret = signing_secret
        self.clock = clock
        self.http = httpx2.Client(timeout=30)
        self._ids = itertools.count(1)

    def close(self) -> None:
        self.http.close()

    # -- what people do ----------------------------------------------------------

    def command(self, user: str, text: str, *, channel: str = "C0GENERAL",
                command: str = "/geese") -> Delivery:
        rid = self.world.new_response_url(user, channel)
        trigger = self.world.new_trigger(user)
        form = {
            "token": "unused-verification-token",
            "team_id": self.world.TEAM_ID,
            "team_domain": self.world.TEAM_DOMAIN,
            **({"enterprise_id": self.world.ENTERPRISE_ID} if self.world.ENTERPRISE_ID else {}),
            "channel_id": channel,
            "channel_name": self.world.channels[channel].name if channel in self.world.channels
            else "directmessage",
            "user_id": user,
            "user_name": self.world.users[user].name if user in self.world.users else "someone",
            "command": command,
            "text": text,
            "api_app_id": self.world.APP_ID,
            "is_enterprise_install": "false",
            "response_url": f"{self.slack_url}/response/{rid}",
            "trigger_id": trigger,
        }
        delivery = self.send(urlencode(form).encode(), "application/x-www-form-urlencoded")
        delivery.response_url, delivery.trigger_id = rid, trigger
        if delivery.status == 200 and isinstance(delivery.body, dict):
            record_ack(self.world, rid, delivery.body)
        return delivery

    def _interaction(self, kind: str, user: str, **fields: Any) -> dict[str, Any]:
        """The envelope every interactive payload shares."""
        return {
            "type": kind,
            "user": {"id": user, "team_id": self.world.TEAM_ID},
            "api_app_id": self.world.APP_ID,
            "token": "unused-verification-token",
            "team": {"id": self.world.TEAM_ID, "domain": self.world.TEAM_DOMAIN},
            "enterprise": {"id": self.world.ENTERPRISE_ID} if self.world.ENTERPRISE_ID else None,
            "is_enterprise_install": False,
            "trigger_id": self.world.new_trigger(user),
            **fields,
        }

    def block_action(self, user: str, action: dict[str, Any], *, channel: str | None = None,
                     message: dict[str, Any] | None = None,
                     view: dict[str, Any] | None = None) -> Delivery:
        payload = self._interaction(
            "block_actions", user,
            actions=[{"type": "button", "action_ts": str(self.clock()), **action}])
        rid = None
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id")}
            payload["view"] = view
        else:
            rid = self.world.new_response_url(user, channel, message_ts=(message or {}).get(
                "ts")) if channel else None
            payload["container"] = {"type": "message", "channel_id": channel,
                                    "message_ts": (message or {}).get("ts")}
            payload["channel"] = {"id": channel}
            payload["message"] = message or {}
            payload["response_url"] = f"{self.slack_url}/response/{rid}"
        delivery = self.interactive(payload)
        delivery.response_url, delivery.trigger_id = rid, payload["trigger_id"]
        return delivery

    def click(self, user: str, item: Any, label: str) -> Delivery:
        """Press the button labelled `label` in something the bot posted (a message, a
        modal or the Home tab: a Posted, or a view), sending exactly what that button
        carries, as Slack does."""
        view = item if isinstance(item, dict) else item.view
        blocks = view.get("blocks") if view else item.blocks
        for block in blocks or []:
            elements = block.get("elements") if block.get("type") == "actions" else \
                [block.get("accessory")] if block.get("accessory") else []
            for element in elements or []:
                if element.get("type") == "button" and element["text"]["text"] == label:
                    action = {k: element[k] for k in ("action_id", "value", "url")
                              if k in element}
                    action["block_id"] = block.get("block_id") or f"b{blocks.index(block)}"
                    if view:
                        return self.block_action(user, action, view=view)
                    return self.block_action(user, action, channel=item.channel,
                                             message={"ts": item.ts, "blocks": blocks})
        raise LookupError(f"no button {label!r} there")

    def message_shortcut(self, user: str, callback_id: str, message: dict[str, Any], *,
                         channel: str) -> Delivery:
        rid = self.world.new_response_url(user, channel)
        payload = self._interaction(
            "message_action", user, callback_id=callback_id,
            channel={"id": channel, "name": self.world.channels[channel].name},
            message=message, message_ts=message.get("ts"), action_ts=str(self.clock()),
            response_url=f"{self.slack_url}/response/{rid}")
        delivery = self.interactive(payload)
        delivery.response_url, delivery.trigger_id = rid, payload["trigger_id"]
        return delivery

    def view_submission(self, user: str, view: dict[str, Any],
                        values: dict[str, dict[str, Any]]) -> Delivery:
        return self.interactive(self._interaction(
            "view_submission", user, view={**view, "state": {"values": values}}))

    def event(self, event: dict[str, Any], *, event_id: str | None = None,
              retry_num: int | None = None) -> Delivery:
        envelope = {
            "token": "unused-verification-token",
            "team_id": self.world.TEAM_ID,
            **({"enterprise_id": self.world.ENTERPRISE_ID} if self.world.ENTERPRISE_ID else {}),
            "api_app_id": self.world.APP_ID,
            "event": {"event_ts": str(self.clock()), **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):08d}",
            "event_time": int(self.clock()),
            "authorizations": [{"enterprise_id": self.world.ENTERPRISE_ID,
                                "team_id": self.world.TEAM_ID,
                                "user_id": self.world.BOT_USER_ID, "is_bot": True,
                                "is_enterprise_install": False}],
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.send(json.dumps(envelope).encode(), "application/json", headers=headers)

    def interactive(self, payload: dict[str, Any]) -> Delivery:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.send(body, "application/x-www-form-urlencoded")

    # -- the wire ------------------------------------------------------------------

    def send(self, body: bytes, content_type: str, *, timestamp: int | None = None,
             secret: str | None = None, headers: dict[str, str] | None = None) -> Delivery:
        ts = str(int(self.clock()) if timestamp is None else timestamp)
        verifier = SignatureVerifier(secret or self.signing_secret)
        signature = verifier.generate_signature(timestamp=ts, body=body)
        started = time.monotonic()
        resp = self.http.post(
            self.events_url,
            content=body,
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        received_at = time.monotonic()
        elapsed = received_at - started
        try:
            parsed: Any = resp.json() if resp.content else {}
        except ValueError:
            parsed = resp.text
        return Delivery(status=resp.status_code, body=parsed, elapsed=elapsed,
                        received_at=received_at)
