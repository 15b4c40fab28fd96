"""The baseline for bench/ack_latency.py: a Bolt app that only acknowledges, served
by the same gunicorn settings as `geese-bot serve`."""

from __future__ import annotations

import os

from flask import Flask, request
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_sdk import WebClient


def create() -> Flask:
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    bolt = App(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"],
               token_verification_enabled=False)

    @bolt.command("/geese")
    def ack_only(ack):
        ack(text="ok", response_type="ephemeral")

    handler = SlackRequestHandler(bolt)
    web = Flask("bare")
    web.config["bolt"] = bolt

    @web.post("/slack/events")
    def events():
        return handler.handle(request)

    return web
